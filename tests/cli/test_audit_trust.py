"""Issue 11: the audit and the ledger say what is so (head, figures, categories, notes)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_audit import RunCli
from tests.unit.audit.bags import make_test_bag


@pytest.fixture
def store(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    for name in ("one", "two"):
        make_test_bag(root, name)
    return root


def _audit(run_cli: RunCli, ledger: Path, *roots: Path, extra: tuple[str, ...] = ()) -> str:
    result = run_cli(["audit", *map(str, roots), "--ledger", str(ledger), *extra])
    assert result.exit_code in (0, 1), result.output
    return result.output


# Item 5: the head is printed one way, and only tampering is reported as tampering.


def test_the_head_the_audit_prints_is_accepted_as_a_witness(
    run_cli: RunCli, store: Path, tmp_path: Path
) -> None:
    ledger = tmp_path / "l.sqlite"
    summary = _audit(run_cli, ledger, store)
    printed = summary.rsplit("ledger head ", 1)[1].strip()
    head = run_cli(["ledger", "head", "--ledger", str(ledger)]).output.strip()
    as_json = json.loads(
        run_cli(["audit", str(store), "--ledger", str(ledger), "--format", "json"]).output
    )["ledger"]["head"]
    assert printed == head  # the text summary prints the whole head
    assert as_json == run_cli(["ledger", "head", "--ledger", str(ledger)]).output.strip()
    for witness in (printed, printed[:16], printed[:20].upper()):
        result = run_cli(["ledger", "verify", "--ledger", str(ledger), "--witness", witness])
        assert result.exit_code == 0, (witness, result.output)
        assert result.output.startswith("OK:")


@pytest.mark.parametrize("witness", ["zzz", "abc", "0123456789abcdef0123xyz", "a" * 65])
def test_a_malformed_or_short_witness_is_a_usage_error(
    run_cli: RunCli, store: Path, tmp_path: Path, witness: str
) -> None:
    ledger = tmp_path / "l.sqlite"
    _audit(run_cli, ledger, store)
    result = run_cli(["ledger", "verify", "--ledger", str(ledger), "--witness", witness])
    assert result.exit_code == 2, result.output
    assert "BROKEN" not in result.output
    assert "AUD-011" not in result.output


def test_a_witness_of_deleted_rows_is_still_tampering(
    run_cli: RunCli, store: Path, tmp_path: Path
) -> None:
    ledger = tmp_path / "l.sqlite"
    _audit(run_cli, ledger, store)
    head = run_cli(["ledger", "head", "--ledger", str(ledger)]).output.strip()
    with sqlite3.connect(ledger) as db:
        db.execute("DROP TRIGGER check_files_no_delete")
        db.execute("DROP TRIGGER checks_no_delete")
        db.execute("DELETE FROM check_files WHERE check_seq = (SELECT max(seq) FROM checks)")
        db.execute("DELETE FROM checks WHERE seq = (SELECT max(seq) FROM checks)")
    for witness in (head, head[:16]):
        result = run_cli(["ledger", "verify", "--ledger", str(ledger), "--witness", witness])
        assert result.exit_code == 1, result.output
        assert "AUD-011" in result.output


# Item 7: bytes and files checked are the payload's, as Payload-Oxum declares them.


def _oxum(bag: Path) -> tuple[int, int]:
    for line in (bag / "bag-info.txt").read_text().splitlines():
        if line.startswith("Payload-Oxum:"):
            octets, files = line.split(":", 1)[1].strip().split(".")
            return int(octets), int(files)
    raise AssertionError(f"no Payload-Oxum in {bag}")


@pytest.mark.parametrize("engine", ["audit", "verify"])
def test_bytes_and_files_checked_match_payload_oxum(
    run_cli: RunCli, tmp_path: Path, engine: str
) -> None:
    files = {f"f{i}.txt": bytes([65 + i]) * (1000 * (i + 1)) for i in range(9)}
    bag = make_test_bag(tmp_path / "store", "nine", files)
    octets, count = _oxum(bag)
    assert count == 9
    ledger = tmp_path / "l.sqlite"
    args = ["--format", "json", "--engine", engine, "--html", str(tmp_path / "r.html")]
    data = json.loads(_audit(run_cli, ledger, tmp_path / "store", extra=tuple(args)))
    (checked,) = data["bags"]
    assert (checked["bytes_checked"], checked["files_checked"]) == (octets, count)
    assert data["bytes_checked"] == octets
    assert [h["bytes"] for h in data["history"]] == [octets]  # what the chart draws
    with sqlite3.connect(ledger) as db:
        row = db.execute("SELECT bytes_checked, files_checked FROM checks").fetchone()
    assert tuple(row) == (octets, count)
    assert f"{octets / 1000:.1f} KB" in (tmp_path / "r.html").read_text()
