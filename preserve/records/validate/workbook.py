"""Records from an ``.xlsx`` workbook, read with openpyxl as a CSV file is read.

The first sheet is read: row 1 is the header (the same dotted column names as CSV),
every later row a record, numbered as the spreadsheet shows it. Cells typed as
numbers, dates or booleans are written back as the text a CSV export would hold
(``1.0`` as ``1``, a date as ``1961-05-09``). A date or time cell outside a date
column is reported (REC-008): the spreadsheet turned what was typed (``3-5``) into a
date, and the text it would be written as (``1961-03-05``) could pass unnoticed.
Other sheets are not read, and a
warning (REC-018) names them. ``.ods`` workbooks are refused (REC-019) with the
advice to save the sheet as CSV or ``.xlsx``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any, BinaryIO

from preserve.records.validate.codes import CATALOG
from preserve.records.validate.csvload import Header, table_header, table_row
from preserve.records.validate.items import Item

EXPORT_ADVICE = "save the sheet as CSV UTF-8 (comma-separated) and check that file"


def read_xlsx(fh: BinaryIO, source: str) -> Iterator[Item]:
    """Yield one record per row of the workbook's first sheet, and findings."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except Exception as e:  # a damaged or foreign file fails in many ways: each is a finding
        reason = f"it cannot be opened as an .xlsx workbook ({type(e).__name__})"
        yield CATALOG.finding("REC-019", source=source, reason=reason, advice=EXPORT_ADVICE)
        return
    try:
        yield from _sheet(book, source)
    except Exception as e:  # a damaged sheet inside a good zip
        reason = f"its first sheet cannot be read ({type(e).__name__})"
        yield CATALOG.finding("REC-019", source=source, reason=reason, advice=EXPORT_ADVICE)
    finally:
        book.close()


def refuse_ods(fh: BinaryIO, source: str) -> Iterator[Item]:
    """An ``.ods`` workbook is not read: say so, never pass over it in silence."""
    yield CATALOG.finding(
        "REC-019",
        source=source,
        reason="preserve does not read OpenDocument (.ods) workbooks",
        advice=EXPORT_ADVICE + ", or save the workbook as .xlsx",
    )


def _sheet(book: Any, source: str) -> Iterator[Item]:
    sheets = book.worksheets
    if len(sheets) > 1:
        others = ", ".join(repr(s.title) for s in sheets[1:])
        yield CATALOG.finding("REC-018", source=source, sheet=sheets[0].title, others=others)
    rows = sheets[0].iter_rows(min_row=1, values_only=True)
    first = next(rows, None)
    if first is None or not any(_text(v) for v in first):
        yield CATALOG.finding("REC-004", source=source)
        return
    header = table_header([_text(v) for v in first], source)
    if not isinstance(header, Header):
        yield header
        return
    yield from header.findings
    width = len(header.names)
    for number, cells in enumerate(rows, start=2):
        values = [_text(v) for v in cells]
        values += [""] * (width - len(values))  # a sheet's short row is empty to the right
        typed = {i: kind for i, v in enumerate(cells) if (kind := _date_kind(v))}
        yield from table_row(header, values, source, number, typed=typed)


def _date_kind(value: Any) -> str | None:
    """``"date"`` or ``"time"`` for a cell the spreadsheet holds as one, else None."""
    if isinstance(value, datetime.date):  # a datetime too
        return "date"
    return "time" if isinstance(value, datetime.time) else None


def _text(value: Any) -> str:
    """A cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        midnight = value.time() == datetime.time()
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)
