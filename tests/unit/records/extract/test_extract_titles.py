"""Titles on legacy pages (site buttons before the title) and the conversation dates they give."""

from __future__ import annotations

from preserve.records.extract.run import extract_text
from preserve.records.types import Record

LEGACY_PAGE = """Search in

Digital Archive International History Declassified

May 12, 1957


This document was made possible with support from the Northwind Foundation

  • Citation

    get citation

    Jan Doe and Ann Roe discuss the harbour.
    "{title}," May 12, 1957, History and Public Policy Program Digital Archive, RGANI, f. 3, op. 12, d. 40. Translated by Ada Lind.
  • share document


English HTML

The discussion then turned to questions of the harbour and of the students.
"""  # noqa: E501


def _record(title: str) -> Record:
    result = extract_text(LEGACY_PAGE.format(title=title), source="page.txt")
    assert result.record is not None
    return result.record


def test_the_cited_title_is_taken_not_the_site_buttons() -> None:
    record = _record("Minutes of the Meeting of Jan Doe and Ann Roe")
    assert record["title"] == "Minutes of the Meeting of Jan Doe and Ann Roe"
    assert record["extraction"]["sources"]["/title"].startswith('line 15: "Minutes of the Meeting')


def test_a_record_of_a_meeting_is_dated_the_page_date_inferred() -> None:
    record = _record("Minutes of the Meeting of Jan Doe and Ann Roe")
    assert record["dates"]["conversation_date"] == "1957-05-12"
    assert "/dates/conversation_date" in record["extraction"]["inferred"]


def test_a_cable_about_a_discussion_gets_no_conversation_date_from_the_page() -> None:
    record = _record("Cable from Ambassador Doe, 'Foreign Ministers’ Discussion'")
    assert record["title"] == "Cable from Ambassador Doe, 'Foreign Ministers’ Discussion'"
    assert "conversation_date" not in record["dates"]
