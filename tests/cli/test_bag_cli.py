"""``preserve bag`` from the command line."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from preserve.bags.verify.verify import verify_bag
from tests.unit.bags.bagtools import make_tree

RunCli = Callable[..., Result]


def test_bag_builds_and_reports_json(tmp_path: Path, run_cli: RunCli) -> None:
    src = make_tree(tmp_path / "scans", {"a.tif": b"II*\x00", "b/c.txt": b"text"})
    record = tmp_path / "r.json"
    record.write_text(json.dumps({"title": "A title"}), "utf-8")
    result = run_cli(
        [
            "bag",
            str(src),
            "--out",
            str(tmp_path / "BAG"),
            "--record",
            str(record),
            "--info",
            "Contact-Name=Edna Smith",
            "--algorithm",
            "sha256",
            "--format",
            "json",
        ]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["version"] == 2
    assert report["files"] == 2
    assert report["algorithms"] == ["sha256"]
    assert ["Contact-Name", "Edna Smith"] in report["bag_info"]
    assert ["External-Description", "A title"] in report["bag_info"]
    assert verify_bag(tmp_path / "BAG").ok


def test_bag_text_output_and_existing_target(tmp_path: Path, run_cli: RunCli) -> None:
    src = make_tree(tmp_path / "scans", {"a": b"1"})
    result = run_cli(["bag", str(src), "--out", str(tmp_path / "BAG")])
    assert result.exit_code == 0
    assert result.output.startswith(f"Built {tmp_path / 'BAG'}: 1 file,")
    result = run_cli(["bag", str(src), "--out", str(tmp_path / "BAG")])
    assert result.exit_code == 3
    assert "--replace" in result.output
    result = run_cli(["bag", str(src), "--out", str(tmp_path / "BAG"), "--replace", "-q"])
    assert result.exit_code == 0
    assert result.output.startswith("Replaced")


def test_replace_refuses_a_folder_that_is_not_a_bag(tmp_path: Path, run_cli: RunCli) -> None:
    src = make_tree(tmp_path / "scans", {"a": b"1"})
    mine = make_tree(tmp_path / "mine", {"keep.txt": b"do not lose me"})
    result = run_cli(["bag", str(src), "--out", str(mine), "--replace"])
    assert result.exit_code == 3
    assert "not a bag" in result.output
    assert str(mine) in result.output
    assert (mine / "keep.txt").read_bytes() == b"do not lose me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "scans"]  # no staging left


def test_replace_refuses_a_bag_holding_something_else(tmp_path: Path, run_cli: RunCli) -> None:
    src = make_tree(tmp_path / "scans", {"a": b"1"})
    bag = tmp_path / "BAG"
    assert run_cli(["bag", str(src), "--out", str(bag), "-q"]).exit_code == 0
    (bag / "keep.txt").write_text("notes")
    result = run_cli(["bag", str(src), "--out", str(bag), "--replace"])
    assert result.exit_code == 3
    assert "keep.txt" in result.output
    assert (bag / "keep.txt").read_text() == "notes"
    (bag / "keep.txt").unlink()
    assert run_cli(["bag", str(src), "--out", str(bag), "--replace", "-q"]).exit_code == 0


def test_replace_keeps_unrelated_archive_unless_asked(tmp_path: Path, run_cli: RunCli) -> None:
    src = make_tree(tmp_path / "scans", {"a": b"1"})
    (tmp_path / "BAG.zip").write_bytes(b"someone's zip")
    result = run_cli(["bag", str(src), "--out", str(tmp_path / "BAG"), "--serialize", "zip"])
    assert result.exit_code == 3
    assert "BAG.zip already exists" in result.output
    assert (tmp_path / "BAG.zip").read_bytes() == b"someone's zip"


def test_bag_usage_errors(tmp_path: Path, run_cli: RunCli) -> None:
    src = make_tree(tmp_path / "scans", {"a": b"1"})
    assert run_cli(["bag", str(src)]).exit_code == 2
    bad_info = run_cli(["bag", str(src), "--out", str(tmp_path / "B"), "--info", "nolabel"])
    assert bad_info.exit_code == 2
    bad_alg = run_cli(["bag", str(src), "--out", str(tmp_path / "B"), "--algorithm", "crc"])
    assert bad_alg.exit_code == 2
    assert not (tmp_path / "B").exists()


def test_bag_in_place(tmp_path: Path, run_cli: RunCli) -> None:
    src = make_tree(tmp_path / "F", {"a": b"1"})
    result = run_cli(["bag", str(src), "--in-place"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Converted")
    assert verify_bag(src).ok


def test_missing_source_is_a_finding_and_nothing_is_built(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli(["bag", str(tmp_path / "nope"), "--out", str(tmp_path / "B")])
    assert result.exit_code == 1
    assert "nope does not exist" in result.output
    assert not (tmp_path / "B").exists()


def test_source_organization_is_configured_not_taken_from_the_record(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = make_tree(tmp_path / "scans", {"a": b"1"})
    record = tmp_path / "r.json"
    record.write_text(json.dumps({"archive_reference": {"repository": "AVP RF"}}), "utf-8")
    monkeypatch.delenv("PRESERVE_ORGANISATION")
    args = ["bag", str(src), "--record", str(record), "-q", "--out"]
    assert run_cli([*args, str(tmp_path / "A")]).exit_code == 0
    assert "Source-Organization" not in (tmp_path / "A" / "bag-info.txt").read_text()
    monkeypatch.setenv("PRESERVE_ORGANISATION", "Configured Archive")
    assert run_cli([*args, str(tmp_path / "B")]).exit_code == 0
    info = (tmp_path / "B" / "bag-info.txt").read_text()
    assert "Source-Organization: Configured Archive\n" in info
    given = [*args, str(tmp_path / "C"), "--info", "Source-Organization=Given"]
    assert run_cli(given).exit_code == 0
    info = (tmp_path / "C" / "bag-info.txt").read_text()
    assert "Source-Organization: Given\n" in info
    assert "Configured Archive" not in info
