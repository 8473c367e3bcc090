"""Collection defaults: values staff know for a whole batch, filled where a record lacks them.

A defaults file is a JSON or TOML object shaped like (part of) a record::

    [rights]
    statement = "Reproduced with permission of ..."
    uri = "http://rightsstatements.org/vocab/InC-EDU/1.0/"

    [archive_reference]
    repository = "AVP RF"

:func:`apply_defaults` fills only fields that are absent, at any depth, never
overwrites a value the record carries (even an empty one), and lists every
filled field's JSON Pointer in ``/extraction/supplied`` so that a reader can
tell supplied values from read ones.

:func:`load_defaults` checks the file once against the record schema with no field
required (:func:`check_defaults`): a misspelt key or a value of the wrong type is an
error naming the file and the key, not a finding repeated on every record.
"""

from __future__ import annotations

import copy
import datetime
import difflib
import json
import re
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from preserve._resources import load_json
from preserve._types import StrPath
from preserve.errors import DefaultsError
from preserve.records.pointers import pointer

__all__ = ["apply_defaults", "check_defaults", "load_defaults"]

# Fields a batch cannot decide for its records: they describe the record itself.
_RESERVED = ("extraction", "schema_version")
_TOML_LINE_RE = re.compile(r"line (\d+)")


def load_defaults(path: StrPath) -> dict[str, Any]:
    """Read a defaults file (``.json`` or ``.toml``).

    :raises DefaultsError: when the file cannot be read, is malformed (the message
        names the file and line), is not an object, or sets ``extraction`` or
        ``schema_version``.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in (".json", ".toml"):
        msg = f"{file}: a defaults file must be .json or .toml, not {suffix or 'no suffix'}"
        raise DefaultsError(msg)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        msg = f"cannot read defaults file {file}: {e}; check the path and that it is UTF-8"
        raise DefaultsError(msg) from e
    data = _parse_json(file, text) if suffix == ".json" else _parse_toml(file, text)
    if not isinstance(data, dict):
        msg = f"{file}: defaults must be an object of record fields, not {type(data).__name__}"
        raise DefaultsError(msg)
    check_defaults(data, source=str(file))
    return data


def check_defaults(defaults: Mapping[str, Any], *, source: str) -> None:
    """Check defaults once, before any record: every key a record field, every value
    of the form the record schema gives that field (no field is required here).

    :param source: how to name the defaults in the error (the file).
    :raises DefaultsError: naming *source* and each key at fault, with what to do.
    """
    reserved = [key for key in _RESERVED if key in defaults]
    if reserved:
        msg = f"{source}: defaults cannot set {', '.join(reserved)}; remove it from the file"
        raise DefaultsError(msg)
    errors = sorted(
        _partial_validator().iter_errors(defaults), key=lambda e: list(map(str, e.path))
    )
    problems = list(dict.fromkeys(line for e in errors for line in _problems(e)))
    if problems:
        msg = (
            f"{source}: the defaults do not fit the record schema, so no record was read; "
            "correct the file and run again:\n" + "\n".join(f"  {p}" for p in problems)
        )
        raise DefaultsError(msg)


@cache
def _partial_validator() -> jsonschema.Draft202012Validator:
    """The record schema with nothing required: defaults fill only part of a record."""
    return jsonschema.Draft202012Validator(_optional(load_json("schemas", "record.schema.json")))


def _optional(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _optional(v) for k, v in node.items() if k != "required"}
    if isinstance(node, list):
        return [_optional(v) for v in node]
    return node


def _key(path: Any) -> str:
    """A JSON path as the dotted key a TOML or JSON defaults file writes."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if out else str(part)
    return out


_TYPES = {"string": "text in quotes", "integer": "a whole number", "array": "a list [...]",
          "object": "a table of fields ([section] in TOML, {...} in JSON)"}  # fmt: skip
_FORMS = {"document_date": "YYYY-MM-DD (1963-04-03), YYYY-MM or YYYY",
          "date": "YYYY-MM-DD (1963-04-03), YYYY-MM or YYYY",
          "conversation_date": "an EDTF date or interval (1963-02-28, 1963-01-06/1963-01-07)",
          "outgoing_number": "digits with an optional suffix (83, 0123, 83/s)"}  # fmt: skip


def _problems(e: jsonschema.ValidationError) -> list[str]:
    key, value = _key(e.absolute_path), json.dumps(e.instance, ensure_ascii=False)[:60]
    if e.validator == "additionalProperties" and isinstance(e.instance, dict):
        known = sorted(e.schema.get("properties", {})) if isinstance(e.schema, dict) else []
        return [
            f"{_key([*e.absolute_path, name])}: not a record field{_did_you_mean(name, known)}; "
            "correct the key or remove it"
            for name in e.instance
            if name not in known
        ]
    if e.validator == "type":
        wanted = e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
        must = " or ".join(_TYPES.get(str(t), str(t)) for t in wanted)
        if e.instance is None:
            return [f"{key}: null is no value; give {must}, or leave the key out"]
        return [f"{key}: {value} must be {must}"]
    if e.validator == "pattern":
        form = _FORMS.get(str(e.absolute_path[-1]) if e.absolute_path else "", "")
        return [f"{key}: {value} does not have the form {form or e.validator_value}"]
    if e.validator in ("enum", "const") and isinstance(e.validator_value, list | str):
        allowed = e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
        shown = ", ".join(map(str, allowed)) if len(allowed) <= 20 else _LANGUAGE
        return [f"{key}: {value} is not allowed; use {shown}"]
    if e.validator in ("minLength", "minItems"):
        return [f"{key}: {value} is empty; give a value or leave the key out"]
    if e.validator == "minimum":
        return [f"{key}: {value} is below {e.validator_value}; copies and leaves count from 1"]
    return [f"{key}: {e.message}"]


_LANGUAGE = "an ISO 639-2/B code such as eng, rus, ger (three lower-case letters)"


def _did_you_mean(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _parse_json(file: Path, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        msg = f"{file}, line {e.lineno}, column {e.colno}: not valid JSON: {e.msg}"
        raise DefaultsError(msg) from e


def _parse_toml(file: Path, text: str) -> Any:
    try:
        return _iso(tomllib.loads(text))
    except tomllib.TOMLDecodeError as e:
        line = _TOML_LINE_RE.search(str(e))
        where = f", line {line.group(1)}" if line else ""
        msg = f"{file}{where}: not valid TOML: {e}"
        raise DefaultsError(msg) from e


def _iso(value: Any) -> Any:
    """TOML dates, date-times and times as ISO 8601 strings, as a record holds them.

    ``document_date = 1962-03-10`` (unquoted) is a TOML date; a record is JSON, whose
    dates are strings, so it becomes ``"1962-03-10"``.
    """
    if isinstance(value, dict):
        return {key: _iso(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_iso(item) for item in value]
    if isinstance(value, datetime.date | datetime.time):  # datetime is a date too
        return value.isoformat()
    return value


def apply_defaults(record: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of *record* with absent fields filled from *defaults*.

    Works on any record dict (extracted, or read from JSON or CSV). Objects are
    merged key by key; any other value (string, number, list) fills a field only
    when the field is absent. Each filled field's pointer is appended to
    ``/extraction/supplied`` (``/extraction`` is created when missing).

    :param record: the record; it is not modified.
    :param defaults: a mapping as returned by :func:`load_defaults`.
    :returns: the filled copy.
    """
    out = copy.deepcopy(dict(record))
    supplied: list[str] = []
    _fill(out, defaults, "", supplied)
    if supplied:
        extraction = out.get("extraction")
        if not isinstance(extraction, dict):
            extraction = out["extraction"] = {}
        listed = extraction.get("supplied")
        if not isinstance(listed, list):
            listed = extraction["supplied"] = []
        listed.extend(p for p in supplied if p not in listed)
    return out


def _fill(target: dict[str, Any], defaults: Mapping[str, Any], base: str, out: list[str]) -> None:
    for key, value in defaults.items():
        if base == "" and key in _RESERVED:
            continue
        where = base + pointer([key])
        if key not in target and isinstance(value, Mapping) and value:
            # Fill a missing object leaf by leaf, so /extraction/supplied names each value.
            target[key] = {}
            _fill(target[key], value, where, out)
        elif key not in target:
            target[key] = copy.deepcopy(value)
            out.append(where)
        elif isinstance(target[key], dict) and isinstance(value, Mapping):
            _fill(target[key], value, where, out)
