"""Checks across the records given together, in bounded memory.

Only keys are kept, never whole records: a 64-bit number per duplicate key, and
for each delo the leaf spans and (date, number) of its records, with each record's
label and location. For a million records that is a few hundred bytes each.
Duplicates are reported as soon as they are seen; overlaps and number order once
every record is in (:meth:`CrossCheck.finish`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any, NamedTuple

from preserve.findings import Finding
from preserve.records.codes import CATALOG
from preserve.records.semantic import PARTS, good_leaves, leaf_span, show_leaves


class Seen(NamedTuple):
    """Where a record was: enough to name it in a finding about another record."""

    label: str
    source: str
    line: int | None = None
    row: int | None = None

    def location(self) -> dict[str, Any]:
        """``source``, ``record`` and ``line``/``row`` for a finding about this record."""
        out: dict[str, Any] = {"source": self.source, "record": self.label}
        if self.line is not None:
            out["line"] = self.line
        if self.row is not None:
            out["row"] = self.row
        return out


class _Span(NamedTuple):
    start: int
    end: int
    position: int
    leaf: tuple[int, int, bool]
    seen: Seen


class _Numbered(NamedTuple):
    date: str
    number: int
    text: str
    seen: Seen


# Duplicate keys: (rule, field, kind of key, name in the message).
_RECORD_ID = ("REC-050", "/source/record_id", "record id")
_URL = ("REC-050", "/source/url", "URL")
_REFERENCE = ("REC-051", "/archive_reference", "")
_TITLE = ("REC-052", "/title", "")
_TEXT = ("REC-053", "/extraction/text_sha256", "")


class CrossCheck:
    """Collects keys record by record; reports duplicates, overlaps and number order.

    Keys are 64-bit hashes (SipHash, as Python hashes strings): keeping a number
    instead of the key bounds memory; two different keys share one with odds of
    about 1 in 10^7 in a batch of a million records.
    """

    def __init__(self) -> None:
        self._keys: dict[int, Seen] = {}
        self._spans: dict[int, list[_Span]] = defaultdict(list)
        self._numbers: dict[tuple[int, str], list[_Numbered]] = defaultdict(list)

    def add(self, record: Any, /, **location: Any) -> list[Finding]:
        """Remember *record*'s keys; return the duplicates it makes with earlier records.

        :param location: ``source`` and ``record`` (label); ``line``/``row`` where known.
        """
        if not isinstance(record, dict):
            return []
        seen = Seen(
            str(location.get("record")),
            str(location.get("source")),
            location.get("line"),
            location.get("row"),
        )
        found: list[Finding] = []
        duplicate_reference = False
        leaves = good_leaves(record)
        for rule, key, value in _keys(record, leaves):
            other = self._keys.setdefault(hash((rule, key)), seen)
            if other is not seen:  # setdefault returned an earlier record's
                found.append(_duplicate(rule, value, other, location))
                duplicate_reference = duplicate_reference or rule is _REFERENCE
        delo = _delo(record)
        if delo is not None and not duplicate_reference:  # a duplicate's leaves: one finding
            self._remember_delo(record, leaves, delo, seen)
        return found

    def _remember_delo(
        self,
        record: dict[str, Any],
        leaves: list[tuple[int, dict[str, Any]]],
        delo: int,
        seen: Seen,
    ) -> None:
        for i, leaf in leaves:
            if leaf["first"] <= leaf["last"]:
                start, end = leaf_span(leaf)
                shape = (leaf["first"], leaf["last"], bool(leaf.get("verso")))
                self._spans[delo].append(_Span(start, end, i, shape, seen))
        number = _number(record.get("outgoing_number"))
        dates = record.get("dates")
        date = dates.get("document_date") if isinstance(dates, dict) else None
        if number is not None and isinstance(date, str) and len(date) == 10:
            text = str(record["outgoing_number"])
            self._numbers[(delo, date[:4])].append(_Numbered(date, number, text, seen))

    def finish(self) -> list[Finding]:
        """Findings that need every record: overlapping leaves, outgoing-number order."""
        found = [f for spans in self._spans.values() for f in _overlaps(spans)]
        found += [f for numbered in self._numbers.values() for f in _order(numbered)]
        return found


def _duplicate(
    rule: tuple[str, str, str], value: str, other: Seen, location: dict[str, Any]
) -> Finding:
    code, field, key_name = rule
    values: dict[str, Any] = {"other": other.label, "other_source": other.source}
    if code == "REC-050":
        values |= {"key_name": key_name, "key_value": value}
    elif code == "REC-053":
        values["digest"] = value[:12] + "…"
    return CATALOG.finding(code, field=field, **values, **location)


def _keys(
    record: dict[str, Any], good: list[tuple[int, dict[str, Any]]]
) -> list[tuple[tuple[str, str, str], Any, str]]:
    """The duplicate keys of *record* (*good*: its well-formed leaf ranges)."""
    keys: list[tuple[tuple[str, str, str], Any, str]] = []
    source = record.get("source")
    if isinstance(source, dict):
        for rule, name in ((_RECORD_ID, "record_id"), (_URL, "url")):
            value = source.get(name)
            if isinstance(value, str) and value:
                keys.append((rule, value, value))
    ref = record.get("archive_reference")
    if isinstance(ref, dict) and ref.get("leaves"):
        leaves = tuple((leaf["first"], leaf["last"], bool(leaf.get("verso"))) for _, leaf in good)
        key = (ref.get("repository"), ref.get("fond"), ref.get("opis"), ref.get("papka"))
        keys.append((_REFERENCE, (*key, ref.get("delo"), leaves), ""))
    title, dates = record.get("title"), record.get("dates")
    date = dates.get("document_date") if isinstance(dates, dict) else None
    if isinstance(title, str) and isinstance(date, str):
        keys.append((_TITLE, (" ".join(title.casefold().split()), date), ""))
    extraction = record.get("extraction")
    digest = extraction.get("text_sha256") if isinstance(extraction, dict) else None
    if isinstance(digest, str) and digest:
        keys.append((_TEXT, digest, digest))
    return keys


def _delo(record: dict[str, Any]) -> int | None:
    ref = record.get("archive_reference")
    if not isinstance(ref, dict) or not isinstance(ref.get("delo"), str):
        return None
    return hash(tuple(ref.get(p) for p in PARTS))


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
        if reach is not None and span.start <= reach.end and reach.seen != span.seen:
            yield CATALOG.finding(
                "REC-054",
                field=f"/archive_reference/leaves/{span.position}",
                this=_show(span.leaf),
                other_leaves=_show(reach.leaf),
                other=reach.seen.label,
                **span.seen.location(),
            )
        if reach is None or span.end > reach.end:
            reach = span


def _show(leaf: tuple[int, int, bool]) -> str:
    return show_leaves({"first": leaf[0], "last": leaf[1], "verso": leaf[2]})


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
                **highest.seen.location(),
            )
        if highest is None or entry.number > highest.number:
            highest = entry
