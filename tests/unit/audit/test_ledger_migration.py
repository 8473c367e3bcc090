"""Migration 3: a ledger written before it (``other_path`` holding a path, a reason or a
time, by kind) opens, reads each value into its own field and still verifies."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from preserve.audit.ledger import Ledger
from preserve.audit.ledger.chain import CHECK_FIELDS, GENESIS
from preserve.audit.ledger.migrations import MIGRATIONS
from preserve.audit.ledger.premis_events import fixity_event
from preserve.audit.model import BagCheck, FileChange
from preserve.audit.result import finding_for

WHEN = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)

# What the code before migration 3 wrote to check_files, in its column order.
_OLD_FILE_FIELDS = ("kind", "path", "algorithm", "expected", "found", "other_path")

# Rows as that code recorded them: (outcome, [file row in _OLD_FILE_FIELDS order]).
_OLD_ROWS: list[tuple[str, list[tuple[str, ...]]]] = [
    ("passed", []),
    ("failed", [("moved", "data/a.txt", "sha512", "aa", "aa", "data/b.txt")]),
    ("failed", [("changed", "data/c.txt", "sha512", "cc", "dd", "")]),
    ("inaccessible", [("unreadable", "data/e.txt", "", "", "", "Permission denied")]),
    (
        "failed",
        [("manifest_changed", "manifest-sha512.txt", "sha256", "11", "22", "2026-01-01T00:00:00Z")],
    ),
]


def _old_row_hash(row: dict[str, object], files: list[dict[str, str]]) -> str:
    """The row hash as the code before migration 3 computed it (its canonical form)."""
    body: dict[str, object] = {name: row[name] for name in CHECK_FIELDS}
    body["files"] = [{name: f[name] for name in _OLD_FILE_FIELDS} for f in files]
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _old_ledger(path: Path) -> str:
    """A ledger at migration 2 holding :data:`_OLD_ROWS` as the old code wrote them;
    returns its head."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(
        "CREATE TABLE migrations ("
        "number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    for migration in MIGRATIONS:
        if migration.number < 3:
            db.executescript(migration.sql)
            db.execute(
                "INSERT INTO migrations VALUES (?, ?, '2026-01-01T00:00:00Z')",
                (migration.number, migration.name),
            )
    prev = GENESIS
    for seq, (outcome, changes) in enumerate(_OLD_ROWS, start=1):
        row: dict[str, object] = {
            "seq": seq,
            "check_id": f"00000000-0000-4000-8000-{seq:012d}",
            "checked_at": f"2026-02-0{seq}T00:00:00Z",
            "agent": "archivist",
            "preserve_version": "0.9",
            "bag_path": "/bags/one",
            "bag_identity": "id-1",
            "outcome": outcome,
            "bytes_checked": 10 * seq,
            "files_checked": 2,
            "duration_s": 0.5,
            "digests": json.dumps({"manifest-sha512.txt": "ab" * 32}, separators=(",", ":")),
            "note": "",
            "prev_hash": prev,
        }
        files = [dict(zip(_OLD_FILE_FIELDS, change, strict=True)) for change in changes]
        prev = _old_row_hash(row, files)
        db.execute(
            f"INSERT INTO checks ({', '.join(row)}, row_hash) "
            f"VALUES ({', '.join('?' * len(row))}, ?)",
            (*row.values(), prev),
        )
        db.executemany(
            "INSERT INTO check_files (check_seq, kind, path, algorithm, expected, found, "
            "other_path) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(seq, *f.values()) for f in files],
        )
    db.close()
    return prev


def _changes(ledger: Ledger) -> list[FileChange]:
    return [c for r in ledger.records() for c in r.check.changes]


_EXPECTED = [
    FileChange("moved", "data/a.txt", "sha512", "aa", "aa", moved_to="data/b.txt"),
    FileChange("changed", "data/c.txt", "sha512", "cc", "dd"),
    FileChange("unreadable", "data/e.txt", reason="Permission denied"),
    FileChange(
        "manifest_changed",
        "manifest-sha512.txt",
        "sha256",
        "11",
        "22",
        last_passed_at="2026-01-01T00:00:00Z",
    ),
]


def test_old_ledger_reads_each_value_into_its_own_field(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    head = _old_ledger(path)
    with Ledger.open(path) as ledger:
        assert [n for n, _, _ in ledger.migrations()] == [m.number for m in MIGRATIONS]
        assert _changes(ledger) == _EXPECTED
        report = ledger.verify(witness=head)
        assert report.ok, report.reason
        assert report.rows == len(_OLD_ROWS)


def test_old_ledger_reads_the_same_read_only_before_it_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    _old_ledger(path)
    with Ledger.open(path, read_only=True) as ledger:
        assert _changes(ledger) == _EXPECTED
        assert ledger.verify().ok
    with sqlite3.connect(path) as db:  # reading did not migrate it
        assert [r[0] for r in db.execute("SELECT number FROM migrations")] == [1, 2]


def test_new_rows_chain_onto_old_ones_and_the_cli_verifies_both(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    _old_ledger(path)
    moved = FileChange("moved", "data/x.txt", "sha512", "ee", "ee", moved_to="data/y.txt")
    with Ledger.open(path) as ledger:
        ledger.record(
            BagCheck(bag="/bags/one", outcome="failed", changes=(moved,)),
            checked_at=WHEN,
            agent="archivist",
            preserve_version="1.0",
        )
        assert _changes(ledger)[-1] == moved
        head = ledger.head()
    with sqlite3.connect(path) as db:  # the new value has its own column; other_path is empty
        row = db.execute(
            "SELECT other_path, moved_to FROM check_files ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert row == ("", "data/y.txt")
    command = [sys.executable, "-m", "preserve", "ledger", "verify", "--ledger", str(path)]
    done = subprocess.run(
        [*command, "--witness", head],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(_OLD_ROWS) + 1} rows" in done.stdout


@pytest.mark.parametrize(
    "edit",
    [
        "UPDATE check_files SET moved_to = 'data/z.txt' WHERE moved_to = 'data/y.txt'",
        "UPDATE check_files SET moved_to = '', other_path = 'data/y.txt' "
        "WHERE moved_to = 'data/y.txt'",
        "UPDATE check_files SET reason = 'made up' WHERE kind = 'changed'",
        "UPDATE check_files SET other_path = 'data/q.txt' WHERE kind = 'moved' AND moved_to = ''",
    ],
)
def test_editing_a_value_in_either_form_breaks_the_chain(tmp_path: Path, edit: str) -> None:
    path = tmp_path / "old.sqlite"
    _old_ledger(path)
    with Ledger.open(path) as ledger:
        ledger.record(
            BagCheck(
                bag="/bags/one",
                outcome="failed",
                changes=(FileChange("moved", "data/x.txt", moved_to="data/y.txt"),),
            ),
            checked_at=WHEN,
            agent="archivist",
            preserve_version="1.0",
        )
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER check_files_no_update")
        db.execute(edit)
    with Ledger.open(path, read_only=True) as ledger:
        report = ledger.verify()
    assert not report.ok
    assert "edited" in report.reason


def test_findings_and_events_show_each_kinds_own_field(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    _old_ledger(path)
    with Ledger.open(path, read_only=True) as ledger:
        records = ledger.records()
    details = [finding_for(c, "/bags/one").details for r in records for c in r.check.changes]
    assert details == [
        {"algorithm": "sha512", "expected": "aa", "found": "aa", "moved_to": "data/b.txt"},
        {"algorithm": "sha512", "expected": "cc", "found": "dd"},
        {"algorithm": "", "expected": "", "found": "", "reason": "Permission denied"},
        {
            "algorithm": "sha256",
            "expected": "11",
            "found": "22",
            "last_passed_at": "2026-01-01T00:00:00Z",
            "what": "differs from the copy seen at",
        },
    ]
    notes = fixity_event(records[1], entity="id-1").outcome_notes
    assert any("data/a.txt" in n and "now at data/b.txt" in n for n in notes)
