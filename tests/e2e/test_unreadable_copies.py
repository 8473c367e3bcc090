"""Copies with a folder that cannot be read: ``compare`` and ``repair`` say exactly which
files could not be checked, and check and repair everything else (issue 11's class
"unreadable parts", for copies of a bag)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

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
