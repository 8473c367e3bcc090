"""Issue 11: the audit and the ledger say what is so (head, figures, categories, notes)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import html

from tests.cli.test_audit import RunCli
from tests.unit.audit.bags import make_test_bag
from tests.unit.audit.test_html import CHROMIUM


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
    assert f"{octets / 1000:.1f} kB" in (tmp_path / "r.html").read_text()


# Item 15: never-checked bags are their own category, named the same everywhere.


def _dump_dom(page: Path, tmp_path: Path) -> html.HtmlElement:
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return html.fromstring(done.stdout)


@pytest.mark.chromium
def test_never_checked_bags_are_one_category_in_run_status_and_html(
    run_cli: RunCli, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    for name in ("a", "b", "c"):
        make_test_bag(store, name)
    ledger = tmp_path / "l.sqlite"
    page = tmp_path / "report.html"
    # The first bag always runs; a 1-byte budget leaves the other two for later.
    args = ["audit", str(store), "--ledger", str(ledger), "--budget-bytes", "1"]
    text = run_cli([*args, "--html", str(page)])
    assert text.exit_code == 0, text.output
    assert "0 overdue; 2 never checked" in text.output
    assert text.output.count("NOT RUN (never checked)") == 2

    status = run_cli(["audit", "status", "--ledger", str(ledger)])
    assert status.exit_code == 1, status.output
    assert (
        status.output.splitlines()[-1]
        == "3 bags: 1 passed, 0 failed, 0 inaccessible, 0 overdue, 2 never checked"
    )
    assert status.output.count("never checked") == 3  # two rows and the summary
    as_json = json.loads(
        run_cli(["audit", "status", "--ledger", str(ledger), "--format", "json"]).output
    )
    assert as_json["counts"] == {
        "bags": 3,
        "passed": 1,
        "failed": 0,
        "inaccessible": 0,
        "overdue": 0,
        "never_checked": 2,
    }
    assert [b["never_checked"] for b in as_json["bags"]] == [False, True, True]

    dom = _dump_dom(page, tmp_path)
    assert dom.get_element_by_id("n-never-checked").text_content() == "2"
    assert dom.get_element_by_id("n-overdue").text_content() == "0"
    assert "Never checked" in dom.text_content()

    # The next run checks them; status is clean and exits 0.
    assert run_cli([*args, "--budget-bytes", "1T"]).exit_code == 0
    status = run_cli(["audit", "status", "--ledger", str(ledger)])
    assert (status.exit_code, status.output.splitlines()[-1]) == (
        0,
        "3 bags: 3 passed, 0 failed, 0 inaccessible, 0 overdue, 0 never checked",
    )


def test_a_never_checked_bag_that_went_away_is_forgotten(run_cli: RunCli, tmp_path: Path) -> None:
    store = tmp_path / "store"
    for name in ("a", "b"):
        make_test_bag(store, name)
    ledger = tmp_path / "l.sqlite"
    args = ["audit", str(store), "--ledger", str(ledger), "--budget-bytes", "1"]
    assert run_cli(args).exit_code == 0
    shutil.rmtree(store / "b")
    assert run_cli(args).exit_code == 0
    status = run_cli(["audit", "status", "--ledger", str(ledger)])
    assert (status.exit_code, status.output.splitlines()[-1]) == (
        0,
        "1 bag: 1 passed, 0 failed, 0 inaccessible, 0 overdue, 0 never checked",
    )


# Item 17: cron and systemd as documented.


def test_json_is_one_line_per_run(run_cli: RunCli, store: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    log = "".join(
        _audit(run_cli, ledger, store, extra=("--format", "json", "--quiet")) for _ in range(3)
    )
    lines = log.splitlines()
    assert len(lines) == 3
    assert [json.loads(line)["status"] for line in lines] == ["passed"] * 3


@pytest.mark.parametrize(
    "args",
    [
        ["audit", "STORE", "--max-age", "30"],
        ["audit", "STORE", "--budget", "10"],
        ["audit", "status", "--max-age", "30"],
    ],
)
def test_a_duration_without_a_unit_is_a_usage_error(
    run_cli: RunCli, store: Path, tmp_path: Path, args: list[str]
) -> None:
    argv = [str(store) if a == "STORE" else a for a in args]
    result = run_cli([*argv, "--ledger", str(tmp_path / "l.sqlite")])
    assert result.exit_code == 2, result.output
    assert "unit" in result.output


def test_quiet_keeps_the_budget_warning(run_cli: RunCli, store: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    args = ["--budget-bytes", "1", "--max-age", "1d", "--quiet"]
    out = _audit(run_cli, ledger, store, extra=tuple(args))
    assert out.splitlines()[0].startswith("warning: AUD-010 2 bags hold")
    assert out.splitlines()[-1].startswith("PASSED:")


# From item 10: surprises around a missing root and a bag's name.


def test_auditing_a_missing_root_creates_no_ledger(run_cli: RunCli, tmp_path: Path) -> None:
    ledger = tmp_path / "state" / "l.sqlite"
    result = run_cli(["audit", str(tmp_path / "nonexistent"), "--ledger", str(ledger)])
    assert result.exit_code == 3
    assert "no ledger was created" in result.output
    assert not ledger.exists()
    assert not ledger.parent.exists()


def test_ledger_events_by_name_resolves_or_refuses(
    run_cli: RunCli, store: Path, tmp_path: Path
) -> None:
    ledger = tmp_path / "l.sqlite"
    _audit(run_cli, ledger, store)
    by_path = run_cli(["ledger", "events", str(store / "one"), "--ledger", str(ledger)])
    for name in ("one", "id-one"):  # folder name, External-Identifier
        by_name = run_cli(["ledger", "events", name, "--ledger", str(ledger)])
        assert by_name.exit_code == 0
        assert by_name.output == by_path.output != ""
    unknown = run_cli(["ledger", "events", "nine", "--ledger", str(ledger)])
    assert unknown.exit_code == 3
    assert "no bag 'nine'" in unknown.output
    make_test_bag(tmp_path / "other", "one")
    _audit(run_cli, ledger, tmp_path / "other")
    twice = run_cli(["ledger", "events", "one", "--ledger", str(ledger)])
    assert twice.exit_code == 2
    assert "fits 2 bags" in twice.output


# Item 16: an archive that holds no bag is a note, not a failure; no temporary paths.


def _zip(target: Path, members: dict[str, bytes]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return target


def _zip_bag(bag: Path, target: Path, *, leave_out: str = "") -> Path:
    members = {
        f"{bag.name}/{p.relative_to(bag).as_posix()}": p.read_bytes()
        for p in sorted(bag.rglob("*"))
        if p.is_file() and p.name != leave_out
    }
    return _zip(target, members)


def test_archives_without_a_bag_are_notes(run_cli: RunCli, store: Path, tmp_path: Path) -> None:
    _zip(store / "manuals.zip", {"install.pdf": b"%PDF-1.4", "use.pdf": b"%PDF-1.4"})
    _zip(store / "docs.zip", {"docs/readme.txt": b"hello"})
    _zip_bag(make_test_bag(tmp_path / "src", "packed"), store / "packed.zip")
    ledger = tmp_path / "l.sqlite"
    for _ in range(2):  # the second run knows them, and says the same
        result = run_cli(["audit", str(store), "--ledger", str(ledger), "--format", "json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert data["counts"]["passed"] == 3
        assert data["counts"]["failed"] == 0
        assert sorted(Path(n["path"]).name for n in data["notes"]) == ["docs.zip", "manuals.zip"]
        assert "preserve-unpack" not in result.output
    text = run_cli(["audit", str(store), "--ledger", str(ledger)])
    assert f"NOTE {store / 'manuals.zip'}: " in text.output
    assert text.output.splitlines()[-1].startswith("PASSED: 3 passed")
    status = run_cli(["audit", "status", "--ledger", str(ledger)])
    assert (status.exit_code, status.output.splitlines()[-1]) == (
        0,
        "3 bags: 3 passed, 0 failed, 0 inaccessible, 0 overdue, 0 never checked",
    )


@pytest.mark.parametrize("engine", ["audit", "verify"])
def test_a_broken_serialized_bag_is_named_by_its_archive(
    run_cli: RunCli, tmp_path: Path, engine: str
) -> None:
    store = tmp_path / "store"
    bag = make_test_bag(tmp_path / "src", "packed")
    _zip_bag(bag, store / "packed.zip", leave_out="manifest-sha256.txt")
    args = ["audit", str(store), "--ledger", str(tmp_path / "l"), "--engine", engine]
    result = run_cli(args)
    assert result.exit_code == 1, result.output
    assert f"FAILED (new) {store / 'packed.zip'}" in result.output
    assert "preserve-unpack" not in result.output


def test_an_archive_checked_as_a_bag_that_now_holds_none_fails(
    run_cli: RunCli, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    _zip_bag(make_test_bag(tmp_path / "src", "packed"), store / "packed.zip")
    args = ["audit", str(store), "--ledger", str(tmp_path / "l")]
    assert run_cli(args).exit_code == 0
    (store / "packed.zip").unlink()
    _zip(store / "packed.zip", {"a.txt": b"a", "b.txt": b"b"})
    result = run_cli(args)
    assert result.exit_code == 1, result.output
    assert "holds no bag" in result.output
