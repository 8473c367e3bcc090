"""Reporters for ``preserve audit``: text for people, one JSON line for a log of runs,
the self-contained HTML page, and ``preserve audit status``."""

from __future__ import annotations

import json

from preserve.audit.codes import AUDIT_RULES
from preserve.audit.result import AuditReport, AuditStatus, BagOutcome, audit_json, overall_status
from preserve.reports.base import Reporter, counted
from preserve.units import human_size


class JsonAuditReporter(Reporter[AuditReport]):
    """``--format json``: one run is one line (compact), so a log of runs is JSON Lines."""

    def report(self, result: AuditReport) -> None:
        json.dump(audit_json(result), self.stream, ensure_ascii=False, separators=(",", ":"))
        self.stream.write("\n")


class TextAuditReporter(Reporter[AuditReport]):
    """Text for people: each bag that did not pass and why, then one summary line."""

    def report(self, result: AuditReport) -> None:
        # Kept under --quiet, like disagreements: an unreadable root or folder fails the
        # run but is no bag, so the summary's counts below do not show it.
        for folder, reason in result.unreadable:
            self.stream.write(f"INACCESSIBLE {folder}: {reason}\n")
        if self.verbosity >= 0:
            for bag in result.bags:
                self._bag(bag)
            for path, note in result.notes:
                self.stream.write(f"NOTE {path}: {note}\n")
            for old, new in result.moves:
                self.stream.write(f"MOVED {old} -> {new}: the same bag, its history continues\n")
        for item in result.disagreements:  # kept under --quiet: each one fails the run
            finding = AUDIT_RULES.finding("AUD-012", source=item.bag, reason=item.reason)
            self.stream.write(f"DISAGREE {item.bag}\n  {finding.code} {finding.message}\n")
            for copy in item.copies:
                self.stream.write(f"  {copy.outcome.upper()} {copy.path}\n")
        # Warnings need a person (the budget cannot cover the collection): --quiet keeps them.
        for warning in result.warnings:
            self.stream.write(f"warning: AUD-010 {warning}\n")
        counts = result.counts()
        status = overall_status(result).upper().replace("_", " ")
        self.stream.write(
            f"{status}: {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['inaccessible']} inaccessible, {counts['not_run']} not run; "
            f"{human_size(result.bytes_checked)} checked; {len(result.overdue)} overdue; "
            f"{len(result.never_checked)} never checked; "
            + (
                f"{len(result.disagreements)} with copies that disagree; "
                if result.disagreements
                else ""
            )
            + f"ledger head {result.ledger_head}\n"
        )

    def _bag(self, bag: BagOutcome) -> None:
        if bag.outcome == "passed" and self.verbosity < 1:
            return
        label = bag.outcome.upper().replace("_", " ")
        if bag.never_checked:
            label += " (never checked)"
        new = " (new)" if bag.newly_failed else " (fixed)" if bag.fixed else ""
        self.stream.write(f"{label}{new} {bag.bag}\n")
        for finding in bag.findings():
            self.stream.write(f"  {finding.code} {finding.message}\n")


class HtmlAuditReporter(Reporter["AuditReport"]):
    """The self-contained HTML page of one run."""

    def report(self, result: AuditReport) -> None:
        from preserve.reports.audit_html import render_html

        self.stream.write(render_html(result))


class StatusTextReporter(Reporter["AuditStatus"]):
    """``preserve audit status``: one line a bag, then the counts."""

    def report(self, result: AuditStatus) -> None:
        stream = self.stream
        stream.write(f"{'LAST CHECK':<21} {'OUTCOME':<13} {'OVERDUE':<7} BAG\n")
        for r in result.rows:
            last = r.last_checked or "never"
            outcome = r.outcome or "never checked"
            stream.write(f"{last:<21} {outcome:<13} {'yes' if r.overdue else 'no':<7} {r.bag}\n")
        counts = result.counts()
        stream.write(
            f"{counted(counts['bags'], 'bag')}: {counts['passed']} passed, "
            f"{counts['failed']} failed, {counts['inaccessible']} inaccessible, "
            f"{counts['overdue']} overdue, {counts['never_checked']} never checked\n"
        )
