"""What loading yields, and the line and text readers every loader shares.

An :data:`Item` is a :class:`Loaded` record or a finding about input that could not be
read. :func:`bounded_lines` reads lines with a cap on their length and :func:`decode`
turns bytes into text or a REC-002 finding; :mod:`.loaders`, :mod:`.csvload` and
:mod:`.workbook` all build on them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO, NamedTuple

from preserve.findings import Finding
from preserve.records.validate.codes import CATALOG

__all__ = ["MAX_LINE_BYTES", "Item", "Loaded", "bounded_lines", "decode"]

MAX_LINE_BYTES = 16 * 1024 * 1024
"""One JSON Lines line or CSV line may be this long; a longer one is reported."""


class Loaded(NamedTuple):
    """One record as read, with where it came from (a tuple: cheap to make per line).

    :param record: the parsed JSON value (normally an object; the schema reports others).
    :param source: the file, as the user named it.
    :param position: 1-based position of the record in its file.
    :param line: the line of a JSON Lines file.
    :param row: the row of a CSV file as a spreadsheet shows it (the header is row 1).
    :param columns: for CSV, the column that filled each JSON Pointer.
    :param unconverted: for CSV, the JSON Pointers of cells that could not be converted
        (already reported): findings about those fields are not repeated.
    """

    record: Any
    source: str
    position: int = 1
    line: int | None = None
    row: int | None = None
    columns: dict[str, str] | None = None
    unconverted: frozenset[str] = frozenset()


Item = Loaded | Finding


def decode(data: bytes, source: str, where: str, **location: Any) -> str | Finding:
    """*data* as UTF-8 text (a BOM is dropped), or a REC-002 finding."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = location.pop("line", None) or data.count(b"\n", 0, e.start) + 1
        return CATALOG.finding(
            "REC-002", source=source, where=where, offset=e.start, line=line, **location
        )


def bounded_lines(fh: BinaryIO, limit: int | None = None) -> Iterator[tuple[int, bytes | int]]:
    """Yield ``(line number, bytes)``; for a line longer than *limit*, its length instead.

    A long line is read past in chunks, never held whole in memory.

    :param limit: longest line accepted (default :data:`MAX_LINE_BYTES`).
    """
    limit = MAX_LINE_BYTES if limit is None else limit
    number = 0
    while True:
        raw = fh.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) <= limit or raw.endswith(b"\n"):
            yield number, raw
            continue
        size = len(raw)
        while raw and not raw.endswith(b"\n"):
            raw = fh.readline(limit)
            size += len(raw)
        yield number, size


def long_line(
    source: str,
    number: int,
    size: int,
    what: str,
    *,
    advice: str = "split it or check that the file is what you meant to give",
) -> Finding:
    """REC-010: line *number* of *source* is longer than :data:`MAX_LINE_BYTES`
    (*what* it was meant to hold, when known, is named beside the line)."""
    return CATALOG.finding(
        "REC-010",
        source=source,
        line=number,
        what=f"line {number} ({what})" if what else f"line {number}",
        size=size,
        limit=MAX_LINE_BYTES,
        advice=advice,
    )
