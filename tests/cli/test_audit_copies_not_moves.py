"""Copies audited in separate runs are two bags, not one bag that moved (QA, ledger faults).

A bag found at a new location with the identity of a known one is taken as moved only
when nothing is left at the old location; a damaged copy must never disappear behind a
good one.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from preserve.audit.ledger import Ledger
from preserve.audit.model import BagCheck
from tests.cli.ledger_cli import audit_status, run_preserve
from tests.unit.audit.bags import make_test_bag


def test_a_damaged_copy_stays_listed_beside_the_good_copy_audited_later(tmp_path: Path) -> None:
    first = make_test_bag(tmp_path / "m1", "A")
    second = tmp_path / "m2" / "A"
    shutil.copytree(first, second)
    ledger = tmp_path / "L"
    assert run_preserve("audit", tmp_path / "m1", "--ledger", ledger).returncode == 0
    (first / "data" / "a.txt").write_bytes(b"bad\n")
    assert run_preserve("audit", tmp_path / "m1", "--ledger", ledger).returncode == 1

    done = run_preserve("audit", tmp_path / "m2", "--ledger", ledger)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "MOVED" not in done.stdout
    code, listed = audit_status(ledger)
    assert listed == {str(first): "failed", str(second): "passed"}
    assert code == 1


def test_a_copy_moved_away_afterwards_is_a_move_and_the_damaged_one_stays(
    tmp_path: Path,
) -> None:
    first = make_test_bag(tmp_path / "m1", "A")
    second = tmp_path / "m2" / "A"
    shutil.copytree(first, second)
    ledger = tmp_path / "L"
    run_preserve("audit", tmp_path / "m1", "--ledger", ledger)
    (first / "data" / "a.txt").write_bytes(b"bad\n")
    run_preserve("audit", tmp_path / "m1", "--ledger", ledger)
    run_preserve("audit", tmp_path / "m2", "--ledger", ledger)
    third = tmp_path / "m3" / "A"
    third.parent.mkdir()
    shutil.move(second, third)

    done = run_preserve("audit", tmp_path / "m3", "--ledger", ledger)

    assert done.returncode == 0, done.stdout + done.stderr
    assert f"MOVED {second} -> {third}: the same bag, its history continues" in done.stdout
    code, listed = audit_status(ledger)
    assert listed == {str(first): "failed", str(third): "passed"}
    assert code == 1
    events = run_preserve("ledger", "events", third, "--ledger", ledger)
    assert len(events.stdout.splitlines()) == 2, events.stdout  # at m2, then at m3
    assert run_preserve("ledger", "verify", "--ledger", ledger).returncode == 0


def test_what_is_left_at_the_old_location_is_enough_to_make_a_copy(tmp_path: Path) -> None:
    """A damaged copy that lost its bagit.txt is no bag any more, but it is still there."""
    first = make_test_bag(tmp_path / "m1", "A")
    second = tmp_path / "m2" / "A"
    shutil.copytree(first, second)
    ledger = tmp_path / "L"
    run_preserve("audit", tmp_path / "m1", "--ledger", ledger)
    (first / "bagit.txt").unlink()

    done = run_preserve("audit", tmp_path / "m2", "--ledger", ledger)

    assert "MOVED" not in done.stdout
    _, listed = audit_status(ledger)
    assert set(listed) == {str(first), str(second)}


def test_an_old_location_whose_storage_cannot_be_asked_is_said_so(tmp_path: Path) -> None:
    stored = "s3://bucket/deposits/A"
    ledger = tmp_path / "L"
    with Ledger.open(ledger) as book:
        book.record(
            BagCheck(bag=stored, outcome="passed", identity="id-A"),
            checked_at=datetime(2026, 1, 1, tzinfo=UTC),
            agent="test",
            preserve_version="1",
        )
    local = make_test_bag(tmp_path / "downloads", "A")  # External-Identifier: id-A

    done = run_preserve(
        "audit", local.parent, "--ledger", ledger, "--endpoint-url", "http://127.0.0.1:9"
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "MOVED" not in done.stdout
    assert f"NOTE {local}: {local} holds the same bag (id-A) as {stored} ({stored}" in done.stdout
    assert "kept as a copy, not taken as moved" in done.stdout
    _, listed = audit_status(ledger)
    assert listed == {stored: "passed", str(local): "passed"}
