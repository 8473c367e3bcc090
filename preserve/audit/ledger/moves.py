"""A bag's moves between locations, as the ledger holds them (issue 14).

Since migration 5 a move is part of the hash chain: the check that found the bag at its
new location carries the old location in ``moved_from``. Editing it breaks the chain
like any other field.

Migration 4 kept moves in a table of their own, ``bag_moves``, outside the chain, so a
row inserted by hand could make a failed bag vanish. The rows written then are still
read, but only as far as chained checks back them: the old location has a check of
the same identity before the move, and the new location's first check has that
identity and comes after it. ``preserve ledger verify`` reports a row that is not
backed (AUD-013), and such a row is ignored. Even a backed row never hides a location
whose last check did not pass: only the chain can do that.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from preserve.audit.ledger.identity import identity_of


@dataclass(frozen=True, slots=True)
class Move:
    """A bag recorded as moved from *old* to *new*.

    :param identity: the bag's identity (External-Identifier, or its tag manifest's digest).
    :param moved_at: when the audit that found it at *new* saw it (UTC ISO 8601).
    :param seq: the chained check that records the move; ``None`` for a ``bag_moves`` row
        written before migration 5, which is trusted less (see the module docstring).
    """

    old: str
    new: str
    identity: str
    moved_at: str
    seq: int | None


def moves(db: sqlite3.Connection) -> list[Move]:
    """Every move to go by, oldest first: backed ``bag_moves`` rows, then chained ones."""
    legacy = [move for move, problem in _recorded(db) if not problem]
    return [*legacy, *_chained(db)]


def unbacked_moves(db: sqlite3.Connection) -> list[str]:
    """Why each ``bag_moves`` row chained checks do not back is not to be trusted."""
    return [problem for _move, problem in _recorded(db) if problem]


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {str(r[1]) for r in db.execute(f"PRAGMA table_info({table})")}


def _chained(db: sqlite3.Connection) -> list[Move]:
    if "moved_from" not in _columns(db, "checks"):  # not migrated yet (opened read-only)
        return []
    rows = db.execute(
        "SELECT seq, bag_path, moved_from, bag_identity, digests, checked_at FROM checks "
        "WHERE moved_from != '' ORDER BY seq"
    )
    return [
        Move(str(r[2]), str(r[1]), identity_of(str(r[3]), json.loads(r[4])), str(r[5]), int(r[0]))
        for r in rows
    ]


def _recorded(db: sqlite3.Connection) -> list[tuple[Move, str]]:
    """Each ``bag_moves`` row with why it is not backed (``""`` when it is)."""
    if not _columns(db, "bag_moves"):  # before migration 4
        return []
    rows = db.execute(
        "SELECT id, old_path, new_path, identity, moved_at FROM bag_moves ORDER BY id"
    )
    out = []
    for row_id, old, new, identity, moved_at in rows.fetchall():
        move = Move(str(old), str(new), str(identity), str(moved_at), None)
        problem = _backing_problem(db, move)
        if problem:
            problem = f"bag_moves row {row_id} ({old} -> {new}) {problem}"
        out.append((move, problem))
    return out


def _backing_problem(db: sqlite3.Connection, move: Move) -> str:
    """What is missing from the chain for *move* to be one preserve recorded."""
    before = db.execute(
        "SELECT bag_identity, digests FROM checks WHERE bag_path = ? AND checked_at <= ?",
        (move.old, move.moved_at),
    ).fetchall()
    if not any(identity_of(str(r[0]), json.loads(r[1])) == move.identity for r in before):
        return f"has no check of {move.old} with identity {move.identity} before {move.moved_at}"
    first = db.execute(
        "SELECT bag_identity, digests, checked_at FROM checks WHERE bag_path = ? "
        "ORDER BY seq LIMIT 1",
        (move.new,),
    ).fetchone()
    if first is None:
        return f"has no check of {move.new} at all"
    if identity_of(str(first[0]), json.loads(first[1])) != move.identity:
        return f"names identity {move.identity}, which the first check of {move.new} does not have"
    if str(first[2]) < move.moved_at:
        return f"is dated {move.moved_at}, after {move.new} was first checked ({first[2]})"
    return ""
