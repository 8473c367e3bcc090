"""What one audit run found: per-bag outcomes, what changed since the last run, overdue bags."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    from preserve.audit.reports import AuditJSON

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
    )


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
    :param notes: ``(path, note)`` for archives under the roots that hold no bag (not
        failures: reported so that nothing is skipped in silence).
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

        Bags the budget left for a later run do not count (see
        :func:`preserve.audit.reports.overall_status`).
        """
        from preserve.audit.reports import overall_status

        return overall_status(self) == "passed"

    def to_dict(self) -> AuditJSON:
        """What ``preserve audit run --format json`` prints."""
        from preserve.audit.reports import audit_json

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
