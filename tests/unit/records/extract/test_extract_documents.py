"""Data-driven extraction cases: tests/fixtures/records/extract/<case>.{txt,md,html}.

Each document has a ``<case>.expected.json`` beside it: ``values`` maps JSON
Pointers to the value extracted there, ``absent`` lists pointers that must not be
there, ``inferred`` is the exact ``/extraction/inferred`` and ``findings`` the
EXT codes reported, in order.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from preserve.records.extract.run import extract_file

CASES_DIR = Path(__file__).resolve().parents[3] / "fixtures" / "records" / "extract"
CASES = sorted(p for p in CASES_DIR.iterdir() if not p.name.endswith(".expected.json"))


def _get(record: Mapping[str, Any], pointer: str) -> Any:
    value: Any = record
    for key in pointer.strip("/").split("/"):
        if not isinstance(value, dict) or key not in value:
            raise KeyError(pointer)
        value = value[key]
    return value


@pytest.mark.parametrize("document", CASES, ids=[p.name for p in CASES])
def test_extract_case(document: Path) -> None:
    expected = json.loads(
        document.with_name(f"{document.stem}.expected.json").read_text(encoding="utf-8")
    )
    result = extract_file(document)
    assert [f.code for f in result.findings] == expected["findings"]
    record = result.record
    assert record is not None
    for pointer, value in expected["values"].items():
        assert _get(record, pointer) == value, pointer
    for pointer in expected["absent"]:
        with pytest.raises(KeyError):
            _get(record, pointer)
    assert record["extraction"]["inferred"] == expected["inferred"]


def test_there_are_cases_of_every_form() -> None:
    assert {p.suffix for p in CASES} == {".txt", ".md", ".html"}


def test_html_and_text_forms_of_one_page_agree() -> None:
    text = extract_file(CASES_DIR / "page-english.txt").record
    html = extract_file(CASES_DIR / "page.html").record
    assert text is not None
    assert html is not None
    for key in ("title", "dates", "classification", "copy_number", "author", "summary"):
        assert html[key] == text[key], key
