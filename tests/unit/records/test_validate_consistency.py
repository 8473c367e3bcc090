"""A record that contradicts itself, or carries a value copied from a template, fails."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import preserve
from preserve.records.classification import LEVELS
from preserve.records.placeholders import is_placeholder
from tests.conftest import REPO, SEEDS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "records"
BASE: dict[str, Any] = json.loads((FIXTURES / "valid" / "clean_record.json").read_text())


def _findings(record: dict[str, Any]) -> dict[str, str | None]:
    return {f.code: f.field for f in preserve.validate_records([record]).findings}


@pytest.mark.parametrize(
    ("classification", "expected"),
    [
        ({"level": "unclassified", "marking": "Secret"}, {"REC-043": "/classification/level"}),
        ({"level": "secret", "marking": "Top Secret"}, {"REC-043": "/classification/level"}),
        ({"level": "secret", "marking": "СЕКРЕТНО"}, {}),
        ({"level": "top_secret", "marking": "Совершенно секретно, Особая папка"}, {}),
        # Without a marking, the catalogue's Original Classification is compared instead.
        ({"level": "unclassified", "original_classification": "SECRET"},
         {"REC-043": "/classification/level"}),
        # Marking and catalogue disagree: REC-035 says so, and the level follows the marking.
        ({"level": "secret", "marking": "Secret", "original_classification": "Top Secret"},
         {"REC-035": "/classification/original_classification"}),
        # A marking preserve does not know is not compared (nothing firm to say).
        ({"level": "secret", "marking": "Geheim"}, {}),
    ],
)  # fmt: skip
def test_level_agrees_with_the_marking(
    classification: dict[str, str], expected: dict[str, str]
) -> None:
    record = copy.deepcopy(BASE)
    record["classification"] = classification
    assert _findings(record) == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("rights", {"statement": "..."}),
        ("rights", {"statement": "…"}),
        ("rights", {"statement": " [...] "}),
        ("rights", {"statement": "<rights statement>"}),
        ("rights", {"statement": "<…>"}),
        ("rights", {"statement": "{statement}"}),
        ("author", "TODO"),
        ("author", "todo:"),
        ("author", "xxx"),
        ("author", "XXXX"),
        ("summary", "Example"),
        ("summary", "TBD"),
        ("summary", "Lorem ipsum dolor sit amet."),
        ("title", "FIXME"),
        ("obtained_by", ["Sample Collection", "placeholder"]),
    ],
)
def test_placeholders_are_refused(field: str, value: Any) -> None:
    record = copy.deepcopy(BASE)
    record[field] = value
    found = preserve.validate_records([record]).findings
    assert [f.code for f in found if f.code == "REC-044"] == ["REC-044"]
    assert not preserve.validate_records([record]).ok


@pytest.mark.parametrize(
    "value",
    [
        "Todo el mundo",  # Spanish "all": a placeholder only as the whole word
        "An example of Soviet trade policy",
        "XXX Congress of the CPSU",
        "Minutes ... continued",
        "P. N. Orlov",
        "Copyright undetermined.",
        "N/A",
        "Reuse for research and teaching is welcome.",
        "x",
        "XX",
        "Секретно",
    ],
)
def test_real_values_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


def test_no_real_record_trips_the_placeholder_rule() -> None:
    # Every record the project ships or extracts from real documents: seeds, samples, fixtures.
    sources = [SEEDS, REPO / "samples", FIXTURES / "valid", FIXTURES / "extract"]
    result = preserve.validate([p for p in sources if p.exists()])
    assert result.records > 5
    assert [f for f in result.findings if f.code in {"REC-043", "REC-044"}] == []


def test_every_marking_matches_its_own_level() -> None:
    for level, markings in LEVELS.items():
        for marking in markings:
            record = copy.deepcopy(BASE)
            record["classification"] = {"level": level, "marking": marking}
            assert "REC-043" not in _findings(record), marking
