"""Unreadable parts where copies and ledgers are read (issue 11's class "unreadable
parts"): ``compare`` and ``repair`` say exactly which files of a copy could not be
checked and check and repair everything else; a ledger that cannot be read is "could
not run" (exit 3) for every command that reads one, never a usage error. A bag, copy or
root inside a folder that cannot be entered (QA's ``ur/b1``) is reported as unreadable,
never as missing, by ``verify``, ``compare``, ``repair`` and ``audit``, and the other
inputs are still checked (exit 1, not 2 or 3)."""

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


def _locked_copy(tree: Tree) -> Path:
    """A copy of the nested bag inside a folder nobody may enter: the copy exists, but
    cannot even be looked at (QA's ``ur/b1``)."""
    copy = _copy(tree, tree.root / "locked" / "b1")
    unreadable(copy.parent)
    return copy


@pytest.mark.parametrize("output", ["text", "json"])
def test_verify_reports_a_bag_it_cannot_look_at_and_verifies_the_rest(
    own_tree: Tree, output: str
) -> None:
    locked = _locked_copy(own_tree)
    run = preserve("verify", own_tree.good_bag, locked, "--format", output, unprivileged=True)
    assert run.code == 1, (run.out, run.err)  # a finding, not "could not run" (3)
    assert "Error" not in run.err
    if output == "json":
        good, bad = json.loads(run.out)["bags"]
        assert (good["bag"], good["valid"]) == (str(own_tree.good_bag), True)
        assert (bad["bag"], bad["valid"]) == (str(locked), False)
        (finding,) = bad["findings"]
        assert (finding["code"], finding["details"]["reason"]) == ("BAG-012", "permission denied")
    else:
        assert f"{own_tree.good_bag}: valid (BagIt 1.0" in run.out
        assert f"{locked}: INVALID (no BagIt version, 0 files, 0 B; 1 error," in run.out
        assert "error BAG-012: the bag's folder cannot be read (permission denied)" in run.out
        assert "2 bags: 1 valid, 1 invalid" in run.out


@pytest.mark.parametrize("output", ["text", "json"])
def test_compare_reports_a_copy_it_cannot_look_at_and_compares_the_rest(
    own_tree: Tree, output: str
) -> None:
    good = _copy(own_tree, own_tree.root / "copies" / "good")
    locked = _locked_copy(own_tree)
    run = preserve("compare", good, locked, "--format", output, unprivileged=True)
    assert run.code == 1, (run.out, run.err)
    assert "Error" not in run.err
    if output == "json":
        report = json.loads(run.out)
        first, second = report["copies"]
        assert (first["copy"], first["valid"], first["findings"]) == (str(good), True, [])
        (finding,) = second["findings"]
        assert finding["code"] == "BAG-012"
        assert "permission denied" in finding["message"]
        states = {f["states"][str(locked)] for f in report["files"]}
        assert states == {"unreadable"}  # never "missing": it may all be there
    else:
        assert f"intact  {good} (0 errors)" in run.out
        assert f"DAMAGED {locked} (1 error)" in run.out
        assert f"error BAG-012: the bag's folder cannot be read ({locked}: permission denied)" in (
            run.out
        )


def test_compare_says_why_a_copy_that_is_not_there_is_damaged(own_tree: Tree) -> None:
    good = _copy(own_tree, own_tree.root / "copies" / "good")
    gone = own_tree.root / "copies" / "gone"
    run = preserve("compare", good, gone)
    assert run.code == 1
    assert f"error BAG-012: the bag's folder cannot be read ({gone}: no such folder)" in run.out


@pytest.mark.parametrize("which", ["damaged", "good"])
def test_repair_says_a_copy_it_cannot_look_at_cannot_be_read(own_tree: Tree, which: str) -> None:
    other = _copy(own_tree, own_tree.root / "copies" / "other")
    before = {p: p.read_bytes() for p in other.rglob("*") if p.is_file()}
    locked = _locked_copy(own_tree)
    damaged, good = (locked, other) if which == "damaged" else (other, locked)
    run = preserve("repair", damaged, "--from", good, unprivileged=True)
    assert run.code == 1, (run.out, run.err)
    assert "does not exist" not in run.err  # it does: it cannot be read
    assert (
        f"Error: copy {locked} cannot be read (permission denied); check the permissions "
        "of it and of its folders. Nothing was repaired." in run.err
    )
    assert {p: p.read_bytes() for p in other.rglob("*") if p.is_file()} == before


def test_repair_of_a_copy_that_cannot_be_listed_is_a_finding(own_tree: Tree) -> None:
    good = _copy(own_tree, own_tree.root / "copies" / "good")
    damaged = _copy(own_tree, own_tree.root / "copies" / "damaged")
    unreadable(damaged)
    run = preserve("repair", damaged, "--from", good, unprivileged=True)
    assert run.code == 1, (run.out, run.err)  # an input that cannot be read, as a missing one
    assert f"Error: {damaged}: cannot be listed (Permission denied)" in run.err
    assert "Nothing was repaired." in run.err


def test_audit_reports_a_root_it_cannot_read_and_audits_the_others(
    own_tree: Tree, tmp_path: Path
) -> None:
    locked = _locked_copy(own_tree).parent
    ledger = tmp_path / "ledger.sqlite"
    run = preserve(
        "audit", own_tree.good_bag, locked, "--ledger", ledger, "--format", "json",
        unprivileged=True,
    )  # fmt: skip
    assert run.code == 1, (run.out, run.err)  # not a usage error (2): the other root is audited
    report = json.loads(run.out)
    assert report["status"] == "inaccessible"
    assert [(b["bag"], b["outcome"]) for b in report["bags"]] == [
        (str(own_tree.good_bag), "passed")
    ]
    assert report["unreadable"] == [{"folder": str(locked), "reason": "Permission denied"}]
    text = preserve("audit", own_tree.good_bag, locked, "--ledger", ledger, unprivileged=True)
    assert text.code == 1
    assert f"INACCESSIBLE {locked}: Permission denied" in text.out


def test_audit_of_only_a_root_it_cannot_look_at_is_inaccessible_not_missing(
    own_tree: Tree, tmp_path: Path
) -> None:
    locked = _locked_copy(own_tree)
    run = preserve("audit", locked, "--ledger", tmp_path / "new.sqlite", unprivileged=True)
    assert run.code == 1, (run.out, run.err)
    assert "no such file or folder" not in run.err
    assert f"INACCESSIBLE {locked}: Permission denied" in run.out


def test_copies_that_cannot_be_read_never_outvote_the_intact_one(own_tree: Tree) -> None:
    good = _copy(own_tree, own_tree.root / "copies" / "good")
    locked = _locked_copy(own_tree)
    shut = _copy(own_tree, own_tree.root / "copies" / "shut")
    unreadable(shut)
    run = preserve("compare", good, locked, shut, "--format", "json", unprivileged=True)
    assert run.code == 1, (run.out, run.err)
    report = json.loads(run.out)
    assert [c["valid"] for c in report["copies"]] == [True, False, False]
    assert report["files"]
    for f in report["files"]:
        assert f["states"] == {
            str(good): "intact",
            str(locked): "unreadable",
            str(shut): "unreadable",
        }
        assert f["odd_one_out"] == []  # before: the intact copy, outvoted by two unknowns
