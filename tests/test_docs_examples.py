"""The Python examples of the docs run as written, as scripts, in a folder set up as they say."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from preserve.bags.verify.verify import verify_bag
from tests.conftest import REPO, SEEDS

_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _examples(doc: str, needle: str) -> str:
    blocks: list[str] = [b for b in _BLOCK.findall((REPO / doc).read_text("utf-8")) if needle in b]
    assert len(blocks) == 1, f"{doc}: expected one example using {needle}"
    return blocks[0]


def _run(code: str, folder: Path) -> str:
    script = folder / "example.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], cwd=folder, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """scans/ and record.json, and no deposits/ folder: as a reader starts."""
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "page-001.txt").write_text("page one\n", encoding="utf-8")
    record = REPO / "tests" / "fixtures" / "records" / "valid" / "clean_record.json"
    shutil.copy(record, tmp_path / "record.json")
    assert SEEDS.is_dir()
    return tmp_path


@pytest.mark.parametrize(
    ("doc", "needle"),
    [
        ("docs/reference/premis.md", "premis_tag_hook"),
        ("docs/how-to/build-a-bag.md", "build_bag"),
    ],
)
def test_python_example_runs_without_its_parent_folder(
    doc: str, needle: str, workdir: Path
) -> None:
    assert not (workdir / "deposits").exists()
    out = _run(_examples(doc, needle), workdir)
    bag = workdir / "deposits" / "BAG-0001"
    assert verify_bag(bag).ok
    assert (bag / "data" / "scans" / "page-001.txt").is_file()
    if needle == "premis_tag_hook":
        assert "metadata/premis.xml" in out
        assert "Source-Organization: Example Archive" in (bag / "bag-info.txt").read_text()


def test_spreadsheet_example_finds_what_the_page_says(tmp_path: Path) -> None:
    out = _run(_examples("docs/how-to/validate-records.md", "export.csv"), tmp_path)
    lines = out.splitlines()
    assert any(line.startswith("REC-016 None None read as semicolon-separated") for line in lines)
    assert any(
        line.startswith("REC-017 1 archive_reference.fnod") and "archive_reference.fond" in line
        for line in lines
    )
    assert all(line.split()[0] in {"REC-016", "REC-017", "REC-020", "REC-041"} for line in lines)
