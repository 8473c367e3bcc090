"""A move is part of the hash chain: one forged outside it hides no failed bag, and
``preserve ledger verify`` reports it (QA, ledger faults; migration 5)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.cli.ledger_cli import audit_status, run_preserve
from tests.unit.audit.bags import make_test_bag


def _sql(ledger: Path, script: str) -> None:
    db = sqlite3.connect(ledger)
    try:
        db.executescript(script)
    finally:
        db.close()


@pytest.fixture
def failed(tmp_path: Path) -> tuple[Path, Path]:
    """A ledger whose bag m1/A passed, then failed; and that bag."""
    bag = make_test_bag(tmp_path / "m1", "A")
    ledger = tmp_path / "L"
    assert run_preserve("audit", tmp_path / "m1", "--ledger", ledger).returncode == 0
    (bag / "data" / "a.txt").write_bytes(b"bad\n")
    assert run_preserve("audit", tmp_path / "m1", "--ledger", ledger).returncode == 1
    return ledger, bag


FORGED = (
    "INSERT INTO bag_moves (old_path, new_path, identity, moved_at) "
    "VALUES ('{old}', '/nowhere', 'x', '2026-12-06T00:00:00Z')"
)


def test_the_moves_table_takes_no_new_rows(failed: tuple[Path, Path]) -> None:
    ledger, bag = failed
    with pytest.raises(sqlite3.DatabaseError, match="bag_moves is closed"):
        _sql(ledger, FORGED.format(old=bag))


def test_a_forged_move_is_reported_by_verify_and_hides_no_failed_bag(
    failed: tuple[Path, Path],
) -> None:
    ledger, bag = failed
    _sql(ledger, "DROP TRIGGER bag_moves_closed;" + FORGED.format(old=bag))

    done = run_preserve("ledger", "verify", "--ledger", ledger)

    assert done.returncode == 1, done.stdout + done.stderr
    assert f"AUD-013 {ledger}: bag_moves row 1 ({bag} -> /nowhere)" in done.stdout
    assert audit_status(ledger) == (1, {str(bag): "failed"})


def test_a_move_forged_to_look_like_one_preserve_wrote_still_hides_no_failed_bag(
    failed: tuple[Path, Path], tmp_path: Path
) -> None:
    """A row that chained checks do back (a copy at m2, first checked after the row's
    date) cannot be told from one an old preserve wrote; it still cannot hide m1/A."""
    ledger, bag = failed
    copy = tmp_path / "m2" / "A"
    shutil.copytree(bag, copy)
    (copy / "data" / "a.txt").write_bytes(b"alpha\n")
    assert run_preserve("audit", tmp_path / "m2", "--ledger", ledger).returncode == 0
    _sql(
        ledger,
        "DROP TRIGGER bag_moves_closed; "
        "INSERT INTO bag_moves (old_path, new_path, identity, moved_at) "
        f"SELECT '{bag}', '{copy}', 'id-A', checked_at FROM checks WHERE bag_path = '{copy}'",
    )

    assert audit_status(ledger) == (1, {str(bag): "failed", str(copy): "passed"})


def test_a_move_recorded_before_migration_5_still_continues_the_history(
    tmp_path: Path,
) -> None:
    """What the preserve of migration 4 wrote: the move in bag_moves, backed by checks."""
    old = make_test_bag(tmp_path / "m1", "A")
    ledger = tmp_path / "L"
    run_preserve("audit", tmp_path / "m1", "--ledger", ledger)
    new = tmp_path / "m2" / "A"
    shutil.copytree(old, new)
    run_preserve("audit", tmp_path / "m2", "--ledger", ledger)
    shutil.rmtree(old)
    _sql(
        ledger,
        "DROP TRIGGER bag_moves_closed; "
        "INSERT INTO bag_moves (old_path, new_path, identity, moved_at) "
        f"SELECT '{old}', '{new}', 'id-A', checked_at FROM checks WHERE bag_path = '{new}'",
    )

    assert audit_status(ledger) == (0, {str(new): "passed"})
    events = run_preserve("ledger", "events", new, "--ledger", ledger)
    assert len(events.stdout.splitlines()) == 2, events.stdout
    assert run_preserve("ledger", "verify", "--ledger", ledger).returncode == 0


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param("UPDATE checks SET moved_from = '' WHERE moved_from != ''", id="erased"),
        pytest.param(
            "UPDATE checks SET moved_from = '{old}' WHERE bag_path = '{other}'", id="invented"
        ),
    ],
)
def test_editing_a_chained_move_breaks_the_chain(tmp_path: Path, edit: str) -> None:
    old = make_test_bag(tmp_path / "m1", "A")
    other = make_test_bag(tmp_path / "m9", "B")
    ledger = tmp_path / "L"
    run_preserve("audit", tmp_path / "m1", tmp_path / "m9", "--ledger", ledger)
    new = tmp_path / "m2" / "A"
    new.parent.mkdir()
    shutil.move(old, new)
    done = run_preserve("audit", tmp_path / "m2", "--ledger", ledger)
    assert f"MOVED {old} -> {new}" in done.stdout
    assert run_preserve("ledger", "verify", "--ledger", ledger).returncode == 0

    _sql(ledger, "DROP TRIGGER checks_no_update; " + edit.format(old=old, other=other) + ";")

    done = run_preserve("ledger", "verify", "--ledger", ledger)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "AUD-011" in done.stdout
    assert "was edited after it was written" in done.stdout
