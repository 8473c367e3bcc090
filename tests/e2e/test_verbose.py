"""``-v`` on every command: the library's log on stderr, never on stdout (issue 10).

The real CLI in subprocesses: ``-v`` before the command and after it, ``--format json``
on stdout still parses, and without ``-v`` nothing but warnings reaches stderr.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import Tree, preserve


def test_verbose_after_the_command_logs_to_stderr_only(tree: Tree, tmp_path: Path) -> None:
    sheet = tmp_path / "export.csv"
    sheet.write_text("record_id;title\nr1;A title\n", encoding="utf-8")
    quiet = preserve("validate", sheet, "--format", "json")
    loud = preserve("validate", sheet, "--format", "json", "-v")
    assert "INFO" not in quiet.err
    assert f"{sheet}: read as semicolon-separated UTF-8" in loud.err
    assert json.loads(loud.out) == json.loads(quiet.out)


@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_on_bag_and_verify(tree: Tree, tmp_path: Path, where: str) -> None:
    bag = tmp_path / "bag"
    args: list[str | Path] = ["bag", tree.nested, "--out", bag, "--format", "json"]
    made = preserve("-v", *args) if where == "before" else preserve(*args, "-v")
    assert made.code == 0, made.err
    assert f"building {bag} from {tree.nested}" in made.err
    assert json.loads(made.out)["bytes"] == 6
    checked = preserve("verify", bag, "-v", "--format", "json")
    assert checked.code == 0, checked.err
    assert f"{bag}: full check of 3 payload files (6 bytes)" in checked.err
    assert json.loads(checked.out)["bags"][0]["valid"] is True


def test_counts_add_up_and_vv_is_accepted(tree: Tree) -> None:
    run = preserve("-v", "verify", "-v", tree.good_bag)
    assert run.code == 0, run.err
    assert "full check of" in run.err


def test_audit_verbose_logs_and_show_passed_lists(tree: Tree, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.sqlite"
    plain = preserve("audit", tree.good_bag, "--ledger", ledger)
    assert plain.code == 0, plain.err
    assert "PASSED /" not in plain.out
    assert plain.err == ""
    listed = preserve("audit", "run", tree.good_bag, "--ledger", ledger, "--show-passed")
    assert f"PASSED {tree.good_bag}" in listed.out
    assert listed.err == ""
    loud = preserve("audit", tree.good_bag, "--ledger", ledger, "-v", "--format", "json")
    assert f"{tree.good_bag}: passed" in loud.err
    assert "1 bags under" in loud.err
    assert json.loads(loud.out)["bags"][0]["outcome"] == "passed"


def test_ingest_logs_each_record(tree: Tree, tmp_path: Path) -> None:
    run = preserve("ingest", tree.src, "--out", tmp_path / "deposit", "-v", "--format", "json")
    assert ": packaged as " in run.err
    assert json.loads(run.out)["deposit"] == str(tmp_path / "deposit")


def test_out_is_the_name_and_output_still_works(tree: Tree, tmp_path: Path) -> None:
    page = tree.src / "records" / "01-sorokin-arvelo-1962-03-02.txt"
    for name in ("--out", "-o", "--output"):
        target = tmp_path / f"records{name}.json"
        run = preserve("extract", page, name, target)
        assert run.code == 0, run.err
        assert json.loads(target.read_text(encoding="utf-8"))[0]["copy_number"] == 1
    shown = preserve("extract", "--help").out
    assert "-o, --out FILE" in shown
    assert "--output" not in shown
