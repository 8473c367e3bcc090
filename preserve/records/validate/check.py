"""Checking one record: the schema, the per-record rules, and its cross-record keys.

:func:`check_one` has no shared state, so that :mod:`.parallel`'s worker processes run
it on their share of a big file and :mod:`.validation` runs it on every other record;
:func:`record_label` is how findings name a record.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from preserve.findings import Finding
from preserve.records.validate.codes import CATALOG
from preserve.records.validate.crosscheck import RecordKeys, Seen, record_keys
from preserve.records.validate.items import Loaded
from preserve.records.validate.quick import passes_quickly
from preserve.records.validate.schema import RecordSchema
from preserve.records.validate.semantic import check_record

__all__ = ["Checked", "check_one", "record_label"]


class Checked(NamedTuple):
    """One record after the per-record checks, ready to merge into the cross-record rules."""

    found: list[Finding]
    seen: Seen | None = None
    keys: RecordKeys | None = None


def check_one(schema: RecordSchema, record: Any, loaded: Loaded) -> Checked:
    """The per-record findings of *record* and its cross-record keys (no shared state).

    A worker process runs this on its share of a big file; the parent merges the keys.
    """
    if not isinstance(record, dict):
        return Checked([CATALOG.finding("REC-009", found=_kind(record), **_location(loaded))])
    seen = Seen(
        record_label(loaded.record, loaded.position), loaded.source, loaded.line, loaded.row
    )
    if schema.is_valid(record) and passes_quickly(record):
        found = []  # the common clean record: no location dict, no finding objects
    else:
        location = seen.location()
        found = schema.findings(record, **location)
        found += check_record(record, **location)
    return Checked(found, seen, record_keys(record))


def record_label(record: Any, position: int) -> str:
    """How findings name a record: its citation, else its record id, else ``#<n>``."""
    if isinstance(record, dict):
        ref, src = record.get("archive_reference"), record.get("source")
        if isinstance(ref, dict) and isinstance(ref.get("citation"), str):
            return str(ref["citation"])
        if isinstance(src, dict) and isinstance(src.get("record_id"), str):
            return f"record id {src['record_id']}"
    return f"#{position}"


def _location(loaded: Loaded) -> dict[str, Any]:
    location: dict[str, Any] = {
        "source": loaded.source,
        "record": record_label(loaded.record, loaded.position),
    }
    if loaded.line is not None:
        location["line"] = loaded.line
    if loaded.row is not None:
        location["row"] = loaded.row
    return location


def _kind(value: Any) -> str:
    names = {bool: "true/false", str: "a string", int: "a number", float: "a number"}
    names |= {list: "a list", type(None): "null"}
    return next((n for t, n in names.items() if isinstance(value, t)), type(value).__name__)
