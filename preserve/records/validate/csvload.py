"""Records from CSV: one record per row, dotted column names for nested fields.

A header such as ``title,archive_reference.fond,archive_reference.leaves,translators``
gives each row's record. Conversions:

- ``copy_number`` and leaf numbers become integers;
- ``archive_reference.leaves`` is written as in a citation (``97-99``, ``5-7, 9``,
  ``160-162 ob.``) or as JSON (``[{"first": 97, "last": 99}]``);
- list columns (``translators``, ``obtained_by``, ``extraction.inferred``,
  ``extraction.supplied``) are separated by ``;`` or written as a JSON array;
- ``related`` is JSON; an empty cell leaves the field out.

A row whose cells are all empty (an empty line, or ``,,,,`` as a spreadsheet exports
an emptied row) is skipped as blank, in CSV and ``.xlsx`` alike.

Findings carry the row as a spreadsheet shows it (the header is row 1, the first
record row 2) and the column. A row with several problems reports all of them at
once: a cell that cannot be converted is reported and left out, and the rest of the
row is still checked as a record (findings about the left-out field itself, such as
"missing", are not repeated).
"""

from __future__ import annotations

import csv
import itertools
import json
import logging
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO, NamedTuple

from preserve.findings import Finding
from preserve.records.citation import parse_citation
from preserve.records.validate import items
from preserve.records.validate.codes import CATALOG
from preserve.records.validate.items import Item, Loaded, bounded_lines, decode
from preserve.records.validate.sheets import (
    DELIMITERS,
    Recoded,
    canonical,
    detect_delimiter,
    open_lines,
    schema_columns,
    suggestion,
)

log = logging.getLogger(__name__)

SKIPPED_LINE = "\ue000preserve: unreadable line\ue000\n"
"""Stands in for a line that could not be read (its finding is already made)."""
LIST_COLUMNS = frozenset(
    {"translators", "obtained_by", "extraction.inferred", "extraction.supplied"}
)

INTEGER_COLUMNS = frozenset({"copy_number"})
DATE_COLUMNS = frozenset({"dates.document_date", "dates.conversation_date"})
"""The columns whose values are dates: a workbook cell typed as a date belongs only here."""
JSON_COLUMNS = frozenset({"related", "archive_reference.leaves"})


class _Lines:
    """Decoded lines for :mod:`csv`, keeping problems (bad UTF-8, long lines) aside."""

    def __init__(self, fh: Any, source: str) -> None:
        self._lines = bounded_lines(fh)
        self.source = source
        self.problems: list[Finding] = []
        self.number = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        self.number, raw = next(self._lines)
        if isinstance(raw, int):
            self.problems.append(
                items.long_line(
                    self.source,
                    self.number,
                    raw,
                    "",
                    advice="split it or check that the file is CSV",
                )
            )
            return SKIPPED_LINE  # a row of its own, so that later rows keep their numbers
        text = decode(raw, self.source, f"line {self.number}", line=self.number)
        if isinstance(text, Finding):
            self.problems.append(text)
            return SKIPPED_LINE
        return text


def read_csv(fh: BinaryIO, source: str) -> Iterator[Item]:
    """Yield one record per data row of a CSV file, and findings for rows that fail.

    The encoding (UTF-8, UTF-16 with a byte-order mark) and the delimiter (comma,
    semicolon, tab) are detected; a REC-016 warning says so when they are not UTF-8
    and commas.
    """
    readable, encoding = open_lines(fh)
    lines = _Lines(readable, source)
    try:
        yield from _read(lines, source, encoding)
    except UnicodeDecodeError as e:  # only UTF-16 is decoded while reading lines
        yield CATALOG.finding(
            "REC-002",
            source=source,
            where=f"the file (read as {encoding})",
            offset=e.start,
            line=lines.number + 1,
        )
    finally:
        if isinstance(readable, Recoded):
            readable.release()


def _read(lines: _Lines, source: str, encoding: str) -> Iterator[Item]:
    first = next(lines, None)
    delimiter = detect_delimiter(first or "")
    log.info("%s: read as %s-separated %s", source, DELIMITERS[delimiter], encoding)
    if delimiter != "," or encoding.startswith("UTF-16"):
        yield CATALOG.finding(
            "REC-016", source=source, delimiter=DELIMITERS[delimiter], encoding=encoding
        )
    rows = itertools.chain([] if first is None else [first], lines)
    reader = csv.reader(rows, strict=True, delimiter=delimiter)
    header = _header(reader, source)
    yield from lines.problems
    lines.problems.clear()
    if isinstance(header, Finding):
        yield header
        return
    yield from header.findings
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
                "REC-007", source=source, row=row, line=lines.number, reason=_csv_reason(e)
            )
            continue
        yield from lines.problems
        lines.problems.clear()
        yield from table_row(
            header=header, values=values, source=source, row=row, delimiter=DELIMITERS[delimiter]
        )


def _csv_reason(e: csv.Error) -> str:
    """The :mod:`csv` module's complaint in the words of someone editing a spreadsheet."""
    text = str(e)
    if "new-line character" in text:
        return "a value holds a line break outside quotes; quote the value or remove the break"
    if "end of data" in text:
        return "a quoted value is not closed before the end of the file"
    if "expected after" in text:
        return "a closing quote is followed by more text in the same value"
    return "its quoting cannot be read"


class Header(NamedTuple):
    """The columns of a table: schema names (or None for a column left out) and findings."""

    names: list[str | None]
    findings: list[Finding]


def _header(reader: Any, source: str) -> Header | Finding:
    try:
        given = next(reader)
    except StopIteration:
        return CATALOG.finding("REC-004", source=source)
    except csv.Error as e:
        return CATALOG.finding(
            "REC-015",
            source=source,
            problem=f"cannot be read ({_csv_reason(e)})",
            advice="fix its quoting",
        )
    return table_header(given, source)


def table_header(given: list[str], source: str) -> Header | Finding:
    """The header of a CSV file or a sheet, matched to the schema's column names.

    Empty unnamed columns at the end are dropped (spreadsheets write ``,,,``); names
    match in any case with surrounding spaces trimmed; a column the schema does not
    know is reported once (REC-017, with the nearest schema name) and left out.
    """
    names = [n.strip() for n in given]
    while names and not names[-1]:
        names.pop()
    seen: set[str] = set()
    columns: list[str | None] = []
    findings: list[Finding] = []
    for raw in names:
        name = canonical(raw)
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
        if name not in schema_columns():
            findings.append(
                CATALOG.finding(
                    "REC-017", source=source, row=1, column=name, suggestion=suggestion(name)
                )
            )
            columns.append(None)
        else:
            columns.append(name)
    return Header(columns, findings)


def _header_problem(name: str, seen: set[str], names: list[str]) -> str | None:
    if not name:
        return "has an empty column name"
    if name in seen:
        return f"names the column {name!r} twice"
    if any(canonical(other).startswith(name + ".") for other in names):
        return f"has both {name!r} and columns inside it"
    if any(not part for part in name.split(".")):
        return f"has the malformed column name {name!r}"
    return None


def table_row(
    header: Header,
    values: list[str],
    source: str,
    row: int,
    delimiter: str = "",
    typed: Mapping[int, str] | None = None,
) -> Iterator[Item]:
    """The record of one row of a CSV file or sheet (or findings about it).

    :param typed: for a workbook, the cells (by index) that hold a date or a time
        (``"date"``, ``"time"``) rather than text: outside a date column, the
        spreadsheet turned what was typed into one, and the cell is reported.
    """
    if values == [SKIPPED_LINE.rstrip("\n")]:
        return
    if not any(v.strip() for v in values):
        return  # a blank row: an empty line, or a row of empty cells (",,,,")
    width = len(header.names)
    if len(values) > width and not any(v.strip() for v in values[width:]):
        values = values[:width]  # the empty columns at the end a spreadsheet adds
    if len(values) != width:
        split = f" (split at each {delimiter})" if delimiter else ""
        reason = f"it has {len(values)} values{split} but the header has {width} columns"
        yield CATALOG.finding("REC-007", source=source, row=row, reason=reason)
        return
    record: dict[str, Any] = {}
    columns: dict[str, str] = {}
    failed: list[str] = []
    for index, (name, raw) in enumerate(zip(header.names, values, strict=True)):
        if name is None or not raw.strip():
            continue
        pointer = "/" + name.replace(".", "/")
        cell = _Cell(name, raw.strip(), source, row)
        kind = typed.get(index) if typed else None
        converted = _convert(cell) if kind is None or name in DATE_COLUMNS else _typed(cell, kind)
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


class _Cell(NamedTuple):
    """One value of a row, where it stands and what its column is."""

    column: str
    raw: str
    source: str
    row: int

    def finding(self, code: str, **params: Any) -> Finding:
        pointer = "/" + self.column.replace(".", "/")
        where: dict[str, Any] = {"source": self.source, "row": self.row, "column": self.column}
        return CATALOG.finding(code, field=pointer, **where, **params)

    def bad(self, expected: str, advice: str) -> Finding:
        """REC-008: the value cannot be read as the column's type."""
        raw = self.raw if len(self.raw) <= 60 else self.raw[:59] + "…"
        return self.finding("REC-008", value=raw, expected=expected, advice=advice)


def _convert(cell: _Cell) -> Any:
    name, raw = cell.column, cell.raw
    if name in INTEGER_COLUMNS:
        return _integer(cell)
    if name == "archive_reference.leaves":
        return _leaves(cell)
    if name in JSON_COLUMNS or (name in LIST_COLUMNS and raw.startswith("[")):
        try:
            return json.loads(raw)
        except ValueError:
            return cell.bad("JSON", "write it as a JSON array")
    if name in LIST_COLUMNS:
        return [item.strip() for item in raw.split(";") if item.strip()]
    return raw


def _typed(cell: _Cell, kind: str) -> Finding:
    """REC-008 for a cell a spreadsheet turned into a date or time (``3-5`` into 5 March):
    what was typed is lost, and the date would pass as text of the right form."""
    return cell.bad(
        f"what was typed: the spreadsheet turned the cell into a {kind}",
        "format the column as text (Format Cells > Text), type the value again and save",
    )


def _integer(cell: _Cell) -> int | Finding:
    raw = cell.raw
    if raw.isdigit():
        return int(raw)
    fixed = raw.translate(str.maketrans("OoОо", "0000"))
    if fixed != raw and fixed.isdigit():
        return cell.finding("REC-038", value=raw, fixed=fixed)
    return cell.bad("a whole number", "write digits only, e.g. 1")


def _leaves(cell: _Cell) -> Any:
    raw = cell.raw
    if raw.startswith("["):
        try:
            return json.loads(raw)
        except ValueError:
            pass
    else:
        parsed = parse_citation(f"f. 0, ll. {raw.removeprefix('ll.').removeprefix('l.').strip()}")
        if parsed is not None and parsed.leaves:
            return [leaf.to_dict() for leaf in parsed.leaves]
    return cell.bad("a leaf range", "write it like 97-99, 5-7, 9 or 160-162 ob.")
