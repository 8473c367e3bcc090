"""Archival citations: parsing, formatting and the round trip between them."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from preserve.records.citation import (
    LeafRange,
    ParsedCitation,
    format_citation,
    parse_citation,
    read_citation,
    search_citation,
)

AVP = {"repository": "AVP RF", "fond": "0104", "opis": "19", "papka": "124", "delo": "3"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "AVP RF, f. 0104, op. 19, p. 124, d. 3, ll. 97-99",
            {**AVP, "leaves": [{"first": 97, "last": 99}]},
            id="seed-form",
        ),
        pytest.param(
            "AVP RF, f. 0104, op. 19, p. 124, d. 3, l. 88.",
            {
                **AVP,
                "citation": "AVP RF, f. 0104, op. 19, p. 124, d. 3, l. 88",
                "leaves": [{"first": 88, "last": 88}],
            },
            id="one-leaf-final-stop",
        ),
        pytest.param(
            "RGANI, f. 5, op. 30, d. 335, ll. 160-162 ob.",
            {
                "repository": "RGANI",
                "fond": "5",
                "opis": "30",
                "delo": "335",
                "leaves": [{"first": 160, "last": 162, "verso": True}],
            },
            id="verso",
        ),
        pytest.param(
            "GARF, f. R-5446, op. 1, d. 7, ll. 5-7, 9",
            {
                "repository": "GARF",
                "fond": "R-5446",
                "opis": "1",
                "delo": "7",
                "leaves": [{"first": 5, "last": 7}, {"first": 9, "last": 9}],
            },
            id="several-ranges",
        ),
        pytest.param(
            "Ф. 0104. Оп. 19. П. 124. Д. 3. Л. 97–99",
            {
                "fond": "0104",
                "opis": "19",
                "papka": "124",
                "delo": "3",
                "leaves": [{"first": 97, "last": 99}],
            },
            id="russian-en-dash",
        ),
        pytest.param(
            "АВП РФ. Ф. 0104. Оп. 19. П. 124. Д. 3. Л. 5 об.",
            {**AVP, "repository": "АВП РФ", "leaves": [{"first": 5, "last": 5, "verso": True}]},
            id="russian-verso",
        ),
        pytest.param(
            "RGASPI, f. 17, op. 3, d. 1, ll. 12-9",
            {
                "repository": "RGASPI",
                "fond": "17",
                "opis": "3",
                "delo": "1",
                "leaves": [{"first": 12, "last": 9}],
            },
            id="reversed-kept-as-printed",
        ),
    ],
)
def test_parse_citation(text: str, expected: dict[str, Any]) -> None:
    parsed = parse_citation(text)
    assert parsed is not None
    assert parsed.to_dict() == {"citation": text, **expected}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("RGASPI, f. 17, op. 3, d. 1, ll. 5a", id="leaf-not-a-number"),
        pytest.param("RGASPI, f. 17, op. 3, d. 1, ll. 5 ob.-7", id="verso-inside-range"),
        pytest.param("RGASPI, f. 17, op. 3, d. 1, ll. 5-7 bis", id="text-run-onto-the-leaves"),
        pytest.param("AVP RF, f. 1, f. 2", id="repeated-part"),
        pytest.param("Courtesy of the family", id="names-no-archive-no-number"),
    ],
)
def test_unparsable_citations_give_none(text: str) -> None:
    assert parse_citation(text) is None


# Every form docs/reference/extraction.md promises the extractor reads ("Citation parts",
# "Repository", "Two archives in one statement") is a citation validation can read.
_AVP_0999 = {"repository": "AVP RF", "fond": "0999", "opis": "7", "papka": "41", "delo": "12",
             "leaves": [{"first": 14, "last": 16}]}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("AVP RF, f. 0999, op. 7, d. 12, p. 41, ll. 14-16", _AVP_0999,
                     id="delo-before-papka"),
        pytest.param("AVP RF, Fond 0999, Opis 7, Delo 12, Papka 41, Listy 14-16", _AVP_0999,
                     id="full-words-delo-before-papka"),
        pytest.param("AVPRF, Fond 0999, Opis 7, Delo 12, Papka 41, Listy 14-16",
                     {**_AVP_0999, "repository": "AVPRF"}, id="avprf-full-words"),
        pytest.param("AVP RF, Listy 14-16, Papka 41, Delo 12, Opis 7, Fond 0999", _AVP_0999,
                     id="full-words-any-order"),
        pytest.param("AVPRF fond 0102, opis 16, delo 7, p.16-42",
                     {"repository": "AVPRF", "fond": "0102", "opis": "16", "delo": "7"},
                     id="p-with-a-range-counts-pages"),
        pytest.param("AVP RF, fond 0301, opis 2, delo 5, p. 3",
                     {"repository": "AVP RF", "fond": "0301", "opis": "2", "delo": "5"},
                     id="p-after-delo-without-leaves-counts-pages"),
        pytest.param("TsKhSD, f. 89, per. 25, dok. 2",
                     {"repository": "TsKhSD", "fond": "89", "opis": "25"},
                     id="per-is-opis-dok-is-not-delo"),
        pytest.param("Archive of the President of the Russian Federation (APRF), fond 52, "
                     "opis 1, delo 498, ll. 44-477",
                     {"repository": "APRF", "fond": "52", "opis": "1", "delo": "498",
                      "leaves": [{"first": 44, "last": 477}]}, id="bracketed-abbreviation"),
        pytest.param("APRF, f. 45, op. 1, d. 348, ll. 20; AVP RF, f. 059a, op. 5a, d. 3, "
                     "p. 11, ll. 198",
                     {"repository": "APRF", "fond": "45", "opis": "1", "delo": "348",
                      "leaves": [{"first": 20, "last": 20}],
                      "also_cited": ["AVP RF, f. 059a, op. 5a, d. 3, p. 11, ll. 198"]},
                     id="two-archives"),
        pytest.param("APRF, Listy 146-147, Fond and Opis not given",
                     {"repository": "APRF", "leaves": [{"first": 146, "last": 147}]},
                     id="parts-said-to-be-absent"),
        pytest.param("PRC FMA 106-00274-03, 10-11", {"repository": "PRC FMA"},
                     id="chinese-other-system"),
        pytest.param("MOL, XIX-J-1-j Korea, 4. doboz, 5/a", {"repository": "MOL"},
                     id="hungarian-other-system"),
        pytest.param("BStU, MfS Abt X 652, 50-63", {"repository": "BStU"}, id="german-stasi"),
        pytest.param("NARA, RG 59, Box 3", {"repository": "NARA"}, id="us-other-system"),
        pytest.param("d. 3, f. 5", {"fond": "5", "delo": "3"}, id="out-of-order"),
        pytest.param("AVP RF, op. 19, d. 3", {"repository": "AVP RF", "opis": "19", "delo": "3"},
                     id="no-fond-is-for-the-schema-to-report"),
        pytest.param("Kennedy Library, John F. Kennedy papers, f. 5, d. 2",
                     {"repository": "Kennedy Library, John F. Kennedy papers", "fond": "5",
                      "delo": "2"}, id="an-initial-is-not-a-fond"),
    ],
)  # fmt: skip
def test_every_form_the_extractor_reads_parses(text: str, expected: dict[str, Any]) -> None:
    parsed = parse_citation(text)
    assert parsed is not None
    assert parsed.to_dict() == {"citation": text, **expected}


def test_read_citation_names_the_part_it_cannot_read() -> None:
    parsed = read_citation("AVP RF, f. 5, op. 2, d. 3, ll. 5 ob.-7")
    assert parsed is not None
    assert parsed.unread == ("ll. 5 ob.-7",)
    assert (parsed.fond, parsed.delo, parsed.leaves) == ("5", "3", ())


def test_citation_keeps_the_printed_form_and_leading_zero() -> None:
    parsed = parse_citation("Ф. 0104. Оп. 19. П. 124. Д. 3. Л. 97–99")
    assert parsed is not None
    assert parsed.citation == "Ф. 0104. Оп. 19. П. 124. Д. 3. Л. 97–99"
    assert parsed.fond == "0104"


def test_search_citation_finds_the_repository_in_a_credit_line() -> None:
    text = (
        '"From the Journal", March 23, 1963, Wilson Center Digital Archive, '
        "AVP RF, f. 0104, op. 19, p. 124, d. 3, ll. 5-7. Obtained by James G. Hershberg."
    )
    parsed = search_citation(text)
    assert parsed is not None
    assert parsed.citation == "AVP RF, f. 0104, op. 19, p. 124, d. 3, ll. 5-7"
    assert parsed.repository == "AVP RF"


def test_format_citation_from_a_record_object() -> None:
    ref = {**AVP, "leaves": [{"first": 88, "last": 88}]}
    assert format_citation(ref) == "AVP RF, f. 0104, op. 19, p. 124, d. 3, l. 88"


_part = st.from_regex(r"\A[0-9]{1,4}[a-z]?\Z").filter(lambda s: s[0].isdigit())
_repository = st.sampled_from(["AVP RF", "RGANI", "GARF", "RGASPI", "TsAMO", "АВП РФ"])
_leaf = st.builds(
    LeafRange,
    first=st.integers(1, 9999),
    last=st.integers(1, 9999),
    verso=st.booleans(),
)


@st.composite
def _citations(draw: st.DrawFn) -> ParsedCitation:
    parts = ParsedCitation(
        citation="",
        repository=draw(st.none() | _repository),
        fond=draw(_part),
        opis=draw(st.none() | _part),
        papka=draw(st.none() | _part),
        delo=draw(st.none() | _part),
        leaves=tuple(draw(st.lists(_leaf, max_size=3))),
    )
    return ParsedCitation(**{**_fields(parts), "citation": format_citation(parts)})


def _fields(parts: ParsedCitation) -> dict[str, Any]:
    return {k: getattr(parts, k) for k in ParsedCitation.__slots__}


@given(_citations())
def test_format_then_parse_round_trips(citation: ParsedCitation) -> None:
    assert parse_citation(format_citation(citation)) == citation


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(
            "Digital Archive, AVP RF, f. 0999, op. 7, d. 12, p. 41, ll. 14-16. Obtained by X.",
            {"citation": "AVP RF, f. 0999, op. 7, d. 12, p. 41, ll. 14-16", **_AVP_0999},
            id="delo-before-papka",
        ),
        pytest.param(
            "Footer: f. 0102, op. 16, d. 7, p.16-42 and more",
            {"citation": "f. 0102, op. 16, d. 7, p.16-42", "fond": "0102", "opis": "16",
             "delo": "7"},
            id="p-with-a-range-counts-pages",
        ),
    ],
)  # fmt: skip
def test_a_citation_found_in_a_line_reads_as_validation_reads_it(
    line: str, expected: dict[str, Any]
) -> None:
    found = search_citation(line)
    assert found is not None
    assert found.to_dict() == expected
    assert parse_citation(found.citation) == found
