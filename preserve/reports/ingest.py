"""Render an ingest result: a summary table for people, the versioned report for scripts."""

from __future__ import annotations

import dataclasses
import io
from pathlib import PurePath

from rich.console import Console
from rich.table import Table
from rich.text import Text

from preserve.ingestion.report import IngestResult, RecordOutcome, to_report
from preserve.reports.base import Reporter, counted, finding_line, one_line, write_json

_STYLE = {"packaged": "green", "unchanged": "cyan", "refused": "red"}


class IngestTextReporter(Reporter[IngestResult]):
    """A table of records (status, bag, why) and a summary line."""

    def report(self, result: IngestResult) -> None:
        """Write the table (unless quiet), the refusal reasons and the summary."""
        console = Console(file=self.terminal, width=140, highlight=False, soft_wrap=False)
        if self.verbosity >= 0 and result.records:
            table = Table(title=Text(one_line(f"Ingest into {result.deposit}")), show_lines=False)
            for column in ("record file", "status", "bag"):
                table.add_column(column, no_wrap=True)
            table.add_column("files", justify="right")
            table.add_column("findings", overflow="fold")
            for r in result.outcomes:
                codes = ", ".join(dict.fromkeys(f.code for f in r.findings)) or "-"
                table.add_row(
                    Text(one_line(_name(r))),
                    Text(r.status, style=_STYLE[r.status]),
                    Text(one_line(r.archive or r.bag or "-")),
                    str(r.files),
                    Text(one_line(codes)),
                )
            console.print(table)
        if self.verbosity >= 0:
            self._details(result)
        summary = (
            f"{counted(result.records, 'record')}: {result.count('packaged')} packaged, "
            f"{result.count('unchanged')} unchanged, {result.count('refused')} refused"
        )
        if result.findings:
            summary += f"; {counted(len(result.findings), 'input problem')}"
        self.stream.write(_safe(summary + f". Report: {result.deposit}/ingest-report.json\n"))

    def _details(self, result: IngestResult) -> None:
        for finding in result.findings:
            self.stream.write(_safe(finding_line(finding) + "\n"))
        for r in result.outcomes:
            if r.status != "refused" and self.verbosity < 1:
                continue
            for f in r.findings:
                shown = f if f.source else dataclasses.replace(f, source=_name(r))
                self.stream.write(_safe(finding_line(shown) + "\n"))


def _name(outcome: RecordOutcome) -> str:
    """The record's file (and position in it): shorter than its citation, and unique."""
    return _safe(PurePath(outcome.key).name)


def _safe(text: str) -> str:
    """*text* with lone surrogates (undecodable file names) as ``\\udcXX``, printable."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


class IngestJsonReporter(Reporter[IngestResult]):
    """The same JSON as ``ingest-report.json`` (``"version": 1``)."""

    def report(self, result: IngestResult) -> None:
        """Write the report as JSON."""
        buffer = io.StringIO()
        write_json(buffer, to_report(result))
        self.stream.write(_safe(buffer.getvalue()))
