"""Records from CSV: one record per row, dotted column names for nested fields.

A header such as ``title,archive_reference.fond,archive_reference.leaves,translators``
gives each row's record. Conversions:

- ``copy_number`` and leaf numbers become integers;
- ``archive_reference.leaves`` is written as in a citation (``97-99``, ``5-7, 9``,
  ``160-162 ob.``) or as JSON (``[{"first": 97, "last": 99}]``);
- list columns (``translators``, ``obtained_by``, ``extraction.inferred``,
  ``extraction.supplied``) are separated by ``;`` or written as a JSON array;
- ``related`` is JSON; an empty cell leaves the field out.

Findings carry the row as a spreadsheet shows it (the header is row 1, the first
record row 2) and the column. A row with several problems reports all of them at
once: a cell that cannot be converted is reported and left out, and the rest of the
row is still checked as a record (findings about the left-out field itself, such as
"missing", are not repeated).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

from preserve.findings import Finding
from preserve.records.citation import parse_citation
from preserve.records.codes import CATALOG
from preserve.records.loaders import Item, Loaded, bounded_lines, decode

SKIPPED_LINE = "\ue000preserve: unreadable line\ue000\n"
"""Stands in for a line that could not be read (its finding is already made)."""
LIST_COLUMNS = frozenset(
    {"translators", "obtained_by", "extraction.inferred", "extraction.supplied"}
)
INTEGER_COLUMNS = frozenset({"copy_number"})
JSON_COLUMNS = frozenset({"related", "archive_reference.leaves"})


class _Lines:
    """Decoded lines for :mod:`csv`, keeping problems (bad UTF-8, long lines) aside."""

    def __init__(self, fh: BinaryIO, source: str) -> None:
        self._lines = bounded_lines(fh)
        self.source = source
        self.problems: list[Finding] = []
        self.number = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        self.number, raw = next(self._lines)
        if isinstance(raw, int):
            self.problems.append(_too_long(self.source, self.number, raw))
            return SKIPPED_LINE  # a row of its own, so that later rows keep their numbers
        text = decode(raw, self.source, f"line {self.number}", line=self.number)
        if isinstance(text, Finding):
            self.problems.append(text)
            return SKIPPED_LINE
        return text


def _too_long(source: str, number: int, size: int) -> Finding:
    from preserve.records import loaders

    return CATALOG.finding(
        "REC-010",
        source=source,
        line=number,
        what=f"line {number}",
        size=size,
        limit=loaders.MAX_LINE_BYTES,
        advice="split it or check that the file is CSV",
    )


def read_csv(fh: BinaryIO, source: str) -> Iterator[Item]:
    """Yield one record per data row of a CSV file, and findings for rows that fail."""
    lines = _Lines(fh, source)
    reader = csv.reader(lines, strict=True)
    header = _header(reader, lines, source)
    yield from lines.problems
    lines.problems.clear()
    if isinstance(header, Finding):
        yield header
        return
    row = 1  # the header: numbered as a spreadsheet shows it
    while True:
        row += 1
        try:
            values = next(reader)
        except StopIteration:
            yield from lines.problems
            return
        except csv.Error as e:
            yield from lines.problems
            lines.problems.clear()
            yield CATALOG.finding(
                "REC-007", source=source, row=row, line=lines.number, reason=str(e)
            )
            continue
        yield from lines.problems
        lines.problems.clear()
        yield from _row_record(header, values, source, row)


def _header(reader: Any, lines: _Lines, source: str) -> list[str] | Finding:
    try:
        names = [n.strip() for n in next(reader)]
    except StopIteration:
        return CATALOG.finding("REC-004", source=source)
    except csv.Error as e:
        return CATALOG.finding(
            "REC-015", source=source, problem=f"cannot be read ({e})", advice="fix its quoting"
        )
    seen: set[str] = set()
    for name in names:
        problem = _header_problem(name, seen, names)
        if problem:
            return CATALOG.finding(
                "REC-015",
                source=source,
                column=name,
                problem=problem,
                advice="give every column a distinct dotted field name (archive_reference.fond)",
            )
        seen.add(name)
    return names


def _header_problem(name: str, seen: set[str], names: list[str]) -> str | None:
    if not name:
        return "has an empty column name"
    if name in seen:
        return f"names the column {name!r} twice"
    if any(other.startswith(name + ".") for other in names):
        return f"has both {name!r} and columns inside it"
    if any(not part for part in name.split(".")):
        return f"has the malformed column name {name!r}"
    return None


def _row_record(header: list[str], values: list[str], source: str, row: int) -> Iterator[Item]:
    if values == [SKIPPED_LINE.rstrip("\n")]:
        return
    if len(values) != len(header):
        if not any(v.strip() for v in values):
            return  # a blank line
        reason = f"it has {len(values)} values but the header has {len(header)} columns"
        yield CATALOG.finding("REC-007", source=source, row=row, reason=reason)
        return
    record: dict[str, Any] = {}
    columns: dict[str, str] = {}
    failed: list[str] = []
    for name, raw in zip(header, values, strict=True):
        if not raw.strip():
            continue
        pointer = "/" + name.replace(".", "/")
        converted = _convert(name, raw.strip(), source, row)
        if isinstance(converted, Finding):
            yield converted
            failed.append(pointer)
            continue
        _put(record, name.split("."), converted)
        columns[pointer] = name
    yield Loaded(record, source, row - 1, row=row, columns=columns, unconverted=frozenset(failed))


def _put(record: dict[str, Any], parts: list[str], value: Any) -> None:
    node = record
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _convert(name: str, raw: str, source: str, row: int) -> Any:
    if name in INTEGER_COLUMNS:
        return _integer(name, raw, source, row)
    if name == "archive_reference.leaves":
        return _leaves(name, raw, source, row)
    if name in JSON_COLUMNS or (name in LIST_COLUMNS and raw.startswith("[")):
        try:
            return json.loads(raw)
        except ValueError:
            return _bad(name, raw, source, row, "JSON", "write it as a JSON array")
    if name in LIST_COLUMNS:
        return [item.strip() for item in raw.split(";") if item.strip()]
    return raw


def _integer(name: str, raw: str, source: str, row: int) -> int | Finding:
    if raw.isdigit():
        return int(raw)
    fixed = raw.translate(str.maketrans("OoОо", "0000"))
    if fixed != raw and fixed.isdigit():
        return CATALOG.finding(
            "REC-038",
            source=source,
            row=row,
            column=name,
            field="/" + name.replace(".", "/"),
            value=raw,
            fixed=fixed,
        )
    return _bad(name, raw, source, row, "a whole number", "write digits only, e.g. 1")


def _leaves(name: str, raw: str, source: str, row: int) -> Any:
    if raw.startswith("["):
        try:
            return json.loads(raw)
        except ValueError:
            pass
    else:
        parsed = parse_citation(f"f. 0, ll. {raw.removeprefix('ll.').removeprefix('l.').strip()}")
        if parsed is not None and parsed.leaves:
            return [leaf.to_dict() for leaf in parsed.leaves]
    return _bad(
        name, raw, source, row, "a leaf range", "write it like 97-99, 5-7, 9 or 160-162 ob."
    )


def _bad(name: str, raw: str, source: str, row: int, expected: str, advice: str) -> Finding:
    return CATALOG.finding(
        "REC-008",
        source=source,
        row=row,
        column=name,
        field="/" + name.replace(".", "/"),
        value=raw if len(raw) <= 60 else raw[:59] + "…",
        expected=expected,
        advice=advice,
    )
