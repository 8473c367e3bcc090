"""Every citation form the extractor reads is one ``preserve validate`` accepts (REC-032),
and a reference in another archive's own system is not asked for a fond and a delo (REC-020).

The documents are sample 01 with its source line rewritten, validated by the real CLI."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import preserve

SAMPLE = next((Path(__file__).resolve().parents[2] / "samples" / "records").glob("01*.txt"))
PRINTED = "AVP RF, f. 0999, op. 7, p. 41, d. 12, ll. 14-16."


def _validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "preserve", "validate", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


def _page_citing(tmp_path: Path, citation: str) -> Path:
    text = SAMPLE.read_text("utf-8")
    assert PRINTED in text
    page = tmp_path / "page.txt"
    page.write_text(text.replace(PRINTED, citation), "utf-8")
    return page


@pytest.mark.parametrize(
    "citation",
    [
        pytest.param("AVP RF, f. 0999, op. 7, d. 12, p. 41, ll. 14-16.", id="delo-before-papka"),
        pytest.param("AVP RF, Fond 0999, Opis 7, Delo 12, Papka 41, Listy 14-16.", id="full-words"),
        pytest.param(
            "AVPRF, Fond 0999, Opis 7, Delo 12, Papka 41, Listy 14-16.", id="avprf-full-words"
        ),
    ],
)
def test_a_form_the_extractor_reads_validates_clean(tmp_path: Path, citation: str) -> None:
    done = _validate(_page_citing(tmp_path, citation))
    assert done.returncode == 0, done.stdout
    assert "REC-032" not in done.stdout
    assert "1 record checked: 0 errors, 0 warnings (valid)" in done.stdout


def test_the_extracted_parts_are_those_validation_reads(tmp_path: Path) -> None:
    page = _page_citing(tmp_path, "AVP RF, f. 0999, op. 7, d. 12, p. 41, ll. 14-16.")
    [result] = preserve.extract([page])
    assert result.record is not None
    ref = result.record["archive_reference"]
    parts = (ref.get("fond"), ref.get("opis"), ref.get("papka"), ref.get("delo"))
    assert parts == ("0999", "7", "41", "12")


def test_an_unreadable_leaf_is_named(tmp_path: Path) -> None:
    done = _validate(_page_citing(tmp_path, "AVP RF, f. 0999, op. 7, p. 41, d. 12, ll. 14a."))
    assert done.returncode == 1
    assert "REC-032" in done.stdout
    assert "'ll. 14a'" in done.stdout


def _record(reference: dict[str, Any]) -> dict[str, Any]:
    [result] = preserve.extract([SAMPLE])
    assert result.record is not None
    record = copy.deepcopy(dict(result.record))
    record["archive_reference"] = reference
    return record


def _codes(record: dict[str, Any], tmp_path: Path) -> list[tuple[str, str | None]]:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(record), "utf-8")
    result = preserve.validate([path])
    return [(f.code, f.field) for f in result.findings]


def test_a_chinese_reference_needs_no_fond_or_delo(tmp_path: Path) -> None:
    ref = {"citation": "PRC FMA 106-00274-03, 10-11", "repository": "PRC FMA"}
    assert _codes(_record(ref), tmp_path) == []


def test_another_archives_reference_must_give_its_citation(tmp_path: Path) -> None:
    assert _codes(_record({"repository": "MOL"}), tmp_path) == [
        ("REC-020", "/archive_reference/citation")
    ]


def test_a_russian_reference_still_needs_its_fond_and_delo(tmp_path: Path) -> None:
    ref = {"citation": "AVPRF, Opis 7", "repository": "AVPRF", "opis": "7"}
    assert sorted(_codes(_record(ref), tmp_path)) == [
        ("REC-020", "/archive_reference/delo"),
        ("REC-020", "/archive_reference/fond"),
    ]


def test_the_schemas_russian_archives_are_those_of_the_vocabulary() -> None:
    root = Path(__file__).resolve().parents[2] / "schemas"
    schema = json.loads((root / "record.schema.json").read_text("utf-8"))
    vocabulary = json.loads((root / "repositories.json").read_text("utf-8"))
    russian = [
        v for r in vocabulary["repositories"] if r["country"] == "Russia" for v in r["variants"]
    ]
    condition = schema["$defs"]["archive_reference"]["if"]["properties"]["repository"]["enum"]
    assert condition == russian
