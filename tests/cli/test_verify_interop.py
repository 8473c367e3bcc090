"""Bags as other tools write them (issue 13): versions, percent signs, archives, --strict."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bagit
import pytest
from click.testing import Result

from preserve.bags.manifests import decode_path

Run = Callable[..., Result]


def bagit_python_bag(root: Path, files: dict[str, bytes]) -> Path:
    """A bag written by bagit-python (1.9 writes BagIt 0.97, '%' literally)."""
    root.mkdir(parents=True)
    for name, data in files.items():
        (root / name).write_bytes(data)
    bagit.make_bag(str(root), {"Source-Organization": "York"}, checksums=["sha256"])
    return root


def entries(result: Result) -> dict[str, dict[str, Any]]:
    return {b["bag"]: b for b in json.loads(result.output)["bags"]}


def codes(entry: dict[str, Any], severity: str) -> list[str]:
    return sorted(f["code"] for f in entry["findings"] if f["severity"] == severity)


def test_bagit_python_097_bag_with_a_literal_percent_verifies(run_cli: Run, tmp_path: Path) -> None:
    bag = bagit_python_bag(
        tmp_path / "bag", {"with space %25.txt": b"a\n", "100% cotton.txt": b"b\n"}
    )
    assert (bag / "bagit.txt").read_text(encoding="utf-8").startswith("BagIt-Version: 0.97")
    manifest = (bag / "manifest-sha256.txt").read_text(encoding="utf-8")
    assert "data/with space %25.txt" in manifest  # written literally
    assert bagit.Bag(str(bag)).is_valid()
    result = run_cli(["verify", str(bag), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert codes(entries(result)[str(bag)], "error") == []


def test_percent_decoding_follows_the_declared_version() -> None:
    assert decode_path("data/a%25b%0Ac") == "data/a%b\nc"
    assert decode_path("data/a%25b%0Ac%0d", rfc8493=False) == "data/a%25b\nc\r"
    assert decode_path("data/%7Etest1.txt", rfc8493=False) == "data/%7Etest1.txt"


def test_a_10_bag_with_percent_in_a_name_round_trips_and_warns_when_built(
    run_cli: Run, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "100% cotton.txt").write_bytes(b"b\n")
    built = run_cli(["bag", str(source), "--out", str(tmp_path / "bag"), "--format", "json"])
    assert built.exit_code == 0, built.output
    warnings = json.loads(built.output)["findings"]
    assert [(w["code"], w["path"]) for w in warnings] == [("BAG-086", "data/src/100% cotton.txt")]
    manifest = (tmp_path / "bag" / "manifest-sha512.txt").read_text(encoding="utf-8")
    assert "data/src/100%25 cotton.txt" in manifest
    assert run_cli(["verify", str(tmp_path / "bag")]).exit_code == 0


def _tar(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def _serialized(tmp_path: Path, top: str, archive: str) -> Path:
    bag = bagit_python_bag(tmp_path / "src" / top, {"a.txt": b"a\n"})
    members = {
        f"{top}/{p.relative_to(bag)}": p.read_bytes() for p in sorted(bag.rglob("*")) if p.is_file()
    }
    return _tar(tmp_path / archive, members)


def test_malformed_archives_are_findings_and_the_batch_goes_on(
    run_cli: Run, tmp_path: Path
) -> None:
    good = bagit_python_bag(tmp_path / "good", {"a.txt": b"a\n"})
    two_tops = _tar(tmp_path / "two.tar", {"one/bagit.txt": b"x", "two/bagit.txt": b"y"})
    no_top = tmp_path / "flat.zip"
    with zipfile.ZipFile(no_top, "w") as zf:
        zf.writestr("bagit.txt", "BagIt-Version: 0.97\n")
    not_archive = tmp_path / "notes.tar"
    not_archive.write_text("not an archive", encoding="utf-8")
    result = run_cli(
        ["verify", str(two_tops), str(good), str(no_top), str(not_archive), "--format", "json"]
    )
    assert result.exit_code == 1
    found = entries(result)
    assert list(found) == [str(two_tops), str(good), str(no_top), str(not_archive)]
    assert codes(found[str(two_tops)], "error") == ["SER-011"]
    assert codes(found[str(no_top)], "error") == ["SER-011"]
    assert codes(found[str(not_archive)], "error") == ["SER-001"]
    assert found[str(good)]["valid"]
    assert not found[str(two_tops)]["valid"]


def test_top_folder_not_named_after_the_archive_warns_and_fails_strict(
    run_cli: Run, tmp_path: Path
) -> None:
    named = _serialized(tmp_path, "bag", "bag.tar")
    other = _serialized(tmp_path, "other", "deposit.tar")
    result = run_cli(["verify", str(named), str(other), "--format", "json"])
    assert result.exit_code == 0, result.output
    found = entries(result)
    assert codes(found[str(named)], "warning") == []
    assert codes(found[str(other)], "warning") == ["SER-014"]
    strict = run_cli(["verify", "--strict", str(named), str(other), "--format", "json"])
    assert strict.exit_code == 1
    assert codes(entries(strict)[str(other)], "error") == ["SER-014"]
    assert entries(strict)[str(named)]["valid"]


@pytest.fixture
def starred(tmp_path: Path) -> Path:
    """A valid 0.97 bag whose manifest uses md5sum's '*' marker (BAG-021, a warning)."""
    bag = bagit_python_bag(tmp_path / "store" / "starred", {"a.txt": b"a\n"})
    manifest = bag / "manifest-sha256.txt"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("  data/", " *data/"), encoding="utf-8"
    )
    for tagmanifest in bag.glob("tagmanifest-*.txt"):
        tagmanifest.unlink()  # now BAG-052-free: no tag manifest at all
    return bag


def test_verify_strict_makes_conformance_warnings_errors(run_cli: Run, starred: Path) -> None:
    loose = run_cli(["verify", str(starred), "--format", "json"])
    assert loose.exit_code == 0, loose.output
    assert codes(entries(loose)[str(starred)], "warning") == ["BAG-021"]
    strict = run_cli(["verify", "--strict", str(starred), "--format", "json"])
    assert strict.exit_code == 1
    assert codes(entries(strict)[str(starred)], "error") == ["BAG-021"]


def test_audit_strict_fails_a_bag_with_conformance_warnings(
    run_cli: Run, starred: Path, tmp_path: Path
) -> None:
    ledger = str(tmp_path / "ledger.sqlite")
    root = str(starred.parent)
    assert run_cli(["audit", root, "--ledger", ledger]).exit_code == 0
    result = run_cli(["audit", root, "--ledger", ledger, "--strict", "--format", "json"])
    assert result.exit_code == 1, result.output
    (bag,) = json.loads(result.output)["bags"]
    assert bag["outcome"] == "failed"
    assert "BAG-021" in bag["note"]


def test_audit_strict_needs_the_verify_engine(run_cli: Run, starred: Path, tmp_path: Path) -> None:
    ledger = str(tmp_path / "ledger.sqlite")
    args = ["audit", str(starred.parent), "--ledger", ledger, "--strict"]
    result = run_cli([*args, "--engine", "audit"])
    assert result.exit_code == 2
    assert "--strict needs --engine verify" in result.output


@pytest.mark.parametrize("engine", ["audit", "verify"])
def test_audit_reads_a_bagit_python_percent_bag_literally(
    run_cli: Run, tmp_path: Path, engine: str
) -> None:
    bagit_python_bag(tmp_path / "store" / "b", {"with space %25.txt": b"a\n"})
    ledger = str(tmp_path / "ledger.sqlite")
    result = run_cli(["audit", str(tmp_path / "store"), "--ledger", ledger, "--engine", engine])
    assert result.exit_code == 0, result.output
