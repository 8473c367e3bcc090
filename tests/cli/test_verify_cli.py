"""``preserve verify``: exit codes, text and JSON output, modes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.conftest import CONFORMANCE

SUITE = CONFORMANCE / "bagit-conformance-suite"
VALID = str(SUITE / "v1.0/valid/basicBag")
WARNS = str(SUITE / "v0.97/warning/relative-path")
CORRUPT = str(SUITE / "v0.97/invalid/corrupt-data-file")
RunCli = Callable[..., Result]


def test_valid_bag_exits_0(run_cli: RunCli) -> None:
    result = run_cli(["verify", VALID])
    assert result.exit_code == 0
    assert "valid (BagIt 1.0, 1 file, 6 B; 0 errors, 0 warnings)" in result.output


def test_warnings_still_exit_0_and_are_shown(run_cli: RunCli) -> None:
    result = run_cli(["verify", WARNS])
    assert result.exit_code == 0
    assert "warning BAG-022 manifest-sha512.txt, line 1, " in result.output


def test_any_invalid_bag_exits_1(run_cli: RunCli) -> None:
    result = run_cli(["verify", VALID, CORRUPT])
    assert result.exit_code == 1
    assert "error BAG-040 manifest-md5.txt, line 1, " in result.output
    assert "2 bags: 1 valid, 1 invalid" in result.output


def test_quiet_prints_only_summaries(run_cli: RunCli) -> None:
    result = run_cli(["verify", "--quiet", CORRUPT])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "INVALID" in result.output


def test_json_output_is_versioned(run_cli: RunCli) -> None:
    result = run_cli(["verify", "--format", "json", VALID, CORRUPT])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["version"] == 1
    first, second = data["bags"]
    assert first == {
        "bag": VALID,
        "ok": True,
        "valid": True,
        "mode": "full",
        "bagit_version": "1.0",
        "files": 1,
        "bytes": 6,
        "findings": [],
    }
    assert second["valid"] is second["ok"] is False
    assert [f["code"] for f in second["findings"]] == ["BAG-040", "BAG-042"]
    mismatch = second["findings"][0]
    assert mismatch["path"] == "data/bare-filename"
    assert mismatch["details"]["algorithm"] == "md5"


def test_fast_and_completeness_modes(run_cli: RunCli) -> None:
    fast = run_cli(["verify", "--fast", "--format", "json", CORRUPT])
    assert fast.exit_code == 1  # Payload-Oxum catches the size change
    assert [f["code"] for f in json.loads(fast.output)["bags"][0]["findings"]] == ["BAG-042"]
    complete = run_cli(["verify", "--completeness-only", CORRUPT])
    assert complete.exit_code == 0
    assert "complete (BagIt 0.97" in complete.output


def test_usage_errors_exit_2(run_cli: RunCli) -> None:
    assert run_cli(["verify"]).exit_code == 2
    assert run_cli(["verify", "--fast", "--completeness-only", VALID]).exit_code == 2
    assert run_cli(["verify", "--processes", "0", VALID]).exit_code == 2


def test_missing_bag_is_a_finding_and_the_others_are_verified(
    run_cli: RunCli, tmp_path: Path
) -> None:
    result = run_cli(["verify", VALID, str(tmp_path / "nope"), "--format", "json"])
    assert result.exit_code == 1
    first, missing = json.loads(result.output)["bags"]
    assert first["valid"] is True
    assert [f["code"] for f in missing["findings"]] == ["BAG-012"]
    assert "does not exist" in missing["findings"][0]["message"]


def test_undecodable_file_names_are_printed_not_crashed_on(run_cli: RunCli, tmp_path: Path) -> None:
    import os
    import shutil

    bag = tmp_path / "bag"
    shutil.copytree(VALID, bag)
    (bag / "data" / os.fsdecode(b"N\xfa\xf1ez")).write_bytes(b"x")
    text = run_cli(["verify", str(bag)])
    assert text.exit_code == 1
    assert "data/N\\udcfa\\udcf1ez" in text.output
    data = json.loads(run_cli(["verify", "--format", "json", str(bag)]).output)
    assert data["bags"][0]["findings"][0]["path"] == "data/N\\udcfa\\udcf1ez"


def test_bytes_to_bytes_codec_is_not_an_encoding(run_cli: RunCli, tmp_path: Path) -> None:
    import shutil

    bag = tmp_path / "bag"
    shutil.copytree(VALID, bag)
    (bag / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: rot13\n")
    result = run_cli(["verify", "--format", "json", str(bag)])
    assert result.exit_code == 1
    codes = [f["code"] for f in json.loads(result.output)["bags"][0]["findings"]]
    assert "BAG-006" in codes
