"""What one audit run found: per-bag outcomes, what changed since the last run, overdue bags."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from preserve._types import JSONObject
from preserve.audit.codes import AUDIT_RULES
from preserve.audit.model import (
    CHANGE_CODES,
    OWN_FIELD,
    BagCheck,
    FileChange,
    Outcome,
    ReportOutcome,
)
from preserve.findings import Finding

if TYPE_CHECKING:
    from preserve.audit.copies import Disagreement

OUTCOMES: tuple[ReportOutcome, ...] = ("passed", "failed", "inaccessible", "not_run")


@dataclass(frozen=True, slots=True)
class BagOutcome:
    """One bag in one run.

    :param outcome: what this run concluded (``not_run`` when the budget ran out first).
    :param previous: the outcome of the bag's check before this run (None: never checked).
    :param last_checked: the bag's latest check after this run (UTC ISO 8601), if any.
    :param overdue: the bag's latest check is older than the maximum age (a bag never
        checked is not overdue but :attr:`never_checked`, its own category).
    :param sampled: the bag was added by ``--sample``.
    :param check: this run's check of the bag, when it ran.
    """

    bag: str
    outcome: ReportOutcome
    previous: Outcome | None
    last_checked: str | None
    overdue: bool
    sampled: bool = False
    check: BagCheck | None = None

    @property
    def never_checked(self) -> bool:
        """No check of the bag is recorded, even after this run."""
        return self.last_checked is None

    @property
    def newly_failed(self) -> bool:
        """Failed now, and had not failed at its previous check."""
        return self.outcome == "failed" and self.previous != "failed"

    @property
    def fixed(self) -> bool:
        """Passed now after a previous check that did not pass."""
        return self.outcome == "passed" and self.previous in ("failed", "inaccessible")

    def findings(self) -> list[Finding]:
        """The check's changes as AUD findings, plus AUD-008 for a bag that could not be
        read at all and AUD-009 for a failed check's structural reason (its note)."""
        if self.check is None:
            return []
        out = [finding_for(change, self.bag) for change in self.check.changes]
        if self.check.outcome == "inaccessible" and not self.check.changes:
            out.append(AUDIT_RULES.finding("AUD-008", source=self.bag, reason=self.check.note))
        elif self.check.outcome == "failed" and self.check.note:
            out.append(AUDIT_RULES.finding("AUD-009", source=self.bag, reason=self.check.note))
        return out


def finding_for(change: FileChange, bag: str) -> Finding:
    """The AUD finding for one file change in *bag*."""
    return AUDIT_RULES.finding(
        CHANGE_CODES[change.kind],
        source=bag,
        path=change.path,
        algorithm=change.algorithm,
        expected=change.expected,
        found=change.found,
        **_particulars(change),
        **_manifest_change(change),
    )


def _manifest_change(change: FileChange) -> dict[str, Any]:
    """How a manifest changed since the last passed audit (AUD-006), in words."""
    if change.kind != "manifest_changed":
        return {}
    if not change.found:
        return {"what": "was deleted since"}
    if not change.expected:
        return {"what": "was added since"}
    return {"what": "differs from the copy seen at"}


def _particulars(change: FileChange) -> dict[str, Any]:
    """The change's kind-specific fields that apply: its kind's own (which its template
    names) and any other that is set. They fill the message and the finding's details."""
    fields = {
        "moved_to": change.moved_to,
        "reason": change.reason,
        "last_passed_at": change.last_passed_at,
    }
    own = OWN_FIELD.get(change.kind)
    return {name: value for name, value in fields.items() if value or name == own}


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Everything a reporter needs about one run.

    :param unreadable: ``(folder, reason)`` for roots or folders that could not be listed.
    :param stopped: why the run could not finish (the cluster was lost), or ``""``; the
        bags checked before are recorded, the rest are ``not_run``.
    :param notes: ``(path, note)`` for archives under the roots that hold no bag, and for
        bags that may have moved but were kept as copies because their old location could
        not be asked (not failures: reported so that nothing is skipped in silence).
    :param warnings: coverage warnings (AUD-010 messages).
    :param history: ``(day, bytes checked)`` from the whole ledger, for the chart.
    :param ledger_head: the chain head after the run (a witness value).
    :param disagreements: with ``--replica``, the bags whose copies disagree.
    :param moves: ``(old location, new location)`` of the bags this run found moved
        (same identity): their history continues at the new location.
    """

    started_at: str
    finished_at: str
    roots: tuple[str, ...]
    bags: tuple[BagOutcome, ...]
    unreadable: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...]
    history: tuple[tuple[str, int], ...]
    ledger_path: str
    ledger_head: str
    max_age_days: float
    notes: tuple[tuple[str, str], ...] = ()
    stopped: str = ""
    disagreements: tuple[Disagreement, ...] = ()
    moves: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        """True when the run finished and every bag checked passed and could be read.

        Bags the budget left for a later run do not count (see :func:`overall_status`).
        """
        return overall_status(self) == "passed"

    def to_dict(self) -> AuditJSON:
        """What ``preserve audit run --format json`` prints."""
        return audit_json(self)

    def counts(self) -> dict[ReportOutcome, int]:
        """How many bags ended in each outcome (every outcome present, maybe 0)."""
        tally = Counter(b.outcome for b in self.bags)
        return {outcome: tally.get(outcome, 0) for outcome in OUTCOMES}

    @property
    def newly_failed(self) -> tuple[BagOutcome, ...]:
        """Bags that failed in this run but not at their previous check."""
        return tuple(b for b in self.bags if b.newly_failed)

    @property
    def fixed(self) -> tuple[BagOutcome, ...]:
        """Bags that passed in this run after a failed or inaccessible check."""
        return tuple(b for b in self.bags if b.fixed)

    @property
    def overdue(self) -> tuple[BagOutcome, ...]:
        """Bags whose latest check is older than the maximum age, after this run (bags
        never checked are :attr:`never_checked`, not overdue)."""
        return tuple(b for b in self.bags if b.overdue)

    @property
    def never_checked(self) -> tuple[BagOutcome, ...]:
        """Bags with no recorded check at all, after this run."""
        return tuple(b for b in self.bags if b.never_checked)

    @property
    def bytes_checked(self) -> int:
        """Bytes read in this run."""
        return sum(b.check.bytes_checked for b in self.bags if b.check is not None)


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


@dataclass(frozen=True, slots=True)
class AuditStatus:
    """What ``preserve audit status`` shows: every bag the ledger knows, by path."""

    rows: tuple[StatusRow, ...]

    @property
    def ok(self) -> bool:
        """True when every bag was checked within the maximum age and passed."""
        return not any(r.needs_attention for r in self.rows)

    def counts(self) -> dict[str, int]:
        """Bags; by the outcome of their last check; overdue ones; never-checked ones."""
        return {
            "bags": len(self.rows),
            "passed": sum(r.outcome == "passed" for r in self.rows),
            "failed": sum(r.outcome == "failed" for r in self.rows),
            "inaccessible": sum(r.outcome == "inaccessible" for r in self.rows),
            "overdue": sum(r.overdue for r in self.rows),
            "never_checked": sum(r.never_checked for r in self.rows),
        }

    def to_dict(self) -> JSONObject:
        """What ``preserve audit status --format json`` prints (version 1)."""
        return {
            "version": JSON_VERSION,
            "ok": self.ok,
            "counts": dict(self.counts()),
            "bags": [
                {
                    "bag": r.bag,
                    "last_checked": r.last_checked,
                    "outcome": r.outcome,
                    "overdue": r.overdue,
                    "never_checked": r.never_checked,
                }
                for r in self.rows
            ],
        }
