"""The record's TypedDicts follow schemas/record.schema.json, so the two cannot drift:
every property is a key with a compatible type, required lists agree, nested objects too."""

from __future__ import annotations

import typing
from typing import Any, Literal, get_args, get_origin, get_type_hints

import pytest

from preserve._resources import load_json
from preserve.records.types import Record
from tests.unit.records.validate.test_validate_schema import expected_seed_records

SCHEMA: dict[str, Any] = load_json("schemas", "record.schema.json")
_SCALARS: dict[str, type] = {"string": str, "integer": int, "boolean": bool, "number": float}


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """*node* with its ``$ref`` (into ``$defs``) followed, its own keys kept."""
    if "$ref" not in node:
        return node
    name = node["$ref"].removeprefix("#/$defs/")
    return {**_resolve(SCHEMA["$defs"][name]), **{k: v for k, v in node.items() if k != "$ref"}}


def _is_typeddict(tp: object) -> bool:
    return typing.is_typeddict(tp)


def _problems(node: dict[str, Any], tp: object, where: str) -> list[str]:
    """How the type *tp* does not fit the schema *node* (empty when it does)."""
    node = _resolve(node)
    if tp is Any:
        return []  # the schema does not constrain it (extraction/tool) or we do not
    if "const" in node or "enum" in node:
        return _enum_problems([node["const"]] if "const" in node else node["enum"], tp, where)
    kind = node.get("type")
    if kind == "object":
        return _object_problems(node, tp, where)
    if kind == "array":
        if get_origin(tp) is not list:
            return [f"{where}: {tp} is not a list"]
        return _problems(node["items"], get_args(tp)[0], f"{where}[]")
    if kind in _SCALARS:
        if tp is not _SCALARS[kind]:
            return [f"{where}: {tp} where the schema has {kind}"]
        return []
    return [f"{where}: the schema node {sorted(node)} has no type this test knows"]


def _enum_problems(allowed: list[Any], tp: object, where: str) -> list[str]:
    if get_origin(tp) is Literal:
        if sorted(get_args(tp)) != sorted(allowed):
            return [f"{where}: Literal{get_args(tp)} is not the schema's {allowed}"]
        return []
    if tp is str and all(isinstance(v, str) for v in allowed):
        return []  # a long string enum (language codes) kept as str
    return [f"{where}: {tp} cannot hold the enum {allowed[:3]}…"]


def _object_problems(node: dict[str, Any], tp: object, where: str) -> list[str]:
    if not _is_typeddict(tp):
        return [f"{where}: {tp} is not a TypedDict"]
    assert isinstance(tp, type)
    hints = get_type_hints(tp)
    properties: dict[str, Any] = node.get("properties", {})
    out: list[str] = []
    open_ended = node.get("additionalProperties", False) is True
    extra = set(hints) - set(properties) if open_ended else set()
    if set(hints) - extra != set(properties):
        out.append(
            f"{where}: keys {sorted(set(hints) ^ set(properties))} are in one of "
            f"{tp.__name__} and the schema only"
        )
    required = set(node.get("required", []))
    if set(tp.__required_keys__) != required:  # type: ignore[attr-defined]
        out.append(
            f"{where}: {tp.__name__} requires {sorted(tp.__required_keys__)}, "  # type: ignore[attr-defined]
            f"the schema {sorted(required)}"
        )
    for name in sorted(set(hints) & set(properties)):  # extras: types of our own
        out += _problems(properties[name], hints[name], f"{where}/{name}")
    return out


def test_record_typeddicts_follow_the_schema() -> None:
    assert _problems(SCHEMA, Record, "") == []


@pytest.mark.parametrize(
    ("node", "tp"),
    [
        ({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}, Record),
        ({"type": "string"}, int),
        ({"enum": ["x", "y"]}, Literal["x"]),
        ({"type": "array", "items": {"type": "integer"}}, list[str]),
    ],
)
def test_the_comparison_catches_drift(node: dict[str, Any], tp: object) -> None:
    assert _problems(node, tp, "") != []


def test_seed_records_use_only_keys_the_types_know() -> None:
    """Real records (the seeds' expected ones) have no key the TypedDicts lack."""
    for _, record in expected_seed_records():
        assert _unknown_keys(record, Record) == []


def _unknown_keys(value: Any, tp: object) -> list[str]:
    if _is_typeddict(tp) and isinstance(value, dict):
        assert isinstance(tp, type)
        hints = get_type_hints(tp)
        out = [k for k in value if k not in hints and tp.__name__ != "Extraction"]
        for k, v in value.items():
            if k in hints:
                out += _unknown_keys(v, hints[k])
        return out
    if get_origin(tp) is list and isinstance(value, list):
        return [k for item in value for k in _unknown_keys(item, get_args(tp)[0])]
    return []
