"""Two values for one field: said, never settled in silence (EXT-023).

A document's header may print two dates, two outgoing or copy numbers, or two
markings ("Secret" over "Top Secret"), and a page may print a date above the
title that is neither the header's date nor the talk's. records.md does not say
which of two printed values is the right one, so the extractor keeps the value
its rules take (docs/reference/extraction.md) and each such field gives a
warning naming both values, where they were printed, and the one taken.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from preserve.records.classification import find_marking
from preserve.records.dates import parse_date
from preserve.records.extract._layout import Layout
from preserve.records.extract._lines import Lines
from preserve.records.numbers import NumberKind, find_number_labels

__all__ = ["conflicts"]

Conflict = tuple[str, dict[str, Any]]  # (field, template values)


def conflicts(layout: Layout, lines: Lines, record: dict[str, Any]) -> list[Conflict]:
    """Each field the header (or the page date) gives two different values for."""
    found: list[Conflict] = []
    header = layout.header
    pairs: list[tuple[str, list[tuple[str, str]], Any]] = [
        (
            "/dates/document_date",
            list(_header_dates(header)),
            _get(record, "dates").get("document_date"),
        ),
        (
            "/classification/marking",
            list(_markings(header)),
            _get(record, "classification").get("marking"),
        ),
        ("/outgoing_number", list(_numbers(header, "outgoing")), record.get("outgoing_number")),
        ("/copy_number", list(_numbers(header, "copy")), record.get("copy_number")),
    ]
    for field, values, taken in pairs:
        distinct = _distinct(values)
        if len(distinct) > 1:
            (first, first_line), (second, second_line) = distinct[:2]
            found.append(
                (
                    field,
                    _context(first, first_line, second, second_line, taken, "the first printed"),
                )
            )
    page = _page_date(layout, lines, record)
    if page is not None:
        found.append(page)
    return found


def _get(record: dict[str, Any], key: str) -> Any:
    value = record.get(key, {})
    return value if isinstance(value, dict) else {}


def _context(
    first: str, first_line: str, second: str, second_line: str, taken: Any, why: str
) -> dict[str, Any]:
    if taken is None:
        shown = "neither was taken"
    elif str(taken) == first:
        shown = f"{first!r} ({why}) was taken"
    else:
        shown = f"{taken!r} was taken"
    return {
        "first": first,
        "first_line": first_line,
        "second": second,
        "second_line": second_line,
        "taken": shown,
    }


def _distinct(values: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for value, line in values:
        seen.setdefault(value, line)
    return list(seen.items())


def _header_dates(header: list[str]) -> Iterator[tuple[str, str]]:
    for line in header:
        date = parse_date(line)
        if date is not None and "/" not in date:
            yield date, line


def _markings(header: list[str]) -> Iterator[tuple[str, str]]:
    for line in header:
        marking = find_marking(line)
        if marking is not None and line.startswith(marking.printed):
            yield marking.printed, line


def _numbers(header: list[str], kind: NumberKind) -> Iterator[tuple[str, str]]:
    for line in header:
        label = find_number_labels(line).get(kind)
        if label is not None and label.value is not None:
            yield str(label.value), line


def _page_date(layout: Layout, lines: Lines, record: dict[str, Any]) -> Conflict | None:
    """A page date that is neither the header's date nor the conversation's.

    The archive's page usually prints the talk's date above the title, so a page date
    equal to the conversation date is no conflict.
    """
    dates = _get(record, "dates")
    header = next((d for d, _ in _header_dates(layout.header)), None)
    found = lines.page_date()
    page = layout.page_date or (found.value if found else None)
    conversation = str(dates.get("conversation_date", ""))
    if header is None or page is None or page == header:
        return None
    first, _, last = conversation.partition("/")
    if conversation and first <= page <= (last or first):
        return None
    where = lines.dated_line(page)
    page_line = where.text.strip("*_# ") if where is not None else "the page date"
    header_line = next(line for line in layout.header if parse_date(line) == header)
    context = _context(
        header, header_line, page, page_line, header, "the header's date, the document's own"
    )
    return "/dates/document_date", context
