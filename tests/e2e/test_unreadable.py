"""What cannot be read is a finding with its path, at any depth, in every command.

Never a quiet omission ("1 record checked … valid", "Extracted 0 records") and never a
fallback (a record packaged with its own document because its scans could not be read).
The CLI runs without root's power to read mode 000 (see conftest).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import Run, Tree, codes, preserve, unreadable

RECORD = "01-sorokin-arvelo-1962-03-02"

# (label, path made unreadable, relative to the tree)
RECORD_CASES = [
    ("records folder (depth 1)", "src/records"),
    ("folder in records (depth 2)", "src/records/sub"),
    ("folder two deep in records (depth 3)", "src/records/sub/deeper"),
    ("record file", f"src/records/{RECORD}.txt"),
]
PAYLOAD_CASES = [
    ("files folder", "src/files"),
    ("a record's files folder", f"src/files/{RECORD}"),
    ("a folder inside it", f"src/files/{RECORD}/extra"),
    ("a scan", f"src/files/{RECORD}/leaf-001.tif"),
]
BAG_CASES = [
    ("payload folder (depth 2)", "bags/nested/data/nested/a"),
    ("payload folder (depth 3)", "bags/nested/data/nested/a/b"),
    ("payload file", "bags/nested/data/nested/a/y.txt"),
]
SOURCE_CASES = [
    ("source folder (depth 1)", "nested/a"),
    ("source folder (depth 2)", "nested/a/b"),
    ("source file", "nested/a/y.txt"),
]


def _prepare(tree: Tree, relative: str) -> Path:
    """Add the nested folders the cases name, then make *relative* unreadable."""
    sub = tree.src / "records" / "sub" / "deeper"
    sub.mkdir(parents=True)
    shutil.copy(tree.src / "records" / f"{RECORD}.txt", sub / "copy.txt")
    extra = tree.src / "files" / RECORD / "extra"
    extra.mkdir()
    (extra / "note.txt").write_text("a note kept with the scans\n", encoding="utf-8")
    target = tree.root / relative
    unreadable(target)
    return target


def _reported(run: Run, target: Path, output: str) -> None:
    assert run.code == 1, (run.code, run.out, run.err)
    text = run.out + run.err
    assert target.name in text, text
    assert "Traceback" not in run.err
    if output == "json" and run.out:
        json.loads(run.out)  # complete, parseable, whatever went wrong


@pytest.mark.parametrize("output", ["text", "json"])
@pytest.mark.parametrize(("label", "relative"), RECORD_CASES, ids=[c[0] for c in RECORD_CASES])
def test_validate(own_tree: Tree, label: str, relative: str, output: str) -> None:
    target = _prepare(own_tree, relative)
    run = preserve("validate", own_tree.src, "--format", output, unprivileged=True)
    _reported(run, target, output)


@pytest.mark.parametrize(("label", "relative"), RECORD_CASES, ids=[c[0] for c in RECORD_CASES])
def test_extract(own_tree: Tree, label: str, relative: str) -> None:
    target = _prepare(own_tree, relative)
    run = preserve("extract", own_tree.src / "records", unprivileged=True)
    _reported(run, target, "json")


@pytest.mark.parametrize("output", ["text", "json"])
@pytest.mark.parametrize(
    ("label", "relative"),
    RECORD_CASES + PAYLOAD_CASES,
    ids=[c[0] for c in RECORD_CASES + PAYLOAD_CASES],
)
def test_ingest(own_tree: Tree, tmp_path: Path, label: str, relative: str, output: str) -> None:
    target = _prepare(own_tree, relative)
    deposit = tmp_path / "deposit"
    run = preserve("ingest", own_tree.src, "--out", deposit, "--format", output, unprivileged=True)
    _reported(run, target, output)
    if relative.startswith("src/files"):
        # The record whose scans could not be read is not packaged, with nothing else
        # in their place (not its own document, not the readable part of its files).
        bags = [p.parent for p in deposit.rglob("bagit.txt")]
        assert not [b for b in bags if "ll-14-16" in b.name], bags


def test_ingest_force_never_packages_a_record_without_its_files(
    own_tree: Tree, tmp_path: Path
) -> None:
    target = _prepare(own_tree, f"src/files/{RECORD}")
    deposit = tmp_path / "deposit"
    run = preserve("ingest", own_tree.src, "--out", deposit, "--force", unprivileged=True)
    _reported(run, target, "text")
    assert "ING-010" in run.out
    assert not [p for p in deposit.rglob("bagit.txt") if "ll-14-16" in p.parent.name]


@pytest.mark.parametrize("output", ["text", "json"])
@pytest.mark.parametrize(("label", "relative"), BAG_CASES, ids=[c[0] for c in BAG_CASES])
def test_verify(own_tree: Tree, label: str, relative: str, output: str) -> None:
    target = own_tree.root / relative
    unreadable(target)
    run = preserve(
        "verify", own_tree.good_bag, own_tree.nested_bag, "--format", output, unprivileged=True
    )
    _reported(run, target, output)
    if output == "json":
        good, bad = json.loads(run.out)["bags"]
        assert good["valid"] is True  # the readable bag is still verified
        assert bad["valid"] is False


@pytest.mark.parametrize(("label", "relative"), BAG_CASES, ids=[c[0] for c in BAG_CASES])
def test_audit(own_tree: Tree, tmp_path: Path, label: str, relative: str) -> None:
    target = own_tree.root / relative
    unreadable(target)
    ledger = tmp_path / "ledger.sqlite"
    run = preserve(
        "audit", own_tree.root / "bags", "--ledger", ledger, "--format", "json", unprivileged=True
    )
    assert run.code == 1, (run.out, run.err)
    report = json.loads(run.out)
    outcomes = {Path(b["bag"]).name: b["outcome"] for b in report["bags"]}
    assert outcomes["good"] == "passed"  # the readable bag is still checked
    assert outcomes.get("nested") != "passed"
    assert target.name in run.out or "nested" in run.out


@pytest.mark.parametrize(("label", "relative"), SOURCE_CASES, ids=[c[0] for c in SOURCE_CASES])
def test_bag(own_tree: Tree, tmp_path: Path, label: str, relative: str) -> None:
    target = own_tree.root / relative
    unreadable(target)
    out = tmp_path / "bag"
    run = preserve("bag", own_tree.nested, "--out", out, unprivileged=True)
    _reported(run, target, "text")
    assert not out.exists()  # nothing half-built, and not a bag without the file


HIDING_CASES = [
    ("the bag's folder", "bags/nested", "BAG-012"),
    ("data/", "bags/nested/data", "BAG-033"),
    ("a payload folder", "bags/nested/data/nested/a", "BAG-033"),
    ("a payload folder two deep", "bags/nested/data/nested/a/b", "BAG-033"),
]


@pytest.mark.parametrize("output", ["text", "json"])
@pytest.mark.parametrize(
    ("label", "relative", "code"), HIDING_CASES, ids=[c[0] for c in HIDING_CASES]
)
def test_verify_never_calls_what_it_could_not_see_missing(
    own_tree: Tree, label: str, relative: str, code: str, output: str
) -> None:
    """Files in a folder that cannot be listed may well be there: the folder is
    reported as unreadable, and nothing in it as missing (BAG-030) nor the payload as
    changed in size (BAG-042, Payload-Oxum), which would send the archivist to restore
    files that are not lost."""
    target = own_tree.root / relative
    unreadable(target)
    run = preserve(
        "verify", own_tree.good_bag, own_tree.nested_bag, "--format", output, unprivileged=True
    )
    _reported(run, target, output)
    assert codes(run) == [code], run.out
    if output == "json":
        good, bad = json.loads(run.out)["bags"]
        assert good["valid"] is True
        assert [f["code"] for f in bad["findings"]] == [code]
