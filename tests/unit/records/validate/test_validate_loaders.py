"""Reading records: JSON Lines and CSV with line/row precision, and hostile input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import preserve
from preserve.records.validate import items, loaders
from preserve.records.validate.items import Loaded
from preserve.records.validate.loaders import iter_records

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "records"
BASE: dict[str, Any] = json.loads((FIXTURES / "valid" / "clean_record.json").read_text())


def _variant(n: int, **changes: Any) -> dict[str, Any]:
    """BASE as a distinct record n (no duplicate keys with the others)."""
    record = json.loads(json.dumps(BASE))
    leaf = 100 + 10 * n
    record["title"] = record["title"].replace("Elena Varga", f"Envoy {n}")
    record["source"] = {"url": f"https://archive.example/document/{n}", "record_id": str(n)}
    record["archive_reference"]["citation"] = (
        f"AVP RF, f. 0200, op. 7, p. 31, d. 12, ll. {leaf}-{leaf + 2}"
    )
    record["archive_reference"]["leaves"] = [{"first": leaf, "last": leaf + 2}]
    record.update(changes)
    return dict(record)


def test_jsonl_findings_name_their_line(tmp_path: Path) -> None:
    lines = [
        json.dumps(_variant(1)),
        "",
        json.dumps(_variant(2, document_type="memo")),
        '{"title": ',
        json.dumps(_variant(3, copy_number=0, summary="")),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = preserve.validate([path])
    assert result.records == 3
    got = sorted((f.line, f.code, f.field) for f in result.findings)
    assert got == [
        (3, "REC-022", "/document_type"),
        (4, "REC-006", None),
        (5, "REC-025", "/copy_number"),
        (5, "REC-026", "/summary"),
    ]


def test_every_schema_error_is_reported_not_only_the_first(tmp_path: Path) -> None:
    record = _variant(1, document_type="memo", copy_number="one", outgoing_number="x", extra=1)
    del record["title"]
    record["languages"] = {"original": "ru", "content": "en"}
    path = tmp_path / "r.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    fields = sorted((f.code, f.field) for f in preserve.validate([path]).findings)
    assert fields == [
        ("REC-020", "/title"),
        ("REC-021", "/copy_number"),
        ("REC-022", "/document_type"),
        ("REC-022", "/languages/content"),
        ("REC-022", "/languages/original"),
        ("REC-023", "/outgoing_number"),
        ("REC-024", "/extra"),
    ]


CSV_HEADER = (
    "schema_version,title,document_type,dates.document_date,dates.conversation_date,"
    "archive_reference.citation,archive_reference.repository,archive_reference.fond,"
    "archive_reference.opis,archive_reference.papka,archive_reference.delo,"
    "archive_reference.leaves,classification.level,copy_number,translators,"
    "languages.original,languages.content,rights.uri"
)


def _csv_row(n: int, *, leaves: str | None = None, copy: str = "1", level: str = "secret") -> str:
    first = 10 * n
    span = leaves or f"{first}-{first + 2}"
    return (
        f'1.0,"Record of a Conversation with Envoy {n}, 2 May 1961",'
        f"memorandum_of_conversation,1961-05-09,1961-05-02,"
        f'"AVP RF, f. 0200, op. 7, p. 31, d. 12, ll. {span}",AVP RF,0200,7,31,12,'
        f"{span},{level},{copy},Ann One; Bob Two,rus,eng,"
        "http://rightsstatements.org/vocab/UND/1.0/"
    )


def test_csv_rows_become_records_with_conversions(tmp_path: Path) -> None:
    path = tmp_path / "batch.csv"
    path.write_text(CSV_HEADER + "\n" + _csv_row(1) + "\n", encoding="utf-8")
    (item,) = list(iter_records([path]))
    assert isinstance(item, Loaded)
    assert item.row == 2  # as a spreadsheet shows it: the header is row 1
    record = item.record
    assert record["copy_number"] == 1
    assert record["translators"] == ["Ann One", "Bob Two"]
    assert record["archive_reference"]["leaves"] == [{"first": 10, "last": 12}]
    assert record["archive_reference"]["fond"] == "0200"  # a string: 0200 is not 200
    assert preserve.validate([path]).findings == ()


def test_csv_findings_name_row_and_column(tmp_path: Path) -> None:
    rows = [
        _csv_row(1),
        _csv_row(2, copy="two"),
        _csv_row(3, level="topsecret"),
        _csv_row(4, leaves="42-40"),
        _csv_row(5, copy="1O"),
    ]
    path = tmp_path / "batch.csv"
    path.write_text(CSV_HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = preserve.validate([path])
    got = sorted((f.row, f.column, f.code) for f in result.findings)
    assert got == [
        (3, "copy_number", "REC-008"),
        (4, "classification.level", "REC-022"),
        (5, "archive_reference.leaves", "REC-030"),
        (6, "copy_number", "REC-038"),
    ]
    # Rows with a cell that cannot be converted are still checked, without repeating
    # a finding about that cell (no REC-036 "secret without copy number").
    assert result.records == 5


def test_csv_row_with_several_problems_reports_all_at_once(tmp_path: Path) -> None:
    # A value that cannot be converted must not hide the bad date and reversed leaves.
    row = _csv_row(1, copy="two", leaves="42-40").replace("1961-05-09", "1961-13-45")
    path = tmp_path / "batch.csv"
    path.write_text(CSV_HEADER + "\n" + row + "\n", encoding="utf-8")
    got = sorted((f.code, f.row, f.column) for f in preserve.validate([path]).findings)
    assert got == [
        ("REC-008", 2, "copy_number"),
        ("REC-023", 2, "dates.document_date"),
        ("REC-030", 2, "archive_reference.leaves"),
    ]


def test_csv_leaves_in_json_and_verso(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text(
        'title,archive_reference.leaves\nA,"[{""first"": 5, ""last"": 7}]"\nB,160-162 ob.\n',
        encoding="utf-8",
    )
    records = [i.record for i in iter_records([path]) if isinstance(i, Loaded)]
    assert records[0]["archive_reference"]["leaves"] == [{"first": 5, "last": 7}]
    assert records[1]["archive_reference"]["leaves"] == [{"first": 160, "last": 162, "verso": True}]


def test_the_rest_of_a_batch_is_checked_after_bad_files(tmp_path: Path) -> None:
    (tmp_path / "a_bad.json").write_bytes(b"\xff\xfe{")
    (tmp_path / "b_empty.jsonl").write_bytes(b"")
    (tmp_path / "c_good.json").write_text(json.dumps(BASE), encoding="utf-8")
    result = preserve.validate([tmp_path])
    assert result.records == 1
    assert [(f.code, Path(f.source or "").name) for f in result.findings] == [
        ("REC-002", "a_bad.json"),
        ("REC-004", "b_empty.jsonl"),
    ]


def test_folder_walk_is_sorted_and_skips_hidden_and_foreign_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("b/2.json", "1.json", ".hidden/3.json", ".4.json"):
        (tmp_path / name).write_text(json.dumps(BASE), encoding="utf-8")
    (tmp_path / "scan.tif").write_bytes(b"II*\x00")
    (tmp_path / "README.md").write_text("# About this batch\n", encoding="utf-8")
    names = [Path(str(i.source)).relative_to(tmp_path).as_posix() for i in iter_records([tmp_path])]
    assert names == ["1.json", "b/2.json"]


def test_symlink_leading_outside_is_skipped(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps(BASE), encoding="utf-8")
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "link.json").symlink_to(outside)
    (batch / "inside.json").write_text(json.dumps(_variant(9)), encoding="utf-8")
    (batch / "again.json").symlink_to(batch / "inside.json")
    result = preserve.validate([batch])
    assert [(f.code, Path(f.source or "").name) for f in result.findings] == [
        # again.json (a link that stays inside) is read; inside.json is the same file
        ("REC-062", "inside.json"),
        ("REC-014", "link.json"),
    ]
    assert result.records == 1


def test_missing_file_is_a_finding(tmp_path: Path) -> None:
    result = preserve.validate([tmp_path / "nope.json"])
    assert [f.code for f in result.findings] == ["REC-001"]


def test_long_line_is_reported_without_reading_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(items, "MAX_LINE_BYTES", 1000)
    path = tmp_path / "big.jsonl"
    path.write_text(
        json.dumps(BASE)
        + "\n"
        + json.dumps({"title": "x" * 5000})
        + "\n"
        + json.dumps(_variant(2)),
        encoding="utf-8",
    )
    result = preserve.validate([path])
    assert [(f.code, f.line) for f in result.findings] == [("REC-010", 2)]
    assert result.records == 2


def test_big_json_document_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loaders, "MAX_DOCUMENT_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(BASE), encoding="utf-8")
    assert [f.code for f in preserve.validate([path]).findings] == ["REC-010"]


def test_one_gigabyte_file_costs_no_memory(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as fh:  # sparse: a gigabyte of NUL bytes on disk costs nothing
        fh.truncate(1024**3)
    assert [f.code for f in preserve.validate([path]).findings] == ["REC-003"]


def test_record_with_thousands_of_fields(tmp_path: Path) -> None:
    record = dict(BASE) | {f"field_{i}": i for i in range(5000)}
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    (finding,) = preserve.validate([path]).findings
    assert finding.code == "REC-024"
    assert "4990 more" in finding.message


def test_nan_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "nan.jsonl"
    path.write_text('{"copy_number": NaN}\n', encoding="utf-8")
    assert [(f.code, f.line) for f in preserve.validate([path]).findings] == [("REC-006", 1)]


def test_document_that_cannot_be_extracted(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Nothing here is a record.\n", encoding="utf-8")

    def refuse(p: Path) -> Any:
        raise ValueError(f"{p.name} has no title")

    result = preserve.validate([path], extractor=refuse)
    assert [f.code for f in result.findings] == ["REC-013"]


def test_path_that_cannot_be_opened_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "records.json"
    path.mkdir()  # named like a record file, but a folder: open() fails
    (item,) = list(loaders.load_file(path))
    assert getattr(item, "code", None) == "REC-001"


@pytest.mark.parametrize(
    "header",
    [
        pytest.param("title,,copy_number", id="empty-name"),
        pytest.param("archive_reference,archive_reference.fond", id="object-and-part"),
        pytest.param("archive_reference..fond", id="empty-part"),
    ],
)
def test_csv_header_problems(tmp_path: Path, header: str) -> None:
    path = tmp_path / "h.csv"
    path.write_text(header + "\nx,y\n", encoding="utf-8")
    assert [f.code for f in preserve.validate([path]).findings] == ["REC-015"]


def test_csv_bad_utf8_line_and_the_rows_after(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_bytes(b"title,copy_number\nA,1\nB\xff,2\nC,x\n")
    found = sorted((f.code, f.line, f.row) for f in preserve.validate([path]).findings)
    assert ("REC-002", 3, None) in found
    assert ("REC-008", None, 4) in found  # the row after is still read, and keeps its number


def test_fifo_is_not_read(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    assert [f.code for f in preserve.validate([tmp_path]).findings] == ["REC-001"]
