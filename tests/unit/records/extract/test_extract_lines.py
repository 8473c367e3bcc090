"""The line-based header readers (preserve.records.extract._lines), on made-up pages.

One case per form docs/reference/extraction.md lists under "Layouts", "Markings",
"Copy numbers", "Outgoing numbers" and "Dates"; each reader says the line it read.
"""

from __future__ import annotations

import pytest

from preserve.records.extract._lines import Found, Lines, is_boilerplate, starts_with_a_date

MIRROR = """Skip to content
May 12, 1957
Letter from Jan Doe to Ann Roe
TOP SECRET
Copy No. 3
No. 212/sh
Dear comrade, the text of the letter.
Document Information
Source
RGANI, f. 3, op. 12, d. 40. Translated by Ann Roe.
Rights
The History and Public Policy Program welcomes reuse of Digital Archive materials.
"""

FLATTENED = (
    "Digital Archive International History Declassified digitalarchive.wilsoncenter.org "
    'May 02, 1957 Letter from Jan Doe to Ann Roe Citation: "Letter from Jan Doe to Ann Roe," '
    "May 02, 1957, History and Public Policy Program Digital Archive, RGANI, f. 3, op. 12, "
    "d. 40. Summary: A letter. Contents: English Translation Secret Copy No. 2 "
    "Outgoing Nº 57 Moscow, 2 May 1957 Dear comrade"
)

LEGACY = (
    '"Letter from Jan Doe to Ann Roe," May 02, 1957, History and Public Policy Program '
    "Digital Archive, RGANI, f. 3, op. 12, d. 40. Obtained by Ann Roe.\n"
    "SECRET—URGENT\n"
    "Ciphergram No. 1234\n"
    "Nº 57\n"
)


def test_a_mirror_page_line_by_line() -> None:
    lines = Lines(MIRROR)
    assert lines.page_date() == Found("1957-05-12", 2, "May 12, 1957")
    assert lines.title() == Found(
        "Letter from Jan Doe to Ann Roe", 3, "Letter from Jan Doe to Ann Roe"
    )
    statement = lines.statement()
    assert statement is not None
    assert (statement.value, statement.line) == (
        "RGANI, f. 3, op. 12, d. 40. Translated by Ann Roe.",
        10,
    )
    marked = lines.marking()
    assert marked is not None
    assert (marked[0].level, marked[0].printed, marked[1].line) == ("top_secret", "TOP SECRET", 4)
    copy = lines.copy_number()
    assert copy is not None
    assert (copy[0].value, copy[0].printed, copy[1].where) == (
        3,
        "Copy No. 3",
        "line 5: Copy No. 3",
    )
    assert lines.outgoing_number() == Found("212/sh", 6, "No. 212/sh")
    assert lines.flattened_header() is None


def test_flattened_pdf_text_reads_the_header_after_contents() -> None:
    lines = Lines(FLATTENED)
    date = lines.page_date()
    assert date is not None
    assert (date.value, date.line) == ("1957-05-02", 1)
    title = lines.title()
    assert title is not None
    assert title.value == "Letter from Jan Doe to Ann Roe"
    window = lines.flattened_header()
    assert window is not None
    assert window[1].startswith("Secret Copy No. 2")
    marked = lines.marking()
    assert marked is not None
    assert (marked[0].level, marked[0].printed) == ("secret", "Secret")
    copy = lines.copy_number()
    assert copy is not None
    assert copy[0].value == 2
    outgoing = lines.outgoing_number()
    assert outgoing is not None
    assert outgoing.value == "57"


def test_a_legacy_citation_line_gives_title_and_statement() -> None:
    lines = Lines(LEGACY)
    title = lines.title()
    assert title is not None
    assert (title.value, title.line) == ("Letter from Jan Doe to Ann Roe", 1)
    statement = lines.statement()
    assert statement is not None
    assert statement.value == "RGANI, f. 3, op. 12, d. 40. Obtained by Ann Roe."
    assert lines.page_date() is None


@pytest.mark.parametrize(
    ("line", "level", "printed"),
    [
        pytest.param("TOP SECRET", "top_secret", "TOP SECRET", id="capitals"),
        pytest.param("Secret.", "secret", "Secret", id="full-stop"),
        pytest.param("Strictly Secret", "top_secret", "Strictly Secret", id="strictly"),
        pytest.param("Classification: Secret", "secret", "Secret", id="labelled"),
        pytest.param("SECRET—URGENT", "secret", "SECRET", id="dash-tail"),
        pytest.param("Secret Copy No. 1", "secret", "Secret", id="copy-tail"),
        pytest.param(
            "Number 1346 Top Secret Top Urgent Q36A", "top_secret", "Top Secret", id="cable-number"
        ),
    ],
)
def test_marking_lines(line: str, level: str, printed: str) -> None:
    marked = Lines(f"{line}\nText.\n").marking()
    assert marked is not None
    assert (marked[0].level, marked[0].printed) == (level, printed)
    assert marked[1].where == f"line 1: {line}"


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("Making Copies Prohibited", id="no-level"),
        pytest.param("the secret talks went on", id="lower-case-is-prose"),
        pytest.param("Secret police arrived at dawn", id="word-in-a-sentence"),
        pytest.param("No. 5 Secret police files", id="numbered-sentence"),
    ],
)
def test_not_markings(line: str) -> None:
    assert Lines(f"{line}\n").marking() is None


@pytest.mark.parametrize(
    ("line", "number"),
    [
        pytest.param("Copy No. 3", 3, id="No."),
        pytest.param("Copy Nº 3", 3, id="ordinal-sign"),
        pytest.param("Copy no.: 4", 4, id="colon"),
    ],
)
def test_copy_numbers(line: str, number: int) -> None:
    copy = Lines(f"Secret\n{line}\n").copy_number()
    assert copy is not None
    assert copy[0].value == number
    assert copy[1].line == 2


@pytest.mark.parametrize(
    ("text", "number"),
    [
        pytest.param("Outgoing Nº 57", "57", id="outgoing-label"),
        pytest.param("No. 212/sh", "212/sh", id="bare-No"),
        pytest.param("Nº 57", "57", id="bare-ordinal-sign"),
        pytest.param("No 012/olas", "012/olas", id="No-without-dot"),
        pytest.param("Number 904", "904", id="Number"),
        pytest.param("204 – MONDAY – 1100hs", "204", id="numbered-telegram"),
        pytest.param("Ciphergram No. 1234\nNo. 57", "57", id="cipher-number-is-not-outgoing"),
    ],
)
def test_outgoing_numbers(text: str, number: str) -> None:
    found = Lines(f"Secret\n{text}\n").outgoing_number()
    assert found is not None
    assert found.value == number


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Ciphergram No. 1234", id="ciphergram"),
        pytest.param("Ciphered Telegram No. 1234", id="ciphered-telegram"),
        pytest.param("Incoming Nº 55", id="incoming"),
        pytest.param("Cable No. 9", id="cable"),
        pytest.param("Copy No. 2", id="copy"),
    ],
)
def test_a_number_of_another_kind_is_never_the_outgoing_number(text: str) -> None:
    assert Lines(f"Secret\n{text}\n").outgoing_number() is None


@pytest.mark.parametrize(
    ("line", "date"),
    [
        pytest.param("12 May 1957", "1957-05-12", id="day-month-year"),
        pytest.param("May 12, 1957", "1957-05-12", id="month-day-year"),
        pytest.param('"12" May 1957', "1957-05-12", id="quoted-day"),
        pytest.param("«12» мая 1957 г.", "1957-05-12", id="russian"),
        pytest.param("1957/05/12", "1957-05-12", id="slashes"),
        pytest.param("1957-05-12", "1957-05-12", id="iso"),
        pytest.param("12.05.1957", "1957-05-12", id="dots"),
    ],
)
def test_page_date_forms(line: str, date: str) -> None:
    found = Lines(f"Skip to content\n{line}\nA Title\n").page_date()
    assert found == Found(date, 2, line)


def test_line_of_and_where_name_the_line_or_the_fallback() -> None:
    lines = Lines(MIRROR)
    assert lines.where("No. 212/sh", "the header") == "line 6: No. 212/sh"
    assert lines.where("not in the page", "the header") == "the header"
    assert lines.dated_line("1957-05-12") == Found("1957-05-12", 2, "May 12, 1957")
    assert lines.dated_line("1999-01-01") is None


def test_a_long_line_is_shortened_in_where() -> None:
    long = "Copy No. 3 " + "word " * 60
    found = Lines(long).copy_number()
    assert found is not None
    where = found[1].where
    assert where.startswith("line 1: Copy No. 3 word")
    assert where.endswith("…")
    assert len(where) == len("line 1: ") + 160


@pytest.mark.parametrize(
    "text",
    [
        "get citation",
        "• Citation",
        "Citation:",
        "• share document",
        "English HTML",
        "This document was made possible with support from the Northwind Foundation",
        "Digital Archive digitalarchive.wilsoncenter.org International History Declassified",
        "Digital Archive International History Declassified",
    ],
)
def test_site_boilerplate_is_never_a_title(text: str) -> None:
    assert is_boilerplate(text)


def test_a_title_is_not_boilerplate() -> None:
    assert not is_boilerplate("Citation of a Treaty in the Letter from Jan Doe")
    assert not is_boilerplate("Letter from Jan Doe to Ann Roe")


def test_a_legacy_page_skips_its_buttons_and_takes_the_cited_title() -> None:
    page = (
        "Search in\n\nDigital Archive International History Declassified\n\nMay 02, 1957\n\n"
        "This document was made possible with support from the Northwind Foundation\n\n"
        "  • Citation\n\n    get citation\n\n    A letter.\n    " + LEGACY
    )
    lines = Lines(page)
    title = lines.title()
    assert title is not None
    assert title.value == "Letter from Jan Doe to Ann Roe"


def test_a_page_date_run_onto_the_title_line_gives_both() -> None:
    lines = Lines(
        "Digital Archive digitalarchive.wilsoncenter.org International History Declassified\n\n"
        "May 02, 1957 Letter from Jan Doe to Ann Roe\n\nCitation:\n"
    )
    assert starts_with_a_date("May 02, 1957 Letter from Jan Doe to Ann Roe")
    assert lines.page_date() == Found(
        "1957-05-02", 3, "May 02, 1957 Letter from Jan Doe to Ann Roe"
    )
    title = lines.title()
    assert title is not None
    assert (title.value, title.line) == ("Letter from Jan Doe to Ann Roe", 3)


def test_a_date_alone_on_a_line_wins_over_a_dated_line_below_it() -> None:
    lines = Lines("May 12, 1957\nRecord of a Talk with Jan Doe\nSecret\nMay 12, 1957 Moscow\n")
    title = lines.title()
    assert title is not None
    assert title.value == "Record of a Talk with Jan Doe"
