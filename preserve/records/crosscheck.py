"""Checks across the records given together, in bounded memory.

Only keys are kept, never whole records: a digest per duplicate key, and for each
delo the leaf spans and (year, date, number) of its records. For a million records
that is a few hundred bytes each. Duplicates are reported as soon as they are seen;
overlaps and number order once every record is in (:meth:`CrossCheck.finish`).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from preserve.findings import Finding
from preserve.records.codes import CATALOG
from preserve.records.semantic import PARTS, good_leaves, leaf_span, show_leaves


@dataclass(frozen=True, slots=True)
class Seen:
    """Where a record was: enough to name it in a finding about another record."""

    label: str
    source: str


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    leaves: str
    seen: Seen
    location: tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class _Numbered:
    date: str
    number: int
    text: str
    seen: Seen
    location: tuple[tuple[str, Any], ...]


def _digest(*parts: Any) -> bytes:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).digest()


class CrossCheck:
    """Collects keys record by record; reports duplicates, overlaps and number order."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, bytes], Seen] = {}
        self._spans: dict[bytes, list[_Span]] = defaultdict(list)
        self._numbers: dict[tuple[bytes, str], list[_Numbered]] = defaultdict(list)

    def add(self, record: Any, /, **location: Any) -> list[Finding]:
        """Remember *record*'s keys; return the duplicates it makes with earlier records.

        :param location: ``source`` and ``record`` (label) at least; also ``line``/``row``.
        """
        if not isinstance(record, dict):
            return []
        seen = Seen(str(location.get("record")), str(location.get("source")))
        found = [
            self._duplicate(code, field, key, seen, location, **values)
            for code, field, key, values in _keys(record)
        ]
        delo = _delo(record)
        duplicate = any(f is not None and f.code == "REC-051" for f in found)
        if delo is not None and not duplicate:  # a duplicate's leaves are reported once
            self._remember_delo(record, delo, seen, location)
        return [f for f in found if f is not None]

    def _duplicate(
        self,
        code: str,
        field: str,
        key: tuple[str, bytes],
        seen: Seen,
        location: dict[str, Any],
        **values: Any,
    ) -> Finding | None:
        other = self._keys.setdefault(key, seen)
        if other is seen:
            return None
        return CATALOG.finding(
            code, field=field, other=other.label, other_source=other.source, **values, **location
        )

    def _remember_delo(
        self, record: dict[str, Any], delo: bytes, seen: Seen, location: dict[str, Any]
    ) -> None:
        where = tuple(sorted(location.items()))
        for i, leaf in good_leaves(record):
            if leaf["first"] <= leaf["last"]:
                start, end = leaf_span(leaf)
                self._spans[delo].append(
                    _Span(start, end, show_leaves(leaf), seen, where + (("index", i),))
                )
        number = _number(record.get("outgoing_number"))
        date = (
            record.get("dates", {}).get("document_date")
            if isinstance(record.get("dates"), dict)
            else None
        )
        if number is not None and isinstance(date, str) and len(date) == 10:
            text = str(record["outgoing_number"])
            self._numbers[(delo, date[:4])].append(_Numbered(date, number, text, seen, where))

    def finish(self) -> list[Finding]:
        """Findings that need every record: overlapping leaves, outgoing-number order."""
        found = [f for spans in self._spans.values() for f in _overlaps(spans)]
        found += [f for numbered in self._numbers.values() for f in _order(numbered)]
        return found


def _keys(record: dict[str, Any]) -> Iterator[tuple[str, str, tuple[str, bytes], dict[str, Any]]]:
    source = record.get("source") if isinstance(record.get("source"), dict) else {}
    for name, label in (("record_id", "record id"), ("url", "URL")):
        value = source.get(name)  # type: ignore[union-attr]
        if isinstance(value, str) and value:
            yield (
                "REC-050",
                f"/source/{name}",
                (name, _digest(value)),
                {"key_name": label, "key_value": value},
            )
    ref = record.get("archive_reference")
    if isinstance(ref, dict) and ref.get("leaves"):
        parts = tuple(ref.get(p) for p in PARTS)
        leaves = tuple(show_leaves(leaf) for _, leaf in good_leaves(record))
        yield "REC-051", "/archive_reference", ("ref", _digest(parts, leaves)), {}
    title, dates = record.get("title"), record.get("dates")
    date = dates.get("document_date") if isinstance(dates, dict) else None
    if isinstance(title, str) and isinstance(date, str):
        yield "REC-052", "/title", ("title", _digest(" ".join(title.casefold().split()), date)), {}
    extraction = record.get("extraction")
    digest = extraction.get("text_sha256") if isinstance(extraction, dict) else None
    if isinstance(digest, str) and digest:
        yield (
            "REC-053",
            "/extraction/text_sha256",
            ("text", _digest(digest)),
            {"digest": digest[:12] + "…"},
        )


def _delo(record: dict[str, Any]) -> bytes | None:
    ref = record.get("archive_reference")
    if not isinstance(ref, dict) or not isinstance(ref.get("delo"), str):
        return None
    return _digest(tuple(ref.get(p) for p in PARTS))


def _number(value: Any) -> int | None:
    if not isinstance(value, str):
        return None
    digits = value.split("/")[0].split("-")[0]
    return int(digits) if digits.isdigit() else None


def _overlaps(spans: list[_Span]) -> Iterator[Finding]:
    """Sweep the spans of one delo in order; report each that overlaps an earlier one."""
    spans.sort(key=lambda s: (s.start, s.end))
    reach: _Span | None = None
    for span in spans:
        if reach is not None and span.start <= reach.end and reach.seen is not span.seen:
            same = (span.start, span.end) == (reach.start, reach.end)
            if not same:  # identical leaves are REC-051 (a duplicate), not an overlap
                location = dict(span.location)
                index = location.pop("index")
                yield CATALOG.finding(
                    "REC-054",
                    field=f"/archive_reference/leaves/{index}",
                    this=span.leaves,
                    other_leaves=reach.leaves,
                    other=reach.seen.label,
                    **location,
                )
        if reach is None or span.end > reach.end:
            reach = span


def _order(numbered: list[_Numbered]) -> Iterator[Finding]:
    """Within one delo and year, a later date should not carry a lower number."""
    numbered.sort(key=lambda n: (n.date, n.number))
    highest: _Numbered | None = None
    for entry in numbered:
        if highest is not None and entry.number < highest.number and entry.date > highest.date:
            yield CATALOG.finding(
                "REC-055",
                field="/outgoing_number",
                number=highest.text,
                date=highest.date,
                other_number=entry.text,
                other_date=entry.date,
                other=entry.seen.label,
                **dict(highest.location),
            )
        if highest is None or entry.number > highest.number:
            highest = entry
    return
