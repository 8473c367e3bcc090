"""What one step produces, the next accepts; a run that checked nothing is no success.

Issue 11, items 9 and 13, through the real CLI (and the Python API for item 9).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import preserve
from tests.e2e.conftest import SAMPLES, Tree
from tests.e2e.conftest import preserve as run_preserve

RECORD = "01-sorokin-arvelo-1962-03-02"


def test_extract_output_is_what_bag_record_takes(tree: Tree, tmp_path: Path) -> None:
    extracted = tmp_path / "record.json"
    done = run_preserve("extract", tree.src / "records" / f"{RECORD}.txt", "-o", extracted)
    assert done.code == 0, done.err
    bag = tmp_path / "bag"
    made = run_preserve("bag", tree.src / "files" / RECORD, "--record", extracted, "--out", bag)
    assert made.code == 0, made.err
    assert json.loads((bag / "metadata" / "record.json").read_text("utf-8"))["archive_reference"]


def test_extract_returns_what_validate_records_takes() -> None:
    documents = sorted((SAMPLES / "records").iterdir())
    from_files = preserve.validate(documents)
    from_memory = preserve.validate_records(preserve.extract(documents))
    assert from_memory.findings
    assert sorted({f.code for f in from_memory.findings}) == sorted(
        {f.code for f in from_files.findings}
    )


def test_a_spreadsheet_that_cannot_be_read_is_an_error(tmp_path: Path) -> None:
    sheet = tmp_path / "real.xlsx"
    sheet.write_bytes(b"PK\x03\x04 this is not a workbook")
    run = run_preserve("validate", sheet)
    assert run.code == 1, run.out
    assert "(valid)" not in run.out
    assert sheet.name in run.out + run.err


def test_checking_nothing_is_never_success(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for args in (("validate", empty), ("extract", empty)):
        run = run_preserve(*args)
        assert run.code == 1, (args, run.out, run.err)
        assert "(valid)" not in run.out


def test_an_ingest_of_nothing_is_never_success(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(SAMPLES / "files", source / "files")  # scans, but no record
    run = run_preserve("ingest", source, "--out", tmp_path / "deposit")
    assert run.code == 1, (run.out, run.err)
