"""Rules beyond the schema: leaves, dates, numbers, cross-record keys, the quick pass."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from preserve.records.validate.crosscheck import CrossCheck
from preserve.records.validate.quick import passes_quickly
from preserve.records.validate.semantic import CHECKS, check_record, leaf_span
from preserve.records.validate.validation import validate_records

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "records"
BASE: dict[str, Any] = json.loads((FIXTURES / "valid" / "clean_record.json").read_text())


def codes(record: dict[str, Any]) -> set[str]:
    return {f.code for f in check_record(record, source="t", record="r")}


def with_(**changes: Any) -> dict[str, Any]:
    record = copy.deepcopy(BASE)
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = record
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return record


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        pytest.param({"first": 5, "last": 7}, {"first": 7, "last": 7, "verso": True}, False,
                     id="next-document-starts-on-verso"),
        pytest.param({"first": 5, "last": 7}, {"first": 7, "last": 9}, True, id="shared-leaf"),
        pytest.param({"first": 5, "last": 7, "verso": True}, {"first": 8, "last": 9}, False,
                     id="verso-then-next-leaf"),
        pytest.param({"first": 5, "last": 5}, {"first": 5, "last": 5, "verso": True}, False,
                     id="recto-and-verso"),
    ],
)  # fmt: skip
def test_leaf_sides(a: dict[str, Any], b: dict[str, Any], overlap: bool) -> None:
    (s1, e1), (s2, e2) = leaf_span(a), leaf_span(b)
    assert (s1 <= e2 and s2 <= e1) is overlap


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({"dates__conversation_date": "1961-03-11/1961-03-12",
                      "title": "Record of a Conversation, 11-12 March 1961"}, set(),
                     id="range-title"),
        pytest.param({"dates__conversation_date": "1961-03-12",
                      "title": "Record of a Conversation, 11-12 March 1961"}, {"REC-034"},
                     id="range-title-single-date"),
        pytest.param({"title": "Record of a Conversation, March 12, 1961"}, set(), id="us-order"),
        pytest.param({"title": "Запись беседы, 12 марта 1961 г."}, set(), id="russian"),
        pytest.param({"title": "Record of a Conversation"}, set(), id="no-date-in-title"),
        pytest.param({"dates__conversation_date": "1961-03"}, set(), id="imprecise-skipped"),
        pytest.param({"dates__conversation_date": "1961-04~"}, {"REC-033"}, id="edtf-after"),
        pytest.param({"dates__conversation_date": "1961-03-19/1961-03-21"}, {"REC-033", "REC-034"},
                     id="interval-ends-after"),
    ],
)  # fmt: skip
def test_date_rules(changes: dict[str, Any], expected: set[str]) -> None:
    assert codes(with_(**changes)) == expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        pytest.param("Outgoing № 41", set(), id="numero-sign"),
        pytest.param("Outgoing Nº 41", set(), id="masculine-ordinal"),
        pytest.param("Outgoing N° 41", set(), id="degree-sign"),
        pytest.param("Исх. № 41", set(), id="russian"),
        pytest.param("Outgoing No. 14", {"REC-037"}, id="disagrees"),
        pytest.param("Outgoing No. 4O", {"REC-038"}, id="letter-o"),
    ],
)
def test_printed_numbers(printed: str, expected: set[str]) -> None:
    assert codes(with_(extraction__printed={"/outgoing_number": printed})) == expected


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({"extraction__contents": "Translation - English", "translators": []},
                     {"REC-039"}, id="contents-say-translation"),
        pytest.param({"languages": {"original": "eng", "content": "eng"}, "translators": []},
                     set(), id="not-a-translation"),
        pytest.param({"source__url": "https://archive.example/doc?id=501"}, set(),
                     id="id-in-query"),
        pytest.param({"classification__original_classification": "SECRET"}, set(),
                     id="marking-case"),
        pytest.param({"classification__original_classification": "Секретно"}, set(),
                     id="marking-russian"),
        pytest.param({"classification": {"level": "for_official_use", "marking": "DSP"}},
                     set(), id="dsp-needs-no-copy"),
        pytest.param({"rights": {"uri": "http://rightsstatements.org/vocab/InC/1.0/"}}, set(),
                     id="uri-alone-is-a-statement"),
    ],
)  # fmt: skip
def test_other_rules(changes: dict[str, Any], expected: set[str]) -> None:
    record = with_(**changes)
    if changes.get("translators") == []:
        del record["translators"]
    if "classification" in changes:
        del record["copy_number"]
    assert codes(record) == expected


def test_citation_in_russian_form_agrees_with_parts() -> None:
    record = with_(archive_reference__citation="АВП РФ. Ф. 0200. Оп. 7. П. 31. Д. 12. Л. 40–42")
    record["archive_reference"]["repository"] = "АВП РФ"
    assert codes(record) == set()


def test_a_citation_part_missing_on_either_side_is_said_in_words() -> None:
    # A part the structured fields lack is "missing" and one the citation lacks is "no
    # papka", never Python's None.
    record = with_(archive_reference__citation="АВП РФ. Ф. 0200. Оп. 7. П. 31. Д. 12. Л. 40–42")
    record["archive_reference"]["repository"] = "АВП РФ"
    del record["archive_reference"]["opis"]
    by_field = {f.field: f.message for f in check_record(record, source="t", record="r")}
    assert (
        "the citation gives opis '7' but /archive_reference/opis is missing"
        in by_field["/archive_reference/opis"]
    )
    record = with_(archive_reference__citation="АВП РФ. Ф. 0200. Оп. 7. Д. 12. Л. 40–42")
    record["archive_reference"]["repository"] = "АВП РФ"
    by_field = {f.field: f.message for f in check_record(record, source="t", record="r")}
    assert (
        "the citation gives no papka but /archive_reference/papka is '31'"
        in by_field["/archive_reference/papka"]
    )
    assert not any("None" in message for message in by_field.values())


def test_cross_record_rules_name_the_other_record() -> None:
    first = copy.deepcopy(BASE)
    second = with_(title="Another record, 2 May 1961", dates__document_date="1961-05-09",
                   dates__conversation_date="1961-05-02", outgoing_number="40")  # fmt: skip
    second["archive_reference"] |= {
        "citation": "AVP RF, f. 0200, op. 7, p. 31, d. 12, ll. 41-44",
        "leaves": [{"first": 41, "last": 44}],
    }
    result = validate_records([first, second], source="batch")
    found = {f.code: f for f in result.findings}
    assert set(found) == {"REC-050", "REC-054", "REC-055"}
    assert found["REC-054"].details["other"] == BASE["archive_reference"]["citation"]
    assert found["REC-055"].severity == "warning"


def test_registers_restart_each_year() -> None:
    a = copy.deepcopy(BASE)
    b = with_(title="Next year, 2 May 1962", dates__document_date="1962-05-09",
              dates__conversation_date="1962-05-02", outgoing_number="3",
              source={"url": "https://archive.example/document/9", "record_id": "9"})  # fmt: skip
    b["archive_reference"] |= {
        "citation": "AVP RF, f. 0200, op. 7, p. 31, d. 12, ll. 50-52",
        "leaves": [{"first": 50, "last": 52}],
    }
    assert validate_records([a, b]).findings == ()


def test_cross_check_keeps_keys_not_records() -> None:
    cross = CrossCheck()
    cross.add(copy.deepcopy(BASE), source="a", record="r1")
    kept = json.dumps([repr(v) for v in cross._keys.values()])
    assert "Orlov" not in kept
    assert "summary" not in kept


@pytest.mark.parametrize(
    ("document", "conversation", "expected"),
    [
        # The forms records.md allows stay valid: reduced precision, intervals, EDTF.
        pytest.param("1961", "1961-03", [], id="reduced-precision"),
        pytest.param("1961-03-20", "1961-03-11/1961-03-12", [], id="interval"),
        pytest.param("1961-03-20", "1961-03-12~", [], id="approximate"),
        pytest.param("1961-03-20", "1961-03-12?", [], id="uncertain"),
        pytest.param("1961-03-20", "1961-XX-31", [], id="unknown-month"),
        pytest.param("1961-03-20", "196X-02-29", [], id="unknown-year-has-a-leap-year"),
        pytest.param("1961-03-20", "1961-03/1961-03-15", [], id="imprecise-start"),
        pytest.param("1961-03-20", "1961-03-10/..", [], id="open-end"),
        pytest.param("1960-02-29", "1960-02-29", [], id="leap-day"),
        pytest.param("2000-02-29", "2000-02-29", [], id="leap-century"),
        # Right form, no such day: each an error naming its field.
        pytest.param("1961-02-30", None, [("REC-045", "/dates/document_date")], id="30-feb"),
        pytest.param("1900-02-29", None, [("REC-045", "/dates/document_date")], id="1900"),
        pytest.param("1961-04-31", None, [("REC-045", "/dates/document_date")], id="31-april"),
        pytest.param("1961-03-20", "1961-02-30", [("REC-045", "/dates/conversation_date")],
                     id="conversation-30-feb"),
        pytest.param("1961-03-20", "1961-02-29?", [("REC-045", "/dates/conversation_date")],
                     id="uncertain-29-feb"),
        pytest.param("1961-03-20", "1961-03-12/1961-03-11",
                     [("REC-046", "/dates/conversation_date")], id="reversed"),
        pytest.param("1961-03-20", "1962/1961-05", [("REC-046", "/dates/conversation_date")],
                     id="reversed-years"),
        pytest.param("1961-03-20", "1961-02-30/1961-02-20",
                     [("REC-045", "/dates/conversation_date"),
                      ("REC-046", "/dates/conversation_date")], id="both"),
    ],
)  # fmt: skip
def test_a_date_must_name_a_real_day(
    document: str, conversation: str | None, expected: list[tuple[str, str]]
) -> None:
    record = with_(dates__document_date=document, title="Record of a Conversation")
    if conversation is None:
        del record["dates"]["conversation_date"]
    else:
        record["dates"]["conversation_date"] = conversation
    result = validate_records([record], source="r.json")
    assert [(f.code, f.field) for f in result.findings] == expected
    assert result.ok is (not expected)


def test_a_related_document_date_must_name_a_real_day() -> None:
    record = with_(
        related=[{"title": "A", "date": "1961-03"}, {"title": "B", "date": "1961-06-31"}]
    )
    (finding,) = validate_records([record], source="r.json").findings
    assert (finding.code, finding.field) == ("REC-045", "/related/1/date")
    assert finding.message.startswith("'1961-06-31' is not a real day (June 1961 has 30 days)")


# The quick pass must never accept a record that a rule would report.
_MUTATIONS = st.fixed_dictionaries(
    {},
    optional={
        "title": st.sampled_from(["Talk, 12 March 1961", "Talk, 11-12 March 1961", "Talk",
                                  "Talk, 112 March 1961", "Talk, 13 March 1961"]),
        "dates__conversation_date": st.sampled_from(["1961-03-12", "1961-03-21", "1961-03",
                                                     "1961-03-11/1961-03-12", "1961-02-29",
                                                     "1961-03-12/1961-03-11"]),
        "dates__document_date": st.sampled_from(["1961-03-20", "1961-03-01", "1961",
                                                 "1961-04-31", "1961-03-31"]),
        "related": st.sampled_from([[{"title": "A", "date": "1961-02-30"}],
                                    [{"title": "A", "date": "1961-03-31"}]]),
        "archive_reference__delo": st.sampled_from(["12", "13", "1 2"]),
        "archive_reference__citation": st.sampled_from(
            ["AVP RF, f. 0200, op. 7, p. 31, d. 12, ll. 40-42",
             "AVP RF, f. 0200, op. 7, p. 31, d. 12, l. 40", "f. 0200, d. 12"]),
        "archive_reference__leaves": st.sampled_from(
            [[{"first": 40, "last": 42}], [{"first": 42, "last": 40}],
             [{"first": 40, "last": 40}], [{"first": 40, "last": 42, "verso": False}]]),
        "copy_number": st.sampled_from([1, None]),
        "source__url": st.sampled_from(["https://a.example/document/501",
                                        "https://a.example/x?501", "https://a.example/5010"]),
        "translators": st.sampled_from([["A"], []]),
        "rights": st.sampled_from([{}, {"statement": "x"}, {"statement": "..."}]),
        "classification": st.sampled_from([{"level": "secret", "marking": "Secret"},
                                           {"level": "unclassified", "marking": "SECRET"},
                                           {"level": "secret", "marking": "Top Secret"}]),
        "author": st.sampled_from(["P. N. Orlov", "TODO", "<author>"]),
        "document_type": st.sampled_from(["letter", "memorandum_of_conversation"]),
    },
)  # fmt: skip


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_MUTATIONS)
def test_quick_pass_never_hides_a_finding(changes: dict[str, Any]) -> None:
    record = with_(**changes)
    for key in ("copy_number", "translators"):
        if record.get(key) in (None, []):
            record.pop(key, None)
    if passes_quickly(record):
        assert [hit for check in CHECKS for hit in check(record)] == []


def test_a_null_where_a_value_belongs_is_called_null_not_an_object() -> None:
    record = with_(title=None)
    result = validate_records([record], source="t.json")
    (finding,) = [f for f in result.findings if f.field == "/title"]
    assert finding.code == "REC-021"
    assert finding.message.startswith("null is no value but must be a string")
    assert "leave the field out" in finding.message
    assert "object" not in finding.message
