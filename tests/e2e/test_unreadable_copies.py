"""Unreadable parts where copies and ledgers are read (issue 11's class "unreadable
parts"): ``compare`` and ``repair`` say exactly which files of a copy could not be
checked and check and repair everything else; a ledger that cannot be read is "could
not run" (exit 3) for every command that reads one, never a usage error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import Tree, preserve, unreadable


def _copy(tree: Tree, into: Path) -> Path:
    shutil.copytree(tree.nested_bag, into)
    return into


def test_compare_names_only_the_files_under_the_unreadable_folder(
    own_tree: Tree, tmp_path: Path
) -> None:
    good = _copy(own_tree, own_tree.root / "copies" / "good")
    blind = _copy(own_tree, own_tree.root / "copies" / "blind")
    unreadable(blind / "data" / "nested" / "a")
    run = preserve("compare", good, blind, "--format", "json", unprivileged=True)
    assert run.code == 1, run.err
    report = json.loads(run.out)
    # only files the copies disagree on are listed: the two under the folder, not
    # x.txt, bagit.txt or the manifests, which were read and are intact
    states = {f["path"]: f["states"][str(blind)] for f in report["files"]}
    assert states == {"data/nested/a/y.txt": "unreadable", "data/nested/a/b/z.txt": "unreadable"}
    (finding,) = report["copies"][1]["findings"]
    assert (finding["code"], finding["path"]) == ("BAG-033", "data/nested/a")


def test_repair_mends_what_it_can_read_and_writes_its_event(own_tree: Tree, tmp_path: Path) -> None:
    good = _copy(own_tree, own_tree.root / "copies" / "good")
    damaged = _copy(own_tree, own_tree.root / "copies" / "damaged")
    (damaged / "data" / "nested" / "x.txt").write_text("changed", encoding="utf-8")
    unreadable(damaged / "data" / "nested" / "a")
    run = preserve("repair", damaged, "--from", good, unprivileged=True)
    assert run.code == 1, (run.out, run.err)  # what could not be read is still unchecked
    assert "repaired data/nested/x.txt" in run.out
    assert (damaged / "data" / "nested" / "x.txt").read_text(encoding="utf-8") == "1"
    (damaged / "data" / "nested" / "a").chmod(0o755)
    assert preserve("verify", damaged).code == 0  # premis.xml and its tag manifest lines agree
    assert "eventType" in (damaged / "metadata" / "premis.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "command",
    [
        ["ledger", "verify"],
        ["ledger", "head"],
        ["ledger", "events", "x"],
        ["audit", "status"],
        ["audit", "run", "."],
    ],
)
def test_a_ledger_that_cannot_be_read_is_could_not_run(own_tree: Tree, command: list[str]) -> None:
    ledger = own_tree.root / "ledger.sqlite"
    made = preserve("audit", "run", own_tree.good_bag, "--ledger", ledger)
    assert made.code == 0, made.err
    unreadable(ledger)
    try:
        run = preserve(*command, "--ledger", ledger, cwd=own_tree.root, unprivileged=True)
    finally:
        ledger.chmod(0o644)
    assert run.code == 3, (run.out, run.err)  # could not run, not a usage error (2)
    assert f"cannot open ledger {ledger}" in run.err
    assert "permissions" in run.err
