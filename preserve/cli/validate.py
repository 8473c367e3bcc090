"""``preserve validate``: check records against the schema and the rules."""

from __future__ import annotations

import sys

import click

from preserve.cli import main
from preserve.cli._errors import EXIT_FINDINGS, EXIT_OK, handle_errors
from preserve.cli._progress import progress_for
from preserve.cli.options import defaults_option, output_options
from preserve.progress import NO_PROGRESS

WORKERS = 2
"""Processes for a big JSON Lines file (4 MiB or more); smaller input is checked in one."""


@main.command("validate")
@click.argument(
    "paths",
    nargs=-1,
    required=True,
    type=click.Path(readable=False, path_type=str),
    metavar="PATH...",
)
@defaults_option
@output_options
def validate_cmd(
    paths: tuple[str, ...], defaults_file: str | None, output_format: str, quiet: bool
) -> None:
    """Check records: the record schema, then the rules beyond it.

    PATH is a record file (.json: one record or an array; .jsonl: one record per
    line; .csv: one record per row, with dotted column names such as
    archive_reference.fond), a record document (.txt, .md, .html: extracted on the
    fly) or a folder of them (walked in sorted order; hidden files are skipped).

    Every finding has a stable code (REC-nnn, see docs/reference/rules-records.md),
    a severity, the JSON Pointer of the field, the file (with the line of a .jsonl
    file or the row and column of a .csv file) and a message that says what to do.
    Records are also checked against each other: duplicates, leaves that overlap
    within one delo, outgoing numbers out of date order. A JSON Lines file of 4 MiB
    or more is checked in two processes; the findings are the same.

    \b
    Examples:
      preserve validate samples/records/
      preserve validate batch.csv --defaults collection.toml
      preserve validate batch.jsonl --format json > findings.json

    Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error,
    3 could not run.
    """
    from preserve.records.validate.validation import validate
    from preserve.reports import reporter

    with handle_errors():
        bar = progress_for(quiet) if output_format == "text" else None
        if bar is not None:
            with bar:
                result = validate(
                    list(paths), defaults=defaults_file, progress=bar, workers=WORKERS
                )
        else:
            result = validate(
                list(paths), defaults=defaults_file, progress=NO_PROGRESS, workers=WORKERS
            )
        verbosity = -1 if quiet else 0
        shown = "table" if output_format == "text" and sys.stdout.isatty() else output_format
        reporter("validate", shown, sys.stdout, verbosity=verbosity).report(result)
    sys.exit(EXIT_OK if result.ok else EXIT_FINDINGS)
