"""Records as archive staff export them from spreadsheet programs (issue 17).

Every export here is made by the test, byte for byte as the programs write them.
Rows are numbered as the spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import preserve
from tests.unit.records.validate.test_validate_loaders import CSV_HEADER, _csv_row


def _table(delimiter: str = ",", rows: int = 2) -> list[list[str]]:
    """The header and *rows* valid records as cells (via the comma-separated helpers)."""
    import csv

    text = CSV_HEADER + "\n" + "\n".join(_csv_row(n) for n in range(1, rows + 1)) + "\n"
    return list(csv.reader(text.splitlines()))


def _write(path: Path, cells: list[list[str]], delimiter: str, encoding: str, end: str) -> Path:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=end).writerows(cells)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _codes(path: Path) -> list[tuple[str, int | None, str | None]]:
    found = preserve.validate([path]).findings
    return sorted((f.code, f.row, f.column) for f in found)


def test_utf8_with_bom_and_crlf_is_read_without_a_note(tmp_path: Path) -> None:
    path = _write(tmp_path / "excel.csv", _table(), ",", "utf-8-sig", "\r\n")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = preserve.validate([path])
    assert result.findings == ()
    assert result.records == 2


@pytest.mark.parametrize(
    ("name", "delimiter", "encoding", "said"),
    [
        pytest.param("semicolons.csv", ";", "utf-8", "semicolon-separated UTF-8", id="semicolon"),
        pytest.param("unicode.txt.tsv", "\t", "utf-16", "tab-separated UTF-16", id="utf16-tab"),
        pytest.param("unicode.csv", "\t", "utf-16-be", "tab-separated UTF-16", id="utf16-be"),
        pytest.param("bom.csv", ";", "utf-8-sig", "semicolon-separated UTF-8 with", id="bom"),
    ],
)
def test_delimiter_and_encoding_are_detected_and_said(
    tmp_path: Path, name: str, delimiter: str, encoding: str, said: str
) -> None:
    data = _write(tmp_path / name, _table(), delimiter, encoding, "\r\n").read_bytes()
    if encoding == "utf-16-be":  # as a program writes it: with the byte-order mark
        (tmp_path / name).write_bytes(b"\xfe\xff" + data)
    result = preserve.validate([tmp_path / name])
    assert [f.code for f in result.findings] == ["REC-016"]
    assert said in result.findings[0].message
    assert result.records == 2
    assert result.ok


def test_a_file_that_is_not_csv_says_what_was_tried(tmp_path: Path) -> None:
    path = tmp_path / "scan.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    (finding,) = preserve.validate([path]).findings
    assert finding.code == "REC-003"
    assert "UTF-16" in finding.message
    assert "UTF-8" in finding.message


def test_utf16_cut_short_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_bytes("title\tcopy_number\r\nA\t1\r\n".encode("utf-16") + b"\x41")
    codes = [f.code for f in preserve.validate([path]).findings]
    assert "REC-002" in codes


def test_a_semicolon_row_with_too_many_values_says_how_it_was_split(tmp_path: Path) -> None:
    cells = _table(";", rows=1)
    cells[1].append("extra")
    path = _write(tmp_path / "s.csv", cells, ";", "utf-8", "\n")
    found = [f for f in preserve.validate([path]).findings if f.code == "REC-007"]
    assert [(f.row, "semicolon" in f.message) for f in found] == [(2, True)]


def test_trailing_empty_columns_are_ignored(tmp_path: Path) -> None:
    cells = [[*row, "", "", ""] for row in _table()]
    path = _write(tmp_path / "t.csv", cells, ",", "utf-8", "\r\n")
    assert path.read_text(encoding="utf-8").splitlines()[1].endswith(",,,")
    result = preserve.validate([path])
    assert result.findings == ()
    assert result.records == 2


def test_header_names_match_in_any_case_with_spaces_trimmed(tmp_path: Path) -> None:
    cells = _table()
    cells[0] = [f" {name.upper()} " if i % 2 else name.title() for i, name in enumerate(cells[0])]
    path = _write(tmp_path / "h.csv", cells, ",", "utf-8", "\n")
    assert preserve.validate([path]).findings == ()


def test_an_unknown_column_gets_the_nearest_schema_name(tmp_path: Path) -> None:
    cells = _table()
    cells[0] = [n.replace("archive_reference.fond", "archive_reference.fnod") for n in cells[0]]
    cells[0] = [n.replace("copy_number", "copy_nubmer") for n in cells[0]]
    cells[0].append("notes")
    for row in cells[1:]:
        row.append("a note")
    path = _write(tmp_path / "typos.csv", cells, ",", "utf-8", "\n")
    found = [f for f in preserve.validate([path]).findings if f.code == "REC-017"]
    by_column = {f.column: f.message for f in found}
    assert [f.row for f in found] == [1, 1, 1]  # once, on the header row, not per record
    assert "did you mean `archive_reference.fond`?" in by_column["archive_reference.fnod"]
    assert "did you mean `copy_number`?" in by_column["copy_nubmer"]
    assert "did you mean" not in by_column["notes"]


def test_a_line_break_outside_quotes_is_said_in_plain_words(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b"title,copy_number\nA\rB,1\n")
    found = preserve.validate([path]).findings
    (broken,) = [f for f in found if f.code == "REC-007"]
    assert broken.row == 2
    assert "universal-newline" not in broken.message
    assert "line break" in broken.message
    assert not any("None" in f.message for f in found)


def test_cli_reports_an_export_as_json(tmp_path: Path) -> None:
    cells = [[*row, "", ""] for row in _table()]
    cells[0][7] = "Archive_Reference.Fnod"
    path = _write(tmp_path / "export.csv", cells, ";", "utf-8-sig", "\r\n")
    done = subprocess.run(
        [sys.executable, "-m", "preserve", "validate", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    got = [(f["code"], f.get("row")) for f in report["findings"]]
    # The misspelt fond column is left out: each record then lacks its fond (REC-020)
    # and its citation names one its parts do not (REC-032), on the rows as shown.
    assert got == [
        ("REC-016", None),
        ("REC-017", 1),
        ("REC-020", 2),
        ("REC-032", 2),
        ("REC-020", 3),
        ("REC-032", 3),
    ]


def _stripped_export(tmp_path: Path, fonds: list[str], numbers: list[str]) -> Path:
    """Records of one delo, with the fond and outgoing number as the spreadsheet left them."""
    cells = _table(rows=len(fonds))
    fond = cells[0].index("archive_reference.fond")
    cells[0].append("outgoing_number")
    for row, value, number in zip(cells[1:], fonds, numbers, strict=True):
        row[fond] = value
        row[cells[0].index("archive_reference.citation")] = row[5].replace("f. 0200", f"f. {value}")
        row.append(number)
    return _write(tmp_path / "zeros.csv", cells, ",", "utf-8", "\r\n")


def test_leading_zeros_dropped_by_a_spreadsheet_are_warned(tmp_path: Path) -> None:
    fonds = ["0200", "200", "0200", "0200"]
    path = _stripped_export(tmp_path, fonds, ["0101", "0102", "103", "0104"])
    result = preserve.validate([path])
    got = sorted((f.code, f.row, f.field) for f in result.findings)
    assert got == [
        ("REC-056", 3, "/archive_reference/fond"),
        ("REC-056", 4, "/outgoing_number"),
    ]
    messages = " ".join(f.message for f in result.findings)
    assert "'0200'" in messages
    assert "'0103'" in messages
    assert result.ok  # warnings: staff decide


def test_leading_zeros_shown_by_the_defaults(tmp_path: Path) -> None:
    path = _stripped_export(tmp_path, ["200"], ["101"])
    assert preserve.validate([path]).findings == ()  # nothing shows a padded form
    defaults = {"archive_reference": {"fond": "0200"}}
    (finding,) = preserve.validate([path], defaults=defaults).findings
    assert (finding.code, finding.row) == ("REC-056", 2)
    assert "the defaults" in finding.message


def test_a_register_mostly_without_zeros_is_left_alone(tmp_path: Path) -> None:
    path = _stripped_export(tmp_path, ["0200", "0200", "0200"], ["0101", "102", "103"])
    assert preserve.validate([path]).findings == ()


def _workbook(path: Path, cells: list[list[object]], *, notes: bool = False) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Records"
    for row in cells:
        sheet.append(row)
    if notes:
        book.create_sheet("Notes").append(["checked by hand"])
    book.save(path)
    return path


def _typed(cells: list[list[str]]) -> list[list[object]]:
    """Cells as a spreadsheet program types them: numbers and dates, not text."""
    import datetime

    header = cells[0]
    typed: list[list[object]] = [list(header)]
    for row in cells[1:]:
        out: list[object] = []
        for name, value in zip(header, row, strict=True):
            if name.startswith("dates."):
                out.append(datetime.datetime.fromisoformat(value))
            elif name in {"copy_number", "archive_reference.opis", "archive_reference.papka"}:
                out.append(float(value) if name == "copy_number" else int(value))
            else:
                out.append(value)
        typed.append(out)
    return typed


def test_xlsx_is_read_like_csv_with_typed_cells(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "records.xlsx", _typed(_table(rows=3)))
    result = preserve.validate([path])
    assert result.findings == ()
    assert result.records == 3
    from preserve.records.validate.items import Loaded
    from preserve.records.validate.loaders import iter_records

    rows = [item for item in iter_records([path]) if isinstance(item, Loaded)]
    assert [item.row for item in rows] == [2, 3, 4]
    assert rows[0].record["dates"]["document_date"] == "1961-05-09"
    assert rows[0].record["copy_number"] == 1


def test_xlsx_findings_have_spreadsheet_rows_and_other_sheets_are_named(tmp_path: Path) -> None:
    cells = _typed(_table(rows=3))
    cells[0][cells[0].index("translators")] = "Translator"
    fond = cells[0].index("archive_reference.fond")
    cells[1][fond] = "0200"
    cells[2][fond] = 200  # typed as a number: the zero is gone
    cells[2][5] = str(cells[2][5]).replace("f. 0200", "f. 200")
    cells[3][cells[0].index("copy_number")] = "two"
    path = _workbook(tmp_path / "records.xlsx", cells, notes=True)
    found = preserve.validate([path]).findings
    got = sorted((f.code, f.row, f.column) for f in found)
    assert got == [
        ("REC-008", 4, "copy_number"),
        ("REC-017", 1, "Translator"),
        ("REC-018", None, None),
        # the unknown column is left out, so no record names its translators
        ("REC-039", 2, None),
        ("REC-039", 3, None),
        ("REC-039", 4, None),
        ("REC-056", 3, None),
    ]
    (unknown,) = [f for f in found if f.code == "REC-017"]
    assert "did you mean `translators`?" in unknown.message
    assert not any("None" in f.message for f in found)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        pytest.param("records.ods", b"PK\x03\x04 an OpenDocument spreadsheet", id="ods"),
        pytest.param("damaged.xlsx", b"PK\x03\x04\x00\x00 cut short", id="damaged"),
        pytest.param("renamed.xlsx", b"title,copy_number\nA,1\n", id="csv-renamed"),
    ],
)
def test_a_workbook_not_read_is_never_valid(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    result = preserve.validate([tmp_path])  # found by walking the folder too
    assert [f.code for f in result.findings] == ["REC-019"]
    assert "CSV" in result.findings[0].message
    assert not result.ok


def test_excel_lock_files_are_skipped_in_a_folder(tmp_path: Path) -> None:
    _workbook(tmp_path / "records.xlsx", _typed(_table(rows=1)))
    (tmp_path / "~$records.xlsx").write_bytes(b"\x05owner\x00\x00")
    result = preserve.validate([tmp_path])
    assert (result.records, result.findings) == (1, ())


@pytest.mark.parametrize(
    ("data", "code", "said"),
    [
        pytest.param(b'title,copy_number\n"A,1\n', "REC-007", "not closed", id="unclosed"),
        pytest.param(b'title,copy_number\n"A"x,1\n', "REC-007", "closing quote", id="after-quote"),
        pytest.param(b'"title"x,copy_number\nA,1\n', "REC-015", "closing quote", id="header"),
    ],
)
def test_quoting_problems_are_said_in_plain_words(
    tmp_path: Path, data: bytes, code: str, said: str
) -> None:
    path = tmp_path / "q.csv"
    path.write_bytes(data)
    found = [f for f in preserve.validate([path]).findings if f.code == code]
    assert len(found) == 1
    assert said in found[0].message


def test_xlsx_cells_of_every_type_and_broken_sheets(tmp_path: Path) -> None:
    import datetime

    from preserve.records.validate.items import Loaded
    from preserve.records.validate.loaders import iter_records

    cells: list[list[object]] = [
        ["title", "summary", "dates.conversation_date", "extraction.notes"],
        ["A", True, datetime.datetime(1961, 5, 9, 14, 30), datetime.time(9, 15)],
    ]
    path = _workbook(tmp_path / "types.xlsx", cells)
    loaded = [i for i in iter_records([path]) if isinstance(i, Loaded)]
    assert [(i.row, i.record.get("summary")) for i in loaded] == [(2, "true")]
    assert loaded[0].record["dates"]["conversation_date"] == "1961-05-09T14:30:00"
    empty = _workbook(tmp_path / "empty.xlsx", [])
    assert [f.code for f in preserve.validate([empty]).findings] == ["REC-004"]
    twice = _workbook(tmp_path / "twice.xlsx", [["title", "Title"], ["A", "B"]])
    assert [f.code for f in preserve.validate([twice]).findings] == ["REC-015"]


def test_a_row_of_empty_cells_is_skipped_as_blank_in_csv_and_xlsx(tmp_path: Path) -> None:
    # An emptied spreadsheet row is exported as delimiters only; it is not a record.
    cells = _table(rows=2)
    width = len(cells[0])
    blank_csv = tmp_path / "blank.csv"
    rows = [",".join(f'"{c}"' for c in row) for row in cells]
    blank = "," * (width - 1)
    text = "\n".join([rows[0], rows[1], blank, blank.replace(",", " , "), rows[2]])
    blank_csv.write_text(text + "\n", encoding="utf-8")
    blank_xlsx = _workbook(
        tmp_path / "blank.xlsx", [*_typed(cells)[:2], [None] * width, *_typed(cells)[2:]]
    )
    for path in (blank_csv, blank_xlsx):
        result = preserve.validate([path])
        assert (result.records, result.findings) == (2, ()), path.name
    run = subprocess.run(
        [sys.executable, "-m", "preserve", "validate", str(blank_csv)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 records checked" in run.stdout


def test_a_cell_excel_turned_into_a_date_is_reported_outside_date_columns(
    tmp_path: Path,
) -> None:
    import datetime

    # Typed as 3-5 in a General column, Excel keeps 5 March (of the year it runs in)
    # and the cell reads 1961-03-05, which would pass as an outgoing number. The dates.*
    # cells are dates too (_typed): in their own columns they are no finding.
    cells = _typed(_table(rows=2))
    cells[0].append("outgoing_number")
    cells[1].append("83")
    cells[2].append(datetime.datetime(1961, 3, 5))
    path = _workbook(tmp_path / "records.xlsx", cells)
    result = preserve.validate([path])
    assert [(f.code, f.row, f.column, f.field) for f in result.findings] == [
        ("REC-008", 3, "outgoing_number", "/outgoing_number")
    ]
    (finding,) = result.findings
    assert "'1961-03-05'" in finding.message
    assert "turned the cell into a date" in finding.message
    assert "format the column as text" in finding.message
    assert not result.ok
