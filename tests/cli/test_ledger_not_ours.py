"""A database that is not a preserve ledger is refused by every command, and left as it was."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.audit.bags import make_test_bag

COMMANDS = [
    pytest.param(["audit", "{root}"], id="audit"),
    pytest.param(["audit", "status"], id="audit-status"),
    pytest.param(["ledger", "verify"], id="ledger-verify"),
    pytest.param(["ledger", "head"], id="ledger-head"),
    pytest.param(["ledger", "events", "b1"], id="ledger-events"),
]


def _preserve(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "preserve", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("command", COMMANDS)
def test_another_programs_database_is_refused_and_left_unchanged(
    tmp_path: Path, command: list[str]
) -> None:
    root = tmp_path / "store"
    make_test_bag(root, "b1")
    other = tmp_path / "o.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE customers (id INT)")
    db.close()
    before = other.read_bytes()

    done = _preserve(*(a.format(root=root) for a in command), "--ledger", str(other))

    assert done.returncode == 3, done.stdout + done.stderr
    assert f"{other} is not a preserve ledger (its tables are customers)" in done.stderr
    assert "--ledger" in done.stderr
    assert "Traceback" not in done.stderr
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.sqlite", "store"]


@pytest.mark.parametrize(
    ("tables", "content"),
    [
        # Laravel names its own table "migrations": a name alone does not make a ledger.
        pytest.param("its tables are migrations", None, id="another-migrations-table"),
        pytest.param("not an SQLite database", b"name,email\nann,a@example.org\n", id="csv"),
    ],
)
def test_a_lookalike_or_a_file_that_is_no_database_is_refused(
    tmp_path: Path, tables: str, content: bytes | None
) -> None:
    root = tmp_path / "store"
    make_test_bag(root, "b1")
    other = tmp_path / "o.sqlite"
    if content is None:
        with sqlite3.connect(other) as db:
            db.execute("CREATE TABLE migrations (id INT, migration TEXT, batch INT)")
        db.close()
    else:
        other.write_bytes(content)
    before = other.read_bytes()

    done = _preserve("audit", str(root), "--ledger", str(other))

    assert done.returncode == 3, done.stdout + done.stderr
    assert f"{other} is not a preserve ledger ({tables}" in done.stderr
    assert other.read_bytes() == before


def test_an_empty_file_becomes_a_ledger(tmp_path: Path) -> None:
    root = tmp_path / "store"
    make_test_bag(root, "b1")
    ledger = tmp_path / "new.sqlite"
    ledger.touch()

    assert _preserve("audit", str(root), "--ledger", str(ledger)).returncode == 0
    done = _preserve("audit", "status", "--ledger", str(ledger))
    assert done.returncode == 0, done.stderr
    assert str(root / "b1") in done.stdout


def test_repair_refuses_it_before_repairing_anything(tmp_path: Path) -> None:
    good = make_test_bag(tmp_path / "good", "b1")
    damaged = tmp_path / "damaged" / "b1"
    shutil.copytree(good, damaged)
    (damaged / "data" / "a.txt").write_bytes(b"rot\n")
    other = tmp_path / "o.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE customers (id INT)")
    db.close()
    before = other.read_bytes()

    done = _preserve("repair", str(damaged), "--from", str(good), "--ledger", str(other))

    assert done.returncode == 3, done.stdout + done.stderr
    assert f"{other} is not a preserve ledger" in done.stderr
    assert other.read_bytes() == before
    assert (damaged / "data" / "a.txt").read_bytes() == b"rot\n"
