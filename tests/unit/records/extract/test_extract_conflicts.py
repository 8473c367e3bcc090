"""Two values for one field (EXT-023): the user is told both values, where each was
printed, and which one the record holds; a single value gives no warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from preserve.findings import Finding
from preserve.records.extract.run import extract_text

SAMPLES = Path(__file__).resolve().parents[4] / "samples" / "records"
PAGE = next(SAMPLES.glob("01*.txt")).read_text("utf-8")
JOURNAL = next(SAMPLES.glob("02*.md")).read_text("utf-8")


def _changed(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def _extract(text: str) -> tuple[dict[str, object], list[Finding]]:
    result = extract_text(text, source="doc")
    assert result.record is not None
    return dict(result.record), [f for f in result.findings if f.code == "EXT-023"]


@pytest.mark.parametrize(
    ("text", "field", "values", "taken"),
    [
        pytest.param(
            _changed(PAGE, "\n10 March 1962\n", "\n10 March 1962\n\n11 March 1962\n"),
            "/dates/document_date",
            ("'1962-03-10' (in '10 March 1962')", "'1962-03-11' (in '11 March 1962')"),
            "'1962-03-10' (the first printed) was taken",
            id="second-date-line",
        ),
        pytest.param(
            _changed(JOURNAL, "Outgoing № 52\n", "Outgoing № 52\nOutgoing № 53\n"),
            "/outgoing_number",
            ("'52' (in 'Outgoing № 52')", "'53' (in 'Outgoing № 53')"),
            "'52' (the first printed) was taken",
            id="second-outgoing-number",
        ),
        pytest.param(
            _changed(JOURNAL, "Secret Copy № 2  \n", "Secret  \nTop Secret Copy № 2  \n"),
            "/classification/marking",
            ("'Secret' (in 'Secret')", "'Top Secret' (in 'Top Secret Copy № 2')"),
            "'Secret' (the first printed) was taken",
            id="secret-then-top-secret",
        ),
        pytest.param(
            _changed(JOURNAL, "**March 28, 1962**", "**March 27, 1962**"),
            "/dates/document_date",
            ("'1962-03-28' (in '28 March 1962')", "'1962-03-27' (in 'March 27, 1962')"),
            "'1962-03-28' (the header's date, the document's own) was taken",
            id="page-date-differs-from-header-date",
        ),
    ],
)
def test_two_values_are_named_with_the_one_taken(
    text: str, field: str, values: tuple[str, str], taken: str
) -> None:
    _, found = _extract(text)
    [finding] = found
    assert (finding.severity, finding.field) == ("warning", field)
    assert values[0] in finding.message
    assert values[1] in finding.message
    assert taken in finding.message


def test_the_record_holds_the_value_the_warning_says_was_taken() -> None:
    record, _ = _extract(_changed(JOURNAL, "Outgoing № 52\n", "Outgoing № 52\nOutgoing № 53\n"))
    assert record["outgoing_number"] == "52"


def test_a_value_printed_twice_alike_is_no_conflict() -> None:
    _, found = _extract(_changed(JOURNAL, "Outgoing № 52\n", "Outgoing № 52\nOutgoing № 52\n"))
    assert found == []


@pytest.mark.parametrize("text", [PAGE, JOURNAL], ids=["page", "journal"])
def test_the_samples_give_no_conflict(text: str) -> None:
    # Sample 01's page date (10 March) is its header date; 02's (28 March) too.
    assert _extract(text)[1] == []


def test_a_page_date_that_is_the_talks_date_is_no_conflict() -> None:
    text = _changed(PAGE, "March 10, 1962", "March 2, 1962")  # the page shows the talk's day
    record, found = _extract(text)
    assert record["dates"] == {"document_date": "1962-03-10", "conversation_date": "1962-03-02"}
    assert found == []
