"""``preserve extract``: record documents in, records (JSON or JSON Lines) out."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

import click

from preserve._atomic import atomic_writer
from preserve.cli import main
from preserve.cli._errors import EXIT_FINDINGS, EXIT_OK, handle_errors
from preserve.cli._progress import progress_for
from preserve.cli.options import defaults_option, format_choice, out_option
from preserve.errors import UsageError
from preserve.findings import Finding
from preserve.progress import NO_PROGRESS
from preserve.records.extract.explain import explain_lines
from preserve.records.extract.run import ExtractedRecord, extract
from preserve.records.types import Record
from preserve.reports.base import counted, finding_line, printable


@main.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(readable=False, path_type=str))
@format_choice(
    ("json", "jsonl"),
    default="json",
    help_text="json: one JSON array of records. jsonl: one record per line.",
)
@out_option("Write the records to FILE (atomically) instead of standard output.")
@defaults_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, no warnings, no summary.")
@click.option(
    "--explain",
    is_flag=True,
    help="Print each field beside the text (line or label) it came from, instead of JSON.",
)
def extract_cmd(
    paths: tuple[str, ...],
    output_format: str,
    out: Path | None,
    defaults_file: str | None,
    quiet: bool,
    explain: bool,
) -> None:
    """Read record documents and write their records as JSON.

    PATH is a record document (.txt page text, .md PDF text, .html page) or a
    folder of them (walked in sorted order; README files are skipped). Each
    record names its document in /extraction/source, lists inferred values in
    /extraction/inferred and values filled from --defaults in /extraction/supplied.

    \b
    Examples:
      preserve extract page.txt
      preserve extract samples/records --format jsonl -o records.jsonl
      preserve extract scans/ --defaults batch.toml -o records.json
      preserve extract page.txt --explain
      preserve validate records.json

    Problems go to stderr as "severity EXT-nnn FILE, field FIELD: message"
    (codes in docs/reference/extraction.md).

    \b
    Exit status:
      0  every file gave a record (warnings allowed)
      1  some file could not be extracted (binary, not UTF-8, empty, too large)
      2  usage error
      3  could not run (for example, an unreadable --defaults file)
    """
    with handle_errors():
        _refuse_overwriting_input(paths, out)
        bar = progress_for(quiet)
        if bar is None:
            results = extract(paths, defaults=defaults_file, progress=NO_PROGRESS)
        else:
            with bar:
                results = extract(paths, defaults=defaults_file, progress=bar)
        records = [r.record for r in results if r.record is not None]
        if explain:
            text = "\n\n".join("\n".join(explain_lines(r)) for r in records) + "\n"
            click.echo(text, nl=False)
        else:
            _write(records, output_format, out)
        _report(results, quiet=quiet)
    failed = any(r.record is None and _has_error(r.findings) for r in results)
    raise SystemExit(EXIT_FINDINGS if failed else EXIT_OK)


def _has_error(findings: Sequence[Finding]) -> bool:
    return any(f.is_error for f in findings)


def _refuse_overwriting_input(paths: Sequence[str], output: Path | None) -> None:
    if output is None or not output.exists():
        return
    target = output.resolve()
    for path in paths:
        if Path(path).resolve() == target:
            msg = f"--out {output} is one of the input documents; choose another file"
            raise UsageError(msg)


def _write(records: list[Record], output_format: str, output: Path | None) -> None:
    if output is None:
        # JSON is UTF-8 (RFC 8259) whatever the terminal's locale: write bytes.
        sys.stdout.flush()
        _dump(records, output_format, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    with atomic_writer(output.resolve()) as handle:
        _dump(records, output_format, handle)


def _dump(records: list[Record], output_format: str, stream: BinaryIO) -> None:
    if output_format == "jsonl":
        for record in records:
            stream.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
    else:
        text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
        stream.write(text.encode("utf-8"))


def _report(results: list[ExtractedRecord], *, quiet: bool) -> None:
    for result in results:
        for finding in result.findings:
            if quiet and not finding.is_error:
                continue
            shown = finding if finding.source else replace(finding, source=result.source)
            line = finding_line(shown)
            click.echo(printable(line), err=True)
    if not quiet:
        extracted = sum(r.record is not None for r in results)
        failed = sum(r.record is None and _has_error(r.findings) for r in results)
        note = f"; {counted(failed, 'file')} could not be extracted" if failed else ""
        click.echo(f"Extracted {counted(extracted, 'record')}{note}.", err=True)
