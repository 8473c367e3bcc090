"""What ``preserve ingest`` does with input no record uses, and how it names bags
(QA report: payload folders skipped without a word; Cyrillic references colliding)."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.e2e.conftest import BAG, STEM
from tests.e2e.conftest import preserve as run_preserve

LEGACY = REPO / "tests" / "fixtures" / "ingest" / "legacy-deposit"


def _ingest(source: Path, deposit: Path, *extra: str, cwd: Path | None = None) -> tuple[int, str]:
    run = run_preserve("ingest", source, "--out", deposit, "--organisation", "QA", *extra, cwd=cwd)
    assert "Traceback" not in run.err, run.err
    return run.code, run.out


def _report(deposit: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((deposit / "ingest-report.json").read_text("utf-8"))
    return data


@pytest.mark.parametrize(
    "folder",
    [
        pytest.param(f"{STEM} ", id="trailing-space"),
        pytest.param(f" {STEM}", id="leading-space"),
        pytest.param(STEM.upper(), id="upper-case"),
        pytest.param(STEM.replace("-03-02", "-03-2"), id="typo"),
        pytest.param(STEM.replace("-", "_"), id="underscores"),
    ],
)
def test_a_misnamed_payload_folder_stops_its_record(
    source: Path, tmp_path: Path, folder: str
) -> None:
    (source / "files" / STEM).rename(source / "files" / folder)
    deposit = tmp_path / "dt"
    code, out = _ingest(source, deposit)
    assert code == 1, out
    (entry,) = _report(deposit)["records"]
    assert entry["status"] == "refused"
    (finding,) = [f for f in entry["findings"] if f["code"] == "ING-013"]
    assert finding["source"] == f"{source / 'files' / folder}/"
    assert "ING-013" in out
    assert not list(deposit.glob("avp-*"))  # not packaged with its .txt alone

    # --force packages records with errors, never without their files.
    code, out = _ingest(source, deposit, "--force")
    assert code == 1, out
    assert not list(deposit.glob("avp-*"))


def test_an_nfd_folder_name_is_the_nfc_records_folder(source: Path, tmp_path: Path) -> None:
    """A folder named on macOS (NFD) beside a record file named in NFC."""
    nfc = "01-sorokin-arvélo"
    (source / "records" / f"{STEM}.txt").rename(source / "records" / f"{nfc}.txt")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    (source / "files" / STEM).rename(source / "files" / nfd)
    deposit = tmp_path / "dt"
    code, out = _ingest(source, deposit)
    assert code == 0, out
    assert sorted(p.name for p in (deposit / BAG / "data").iterdir()) == [
        "leaf-001.tif",
        "leaf-002.png",
    ]


def test_nfc_and_nfd_folders_side_by_side_are_named(source: Path, tmp_path: Path) -> None:
    nfc = "01-sorokin-arvélo"
    (source / "records" / f"{STEM}.txt").rename(source / "records" / f"{nfc}.txt")
    (source / "files" / STEM).rename(source / "files" / nfc)
    nfd = source / "files" / unicodedata.normalize("NFD", nfc)
    nfd.mkdir()
    (nfd / "leaf-003.png").write_bytes((source / "files" / nfc / "leaf-002.png").read_bytes())
    deposit = tmp_path / "dt"
    code, out = _ingest(source, deposit)
    assert code == 1, out
    (finding,) = _report(deposit)["findings"]
    assert (finding["code"], finding["source"]) == ("ING-012", f"{nfd}/")
    assert "NFC/NFD" in finding["message"]


def test_a_folder_for_a_file_of_several_records_is_named(tmp_path: Path) -> None:
    src = tmp_path / "b"
    (src / "records").mkdir(parents=True)
    (src / "files" / "batch").mkdir(parents=True)
    (src / "files" / "batch" / "scan.txt").write_text("a scan\n", encoding="utf-8")
    records = json.loads((LEGACY / "source" / "records" / "01.json").read_text("utf-8"))
    second = json.loads((LEGACY / "source" / "records" / "02.json").read_text("utf-8"))
    lines = [json.dumps(r, ensure_ascii=False) for r in (records, second)]
    (src / "records" / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    deposit = tmp_path / "db"
    code, out = _ingest(src, deposit)
    assert code == 1, out
    (finding,) = _report(deposit)["findings"]
    assert (finding["code"], finding["source"]) == ("ING-012", f"{src / 'files' / 'batch'}/")
    assert "files/batch-1/" in finding["message"]
    assert "ING-012" in out


def test_loose_and_unclaimed_entries_in_files_are_errors(source: Path, tmp_path: Path) -> None:
    (source / "files" / "scan-0001.tif").write_bytes(b"II*\0")
    (source / "files" / "unrelated-box-7").mkdir()
    (source / "files" / ".DS_Store").write_bytes(b"\0")  # hidden: not the user's data
    deposit = tmp_path / "dt"
    code, out = _ingest(source, deposit)
    assert code == 1, out
    report = _report(deposit)
    assert report["records"][0]["status"] == "packaged"  # its own folder is whole
    assert sorted((f["code"], Path(f["source"]).name) for f in report["findings"]) == [
        ("ING-012", "scan-0001.tif"),
        ("ING-012", "unrelated-box-7"),
    ]


def test_a_stray_file_beside_records_is_a_warning(source: Path, tmp_path: Path) -> None:
    (source / "x.md").write_text("Ф. 1, оп. 2\n", encoding="utf-8")
    deposit = tmp_path / "dt"
    code, out = _ingest(source, deposit)
    assert code == 0, out  # the samples' README.md is not named
    (finding,) = _report(deposit)["findings"]
    assert (finding["code"], finding["severity"]) == ("ING-014", "warning")
    assert finding["source"] == str(source / "x.md")
    assert "x.md" in out


def test_cyrillic_references_get_distinct_readable_names(tmp_path: Path) -> None:
    """Both records validate; before, both became bag 0999-7-41-12-1416 (ING-005)."""
    src = tmp_path / "cyr"
    shutil.copytree(LEGACY / "source", src)
    deposit = tmp_path / "d"
    code, out = _ingest(src, deposit)
    assert code == 0, out
    assert sorted(p.name for p in deposit.iterdir()) == [
        "avp-rf-f-0999-op-7-p-41-d-12-l-14-16",
        "ingest-report.json",
        "rgaspi-f-0999-op-7-p-41-d-12-l-14-16",
    ]


def test_an_existing_deposit_keeps_its_bag_names(tmp_path: Path) -> None:
    """tests/fixtures/ingest/legacy-deposit/deposit was written by preserve before names
    kept Cyrillic and dashes (records/02.json was refused then, ING-005)."""
    shutil.copytree(LEGACY, tmp_path / "legacy")
    work = tmp_path / "legacy"
    code, out = _ingest(Path("source"), Path("deposit"), cwd=work)
    assert code == 0, out
    records = {Path(r["key"]).name: r for r in _report(work / "deposit")["records"]}
    assert (records["01.json"]["status"], records["01.json"]["bag"]) == (
        "unchanged",
        "0999-7-41-12-1416",
    )
    assert (records["02.json"]["status"], records["02.json"]["bag"]) == (
        "packaged",
        "rgaspi-f-0999-op-7-p-41-d-12-l-14-16",
    )
    # Without the report, the bag's own bag-info (its input digest) says it is this record's.
    (work / "deposit" / "ingest-report.json").unlink()
    code, out = _ingest(Path("source"), Path("deposit"), cwd=work)
    assert code == 0, out
    statuses = {r["bag"]: r["status"] for r in _report(work / "deposit")["records"]}
    assert statuses == {
        "0999-7-41-12-1416": "unchanged",
        "rgaspi-f-0999-op-7-p-41-d-12-l-14-16": "unchanged",
    }
