"""``preserve verify`` with --profile, and with serialized bags."""

from __future__ import annotations

import json
import tarfile
from collections.abc import Callable
from pathlib import Path

import bagit
import pytest
from click.testing import Result

from preserve.bags.archive.write import serialize_bag
from tests.conftest import CONFORMANCE

Run = Callable[..., Result]
FIXTURES = CONFORMANCE / "bagit-profiles" / "validator-fixtures" / "fixtures"
FOO = CONFORMANCE / "bagit-profiles" / "spec" / "bagProfileFoo.json"
PROFILE_ID = "https://example.org/p.json"


def bagit_bag(root: Path) -> Path:
    root.mkdir()
    (root / "a.txt").write_text("hello\n", encoding="utf-8")
    bagit.make_bag(
        str(root),
        {"BagIt-Profile-Identifier": PROFILE_ID, "Source-Organization": "York"},
        checksums=["sha512"],
    )
    return root


def profile_file(tmp_path: Path, **fields: object) -> Path:
    data = {
        "BagIt-Profile-Info": {
            "BagIt-Profile-Identifier": PROFILE_ID,
            "BagIt-Profile-Version": "1.4.0",
            "Source-Organization": "Example",
            "External-Description": "test",
            "Version": "1",
        },
        "Accept-BagIt-Version": ["0.97", "1.0"],
        **fields,
    }
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def codes(result: Result) -> list[str]:
    (bag,) = json.loads(result.output)["bags"]
    return sorted(f["code"] for f in bag["findings"])


def test_conforming_bag_exits_0(run_cli: Run, tmp_path: Path) -> None:
    bag = bagit_bag(tmp_path / "bag")
    result = run_cli(
        ["verify", str(bag), "--profile", str(profile_file(tmp_path)), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert codes(result) == []


def test_profile_findings_make_exit_1(run_cli: Run, tmp_path: Path) -> None:
    bag = bagit_bag(tmp_path / "bag")
    profile = profile_file(
        tmp_path,
        **{
            "Manifests-Required": ["sha256"],
            "Serialization": "required",
            "Accept-Serialization": ["application/zip"],
        },
    )
    result = run_cli(["verify", str(bag), "--profile", str(profile), "--format", "json"])
    assert result.exit_code == 1
    assert codes(result) == ["PRO-007", "PRO-019"]


@pytest.mark.parametrize("fmt", ["tar", "tgz", "zip"])
def test_serialized_bag_is_verified(run_cli: Run, tmp_path: Path, fmt: str) -> None:
    bag = bagit_bag(tmp_path / "bag")
    archive = serialize_bag(bag, tmp_path, fmt=fmt)  # type: ignore[arg-type]
    profile = profile_file(
        tmp_path,
        **{
            "Serialization": "required",
            "Accept-Serialization": ["application/x-tar", "application/gzip", "application/zip"],
        },
    )
    result = run_cli(["verify", str(archive), "--profile", str(profile), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["bags"][0]["bag"] == str(archive)


def test_damaged_serialized_bag_fails_fixity(run_cli: Run, tmp_path: Path) -> None:
    bag = bagit_bag(tmp_path / "bag")
    (bag / "data" / "a.txt").write_text("HELLO\n", encoding="utf-8")
    archive = serialize_bag(bag, tmp_path / "bag.zip", fmt="zip")
    result = run_cli(["verify", str(archive), "--format", "json"])
    assert result.exit_code == 1
    assert any(c.startswith("BAG-") for c in codes(result))


def test_shared_foo_zip(run_cli: Run) -> None:
    result = run_cli(
        ["verify", str(FIXTURES / "test-foo.zip"), "--profile", str(FOO), "--format", "json"]
    )
    assert result.exit_code == 1
    assert {"PRO-002", "PRO-003", "PRO-005"} <= set(codes(result))
    assert "PRO-019" not in codes(result)


def test_hostile_archive_is_a_finding_of_that_bag(run_cli: Run, tmp_path: Path) -> None:
    archive = tmp_path / "evil.tar"
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("bag/link")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc"
        tar.addfile(info)
    result = run_cli(["verify", str(archive), "--format", "json"])
    assert result.exit_code == 1
    assert codes(result) == ["SER-003"]


def test_url_profile_needs_allow_network(run_cli: Run, tmp_path: Path) -> None:
    bag = bagit_bag(tmp_path / "bag")
    result = run_cli(["verify", str(bag), "--profile", "https://example.org/p.json"])
    assert result.exit_code == 3
    assert "--allow-network" in result.output


def test_malformed_profile_is_exit_3_naming_the_field(run_cli: Run, tmp_path: Path) -> None:
    bag = bagit_bag(tmp_path / "bag")
    profile = profile_file(tmp_path, **{"Serialization": "sometimes"})
    result = run_cli(["verify", str(bag), "--profile", str(profile)])
    assert result.exit_code == 3
    assert "Serialization" in result.output
