"""A record that contradicts itself, or carries a value copied from a template, fails."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import preserve
from preserve.records.classification import LEVELS
from preserve.records.validate.placeholders import is_placeholder
from tests.conftest import REPO, SEEDS

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "records"
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


def _numbered(n: int, number: str, date: str) -> dict[str, Any]:
    """A clean record of the same delo and year as BASE, with its own leaves and id."""
    record = copy.deepcopy(BASE)
    day = int(date[8:])
    month = ["January", "February", "March", "April", "May"][int(date[5:7]) - 1]
    record["title"] = f"Record {n}, {day} {month} {date[:4]}"
    record["dates"] = {"document_date": date, "conversation_date": date}
    record["outgoing_number"] = number
    first = 100 + 10 * n
    record["archive_reference"]["citation"] = (
        f"AVP RF, f. 0200, op. 7, p. 31, d. 12, ll. {first}-{first + 2}"
    )
    record["archive_reference"]["leaves"] = [{"first": first, "last": first + 2}]
    record["source"] = {"url": f"https://archive.example/document/{n}", "record_id": str(n)}
    return record


def _order_findings(*records: dict[str, Any]) -> list[tuple[str | None, str]]:
    found = preserve.validate_records(list(records)).findings
    return [(f.record, f.details["other"]) for f in found if f.code == "REC-055"]


def _label(record: dict[str, Any]) -> str:
    return str(record["archive_reference"]["citation"])


def test_number_order_reports_the_odd_one_out_not_its_neighbour() -> None:
    # No. 83 of 23 March and No. 100 of 3 April agree; a later No. 90 is the odd one.
    a = _numbered(1, "83", "1963-03-23")
    b = _numbered(2, "100", "1963-04-03")
    odd = _numbered(3, "90", "1963-04-10")
    for order in ([a, b, odd], [odd, b, a], [b, odd, a]):
        assert _order_findings(*order) == [(_label(odd), _label(b))]


def test_number_order_reports_an_early_document_with_a_high_number() -> None:
    odd = _numbered(1, "200", "1963-03-01")
    a = _numbered(2, "83", "1963-03-23")
    b = _numbered(3, "100", "1963-04-03")
    assert _order_findings(a, odd, b) == [(_label(odd), _label(a))]


def test_number_order_between_two_reports_the_later_document() -> None:
    a = _numbered(1, "41", "1961-03-20")
    later = _numbered(2, "30", "1961-05-09")
    assert _order_findings(a, later) == [(_label(later), _label(a))]


def test_number_order_in_a_long_register() -> None:
    # 39 numbers rising through January and February, then a late low number.
    dates = [f"1963-0{1 + i // 28}-{1 + i % 28:02d}" for i in range(1, 40)]
    register = [_numbered(i, str(10 * i), d) for i, d in enumerate(dates, start=1)]
    stray = _numbered(50, "15", "1963-02-20")
    assert _order_findings(stray, *register) == [(_label(stray), _label(register[-1]))]
