"""Each field of a record beside the text it came from (``preserve extract --explain``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["explain_lines", "unsourced"]


def explain_lines(record: Mapping[str, Any]) -> list[str]:
    """Lines of ``pointer = value`` then ``    from: <where>`` for every field of *record*.

    A field read from the text names its line (or label); an inferred one says what
    it was inferred from; a field without a recorded source says so, so nothing
    reads as checked when it was not.
    """
    extraction = record.get("extraction", {})
    sources: Mapping[str, str] = extraction.get("sources", {})
    inferred = set(extraction.get("inferred", []))
    supplied = set(extraction.get("supplied", []))
    out = [f"# {extraction.get('source', '(no source)')}"]
    for pointer, value in _fields(record):
        out.append(
            f"{pointer} = {value!r}" if not isinstance(value, str) else f"{pointer} = {value}"
        )
        where = _source_of(pointer, sources)
        if pointer in supplied or any(pointer.startswith(p + "/") for p in supplied):
            out.append("    from: --defaults (supplied, not read)")
        elif where and where.startswith("inferred "):
            out.append(f"    {where}")
        elif where:
            tag = "inferred " if _under(pointer, inferred) else ""
            out.append(f"    {tag}from: {where}")
        else:
            out.append("    from: (not recorded)")
    return out


def unsourced(record: Mapping[str, Any]) -> list[str]:
    """The fields of *record* with no recorded source and not supplied from defaults.

    An extracted record should have none: this is what ``--explain`` would print as
    ``(not recorded)``.
    """
    extraction = record.get("extraction", {})
    sources: Mapping[str, str] = extraction.get("sources", {})
    supplied = set(extraction.get("supplied", []))
    return [
        pointer
        for pointer, _ in _fields(record)
        if _source_of(pointer, sources) is None and not _under(pointer, supplied)
    ]


def _under(pointer: str, pointers: set[str]) -> bool:
    return any(pointer == p or pointer.startswith(p + "/") for p in pointers)


def _source_of(pointer: str, sources: Mapping[str, str]) -> str | None:
    while pointer:
        if pointer in sources:
            return sources[pointer]
        pointer = pointer.rsplit("/", 1)[0]
    return None


def _fields(record: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in record.items():
        if not prefix and key in ("extraction", "schema_version"):
            continue
        pointer = f"{prefix}/{key}"
        if isinstance(value, Mapping):
            yield from _fields(value, pointer)
        else:
            yield pointer, value
