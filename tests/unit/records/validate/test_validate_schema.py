"""The record schema: a valid 2020-12 schema that accepts the seeds' expected records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from preserve._resources import load_json
from preserve.records.validate.schema import record_schema
from tests.conftest import SPEC

SCHEMA: dict[str, Any] = load_json("schemas", "record.schema.json")


def expected_seed_records() -> Iterator[tuple[str, dict[str, Any]]]:
    """Both seeds' expected records, stripped of test notes, with schema_version."""
    expected = json.loads((SPEC / "seeds-expected.json").read_text(encoding="utf-8"))
    for name, record in expected.items():
        if not name.startswith("_"):
            clean = {k: v for k, v in record.items() if not k.startswith("_")}
            yield name, {**clean, "schema_version": "1.0"}


def test_schema_is_valid_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"]


@pytest.mark.parametrize(("name", "record"), list(expected_seed_records()))
def test_seed_expected_records_are_schema_valid(name: str, record: dict[str, Any]) -> None:
    errors = [e.message for e in jsonschema.Draft202012Validator(SCHEMA).iter_errors(record)]
    assert errors == []
    assert record_schema().is_valid(record)


def _properties(schema: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            yield f"{path}/{name}", sub
            yield from _properties(sub, f"{path}/{name}")
        for name, sub in schema.get("$defs", {}).items():
            yield from _properties(sub, f"$defs/{name}")
        if "items" in schema:
            yield from _properties(schema["items"], f"{path}/items")


def test_every_property_is_described() -> None:
    undescribed = [
        path for path, sub in _properties(SCHEMA) if "description" not in sub and "$ref" not in sub
    ]
    assert undescribed == []


def test_core_pointers_of_records_md_are_in_the_schema() -> None:
    paths = {path for path, _ in _properties(SCHEMA)}
    refs = {f"/archive_reference/{p}" for p in ("citation", "repository", "fond", "opis")}
    core = {"/title", "/document_type", "/dates/document_date", "/dates/conversation_date"}
    core |= {"/copy_number", "/outgoing_number", "/author", "/translators", "/obtained_by"}
    core |= {"/languages/original", "/rights/uri", "/source/record_id", "/summary", "/related"}
    defs = {p.replace("$defs/archive_reference", "/archive_reference") for p in paths}
    assert core <= paths
    assert refs <= defs


def test_vocabularies() -> None:
    languages = SCHEMA["$defs"]["language"]["enum"]
    assert {"rus", "eng", "ger", "fre", "chi", "cze"} <= set(languages)
    assert not {"deu", "fra", "zho", "ces", "ru", "en"} & set(languages)  # B codes, not T or 639-1
    assert len(languages) > 450
    rights = SCHEMA["properties"]["rights"]["properties"]["uri"]["enum"]
    assert len(rights) == 12
    assert "http://rightsstatements.org/vocab/UND/1.0/" in rights
    levels = SCHEMA["properties"]["classification"]["properties"]["level"]["enum"]
    assert levels == [
        "special_importance",
        "top_secret",
        "secret",
        "confidential",
        "for_official_use",
        "unclassified",
    ]


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        pytest.param("1963-02-28", True, id="day"),
        pytest.param("1963-01-06/1963-01-07", True, id="interval"),
        pytest.param("1963-02~", True, id="approximate-month"),
        pytest.param("196X", True, id="unspecified-digit"),
        pytest.param("1963-02-22/..", True, id="open-end"),
        pytest.param("../1963-02-22", True, id="open-start"),
        pytest.param("1963-13-01", False, id="month-13"),
        pytest.param("28 February 1963", False, id="prose"),
        pytest.param("/", False, id="bare-slash"),
    ],
)
def test_conversation_date_is_edtf(value: str, ok: bool) -> None:
    record = dict(next(expected_seed_records())[1])
    record["dates"] = {"document_date": "1963-04-03", "conversation_date": value}
    assert record_schema().is_valid(record) is ok
