"""Recognise a bag found at a new location as a bag the ledger already knows (issue 14).

A location with no history, whose first check shows the identity (see
:mod:`preserve.audit.ledger.identity`) of exactly one known location that this audit did not
find, is that bag moved *only when nothing is left at that old location*: the storage the
old location lives on is asked (the audit's own discovery when the old location lies under
its roots, else a :class:`Probe`). Then the move is recorded in the hash chain (on the
new location's check), the bag's history continues at the new location (its baseline, its
last check, its events), and the old location is neither reported missing nor left to go
overdue.

Anything still at the old location makes the new one a *copy*: both are kept and listed,
each with its own outcome, so a damaged copy never disappears behind a good one. When the
old location's storage cannot be asked (unreadable, unmounted, object storage this audit
has no access to), the new location is kept as a copy too, and the report says why the
move could not be told. Copies found together (``--replica``) are never moves.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from preserve.audit.discover import Discovery
from preserve.audit.ledger import CheckRecord, Ledger
from preserve.audit.ledger.identity import bag_identity
from preserve.audit.model import BagCheck
from preserve.audit.storage import LOCAL, Storage
from preserve.errors import AuditError


class CannotTell(AuditError):
    """The storage of a location could not be asked whether anything is still there."""


class Probe(Protocol):
    """Says whether anything is stored at a location (a bag folder, a serialized bag)."""

    def __call__(self, location: str) -> bool:
        """True when something is at *location*, False when nothing is.

        :raises CannotTell: its storage could not be asked (the message says why).
        """
        ...


class LocalProbe:
    """A :class:`Probe` for local (or mounted) paths, through a :class:`Storage`.

    A location with a scheme (``s3://…``) cannot be asked here: :class:`CannotTell`.
    """

    def __init__(self, storage: Storage = LOCAL) -> None:
        self._storage = storage

    def __call__(self, location: str) -> bool:
        if "://" in location:
            msg = f"{location} is on storage this audit was given no access to"
            raise CannotTell(msg)
        try:
            self._storage.lstat(Path(location))
        except (FileNotFoundError, NotADirectoryError):
            return False
        except OSError as e:
            msg = f"{location}: {e.strerror or e}"
            raise CannotTell(msg) from e
        return True


class MoveFinder:
    """Finds the moves among the bags one audit checks; the run records them."""

    def __init__(
        self,
        ledger: Ledger,
        before: Mapping[str, CheckRecord],
        found: Discovery,
        probe: Probe,
    ) -> None:
        self._ledger = ledger
        self._before = before
        self._found = found
        self._present = {b.path for b in found.bags}
        self._probe = probe
        self._known: dict[str, str] | None = None
        self.moved: dict[str, str] = {}
        """Old location -> new location, for the moves recognised in this run."""
        self.untold: list[tuple[str, str]] = []
        """``(new location, why)`` for each bag that may have moved but was kept as a copy
        because its old location's storage could not be asked: notes for the report."""

    def recognise(self, result: BagCheck) -> str | None:
        """The location *result*'s bag moved from, if it moved (and nothing is left there)."""
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
        gone: list[str] = []
        untold: list[str] = []
        for old in candidates:
            try:
                if not self._still_there(old):
                    gone.append(old)
            except CannotTell as e:
                untold.append(f"{old} ({e})")
        if untold:
            note = (
                f"{result.bag} holds the same bag ({identity}) as {', '.join(untold)}, where "
                "it could not be asked whether anything is still there: kept as a copy, not "
                "taken as moved; if the bag was moved, its old location is reported missing "
                "when its root is audited"
            )
            self.untold.append((result.bag, note))
            return None
        if len(gone) != 1:  # none gone (copies), or several: which one moved cannot be told
            return None
        self.moved[gone[0]] = result.bag
        return gone[0]

    def _still_there(self, old: str) -> bool:
        """Whether anything is at *old*. Asked even under this audit's roots, where the
        walk found no bag: a damaged bag that lost its bagit.txt is still a copy."""
        reason = self._found.unreadable_reason(old)
        if reason is not None:
            raise CannotTell(reason)
        return self._probe(old)
