"""The ledger: migrations, append-only triggers, the hash chain, concurrent writers."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from preserve.audit.ledger import Ledger
from preserve.audit.ledger.chain import GENESIS
from preserve.audit.ledger.migrations import MIGRATIONS
from preserve.audit.model import BagCheck, FileChange
from preserve.errors import LedgerError

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _check(bag: str = "/bags/one", outcome: str = "passed", n: int = 0) -> BagCheck:
    changes = (FileChange("changed", "data/a.txt", "sha256", "aa", "bb"),) if n else ()
    return BagCheck(
        bag=bag,
        outcome="failed" if n else "passed" if outcome == "passed" else "inaccessible",
        identity="id-1",
        bytes_checked=100 + n,
        files_checked=3,
        digests={"manifest-sha256.txt": "11" * 32},
        changes=changes,
    )


def _filled(path: Path, rows: int = 5) -> Ledger:
    ledger = Ledger.open(path)
    for n in range(rows):
        ledger.record(_check(n=n % 2), checked_at=WHEN, agent="tester", preserve_version="0.1")
    return ledger


def test_migrations_are_recorded_with_applied_at(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        applied = ledger.migrations()
    assert [n for n, _, _ in applied] == [m.number for m in MIGRATIONS]
    assert all(when.endswith("Z") for _, _, when in applied)
    # Reopening applies nothing twice.
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        assert ledger.migrations() == applied


def test_wal_mode(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite"):
        db = sqlite3.connect(tmp_path / "l.sqlite")
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.close()


def test_record_round_trips(tmp_path: Path) -> None:
    with _filled(tmp_path / "l.sqlite", rows=2) as ledger:
        records = ledger.records("/bags/one")
    assert [r.seq for r in records] == [1, 2]
    assert records[0].checked_at == "2026-01-02T03:04:05Z"
    assert records[1].check.changes == (FileChange("changed", "data/a.txt", "sha256", "aa", "bb"),)
    assert records[1].prev_hash == records[0].row_hash
    assert records[0].prev_hash == GENESIS


@settings(max_examples=25, deadline=None)
@given(
    bag=st.text(min_size=1, max_size=40),
    path=st.text(min_size=1, max_size=40),
    found=st.text(max_size=20),
    size=st.integers(min_value=0, max_value=2**62),
)
def test_any_row_round_trips_and_verifies(bag: str, path: str, found: str, size: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, Ledger.open(Path(tmp) / "l.sqlite") as ledger:
        check = BagCheck(
            bag=bag,
            outcome="failed",
            bytes_checked=size,
            changes=(FileChange("moved", path, "sha512", found, found, moved_to="data/x"),),
        )
        ledger.record(check, checked_at=WHEN, agent="a", preserve_version="v")
        (record,) = ledger.records(bag)
        assert record.check == check
        assert ledger.verify().ok


def test_triggers_refuse_update_and_delete(tmp_path: Path) -> None:
    with _filled(tmp_path / "l.sqlite") as ledger, ledger.atomic() as db:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("UPDATE checks SET outcome = 'passed' WHERE seq = 2")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("DELETE FROM check_files")


def _tamper(path: Path, *statements: str) -> None:
    """Edit the ledger as an attacker with the sqlite3 shell would: triggers dropped first."""
    db = sqlite3.connect(path)
    for name in (
        "checks_no_update",
        "checks_no_delete",
        "check_files_no_update",
        "check_files_no_delete",
    ):
        db.execute(f"DROP TRIGGER {name}")
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()


@pytest.mark.parametrize(
    ("statements", "broken"),
    [
        pytest.param(["UPDATE checks SET outcome = 'passed' WHERE seq = 2"], 2, id="edit-row"),
        pytest.param(["UPDATE checks SET bytes_checked = 1 WHERE seq = 4"], 4, id="edit-count"),
        pytest.param(["DELETE FROM checks WHERE seq = 3"], 4, id="delete-row"),
        pytest.param(["DELETE FROM check_files WHERE check_seq = 2"], 2, id="delete-file-row"),
        pytest.param(
            ["UPDATE check_files SET found = 'aa' WHERE check_seq = 4"], 4, id="edit-file-row"
        ),
        pytest.param(
            [
                "UPDATE checks SET seq = 99 WHERE seq = 2",
                "UPDATE checks SET seq = 2 WHERE seq = 3",
                "UPDATE checks SET seq = 3 WHERE seq = 99",
            ],
            2,
            id="reorder-rows",
        ),
    ],
)
def test_chain_names_the_first_broken_row(
    tmp_path: Path, statements: list[str], broken: int
) -> None:
    path = tmp_path / "l.sqlite"
    _filled(path).close()
    with Ledger.open(path) as ledger:
        assert ledger.verify().ok
    _tamper(path, *statements)
    with Ledger.open(path) as ledger:
        report = ledger.verify()
    assert not report.ok
    assert report.broken_row == broken


def test_deleting_the_last_row_is_caught_by_the_witness(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    with _filled(path) as ledger:
        witness = ledger.head()
    _tamper(path, "DELETE FROM checks WHERE seq = 5")
    with Ledger.open(path) as ledger:
        assert ledger.verify().ok  # the chain alone cannot see a truncated tail...
        assert not ledger.verify(witness=witness).ok  # ...the witness can


def _failing_inner(ledger: Ledger) -> None:
    with ledger.atomic():
        ledger.record(_check(), checked_at=WHEN, agent="a", preserve_version="v")
        raise RuntimeError("inner")


def test_atomic_nests_with_savepoints(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        with ledger.atomic():
            ledger.record(_check(), checked_at=WHEN, agent="a", preserve_version="v")
            with pytest.raises(RuntimeError, match="inner"):
                _failing_inner(ledger)
        assert [r.seq for r in ledger.records()] == [1]
        assert ledger.verify().ok


def test_not_a_ledger_is_a_ledger_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_text("this is not sqlite " * 100)
    with pytest.raises(LedgerError, match=r"bogus\.sqlite"):
        Ledger.open(bogus)
    with pytest.raises(LedgerError, match="no ledger"):
        Ledger.open(tmp_path / "absent.sqlite", create=False)


def test_newer_ledger_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    Ledger.open(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO migrations VALUES (999, 'future', '2099-01-01T00:00:00Z')")
    db.commit()
    db.close()
    with pytest.raises(LedgerError, match="newer preserve"):
        Ledger.open(path)


def _writer(path: str, name: str, count: int) -> None:
    with Ledger.open(path) as ledger:
        for n in range(count):
            ledger.record(
                _check(bag=f"/bags/{name}-{n}"), checked_at=WHEN, agent=name, preserve_version="v"
            )


def test_two_processes_lose_no_rows(tmp_path: Path) -> None:
    path = str(tmp_path / "l.sqlite")
    Ledger.open(path).close()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(path, name, 40)) for name in ("p", "q")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    with Ledger.open(path) as ledger:
        records = ledger.records()
        assert len(records) == 80
        assert {r.agent for r in records} == {"p", "q"}
        assert ledger.verify().ok
