"""Conversation dates a user would otherwise get wrong without a word: a range across
months, an impossible date in the title, and the date printed just under the heading."""

from __future__ import annotations

from pathlib import Path

import pytest

from preserve.records.dates import find_dates, find_impossible_dates, parse_date
from preserve.records.extract.run import extract_text

SAMPLES = Path(__file__).resolve().parents[4] / "samples" / "records"
JOURNAL = next(SAMPLES.glob("02*.md")).read_text("utf-8")
PAGE = next(SAMPLES.glob("01*.txt")).read_text("utf-8")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        pytest.param("20 February - 2 March 1962", "1962-02-20/1962-03-02", id="day-month"),
        pytest.param("20 February-2 March 1962", "1962-02-20/1962-03-02", id="no-spaces"),
        pytest.param("February 20 – March 2, 1962", "1962-02-20/1962-03-02", id="month-day"),
        pytest.param("30 сентября — 2 октября 1963 г.", "1963-09-30/1963-10-02", id="russian"),
        pytest.param("28 December - 3 January 1963", None, id="backwards-is-no-range"),
    ],
)
def test_a_range_across_months_is_an_interval(text: str, value: str | None) -> None:
    assert parse_date(text) == value


def test_impossible_dates_are_found_as_printed() -> None:
    text = "Talks of 31 February 1962 and of 2 March 1962, then 30-31 April 1962"
    assert find_impossible_dates(text) == ["31 February 1962", "30-31 April 1962"]
    assert [d.value for d in find_dates(text)] == ["1962-03-02"]


def test_a_conversation_across_months_keeps_its_interval() -> None:
    text = JOURNAL.replace("20-21 March", "20 February-2 March")
    result = extract_text(text, source="j.md")
    assert result.record is not None
    assert result.record["dates"]["conversation_date"] == "1962-02-20/1962-03-02"


def test_an_impossible_title_date_is_left_out_and_said() -> None:
    assert "2 March 1962" in PAGE
    text = PAGE.replace("2 March 1962", "31 February 1962")
    result = extract_text(text, source="f.txt")
    assert result.record is not None
    assert "conversation_date" not in result.record["dates"]
    assert result.record["dates"]["document_date"] == "1962-03-10"
    [finding] = result.findings
    assert (finding.code, finding.severity, finding.field) == (
        "EXT-022",
        "warning",
        "/dates/conversation_date",
    )
    assert "'31 February 1962'" in finding.message


MEMO = """April 12, 1979
Memorandum of Conversation with A. B. Someone
SECRET
Embassy of X
April 12, 1979 Moscow
Memorandum of conversation
On the invitation
The talk was held at the ministry (April 10, 1979, 12 o'clock).
The parties exchanged views on the matters raised earlier.
"""


def test_the_date_just_under_the_heading_is_the_conversation_date() -> None:
    result = extract_text(MEMO, source="m.txt")
    assert result.record is not None
    assert result.record["dates"] == {
        "document_date": "1979-04-12",
        "conversation_date": "1979-04-10",
    }
    assert "/dates/conversation_date" in result.record["extraction"]["inferred"]


def test_a_date_long_before_the_document_is_not_the_talk() -> None:
    text = MEMO.replace("April 10, 1979, 12 o'clock", "recalling the treaty of May 2, 1966")
    result = extract_text(text, source="m.txt")
    assert result.record is not None
    assert result.record["dates"]["conversation_date"] == "1979-04-12"  # the page date


def test_an_impossible_header_date_leaves_the_document_date_out() -> None:
    assert "\n10 March 1962\n" in PAGE
    text = PAGE.replace("\n10 March 1962\n", "\n31 February 1962\n")
    result = extract_text(text, source="h.txt")
    assert result.record is not None
    assert "document_date" not in result.record["dates"]  # not the page's March 10
    assert result.record["outgoing_number"] == "41"  # the header still read on
    [finding] = result.findings
    assert (finding.code, finding.field) == ("EXT-022", "/dates/document_date")
    assert "was left out" in finding.message


def test_an_impossible_title_date_beside_a_read_one_is_still_said() -> None:
    head, _, rest = PAGE.partition("2 March 1962")  # the title's date only
    result = extract_text(head + "31 February 1962" + rest, source="t.txt")
    assert result.record is not None
    assert result.record["dates"]["conversation_date"] == "1962-03-02"  # its own date line
    [finding] = result.findings
    assert (finding.code, finding.field) == ("EXT-022", "/dates/conversation_date")
    assert "holds '1962-03-02', read from line 26" in finding.message
