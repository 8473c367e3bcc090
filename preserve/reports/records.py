"""Reporters for ``preserve validate``: text for people, JSON for scripts."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from typing import TYPE_CHECKING

from preserve.reports.base import Reporter, counted, finding_line, one_line, write_json

if TYPE_CHECKING:
    from preserve.findings import Finding
    from preserve.records.validate.validation import ValidationResult


def summary(result: ValidationResult) -> str:
    """One line: how many records, errors and warnings."""
    errors = sum(f.is_error for f in result.findings)
    warnings = len(result.findings) - errors
    verdict = "valid" if result.ok else "INVALID"
    return (
        f"{counted(result.records, 'record')} checked: "
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
        f"({verdict})"
    )


class JsonValidationReporter(Reporter["ValidationResult"]):
    """Versioned JSON: the result's ``to_dict()``."""

    def report(self, result: ValidationResult) -> None:
        write_json(self.stream, result.to_dict())


def _where(finding: Finding) -> str:
    parts = [
        f"line {finding.line}" if finding.line is not None else "",
        f"row {finding.row}" if finding.row is not None else "",
        f"column {finding.column}" if finding.column is not None else "",
    ]
    return ", ".join(p for p in parts if p)


def grouped(result: ValidationResult) -> Iterator[tuple[str, list[Finding]]]:
    """Findings grouped by source file, sources in the order first met."""
    order: dict[str, int] = {}
    for f in result.findings:
        order.setdefault(f.source or "", len(order))
    ordered = sorted(result.findings, key=lambda f: order[f.source or ""])
    for source, group in groupby(ordered, key=lambda f: f.source or ""):
        yield source, list(group)


class TextValidationReporter(Reporter["ValidationResult"]):
    """Plain lines grouped by source file, then a summary line (verbosity -1: summary only)."""

    def report(self, result: ValidationResult) -> None:
        if self.verbosity >= 0:
            for source, findings in grouped(result):
                self.stream.write(f"{source}\n")
                for f in findings:
                    self.stream.write(f"  {finding_line(f, source=False)}\n")
            if result.findings:
                self.stream.write("\n")
        self.stream.write(summary(result) + "\n")


class RichValidationReporter(Reporter["ValidationResult"]):
    """A table per source file, for a terminal."""

    def report(self, result: ValidationResult) -> None:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        def cell(value: str) -> Text:  # a value is text, never markup or escapes
            return Text(one_line(value))

        console = Console(file=self.terminal)
        if self.verbosity >= 0:
            for source, findings in grouped(result):
                table = Table(title=cell(source), title_justify="left", show_lines=False)
                for name in ("severity", "code", "record", "where", "field", "message"):
                    table.add_column(name, overflow="fold")
                for f in findings:
                    style = "red" if f.is_error else "yellow"
                    table.add_row(
                        Text(f.severity, style=style),
                        cell(f.code),
                        cell(f.record or ""),
                        cell(_where(f)),
                        cell(f.field or ""),
                        cell(f.message),
                    )
                console.print(table)
        console.print(Text(one_line(summary(result))), highlight=False)
