"""The record schema: loading it, and turning its errors into findings.

Two validators share the one schema (schemas/record.schema.json). ``jsonschema_rs``
decides quickly whether a record is valid; only for the records it rejects does
``jsonschema`` run :meth:`~jsonschema.Draft202012Validator.iter_errors`, whose errors
carry the detail (path, keyword, expected values) that the findings need. Valid
records, the great majority of a batch, never pay for the detail (issue 2, "Measure").
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema
import jsonschema_rs

from preserve._resources import load_json
from preserve.errors import SchemaLoadError
from preserve.findings import Finding
from preserve.records.pointers import pointer
from preserve.records.validate.codes import CATALOG

SCHEMA_FILE = "record.schema.json"
SCHEMA_VERSION = "1.0"
RIGHTS_PREFIX = "http://rightsstatements.org/vocab/"


@dataclass(frozen=True)
class RecordSchema:
    """The record schema with its fast and its detailed validator.

    :param schema: the schema document.
    :param fast: its ``jsonschema_rs`` validator (is a record valid?).
    :param detailed: its ``jsonschema`` validator (every error, with its path).
    """

    schema: Mapping[str, Any]
    fast: Any
    detailed: jsonschema.Draft202012Validator

    def is_valid(self, instance: Any, /) -> bool:
        """True when *instance* satisfies the schema (fast path)."""
        return bool(self.fast.is_valid(instance))

    def findings(self, instance: Any, /, **location: Any) -> list[Finding]:
        """Every schema error of *instance* as a finding (empty when it is valid).

        :param location: ``source``, ``record``, ``line``, ``row`` for the findings.
        """
        if self.fast.is_valid(instance):
            return []
        try:
            return self._detailed_findings(instance, location)
        except RecursionError:
            return [CATALOG.finding("REC-012", limit=sys.getrecursionlimit(), **location)]

    def _detailed_findings(self, instance: Any, location: dict[str, Any]) -> list[Finding]:
        errors = sorted(
            self.detailed.iter_errors(instance), key=lambda e: str(list(e.absolute_path))
        )
        # jsonschema reports each missing required property as its own error, while a
        # finding per missing field is made from the first: keep each finding once.
        found = list(
            {
                (f.code, f.field, f.message): f
                for e in errors
                for f in _error_findings(e, location)
            }.values()
        )
        if not found:
            # The two libraries disagree on an edge (regex dialects): still report.
            found = [
                CATALOG.finding("REC-026", field=_rs_pointer(e), detail=e.message, **location)
                for e in self.fast.iter_errors(instance)
            ]
        return found


@cache
def record_schema() -> RecordSchema:
    """The shipped record schema, compiled once per process.

    :raises SchemaLoadError: when the schema is missing or broken (a broken install).
    """
    schema = load_json("schemas", SCHEMA_FILE)
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
        fast = jsonschema_rs.validator_for(schema)
    except (jsonschema.SchemaError, ValueError) as e:
        msg = f"the shipped {SCHEMA_FILE} is not a valid JSON Schema: {e}; reinstall preserve"
        raise SchemaLoadError(msg) from e
    return RecordSchema(schema, fast, jsonschema.Draft202012Validator(schema))


def _rs_pointer(error: Any) -> str:
    return pointer(list(getattr(error, "instance_path", [])))


def _show(value: Any, limit: int = 60) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (RecursionError, ValueError):
        text = f"a deeply nested {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


_TYPE_WORDS = {
    "string": "a string (text in quotes)",
    "integer": "an integer",
    "number": "a number",
    "array": "a list [...]",
    "object": "an object {...}",
    "boolean": "true or false",
    "null": "null",
}


def _json_type(value: Any) -> str:
    if value is None:
        return "no value"
    if isinstance(value, bool):
        return "true/false"
    names = {str: "a string", int: "an integer", float: "a number", list: "a list"}
    return next((n for t, n in names.items() if isinstance(value, t)), "an object")


def _error_findings(
    error: jsonschema.ValidationError, location: Mapping[str, Any]
) -> list[Finding]:
    path = list(error.absolute_path)
    field = pointer(path)
    handler = _HANDLERS.get(str(error.validator), _other)
    return handler(error, field, dict(location))


def _required(e: jsonschema.ValidationError, field: str, loc: dict[str, Any]) -> list[Finding]:
    present = e.instance if isinstance(e.instance, dict) else {}
    missing = [n for n in e.validator_value if n not in present]  # type: ignore[union-attr]
    return [
        CATALOG.finding("REC-020", field=f"{field}/{n}", missing=f"{field}/{n}", **loc)
        for n in missing
    ]


def _type(e: jsonschema.ValidationError, field: str, loc: dict[str, Any]) -> list[Finding]:
    wanted = e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
    expected = " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in wanted)
    advice = "write the value without quotes" if "integer" in wanted else "correct the value"
    if isinstance(e.instance, str) and "integer" in wanted and "O" in e.instance.upper():
        advice = "write digits only (the letter O is not a zero)"
    if e.instance is None:
        advice = "give the value, or leave the field out when the source does not give it"
    return [
        CATALOG.finding(
            "REC-021",
            field=field,
            value=_show(e.instance),
            found=_json_type(e.instance),
            expected=expected,
            advice=advice,
            **loc,
        )
    ]


def _enum(e: jsonschema.ValidationError, field: str, loc: dict[str, Any]) -> list[Finding]:
    raw = e.validator_value if e.validator == "enum" else [e.validator_value]
    allowed: list[Any] = list(raw) if isinstance(raw, list) else [raw]
    value = e.instance
    if isinstance(value, str) and field.endswith("/rights/uri"):
        advice = _rights_advice(value, [str(a) for a in allowed])
        return [CATALOG.finding("REC-042", field=field, value=value, advice=advice, **loc)]
    if len(allowed) > 20:
        shown = (
            "an ISO 639-2/B code such as eng, rus, ger, fre, spa, chi (three lower-case letters)"
        )
    else:
        shown = ", ".join(_show(a) for a in allowed)
    return [CATALOG.finding("REC-022", field=field, value=_show(value), allowed=shown, **loc)]


def _rights_advice(value: str, allowed: list[str]) -> str:
    code = value.rstrip("/").split("/")
    for candidate in allowed:
        name = candidate[len(RIGHTS_PREFIX) :].split("/")[0]
        if name in code:
            return f"write it in the canonical form {candidate}"
    names = ", ".join(a[len(RIGHTS_PREFIX) :].split("/")[0] for a in allowed)
    return f"use {RIGHTS_PREFIX}XX/1.0/ with XX one of {names}"


_FORMS = {
    "document_date": ("an ISO 8601 date", "YYYY-MM-DD, e.g. 1963-04-03"),
    "date": ("an ISO 8601 date", "YYYY-MM-DD, e.g. 1963-04-03"),
    "conversation_date": (
        "an EDTF date or interval",
        "1963-02-28, 1963-01-06/1963-01-07 or 1963-02~",
    ),
    "outgoing_number": ("an outgoing number", "digits with an optional suffix: 83, 0123, 83/s"),
    "url": ("a web address", "http://… or https://… without spaces"),
    "record_id": ("a record id", "one word without spaces, e.g. 177827"),
    "text_sha256": ("a SHA-256 digest", "64 lower-case hexadecimal digits"),
}


def _pattern(e: jsonschema.ValidationError, field: str, loc: dict[str, Any]) -> list[Finding]:
    name = field.rsplit("/", 1)[-1]
    value = e.instance
    if name == "outgoing_number" and isinstance(value, str) and _has_letter_o(value):
        fixed = _fix_letter_o(value)
        return [CATALOG.finding("REC-038", field=field, value=value, fixed=fixed, **loc)]
    what, form = _FORMS.get(name, ("a JSON Pointer", "/field/subfield"))
    return [
        CATALOG.finding("REC-023", field=field, value=_show(value), what=what, form=form, **loc)
    ]


def _has_letter_o(value: str) -> bool:
    """True when a letter O (Latin or Cyrillic) stands among the digits of a number."""
    head = value.split("/", 1)[0]
    return any(c in "OoОо" for c in head) and any(c.isdigit() for c in head)


def _fix_letter_o(value: str) -> str:
    head, sep, tail = value.partition("/")
    return head.translate(str.maketrans("OoОо", "0000")) + sep + tail


def _minimum(e: jsonschema.ValidationError, field: str, loc: dict[str, Any]) -> list[Finding]:
    problem = f"below the minimum {e.validator_value}"
    advice = "copies and leaves are numbered from 1"
    return [
        CATALOG.finding(
            "REC-025", field=field, value=_show(e.instance), problem=problem, advice=advice, **loc
        )
    ]


def _additional(e: jsonschema.ValidationError, field: str, loc: dict[str, Any]) -> list[Finding]:
    allowed = set(e.schema.get("properties", {})) if isinstance(e.schema, dict) else set()
    extra = (
        sorted(k for k in e.instance if k not in allowed) if isinstance(e.instance, dict) else []
    )
    if len(extra) == 1:
        target = f"{field}/{pointer([extra[0]])[1:]}"
        return [
            CATALOG.finding(
                "REC-024", field=target, names=_show(extra[0]), verb="is", them="it", **loc
            )
        ]
    shown = ", ".join(_show(x, 30) for x in extra[:10])
    if len(extra) > 10:
        shown += f" and {len(extra) - 10} more"
    return [CATALOG.finding("REC-024", field=field, names=shown, verb="are", them="them", **loc)]


def _other(e: jsonschema.ValidationError, field: str, loc: dict[str, Any]) -> list[Finding]:
    return [CATALOG.finding("REC-026", field=field, detail=_detail(e), **loc)]


def _detail(e: jsonschema.ValidationError) -> str:
    words = {
        "minLength": "is empty: leave the field out when the source does not carry it",
        "minItems": "is an empty list: leave the field out when the source names nobody",
        "uniqueItems": "lists the same item twice",
    }
    what = words.get(str(e.validator))
    return f"{_show(e.instance)} {what}" if what else e.message


_HANDLERS = {
    "required": _required,
    "type": _type,
    "enum": _enum,
    "const": _enum,
    "pattern": _pattern,
    "minimum": _minimum,
    "additionalProperties": _additional,
}
