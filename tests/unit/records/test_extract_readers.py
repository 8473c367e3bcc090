"""The small readers extraction is built from: numbers, dates, markings, names, vocabularies."""

from __future__ import annotations

import pytest

from preserve.records.classification import find_marking, level_of
from preserve.records.dates import find_dates, parse_date
from preserve.records.numbers import normalize_no_sign, parse_number_label
from preserve.records.people import (
    author_from_title,
    find_contributors,
    is_person_name,
    normalize_name,
)
from preserve.records.vocab import document_type_of, language_code, rights_uri


@pytest.mark.parametrize(
    ("text", "kind", "value", "problem"),
    [
        pytest.param("Copy Nº 1", "copy", 1, None, id="masculine-ordinal"),
        pytest.param("Copy № 1", "copy", 1, None, id="numero-sign"),
        pytest.param("Copy No. 12", "copy", 12, None, id="No."),
        pytest.param("Copy N° 3", "copy", 3, None, id="degree-sign"),
        pytest.param("Copy N. 4", "copy", 4, None, id="N."),
        pytest.param("Copy Nr. 5", "copy", 5, None, id="Nr."),
        pytest.param("Экз. № 2", "copy", 2, None, id="russian-copy"),
        pytest.param("Outgoing Nº: 100", "outgoing", "100", None, id="colon"),
        pytest.param("Outgoing No. 83/s", "outgoing", "83/s", None, id="suffix"),
        pytest.param("Исх. № 0123", "outgoing", "0123", None, id="russian-leading-zero"),
        pytest.param("Outgoing № 1O5", "outgoing", "1O5", "letter_o", id="latin-O-kept"),
        pytest.param("Исх. № 1О5", "outgoing", "1О5", "letter_o", id="cyrillic-O-kept"),
        pytest.param("Copy № 1o", "copy", None, "letter_o", id="copy-with-o-has-no-int"),
    ],
)
def test_parse_number_label(
    text: str, kind: str, value: int | str | None, problem: str | None
) -> None:
    label = parse_number_label(f"Top Secret {text}")
    assert label is not None
    assert (label.kind, label.value, label.problem) == (kind, value, problem)
    assert label.printed == text


def test_no_number_label() -> None:
    assert parse_number_label("Copy of the minutes") is None
    assert parse_number_label("Outgoing mail") is None


def test_normalize_no_sign() -> None:
    assert normalize_no_sign("Copy № 1, Nº 2, N° 3, No. 4") == "Copy No. 1, No. 2, No. 3, No. 4"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("3 April 1963", "1963-04-03", id="d-month-y"),
        pytest.param("April 3, 1963", "1963-04-03", id="month-d-y"),
        pytest.param("Sept. 3, 1963", "1963-09-03", id="abbreviated-month"),
        pytest.param("6-7 January 1963", "1963-01-06/1963-01-07", id="day-range"),
        pytest.param("January 6–7, 1963", "1963-01-06/1963-01-07", id="en-dash-range"),
        pytest.param("22 and 23 February 1963", "1963-02-22/1963-02-23", id="and-range"),
        pytest.param("1 июля 1963 г.", "1963-07-01", id="russian-genitive"),
        pytest.param("28 февраля 1963 года", "1963-02-28", id="russian-goda"),
        pytest.param("1963-04-03", "1963-04-03", id="iso"),
        pytest.param("03.04.1963", "1963-04-03", id="russian-numeric"),
        pytest.param("31 April 1963", None, id="impossible-day"),
        pytest.param("7-6 January 1963", None, id="reversed-range"),
        pytest.param("in April 1963", None, id="not-only-a-date"),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "month",
    [
        "января", "февраля", "марта", "апреля", "мая", "июня",
        "июля", "августа", "сентября", "октября", "ноября", "декабря",
    ],
)  # fmt: skip
def test_every_russian_genitive_month(month: str) -> None:
    value = parse_date(f"10 {month} 1962 г.")
    assert value is not None
    assert value.startswith("1962-")


def test_find_dates_in_a_title() -> None:
    title = "'Record of a Conversation with the Minister, 22 and 23 February 1963'"
    [found] = find_dates(title)
    assert found.value == "1963-02-22/1963-02-23"
    assert found.is_interval


@pytest.mark.parametrize(
    ("text", "level", "printed"),
    [
        pytest.param("Top Secret Copy Nº 1", "top_secret", "Top Secret", id="english"),
        pytest.param("TOP SECRET NOFORN", "top_secret", "TOP SECRET", id="us-with-caveat"),
        pytest.param("Совершенно секретно", "top_secret", "Совершенно секретно", id="ru-ss"),
        pytest.param("sovershenno sekretno", "top_secret", "sovershenno sekretno", id="translit"),
        pytest.param("СЕКРЕТНО Экз. № 2", "secret", "СЕКРЕТНО", id="ru-secret"),
        pytest.param("Особой важности", "special_importance", "Особой важности", id="ov"),
        pytest.param("Для служебного пользования", "for_official_use", None, id="dsp"),
        pytest.param("Limited Official Use", "for_official_use", None, id="lou"),
        pytest.param("CONFIDENTIAL", "confidential", None, id="confidential"),
    ],
)
def test_markings(text: str, level: str, printed: str | None) -> None:
    marking = find_marking(text)
    assert marking is not None
    assert marking.level == level
    assert marking.printed == (printed or text)


@pytest.mark.parametrize("caveat", ["Особая папка", "Special File", "Лично", "NOFORN", "EXDIS"])
def test_caveats_are_not_levels(caveat: str) -> None:
    assert level_of(caveat) is None


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("A. I. ALEKSEYEV", "A. I. Alekseyev"),
        ("A.I. Alekseyev", "A. I. Alekseyev"),
        ("P. N. TER-OVANESOV", "P. N. Ter-Ovanesov"),
        ("Gary Goldberg", "Gary Goldberg"),
    ],
)
def test_normalize_name(raw: str, name: str) -> None:
    assert normalize_name(raw) == name
    assert is_person_name(raw)


def test_not_person_names() -> None:
    assert not is_person_name("with Fidel CASTRO RUZ, Prime Minister")
    assert not is_person_name("RECORD OF A CONVERSATION with")


def test_author_from_title() -> None:
    assert author_from_title("From the Journal of A.I. Alekseyev, 'Record'") == "A. I. Alekseyev"
    assert author_from_title("Letter from the Minister") is None


@pytest.mark.parametrize(
    ("text", "obtained", "translators"),
    [
        pytest.param(
            "ll. 97-99. Obtained by James G. Hershberg and translated by Gary Goldberg.",
            ["James G. Hershberg"],
            ["Gary Goldberg"],
            id="seed-credit",
        ),
        pytest.param(
            "Translated by Ada Lind, Oskar Berg and Mira Voss. Obtained by Jan de Vries.",
            ["Jan de Vries"],
            ["Ada Lind", "Oskar Berg", "Mira Voss"],
            id="several",
        ),
        pytest.param(
            "Obtained by NHK and translated by ANN ROE.",
            ["NHK"],
            ["Ann Roe"],
            id="acronym-kept-capital-name-title-cased",
        ),
        pytest.param("No credit line here.", [], [], id="none"),
    ],
)
def test_find_contributors(text: str, obtained: list[str], translators: list[str]) -> None:
    assert find_contributors(text) == (obtained, translators)


def test_vocabularies() -> None:
    assert language_code("Russian") == "rus"
    assert language_code("русский") == "rus"
    assert language_code("Klingon") is None
    assert document_type_of("Memorandum of Conversation") == "memorandum_of_conversation"
    assert document_type_of("ЗАПИСЬ БЕСЕДЫ") == "memorandum_of_conversation"
    assert document_type_of("Minutes") is None
    assert rights_uri("Some documents may be subject to copyright.") == (
        "http://rightsstatements.org/vocab/UND/1.0/"
    )
    assert rights_uri("All rights reserved.") is None
