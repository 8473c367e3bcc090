"""``preserve verify`` says only what it checked, and a listed file not on disk under its
exact name is missing (faults found by QA, through the CLI)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.conftest import preserve


def _bag(tmp_path: Path, files: dict[str, str]) -> Path:
    """A bag made by ``preserve bag`` of a folder ``s`` holding *files*."""
    source = tmp_path / "s"
    source.mkdir()
    for name, text in files.items():
        (source / name).write_text(text, encoding="utf-8")
    bag = tmp_path / "bag"
    made = preserve("bag", source, "--out", bag)
    assert made.code == 0, made.err
    return bag


def _without_oxum(bag: Path) -> None:
    """bag-info.txt without its Payload-Oxum, and no tag manifest to notice the edit."""
    for tagmanifest in bag.glob("tagmanifest-*.txt"):
        tagmanifest.unlink()
    info = bag / "bag-info.txt"
    lines = info.read_text(encoding="utf-8").splitlines(keepends=True)
    info.write_text("".join(x for x in lines if not x.startswith("Payload-Oxum:")), "utf-8")


def test_fast_without_payload_oxum_says_the_sizes_were_not_checked(tmp_path: Path) -> None:
    bag = _bag(tmp_path, {"a": "hello\n"})
    _without_oxum(bag)
    with (bag / "data" / "s" / "a").open("r+b") as f:
        f.truncate(2)  # a change only the sizes (or checksums) could show
    text = preserve("verify", "--fast", bag)
    assert "Payload-Oxum matches" not in text.out
    assert f"{bag}: complete; sizes not checked (no Payload-Oxum)" in text.out
    assert "warning BAG-046 bag-info.txt: bag-info.txt has no Payload-Oxum" in text.out
    # RFC 8493 makes Payload-Oxum optional: the bag is complete, and says what was not done
    assert text.code == 0
    run = preserve("verify", "--fast", "--format", "json", bag)
    (result,) = json.loads(run.out)["bags"]
    assert [(f["code"], f["severity"]) for f in result["findings"]] == [("BAG-046", "warning")]
    # the checks that were made are unchanged: full mode reads the checksums
    assert "BAG-040" in preserve("verify", bag).out


def test_fast_with_payload_oxum_still_says_it_matches(tmp_path: Path) -> None:
    bag = _bag(tmp_path, {"a": "hello\n"})
    run = preserve("verify", "--fast", bag)
    assert run.code == 0
    assert f"{bag}: complete, Payload-Oxum matches (BagIt 1.0, 1 file, 6 B; 0 errors, " in run.out
    assert "BAG-046" not in run.out


def test_a_deleted_file_with_a_case_twin_is_missing(tmp_path: Path) -> None:
    """A BagIt 1.0 bag made on Linux with a.txt and A.txt; A.txt deleted: verify says
    it is missing, as the audit does, and never "valid"."""
    bag = _bag(tmp_path, {"a.txt": "same\n", "A.txt": "same\n"})
    (bag / "data" / "s" / "A.txt").unlink()
    _without_oxum(bag)
    for args in (["--strict"], []):
        run = preserve("verify", *args, bag)
        assert run.code == 1, run.out
        assert f"{bag}: INVALID (BagIt 1.0, 1 file, 5 B; 1 error, 0 warnings)" in run.out
        assert "error BAG-030 manifest-sha256.txt, line 1, data/s/A.txt: " in run.out
    audit = preserve("audit", bag, "--ledger", tmp_path / "ledger.sqlite", "--format", "json")
    assert audit.code == 1
    assert "AUD-002" in audit.out
