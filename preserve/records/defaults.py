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
"""

from __future__ import annotations

import copy
import datetime
import json
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from preserve._types import StrPath
from preserve.errors import DefaultsError
from preserve.records.pointers import pointer

__all__ = ["apply_defaults", "load_defaults"]

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
    reserved = [key for key in _RESERVED if key in data]
    if reserved:
        msg = f"{file}: defaults cannot set {', '.join(reserved)}; remove it from the file"
        raise DefaultsError(msg)
    return data


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
