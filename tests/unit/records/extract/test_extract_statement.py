"""The source-statement reader and the repositories vocabulary, on made-up statements.

One case per form docs/reference/extraction.md lists under "Source statement",
"Citation parts", "Repository" and "Two archives in one statement".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from preserve.records.extract.statement import (
    find_statement_in_line,
    read_statement,
    repositories,
    strip_cited_title,
)

REPO = Path(__file__).resolve().parents[4]
SCHEMAS = REPO / "schemas"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "AVP RF, f. 0104, op. 19, p. 124, d. 3, ll. 97-99. Obtained by Jan Doe and "
            "translated by Ann Roe.",
            {"citation": "AVP RF, f. 0104, op. 19, p. 124, d. 3, ll. 97-99", "repository": "AVP RF",
             "fond": "0104", "opis": "19", "papka": "124", "delo": "3",
             "leaves": [{"first": 97, "last": 99}]},
            id="abbreviated-parts-cut-at-obtained-by",
        ),
        pytest.param(
            "RGANI, f. 12, op. 3, d. 45, ll. 8-9; translation by Ann Roe",
            {"citation": "RGANI, f. 12, op. 3, d. 45, ll. 8-9", "repository": "RGANI",
             "fond": "12", "opis": "3", "delo": "45", "leaves": [{"first": 8, "last": 9}]},
            id="cut-at-translation-by",
        ),
        pytest.param(
            "AVPRF, Fond 012a, Opis 3b, Delo 4, Papka 9, Listy 10-12",
            {"citation": "AVPRF, Fond 012a, Opis 3b, Delo 4, Papka 9, Listy 10-12",
             "repository": "AVPRF", "fond": "012a", "opis": "3b", "papka": "9", "delo": "4",
             "leaves": [{"first": 10, "last": 12}]},
            id="full-words-any-order-no-space-abbreviation",
        ),
        pytest.param(
            "AVP RF, fond 0301, opis 2, delo 5, p.3-9, copy courtesy of NSA",
            {"citation": "AVP RF, fond 0301, opis 2, delo 5, p.3-9", "repository": "AVP RF",
             "fond": "0301", "opis": "2", "delo": "5"},
            id="p-after-delo-counts-pages",
        ),
        pytest.param(
            "APRF, f. 81, per. 4, dok. 7",
            {"citation": "APRF, f. 81, per. 4, dok. 7", "repository": "APRF", "fond": "81",
             "opis": "4"},
            id="per-is-opis-dok-is-not-delo",
        ),
        pytest.param(
            "АВП РФ. Ф. 0104. Оп. 2. Д. 8. Л. 5",
            {"citation": "АВП РФ. Ф. 0104. Оп. 2. Д. 8. Л. 5", "repository": "АВП РФ",
             "fond": "0104", "opis": "2", "delo": "8", "leaves": [{"first": 5, "last": 5}]},
            id="cyrillic",
        ),
        pytest.param(
            "Hungarian National Archives (MOL), XIX-J-1-j Korea, 3. doboz, 7/b. Translated by "
            "Ann Roe.",
            {"citation": "Hungarian National Archives (MOL), XIX-J-1-j Korea, 3. doboz, 7/b",
             "repository": "MOL"},
            id="hungarian-bracketed-abbreviation",
        ),
        pytest.param(
            "SAPMO-BArch, DY 30/IV A 2/20/100, 11-12",
            {"citation": "SAPMO-BArch, DY 30/IV A 2/20/100, 11-12", "repository": "SAPMO-BArch"},
            id="german",
        ),
        pytest.param(
            "PRC FMA 105-00123-01, 4-6. Translated by Ann Roe.",
            {"citation": "PRC FMA 105-00123-01, 4-6", "repository": "PRC FMA"},
            id="chinese",
        ),
        pytest.param(
            "Archive of the President of the Russian Federation (APRF), fond 3, opis 65, "
            "delo 9, listy 1-4",
            {"citation": "Archive of the President of the Russian Federation (APRF), fond 3, "
             "opis 65, delo 9, listy 1-4", "repository": "APRF", "fond": "3", "opis": "65",
             "delo": "9", "leaves": [{"first": 1, "last": 4}]},
            id="name-with-bracketed-abbreviation",
        ),
        pytest.param(
            "Polish Foreign Ministry Archive, folder 2",
            {"citation": "Polish Foreign Ministry Archive, folder 2",
             "repository": "Polish Foreign Ministry Archive"},
            id="archive-named-not-in-vocabulary",
        ),
        pytest.param(
            "AVP RF, copy courtesy of NSA",
            {"citation": "AVP RF", "repository": "AVP RF"},
            id="archive-without-parts",
        ),
        pytest.param(
            "APRF, f. 3, op. 1, d. 9, l. 4; and RGASPI, f. 17, op. 2, d. 6, l. 1",
            {"citation": "APRF, f. 3, op. 1, d. 9, l. 4; and RGASPI, f. 17, op. 2, d. 6, l. 1",
             "repository": "APRF", "fond": "3", "opis": "1", "delo": "9",
             "leaves": [{"first": 4, "last": 4}],
             "also_cited": ["RGASPI, f. 17, op. 2, d. 6, l. 1"]},
            id="two-archives-first-is-the-reference",
        ),
        pytest.param(
            "f. 45, op. 1, d. 348, ll. 20",
            {"citation": "f. 45, op. 1, d. 348, ll. 20", "fond": "45", "opis": "1",
             "delo": "348", "leaves": [{"first": 20, "last": 20}]},
            id="parts-without-an-archive",
        ),
        pytest.param(
            "TsKhSD, f. 5, op. 30, d. 335, ll. 92-97, copy in Jan Doe Collection",
            {"citation": "TsKhSD, f. 5, op. 30, d. 335, ll. 92-97", "repository": "TsKhSD",
             "fond": "5", "opis": "30", "delo": "335", "leaves": [{"first": 92, "last": 97}]},
            id="cut-at-copy-in",
        ),
        pytest.param(
            "GARF, f. 9, op. 2, d. 3, l. 7 https://example.org/x",
            {"citation": "GARF, f. 9, op. 2, d. 3, l. 7", "repository": "GARF", "fond": "9",
             "opis": "2", "delo": "3", "leaves": [{"first": 7, "last": 7}]},
            id="cut-at-url",
        ),
    ],
)  # fmt: skip
def test_read_statement(text: str, expected: dict[str, Any]) -> None:
    statement = read_statement(text)
    assert statement is not None
    assert statement.to_dict() == expected
    assert statement.text == " ".join(text.split())


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Obtained by Ann Roe", id="only-a-credit"),
        pytest.param("Courtesy of the family", id="names-no-archive-no-number"),
        pytest.param("", id="empty"),
    ],
)
def test_a_statement_naming_no_archive_is_no_reference(text: str) -> None:
    assert read_statement(text) is None


def test_a_verso_leaf_keeps_its_citation_but_no_leaves() -> None:
    statement = read_statement("AVP RF, f. 5, op. 2, d. 3, ll. 5 ob.-7")
    assert statement is not None
    assert statement.citation == "AVP RF, f. 5, op. 2, d. 3, ll. 5 ob.-7"
    assert "leaves" not in statement.to_dict()


LEGACY_LINE = (
    '"Letter from Jan Doe to Ann Roe," May 02, 1957, History and Public Policy Program '
    "Digital Archive, RGANI, f. 3, op. 12, d. 40. Translated by Ann Roe."
)


def test_find_statement_in_a_legacy_citation_line() -> None:
    assert (
        find_statement_in_line(LEGACY_LINE) == "RGANI, f. 3, op. 12, d. 40. Translated by Ann Roe."
    )
    assert find_statement_in_line("A line with no archive in it.") is None


def test_strip_cited_title_leaves_the_statement() -> None:
    assert strip_cited_title(LEGACY_LINE) == "RGANI, f. 3, op. 12, d. 40. Translated by Ann Roe."


# The repositories vocabulary (schemas/repositories.json).


@pytest.fixture(scope="module")
def vocabulary() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / "repositories.json").read_text("utf-8"))
    return data


def test_the_vocabulary_follows_its_schema(vocabulary: dict[str, Any]) -> None:
    schema = json.loads((SCHEMAS / "repositories.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(vocabulary))
    assert errors == []


def test_the_schema_refuses_an_entry_without_variants() -> None:
    schema = json.loads((SCHEMAS / "repositories.schema.json").read_text("utf-8"))
    broken = {"repositories": [{"abbreviation": "X", "name": "X", "country": "Y"}]}
    assert not jsonschema.Draft202012Validator(schema).is_valid(broken)


def test_each_abbreviation_is_one_of_its_variants_and_unique(vocabulary: dict[str, Any]) -> None:
    entries = vocabulary["repositories"]
    abbreviations = [r["abbreviation"] for r in entries]
    assert len(abbreviations) == len(set(abbreviations))
    for entry in entries:
        assert entry["abbreviation"] in entry["variants"], entry["abbreviation"]


def test_no_variant_names_two_repositories(vocabulary: dict[str, Any]) -> None:
    owners: dict[str, str] = {}
    for entry in vocabulary["repositories"]:
        for variant in entry["variants"]:
            key = variant.replace(" ", "").casefold()
            assert owners.setdefault(key, entry["abbreviation"]) == entry["abbreviation"], variant


def test_the_vocabulary_covers_the_archives_issue_12_names(vocabulary: dict[str, Any]) -> None:
    countries = {r["country"] for r in vocabulary["repositories"]}
    assert {"Russia", "China", "Poland", "Hungary", "Czech Republic", "Germany", "Romania",
            "Vietnam"} <= countries  # fmt: skip
    abbreviations = {r["abbreviation"] for r in vocabulary["repositories"]}
    assert {"AVP RF", "APRF", "RGANI", "RGASPI", "TsKhSD", "TsAMO", "GARF"} <= abbreviations


def test_repositories_are_tried_longest_variant_first() -> None:
    pairs = repositories()
    lengths = [len(variant) for variant, _ in pairs]
    assert lengths == sorted(lengths, reverse=True)
    assert ("AVPRF", "AVP RF") in pairs
