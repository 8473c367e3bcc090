"""``preserve bag --profile`` and ``--serialize``; the deposit profile end to end."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import bagit
import pytest
from click.testing import Result

from preserve.bags.archive.write import serialize_bag
from preserve.bags.build.build import build_bag
from preserve.profiles import check_profile, load_profile
from preserve.profiles.build import (
    ProfileSettings,
    profile_algorithms,
    profile_bag_info,
    profile_options,
)
from tests.conftest import REPO

Run = Callable[..., Result]
DEPOSIT = REPO / "profiles" / "preserve-deposit-v1.json"
RECORD = {
    "title": "A letter",
    "archive_reference": {"repository": "Town Archive", "citation": "TA 1/2/3"},
}


@pytest.fixture
def sources(tmp_path: Path) -> tuple[Path, Path]:
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "p1.tif").write_bytes(b"II*\0 page one")
    (scans / "p2.tif").write_bytes(b"II*\0 page two")
    record = tmp_path / "record.json"
    record.write_text(json.dumps(RECORD), encoding="utf-8")
    return scans, record


def test_deposit_bag_conforms_and_validates_in_bagit_python(
    run_cli: Run, tmp_path: Path, sources: tuple[Path, Path]
) -> None:
    scans, record = sources
    bag = tmp_path / "BAG"
    result = run_cli(
        ["bag", str(scans), "--record", str(record), "--out", str(bag), "--profile", str(DEPOSIT)]
    )
    assert result.exit_code == 0, result.output
    assert check_profile(bag, load_profile(DEPOSIT)) == ()
    info = (bag / "bag-info.txt").read_text(encoding="utf-8")
    assert (
        "BagIt-Profile-Identifier: https://preserve.invalid/profiles/preserve-deposit-v1.json"
        in info
    )
    assert sorted(p.name for p in bag.glob("*manifest-*.txt")) == [
        "manifest-sha512.txt",
        "tagmanifest-sha512.txt",
    ]
    reference = bagit.Bag(str(bag))
    reference.validate()  # raises on any problem
    assert reference.version_info == (1, 0)


def test_non_conforming_bag_is_not_made(
    run_cli: Run, tmp_path: Path, sources: tuple[Path, Path]
) -> None:
    scans, _ = sources
    bag = tmp_path / "BAG"
    result = run_cli(["bag", str(scans), "--out", str(bag), "--profile", str(DEPOSIT)])
    assert result.exit_code == 3
    for code in ("PRO-003", "PRO-011"):
        assert code in result.output
    assert "External-Identifier" in result.output
    # Each refusal says where, as every finding does (the empty "PRO-003 :" is gone).
    assert "PRO-003 bag-info.txt, field External-Identifier: " in result.output
    assert "PRO-011 metadata/record.json: " in result.output
    assert not bag.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.json", "scans"]  # no staging left


def test_serialize_writes_archive_and_sidecar_that_verify(
    run_cli: Run, tmp_path: Path, sources: tuple[Path, Path]
) -> None:
    scans, record = sources
    bag = tmp_path / "BAG"
    args = [
        "bag",
        str(scans),
        "--record",
        str(record),
        "--out",
        str(bag),
        "--profile",
        "preserve-deposit-v1",
    ]
    result = run_cli([*args, "--serialize", "zip"])
    assert result.exit_code == 0, result.output
    archive = tmp_path / "BAG.zip"
    assert (tmp_path / "BAG.zip.sha256").read_text(encoding="utf-8").endswith("  BAG.zip\n")
    verified = run_cli(["verify", str(archive), "--profile", "preserve-deposit-v1"])
    assert verified.exit_code == 0, verified.output


def test_profile_requiring_serialization_is_met_by_serialize(
    run_cli: Run, tmp_path: Path, sources: tuple[Path, Path]
) -> None:
    scans, record = sources
    data = json.loads(DEPOSIT.read_text(encoding="utf-8"))
    data["Serialization"] = "required"
    data["Accept-Serialization"] = ["application/gzip"]
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps(data), encoding="utf-8")
    base = ["bag", str(scans), "--record", str(record), "--profile", str(profile)]
    refused = run_cli([*base, "--out", str(tmp_path / "A")])
    assert refused.exit_code == 3
    assert "PRO-019" in refused.output
    wrong = run_cli([*base, "--out", str(tmp_path / "B"), "--serialize", "zip"])
    assert wrong.exit_code == 3
    assert "PRO-020" in wrong.output
    made = run_cli([*base, "--out", str(tmp_path / "C"), "--serialize", "tgz"])
    assert made.exit_code == 0, made.output
    assert (tmp_path / "C.tar.gz").is_file()


def test_profile_with_in_place_is_a_usage_error(
    run_cli: Run, tmp_path: Path, sources: tuple[Path, Path]
) -> None:
    scans, _ = sources
    result = run_cli(["bag", str(scans), "--in-place", "--profile", str(DEPOSIT)])
    assert result.exit_code == 2
    assert sorted(p.name for p in scans.iterdir()) == ["p1.tif", "p2.tif"]  # untouched


@pytest.mark.parametrize("fmt", ["tar", "tgz", "zip"])
def test_two_builds_give_byte_identical_archives(
    tmp_path: Path, sources: tuple[Path, Path], fixed_clock: Callable[[], datetime], fmt: str
) -> None:
    scans, record = sources
    archives = []
    for run in ("one", "two"):
        (tmp_path / run).mkdir()
        bag = build_bag([scans], tmp_path / run / "BAG", record=record, clock=fixed_clock)
        archives.append(serialize_bag(bag.path, tmp_path / run, fmt=fmt))  # type: ignore[arg-type]
        (scans / "p1.tif").touch()  # a later mtime must not matter
    assert archives[0].read_bytes() == archives[1].read_bytes()


def test_profile_algorithms_and_bag_info() -> None:
    deposit = load_profile(DEPOSIT)
    assert profile_algorithms(deposit, ()) == ("sha512",)
    assert profile_algorithms(deposit, ("sha256",)) == ("sha256",)
    pairs = profile_bag_info(deposit, [("BagIt-Profile-Identifier", "https://other.org/p")])
    assert pairs == [
        ("BagIt-Profile-Identifier", "https://other.org/p"),
        ("BagIt-Profile-Identifier", deposit.identifier),
    ]
    assert profile_bag_info(deposit, [("BagIt-Profile-Identifier", deposit.identifier)]) == [
        ("BagIt-Profile-Identifier", deposit.identifier)
    ]


def test_profile_options_are_settings_build_bag_takes() -> None:
    plain = profile_options(
        None, allow_network=False, serialize=None, algorithms=(), bag_info=[("A", "b")]
    )
    assert plain == ProfileSettings(("sha512", "sha256"), (("A", "b"),))
    deposit = load_profile(DEPOSIT)
    built = profile_options(
        str(DEPOSIT), allow_network=False, serialize="zip", algorithms=(), bag_info=()
    )
    assert built.algorithms == ("sha512",)
    assert built.bag_info == (("BagIt-Profile-Identifier", deposit.identifier),)
    assert built.check is not None
