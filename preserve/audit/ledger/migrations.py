"""Numbered ledger migrations, each applied once and recorded with ``applied_at``.

Append new migrations at the end; never edit or renumber one that has shipped:
ledgers in the field have recorded it as applied.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: its number, a name for people, and the SQL it runs."""

    number: int
    name: str
    sql: str


_APPEND_ONLY = """
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, 'ledger table {table} is append-only: rows cannot be changed'); END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, 'ledger table {table} is append-only: rows cannot be deleted'); END;
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "checks and check_files, append-only and hash-chained",
        """
CREATE TABLE checks (
    seq INTEGER PRIMARY KEY,          -- position in the hash chain, from 1, no gaps
    check_id TEXT NOT NULL UNIQUE,    -- a UUID, used as the PREMIS event identifier
    checked_at TEXT NOT NULL,         -- UTC ISO 8601 with Z
    agent TEXT NOT NULL,
    preserve_version TEXT NOT NULL,
    bag_path TEXT NOT NULL,
    bag_identity TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('passed', 'failed', 'inaccessible')),
    bytes_checked INTEGER NOT NULL,
    files_checked INTEGER NOT NULL,
    duration_s REAL NOT NULL,
    digests TEXT NOT NULL,            -- JSON: sha256 of each manifest and tag manifest
    note TEXT NOT NULL,
    prev_hash TEXT NOT NULL,          -- row_hash of row seq-1 (64 zeros for the first)
    row_hash TEXT NOT NULL            -- sha256 of this row's canonical form and its files
);
CREATE INDEX checks_by_bag ON checks (bag_path, seq);
CREATE TABLE check_files (
    id INTEGER PRIMARY KEY,
    check_seq INTEGER NOT NULL REFERENCES checks (seq),
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    expected TEXT NOT NULL,
    found TEXT NOT NULL,
    other_path TEXT NOT NULL
);
CREATE INDEX check_files_by_check ON check_files (check_seq, id);
"""
        + _APPEND_ONLY.format(table="checks")
        + _APPEND_ONLY.format(table="check_files"),
    ),
    Migration(
        2,
        "bags_found: bags an audit found, so never-checked bags are known",
        """
CREATE TABLE bags_found (
    bag_path TEXT PRIMARY KEY,        -- the key of the bag's rows in checks
    found_at TEXT NOT NULL,           -- UTC ISO 8601 with Z: the first audit that found it
    not_a_bag TEXT NOT NULL DEFAULT '' -- why an archive found there is no bag ('' for bags)
);
""",
    ),
    Migration(
        3,
        "check_files: moved_to, reason and last_passed_at in their own columns",
        # other_path held all three, by kind. Rows written before keep it (they are
        # append-only and hashed as written) and are read by kind; rows written after
        # leave it empty. A new column is hashed only when set, so old rows verify as before.
        """
ALTER TABLE check_files ADD COLUMN moved_to TEXT NOT NULL DEFAULT '';
ALTER TABLE check_files ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE check_files ADD COLUMN last_passed_at TEXT NOT NULL DEFAULT '';
""",
    ),
    Migration(
        4,
        "bag_moves: a bag found at a new location is the same bag (issue 14)",
        """
CREATE TABLE bag_moves (
    id INTEGER PRIMARY KEY,
    old_path TEXT NOT NULL,           -- where the bag's history was recorded until then
    new_path TEXT NOT NULL,           -- where an audit found it next, with the same identity
    identity TEXT NOT NULL,           -- External-Identifier, or its tag manifest's digest
    moved_at TEXT NOT NULL            -- UTC ISO 8601 with Z: the audit that recognised it
);
"""
        + _APPEND_ONLY.format(table="bag_moves"),
    ),
    Migration(
        5,
        "checks: moved_from, so a move is part of the hash chain; bag_moves is closed",
        # bag_moves lay outside the chain: a row inserted by hand hid a failed bag. A move
        # is now the moved_from of the check that found the bag at its new location,
        # hashed only when set (old rows verify as before, the head is unchanged). The
        # rows written before stay, honoured only as far as chained checks back them.
        """
ALTER TABLE checks ADD COLUMN moved_from TEXT NOT NULL DEFAULT '';
CREATE INDEX checks_moved ON checks (seq) WHERE moved_from != '';
CREATE TRIGGER bag_moves_closed BEFORE INSERT ON bag_moves
BEGIN SELECT RAISE(ABORT, 'ledger table bag_moves is closed: moves are in the hash chain'); END;
""",
    ),
)
