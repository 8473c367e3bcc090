"""A repair as a ledger row: the repaired copy's check, with what was replaced in the note."""

from __future__ import annotations

from preserve.audit.model import BagCheck, FileChange, Outcome
from preserve.replicas.repair import RepairResult


def repair_check(result: RepairResult) -> BagCheck:
    """The :class:`BagCheck` the ledger records for a repair of *result.damaged*."""
    after = result.after
    changes = [
        FileChange("changed", c.path, c.algorithm, c.expected, c.found) for c in after.changed
    ]
    changes += [FileChange("missing", p) for p in after.missing]
    changes += [FileChange("unreadable", p) for p in after.unreadable]
    changes += [FileChange("added", p) for p in after.added]
    definite = any(c.kind != "unreadable" for c in changes) or (not after.ok and not changes)
    outcome: Outcome = "failed" if definite else "inaccessible" if changes else "passed"
    note = f"repaired from {result.source}: {', '.join(result.repaired) or 'nothing'}"
    if result.refused:
        note += "; not repaired: " + ", ".join(p for p, _ in result.refused)
    return BagCheck(
        bag=result.damaged,
        outcome=outcome,
        bytes_checked=after.bytes,
        files_checked=after.files,
        changes=tuple(sorted(changes, key=lambda c: (c.path, c.kind))),
        note=note,
    )
