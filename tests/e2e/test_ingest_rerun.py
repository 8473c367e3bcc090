"""A re-run of ``preserve ingest`` keeps a bag only when it is there and whole, and makes
the archive ``--serialize`` asks for (QA report: "unchanged" for a damaged or missing bag,
``--serialize`` ignored on a re-run)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import BAG
from tests.e2e.conftest import preserve as run_preserve


def _ingest(source: Path, deposit: Path, *extra: str) -> tuple[int, str, dict[str, Any]]:
    run = run_preserve("ingest", source, "--out", deposit, "--organisation", "QA", *extra)
    assert "Traceback" not in run.err, run.err
    report = json.loads((deposit / "ingest-report.json").read_text(encoding="utf-8"))
    (entry,) = report["records"]
    return run.code, run.out, entry


def _codes(entry: dict[str, Any]) -> list[str]:
    return [f["code"] for f in entry["findings"]]


def _verifies(path: Path) -> None:
    run = run_preserve("verify", path)
    assert run.code == 0, run.out + run.err


def _replace_with_file(bag: Path) -> None:
    shutil.rmtree(bag)
    bag.touch()


def _remove_payload(bag: Path) -> None:
    shutil.rmtree(bag / "data")


def _remove_a_scan(bag: Path) -> None:
    (bag / "data" / "leaf-002.png").unlink()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(_replace_with_file, id="bag-replaced-by-empty-file"),
        pytest.param(_remove_payload, id="data-removed"),
        pytest.param(_remove_a_scan, id="one-scan-removed"),
    ],
)
def test_a_damaged_bag_folder_is_reported_not_unchanged(
    source: Path, tmp_path: Path, damage: Any
) -> None:
    deposit = tmp_path / "d"
    code, _, entry = _ingest(source, deposit)
    assert (code, entry["status"]) == (0, "packaged")
    damage(deposit / BAG)
    before = sorted(p.relative_to(deposit) for p in deposit.rglob("*"))

    code, out, entry = _ingest(source, deposit)
    assert code == 1, out
    assert entry["status"] != "unchanged"
    assert "ING-011" in _codes(entry)
    (finding,) = [f for f in entry["findings"] if f["code"] == "ING-011"]
    assert finding["source"] == str(deposit / BAG)
    assert BAG in out
    assert "ING-011" in out
    # The damaged deposit is left as it was: never replaced without being asked.
    assert before == sorted(p.relative_to(deposit) for p in deposit.rglob("*"))


def test_a_truncated_archive_is_reported_not_unchanged(source: Path, tmp_path: Path) -> None:
    deposit = tmp_path / "d"
    code, _, entry = _ingest(source, deposit, "--serialize", "tgz")
    assert (code, entry["archive"]) == (0, f"{BAG}.tar.gz")
    archive = deposit / f"{BAG}.tar.gz"
    archive.write_bytes(archive.read_bytes()[:100])

    code, out, entry = _ingest(source, deposit, "--serialize", "tgz")
    assert code == 1, out
    assert "ING-011" in _codes(entry)
    assert f"{BAG}.tar.gz" in out
    assert archive.stat().st_size == 100  # left for the user to deal with

    # Without the .sha256 file beside it, the archive must still open and hold the bag.
    (deposit / f"{BAG}.tar.gz.sha256").unlink()
    code, out, entry = _ingest(source, deposit, "--serialize", "tgz")
    assert code == 1, out
    assert "ING-011" in _codes(entry)


def test_a_whole_archive_without_its_sha256_file_is_unchanged(source: Path, tmp_path: Path) -> None:
    deposit = tmp_path / "d"
    _ingest(source, deposit, "--serialize", "zip")
    (deposit / f"{BAG}.zip.sha256").unlink()
    code, out, entry = _ingest(source, deposit)
    assert (code, entry["status"], entry["archive"]) == (0, "unchanged", f"{BAG}.zip"), out


def test_a_bag_that_is_gone_is_packaged_again(source: Path, tmp_path: Path) -> None:
    deposit = tmp_path / "d"
    _ingest(source, deposit)
    shutil.rmtree(deposit / BAG)
    code, out, entry = _ingest(source, deposit)
    assert (code, entry["status"]) == (0, "packaged"), out
    _verifies(deposit / BAG)


def test_serialize_on_a_rerun_makes_the_archive(source: Path, tmp_path: Path) -> None:
    deposit = tmp_path / "d"
    _ingest(source, deposit)
    code, out, entry = _ingest(source, deposit, "--serialize", "zip")
    assert code == 0, out
    assert (entry["status"], entry["archive"]) == ("packaged", f"{BAG}.zip")
    _verifies(deposit / f"{BAG}.zip")
    # As when the bag is built with --serialize: the archive replaces the folder.
    assert not (deposit / BAG).exists()

    code, out, entry = _ingest(source, deposit, "--serialize", "zip")
    assert (code, entry["status"], entry["archive"]) == (0, "unchanged", f"{BAG}.zip"), out


def test_an_archive_of_another_kind_is_made_from_the_kept_one(source: Path, tmp_path: Path) -> None:
    deposit = tmp_path / "d"
    _ingest(source, deposit, "--serialize", "tgz")
    code, out, entry = _ingest(source, deposit, "--serialize", "zip")
    assert code == 0, out
    assert (entry["status"], entry["archive"]) == ("packaged", f"{BAG}.zip")
    _verifies(deposit / f"{BAG}.zip")
    _verifies(deposit / f"{BAG}.tar.gz")  # the archive already handed over is kept


def test_a_run_interrupted_before_its_archive_is_finished_next_time(
    source: Path, tmp_path: Path
) -> None:
    """What an interrupted ``--serialize tgz`` run leaves: the verified bag folder, no
    archive and no report (the run stopped before writing one)."""
    deposit = tmp_path / "d"
    _ingest(source, deposit)
    (deposit / "ingest-report.json").unlink()

    code, out, entry = _ingest(source, deposit, "--serialize", "tgz")
    assert code == 0, out
    assert (entry["status"], entry["archive"]) == ("packaged", f"{BAG}.tar.gz")
    _verifies(deposit / f"{BAG}.tar.gz")
    assert sorted(p.name for p in deposit.iterdir()) == [
        f"{BAG}.tar.gz",
        f"{BAG}.tar.gz.sha256",
        "ingest-report.json",
    ]


def test_a_damaged_folder_is_not_serialized(source: Path, tmp_path: Path) -> None:
    deposit = tmp_path / "d"
    _ingest(source, deposit)
    (deposit / BAG / "data" / "leaf-001.tif").write_bytes(b"not the scan")
    # Same size, so the fast check passes and the full verification before archiving fails.
    code, out, entry = _ingest(source, deposit, "--serialize", "zip")
    assert code == 1, out
    assert "ING-011" in _codes(entry)
    assert not (deposit / f"{BAG}.zip").exists()
    assert (deposit / BAG / "data" / "leaf-001.tif").exists()
