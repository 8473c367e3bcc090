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
        pytest.param("d. 3, f. 5", id="out-of-order"),
        pytest.param("AVP RF, op. 19, d. 3", id="no-fond"),
        pytest.param("RGASPI, f. 17, op. 3, d. 1, ll. 5a", id="leaf-not-a-number"),
        pytest.param("RGASPI, f. 17, op. 3, d. 1, ll. 5 ob.-7", id="verso-inside-range"),
        pytest.param("AVP RF, f. 1, f. 2", id="repeated-part"),
        pytest.param("NARA, RG 59, Box 3", id="other-system"),
    ],
)
def test_unparsable_citations_give_none(text: str) -> None:
    assert parse_citation(text) is None


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
