"""Recognise a bag found at a new location as a bag the ledger already knows (issue 14).

A location with no history, whose first check shows the identity (see
:mod:`preserve.audit.ledger.identity`) of exactly one known location that this audit did not
find, is that bag moved: the move is recorded, the bag's history continues at the new
location (its baseline, its last check, its events), and the old location is neither
reported missing nor left to go overdue. Copies found together (``--replica``) are not
moves: every location holding the identity is still there.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from preserve.audit.ledger import CheckRecord, Ledger
from preserve.audit.ledger.identity import bag_identity
from preserve.audit.model import BagCheck


class MoveFinder:
    """Finds and records moves while one audit runs."""

    def __init__(
        self, ledger: Ledger, before: Mapping[str, CheckRecord], present: Collection[str]
    ) -> None:
        self._ledger = ledger
        self._before = before
        self._present = present
        self._known: dict[str, str] | None = None
        self.moved: dict[str, str] = {}
        """Old location -> new location, for the moves recognised in this run."""

    def recognise(self, result: BagCheck, now: datetime) -> str | None:
        """Record and return the location *result*'s bag moved from, if it moved."""
        if result.bag in self._before or result.outcome == "inaccessible":
            return None
        identity = bag_identity(result)
        if not identity:
            return None
        if self._known is None:
            self._known = self._ledger.identities()
        candidates = [
            path
            for path, known in self._known.items()
            if known == identity
            and path in self._before
            and path not in self._present
            and path not in self.moved
        ]
        if len(candidates) != 1:  # none, or several: which one moved cannot be told
            return None
        old = candidates[0]
        self._ledger.record_move(old, result.bag, identity=identity, moved_at=now)
        self.moved[old] = result.bag
        return old
