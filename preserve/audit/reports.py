"""Text and JSON reports of an audit run, and of ``preserve audit status``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TextIO, TypedDict

from preserve._types import JSONObject
from preserve.audit.codes import AUDIT_RULES
from preserve.audit.copies import Disagreement
from preserve.audit.ledger import Ledger
from preserve.audit.result import AuditReport, BagOutcome
from preserve.audit.schedule import is_overdue
from preserve.clock import Clock, utc_now
from preserve.reports.base import Reporter, write_json
from preserve.units import human_size

JSON_VERSION = 1


class BagJSON(TypedDict):
    """One bag in ``--format json`` output."""

    bag: str
    outcome: str
    previous: str | None
    last_checked: str | None
    overdue: bool
    never_checked: bool
    sampled: bool
    bytes_checked: int
    files_checked: int
    note: str
    findings: list[JSONObject]


class AuditJSON(TypedDict):
    """The shape of ``preserve audit --format json`` (version 1)."""

    version: int
    ok: bool
    started_at: str
    finished_at: str
    status: str
    stopped: str
    roots: list[str]
    ledger: dict[str, str]
    counts: dict[str, int]
    bytes_checked: int
    warnings: list[str]
    unreadable: list[dict[str, str]]
    notes: list[dict[str, str]]
    newly_failed: list[str]
    fixed: list[str]
    overdue: list[str]
    never_checked: list[str]
    bags: list[BagJSON]
    history: list[dict[str, str | int]]
    disagreements: list[JSONObject]
    moves: list[dict[str, str]]


def overall_status(report: AuditReport) -> str:
    """``could_not_run`` if the run could not finish (a lost cluster), else ``failed`` if
    any bag failed, else ``inaccessible`` if any bag or root could not be read, else
    ``passed``; the CLI maps these to exit codes 3, 1, 3 and 0.

    Bags the budget left for a later run do not count: leaving some is what a budget is
    for, and a nightly job should not alarm every night because of it.
    """
    counts = report.counts()
    if report.stopped:
        return "could_not_run"
    if counts["failed"] or report.disagreements:
        return "failed"
    if counts["inaccessible"] or report.unreadable:
        return "inaccessible"
    return "passed"


def _bag_json(outcome: BagOutcome) -> BagJSON:
    check = outcome.check
    return {
        "bag": outcome.bag,
        "outcome": outcome.outcome,
        "previous": outcome.previous,
        "last_checked": outcome.last_checked,
        "overdue": outcome.overdue,
        "never_checked": outcome.never_checked,
        "sampled": outcome.sampled,
        "bytes_checked": check.bytes_checked if check else 0,
        "files_checked": check.files_checked if check else 0,
        "note": check.note if check else "",
        "findings": [f.to_dict() for f in outcome.findings()],
    }


def audit_json(report: AuditReport) -> AuditJSON:
    """The report as versioned JSON data."""
    return {
        "version": JSON_VERSION,
        "ok": report.ok,
        "started_at": report.started_at,
        "finished_at": report.finished_at,
        "status": overall_status(report),
        "stopped": report.stopped,
        "roots": list(report.roots),
        "ledger": {"path": report.ledger_path, "head": report.ledger_head},
        "counts": {str(k): v for k, v in report.counts().items()},
        "bytes_checked": report.bytes_checked,
        "warnings": list(report.warnings),
        "unreadable": [{"folder": f, "reason": r} for f, r in report.unreadable],
        "notes": [{"path": p, "note": n} for p, n in report.notes],
        "newly_failed": [b.bag for b in report.newly_failed],
        "fixed": [b.bag for b in report.fixed],
        "overdue": [b.bag for b in report.overdue],
        "never_checked": [b.bag for b in report.never_checked],
        "bags": [_bag_json(b) for b in report.bags],
        "history": [{"day": day, "bytes": n} for day, n in report.history],
        "disagreements": [disagreement_json(d) for d in report.disagreements],
        "moves": [{"from": old, "to": new} for old, new in report.moves],
    }


def disagreement_json(item: Disagreement) -> JSONObject:
    """One bag whose copies disagree, as JSON (AUD-012)."""
    return {
        "code": "AUD-012",
        "bag": item.bag,
        "reason": item.reason,
        "copies": [
            {"root": c.root, "path": c.path, "outcome": c.outcome, "digests": dict(c.digests)}
            for c in item.copies
        ],
    }


class JsonAuditReporter(Reporter[AuditReport]):
    """``--format json``: one run is one line (compact), so a log of runs is JSON Lines."""

    def report(self, result: AuditReport) -> None:
        json.dump(audit_json(result), self.stream, ensure_ascii=False, separators=(",", ":"))
        self.stream.write("\n")


class TextAuditReporter(Reporter[AuditReport]):
    """Text for people: each bag that did not pass and why, then one summary line."""

    def report(self, result: AuditReport) -> None:
        if self.verbosity >= 0:
            for folder, reason in result.unreadable:
                self.stream.write(f"INACCESSIBLE {folder}: {reason}\n")
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


@dataclass(frozen=True, slots=True)
class StatusRow:
    """One bag in ``preserve audit status``.

    :param last_checked: UTC ISO 8601 of its last check, or None when never checked.
    :param outcome: that check's outcome, or None when never checked.
    """

    bag: str
    last_checked: str | None
    outcome: str | None
    overdue: bool

    @property
    def never_checked(self) -> bool:
        """An audit found the bag, but no check of it is recorded."""
        return self.last_checked is None

    @property
    def needs_attention(self) -> bool:
        """Overdue, never checked, or its last check did not pass."""
        return self.overdue or self.outcome != "passed"


def audit_status(ledger: Ledger, *, max_age: timedelta, clock: Clock = utc_now) -> list[StatusRow]:
    """Every bag the ledger knows (checked, or found by an audit and never checked): its
    last check, that check's outcome, and whether it is overdue."""
    now = clock()
    rows = [
        StatusRow(bag, r.checked_at, r.check.outcome, is_overdue(r.checked_at, now, max_age))
        for bag, r in ledger.last_checks().items()
    ]
    rows += [StatusRow(bag, None, None, False) for bag in ledger.never_checked()]
    return sorted(rows, key=lambda r: r.bag)


def write_status(stream: TextIO, rows: Sequence[StatusRow], *, output_format: str) -> None:
    """Render status rows as text columns or versioned JSON."""
    overdue = sum(r.overdue for r in rows)
    never = sum(r.never_checked for r in rows)
    if output_format == "json":
        write_json(
            stream,
            {
                "version": JSON_VERSION,
                "counts": {"bags": len(rows), "overdue": overdue, "never_checked": never},
                "bags": [
                    {
                        "bag": r.bag,
                        "last_checked": r.last_checked,
                        "outcome": r.outcome,
                        "overdue": r.overdue,
                        "never_checked": r.never_checked,
                    }
                    for r in rows
                ],
            },
        )
        return
    stream.write(f"{'LAST CHECK':<21} {'OUTCOME':<13} {'OVERDUE':<7} BAG\n")
    for r in rows:
        last = r.last_checked or "never"
        outcome = r.outcome or "never checked"
        stream.write(f"{last:<21} {outcome:<13} {'yes' if r.overdue else 'no':<7} {r.bag}\n")
    stream.write(f"{len(rows)} bags, {overdue} overdue, {never} never checked\n")
