"""Tag-file parsing and writing: bagit.txt, bag-info.txt, manifests, fetch.txt."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from preserve.bags._lines import iter_lines
from preserve.bags.tagfiles import (
    BagInfoEntry,
    ManifestEntry,
    algorithm_from_filename,
    decode_path,
    encode_path,
    format_bag_info,
    format_bagit_txt,
    format_fetch_line,
    format_manifest,
    hashlib_name,
    manifest_filename,
    parse_bag_info,
    parse_bagit_txt,
    parse_fetch,
    parse_manifest,
    parse_payload_oxum,
    payload_oxum,
    read_bag_info,
    read_manifest,
)


def codes(findings: object) -> list[str]:
    assert isinstance(findings, list)
    return [f.code for f in findings]


def numbered(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.split("\n"), 1))


# --- bagit.txt ---------------------------------------------------------------


def test_bagit_txt_round_trip() -> None:
    decl, findings = parse_bagit_txt(format_bagit_txt())
    assert findings == []
    assert decl is not None
    assert (decl.version, decl.encoding, decl.version_tuple) == ("1.0", "UTF-8", (1, 0))


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(
            b"\xef\xbb\xbfBagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
            "BAG-003",
            id="bom",
        ),
        pytest.param(
            b"BagIt-Version : 1.0\nTag-File-Character-Encoding: UTF-8\n",
            "BAG-002",
            id="space-before-colon",
        ),
        pytest.param(
            b"BagIt-Version:  1.0\nTag-File-Character-Encoding: UTF-8\n", "BAG-002", id="two-spaces"
        ),
        pytest.param(
            b"Tag-File-Character-Encoding: UTF-8\nBagIt-Version: 1.0\n", "BAG-002", id="order"
        ),
        pytest.param(b"BagIt-Version: 1.0\n", "BAG-002", id="one-line"),
        pytest.param(
            b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\nX: y\n",
            "BAG-002",
            id="three-lines",
        ),
        pytest.param(
            b"BagIt-Version: .97\nTag-File-Character-Encoding: UTF-8\n",
            "BAG-004",
            id="version-form",
        ),
        pytest.param(
            b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-\xff\n", "BAG-003", id="not-utf8"
        ),
    ],
)
def test_bagit_txt_form_errors(data: bytes, code: str) -> None:
    _, findings = parse_bagit_txt(data)
    assert code in codes(findings)


def test_bagit_txt_accepts_crlf_and_missing_final_newline() -> None:
    decl, findings = parse_bagit_txt(b"BagIt-Version: 0.96\r\nTag-File-Character-Encoding: UTF-8")
    assert findings == []
    assert decl is not None
    assert decl.version == "0.96"


def test_format_bagit_txt_refuses_bad_version() -> None:
    with pytest.raises(ValueError, match=r"M\.N"):
        format_bagit_txt("1")


# --- bag-info.txt ------------------------------------------------------------


def test_bag_info_keeps_order_repeats_and_unfolds() -> None:
    text = "B: 1\nA: x\n  continued\n\tagain\nB: 2\n"
    entries, findings = parse_bag_info(numbered(text))
    assert findings == []
    assert entries == (
        BagInfoEntry("B", "1", 1),
        BagInfoEntry("A", "x continued again", 2),
        BagInfoEntry("B", "2", 5),
    )


def test_bag_info_strict_whitespace_only_for_1_0() -> None:
    text = "Test-Tag :  3\n"
    _, strict = parse_bag_info(numbered(text), strict=True)
    entries, lenient = parse_bag_info(numbered(text), strict=False)
    assert codes(strict) == ["BAG-061"]
    assert lenient == []
    assert entries[0].label == "Test-Tag"
    assert entries[0].value == "3"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("no colon here", id="no-colon"),
        pytest.param(": v", id="no-label"),
        pytest.param("  indented first", id="indented-first"),
    ],
)
def test_bag_info_malformed_lines(text: str) -> None:
    _, findings = parse_bag_info(numbered(text))
    assert codes(findings) == ["BAG-060"]
    assert findings[0].line == 1


@given(
    st.lists(
        st.tuples(
            st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,20}", fullmatch=True),
            st.text(
                st.characters(exclude_characters="\r\n", exclude_categories=["Cs"]), max_size=300
            ).map(lambda s: s.strip(" \t")),
        ),
        max_size=5,
    )
)
def test_bag_info_write_then_parse_round_trips(items: list[tuple[str, str]]) -> None:
    # Values are written without leading/trailing blanks (the parser strips them)
    # and without runs of blanks at fold points (the writer folds only at lone spaces).
    text = format_bag_info(items, width=40)
    for line in text.splitlines():
        content = line[2:] if line.startswith("  ") else line.partition(": ")[2]
        # A line stays over-long only when its value has no lone space to fold at.
        assert len(line) <= 40 or not re.search(r"(?<=\S) (?=\S)", content)
    entries, findings = parse_bag_info(numbered(text.rstrip("\n")))
    assert findings == []
    assert [(e.label, e.value) for e in entries] == [(k, v) for k, v in items]


def test_bag_info_writer_refuses_line_breaks_and_colons() -> None:
    with pytest.raises(ValueError, match="line break"):
        format_bag_info([("A", "x\ny")])
    with pytest.raises(ValueError, match="cannot be written"):
        format_bag_info([("A:B", "x")])


def test_bag_info_huge_line_is_bounded(tmp_path: Path) -> None:
    info = tmp_path / "bag-info.txt"
    info.write_bytes(b"Source-Organization: " + b"x" * (10 << 20) + b"\nContact-Name: Ed\n")
    entries, findings = read_bag_info(info)
    assert codes(findings) == ["BAG-065"]
    assert entries == ()


def test_bag_info_long_line_under_file_limit(tmp_path: Path) -> None:
    info = tmp_path / "bag-info.txt"
    info.write_bytes(b"Source-Organization: " + b"x" * 200_000 + b"\nContact-Name: Ed\n")
    entries, findings = read_bag_info(info)
    assert codes(findings) == ["BAG-062"]
    assert findings[0].line == 1
    assert entries == (BagInfoEntry("Contact-Name", "Ed", 2),)


def test_bag_info_latin1_declared_utf8(tmp_path: Path) -> None:
    info = tmp_path / "bag-info.txt"
    info.write_bytes("Contact-Name: Núñez\n".encode("latin-1"))
    _, findings = read_bag_info(info, encoding="UTF-8")
    assert codes(findings) == ["BAG-063"]
    entries, findings = read_bag_info(info, encoding="ISO-8859-1")
    assert findings == []
    assert entries[0].value == "Núñez"


def test_payload_oxum() -> None:
    assert payload_oxum(58, 2) == "58.2"
    assert parse_payload_oxum("58.2") == (58, 2)
    assert parse_payload_oxum("58") is None
    assert parse_payload_oxum("a.b") is None
    with pytest.raises(ValueError, match="negative"):
        payload_oxum(-1, 0)


# --- manifests ---------------------------------------------------------------


def test_manifest_line_forms() -> None:
    text = "ABCDEF  data/a b.txt\nabcdef\tdata/tab\nabcdef *data/star\nabcdef ./data/dot\n\n"
    entries, findings = parse_manifest(numbered(text), source="manifest-md5.txt")
    assert entries == [
        ManifestEntry("data/a b.txt", "abcdef", 1),
        ManifestEntry("data/tab", "abcdef", 2),
        ManifestEntry("data/star", "abcdef", 3),
        ManifestEntry("data/dot", "abcdef", 4),
    ]
    assert codes(findings) == ["BAG-021", "BAG-022"]
    assert [f.line for f in findings] == [3, 4]


@pytest.mark.parametrize("line", ["abcdef", "xyz data/a", " abcdef data/a", "abcdef *"])
def test_manifest_malformed_lines(line: str) -> None:
    entries, findings = parse_manifest([(7, line)], source="manifest-md5.txt")
    assert entries == []
    assert codes(findings) == ["BAG-020"]
    assert findings[0].line == 7
    assert findings[0].source == "manifest-md5.txt"


def test_percent_decoding_is_exactly_three_sequences() -> None:
    assert decode_path("data/a%0Ab%0dc%25d%7Ee%20") == "data/a\nb\rc%d%7Ee%20"
    assert decode_path("data/%250A") == "data/%0A"
    assert encode_path("data/a\nb\rc%d") == "data/a%0Ab%0Dc%25d"


@given(
    st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=60).filter(
        lambda s: not s.startswith(("*", " ", "\t", "./"))
    ),
    st.binary(min_size=1, max_size=64),
)
def test_manifest_write_then_parse_round_trips(name: str, digest_bytes: bytes) -> None:
    path = f"data/{name}"
    digest = digest_bytes.hex()
    text = format_manifest([(path, digest)])
    assert text.count("\n") == 1
    lines = [(n, line) for n, line in enumerate(text[:-1].split("\n"), 1)]
    entries, findings = parse_manifest(lines, source="m")
    assert findings == []
    assert entries == [ManifestEntry(path, digest, 1)]


def test_manifest_round_trip_through_a_file(tmp_path: Path) -> None:
    names = ["data/new\nline", "data/cr\rhere", "data/100%0A", "data/Núñez", "data/ sp "]
    manifest = tmp_path / "manifest-sha256.txt"
    manifest.write_text(format_manifest((n, "ab" * 32) for n in names), encoding="utf-8")
    entries, findings = read_manifest(manifest)
    assert findings == []
    assert [e.path for e in entries] == names


def test_manifest_in_latin1_declared_utf8(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest-md5.txt"
    manifest.write_bytes("abcd  data/Núñez\n".encode("latin-1"))
    entries, findings = read_manifest(manifest)
    assert codes(findings) == ["BAG-063"]
    # The bytes are kept as the file system keeps undecodable names.
    assert entries[0].path.encode("utf-8", "surrogateescape") == "data/Núñez".encode("latin-1")


def test_manifest_utf8_bom_is_reported(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest-md5.txt"
    manifest.write_bytes(b"\xef\xbb\xbfabcd  data/a\n")
    entries, findings = read_manifest(manifest)
    assert codes(findings) == ["BAG-064"]
    assert entries == [ManifestEntry("data/a", "abcd", 1)]


@pytest.mark.parametrize(
    ("filename", "expected", "hashlib_form"),
    [
        ("manifest-sha256.txt", ("payload", "sha256"), "sha256"),
        ("tagmanifest-SHA3-256.txt", ("tag", "sha3256"), "sha3_256"),
        ("manifest-sha3_512.txt", ("payload", "sha3512"), "sha3_512"),
        ("manifest-md5.txt", ("payload", "md5"), "md5"),
        ("manifest-whirlpool.txt", ("payload", "whirlpool"), None),
    ],
)
def test_algorithm_names(
    filename: str, expected: tuple[str, str], hashlib_form: str | None
) -> None:
    assert algorithm_from_filename(filename) == expected
    assert hashlib_name(expected[1]) == hashlib_form


def test_not_manifest_names() -> None:
    assert algorithm_from_filename("bag-info.txt") is None
    assert algorithm_from_filename("manifest-.txt") is None
    assert manifest_filename("SHA-512") == "manifest-sha512.txt"
    assert manifest_filename("sha3_256", tag=True) == "tagmanifest-sha3256.txt"


# --- fetch.txt ---------------------------------------------------------------


def test_fetch_lines() -> None:
    text = (
        "http://example.org/a%20b 12 data/a b\n"
        "https://example.org/x - data/x%0Ay\n"
        "not-a-url 1 data/z\n"
        "http://example.org/q 1.5 data/q\n"
        "http://example.org/r 3\n"
    )
    entries, findings = parse_fetch(numbered(text))
    assert [(e.url, e.length, e.path, e.line) for e in entries] == [
        ("http://example.org/a%20b", 12, "data/a b", 1),
        ("https://example.org/x", None, "data/x\ny", 2),
    ]
    assert codes(findings) == ["BAG-070"] * 3
    assert [f.line for f in findings] == [3, 4, 5]


def test_format_fetch_line() -> None:
    assert format_fetch_line("http://e.org/a", None, "data/a\nb") == "http://e.org/a - data/a%0Ab\n"
    with pytest.raises(ValueError, match="absolute"):
        format_fetch_line("http://e.org/a b", 1, "data/a")


# --- line reader -------------------------------------------------------------


def test_lines_end_in_lf_cr_or_crlf_only() -> None:
    data = "a\r\nb\rc\nd\u2028e\x0bf".encode()
    lines = [line.text for line in iter_lines(io.BytesIO(data), "utf-8")]
    assert lines == ["a", "b", "c", "d\u2028e\x0bf"]


def test_crlf_split_across_blocks_is_one_terminator() -> None:
    from preserve.bags import _lines

    data = b"x" * (_lines.BLOCK - 1) + b"\r\nnext\n"
    lines = list(iter_lines(io.BytesIO(data), "utf-8", max_line=_lines.BLOCK))
    assert [(line.number, len(line.text)) for line in lines] == [(1, _lines.BLOCK - 1), (2, 4)]


def test_utf16_tag_lines() -> None:
    data = "a\nb\r\nc".encode("utf-16")
    assert [line.text for line in iter_lines(io.BytesIO(data), "UTF-16")] == ["a", "b", "c"]
