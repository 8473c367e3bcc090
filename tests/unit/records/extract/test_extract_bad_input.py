"""Bad input gives EXT findings naming the file, never a traceback; the batch goes on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from preserve.records.extract.codes import CATALOG
from preserve.records.extract.run import extract, extract_file, extract_text, is_record_document

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "records" / "extract"
GOOD = (FIXTURES / "page-english.txt").read_bytes()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        pytest.param("empty.txt", b"", "EXT-004", id="empty"),
        pytest.param("blank.txt", b" \n\n\t\n", "EXT-004", id="only-whitespace"),
        pytest.param("scan.txt", b"%PDF-1.4\x00\x01\x02binary", "EXT-002", id="binary"),
        pytest.param("utf16.txt", "Copy № 1".encode("utf-16"), "EXT-002", id="utf-16"),
        pytest.param("readme.md", b"# Notes\n\nNothing to see here.\n", "EXT-006", id="no-record"),
        pytest.param("broken.html", b"<!-- only a comment -->", "EXT-009", id="html-no-doc"),
    ],
)
def test_bad_file_gives_one_error_finding(
    tmp_path: Path, name: str, data: bytes, code: str
) -> None:
    path = _write(tmp_path, name, data)
    result = extract_file(path)
    assert result.record is None
    assert [f.code for f in result.findings] == [code]
    finding = result.findings[0]
    assert finding.source == str(path)
    assert finding.is_error
    assert str(path) in finding.message


def test_invalid_utf8_names_byte_and_line(tmp_path: Path) -> None:
    data = "Заголовок\nвторая строка\n".encode("cp1251")
    path = _write(tmp_path, "cp1251.txt", b"Title line\nsecond\n" + data)
    [finding] = extract_file(path).findings
    assert finding.code == "EXT-003"
    assert finding.details["offset"] == len(b"Title line\nsecond\n")
    assert finding.line == 3


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: large on paper, nothing written
        handle.truncate(2 * 1024 * 1024)
    [finding] = extract_file(path, max_bytes=1024 * 1024).findings
    assert finding.code == "EXT-005"
    assert finding.details["size"] == 2 * 1024 * 1024


def test_missing_file_and_directory_and_fifo(tmp_path: Path) -> None:
    assert [f.code for f in extract_file(tmp_path / "nope.txt").findings] == ["EXT-001"]
    assert [f.code for f in extract_file(tmp_path).findings] == ["EXT-001"]
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert [f.code for f in extract_file(fifo).findings] == ["EXT-001"]  # and it did not block


def test_batch_goes_on_after_bad_files(tmp_path: Path) -> None:
    _write(tmp_path, "a-empty.txt", b"")
    _write(tmp_path, "b-good.txt", GOOD)
    _write(tmp_path, "c-binary.txt", b"\x00\xff")
    _write(tmp_path, "d-data.json", b"{}")  # not a document: skipped in a folder
    _write(tmp_path, "README.md", b"# About this folder\n")  # skipped in a folder
    _write(tmp_path, ".hidden.txt", GOOD)  # skipped in a folder
    results = extract([tmp_path])
    assert [Path(r.source).name for r in results] == ["a-empty.txt", "b-good.txt", "c-binary.txt"]
    assert [r.ok for r in results] == [False, True, False]


def test_named_non_document_and_missing_path(tmp_path: Path) -> None:
    data = _write(tmp_path, "records.json", b"[]")
    results = extract([data, tmp_path / "gone.txt"])
    assert [[f.code for f in r.findings] for r in results] == [["EXT-007"], ["EXT-001"]]


def test_symlinks_out_of_the_tree_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    _write(outside, "secret.txt", GOOD)
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    _write(tree / "sub", "real.txt", GOOD)
    (tree / "escape.txt").symlink_to(outside / "secret.txt")
    (tree / "escape-dir").symlink_to(outside, target_is_directory=True)
    (tree / "inside.txt").symlink_to(tree / "sub" / "real.txt")
    results = extract([tree])
    by_name = {Path(r.source).name: r for r in results}
    assert sorted(by_name) == ["escape-dir", "escape.txt", "inside.txt", "real.txt"]
    assert [f.code for f in by_name["escape.txt"].findings] == ["EXT-008"]
    assert [f.code for f in by_name["escape-dir"].findings] == ["EXT-008"]
    assert by_name["escape.txt"].record is None
    assert by_name["inside.txt"].ok


def test_html_is_parsed_without_entities_or_network() -> None:
    hostile = (
        '<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        "<html><body><h1>Title &xxe; here</h1><p>Top Secret Copy No. 1</p>"
        '<img src="http://example.invalid/track.png">'
        "<p>AVP RF, f. 1, op. 2, d. 3, l. 4.</p></body></html>"
    )
    result = extract_text(hostile, source="hostile.html", form="html")
    assert result.record is not None
    assert "root:" not in str(result.record)
    assert result.record["archive_reference"]["fond"] == "1"


def test_deeply_nested_html_does_not_crash() -> None:
    html = "<html><body>" + "<div>" * 5000 + "AVP RF, f. 1, op. 2, d. 3, l. 4." + "</div>" * 5000
    result = extract_text(html + "</body></html>", source="deep.html", form="html")
    # libxml2 caps the depth it keeps; either the text survives or nothing does.
    if result.record is None:
        assert [f.code for f in result.findings] == ["EXT-006"]
    else:
        assert result.record["archive_reference"]["fond"] == "1"


def test_odd_unicode_is_normalised() -> None:
    text = (
        GOOD.decode("utf-8")
        .replace("Copy No. 2", "Copy\u00a0No.\u00a02")
        .replace("Top Secret", "Top Sec\u200bret")
    )
    record = extract_text("\ufeff" + text, source="odd.txt").record
    assert record is not None
    assert record["copy_number"] == 2
    assert record["classification"]["marking"] == "Top Secret"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.txt", True), ("a.MD", True), ("a.markdown", True), ("a.htm", True), ("a.json", False)],
)
def test_is_record_document(name: str, expected: bool) -> None:
    assert is_record_document(name) is expected


def test_every_ext_code_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[4] / "docs" / "reference" / "extraction.md").read_text(
        encoding="utf-8"
    )
    assert [code for code in CATALOG if f"`{code}`" not in doc] == []


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int | None]] = []

    def start(self, description: str, *, total_bytes: int | None, total_files: int | None) -> None:
        self.calls.append(("start", total_files))

    def advance(self, *, nbytes: int = 0, files: int = 0) -> None:
        self.calls.append(("advance", files))

    def finish(self) -> None:
        self.calls.append(("finish", None))


def test_progress_is_told_each_file(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", GOOD)
    _write(tmp_path, "b.txt", b"")
    recorder = _Recorder()
    extract([tmp_path], progress=recorder)
    assert recorder.calls == [("start", 2), ("advance", 1), ("advance", 1), ("finish", None)]


def test_content_findings_name_the_record(tmp_path: Path) -> None:
    page = GOOD.decode("utf-8").replace("Outgoing No. 45", "Outgoing No. 4O")
    result = extract_text(page, source="p.txt")
    [finding] = result.findings
    assert (finding.code, finding.field) == ("EXT-020", "/outgoing_number")
    assert finding.record == "AVP RF, f. 0999, op. 4, p. 12, d. 7, ll. 11-13"
