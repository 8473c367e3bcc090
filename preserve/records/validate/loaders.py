"""Read records from files and folders, turning unreadable input into findings.

:func:`iter_records` walks the paths it is given and yields, in order, either a
:class:`~.items.Loaded` record or a :class:`~preserve.findings.Finding` about input that
could not be read (``REC-00x``/``REC-01x``). It never raises for bad input and
never holds more than one record (or one JSON document) in memory at a time:
JSON Lines and CSV are streamed line by line with a cap on the length of a line,
so a 1 GB file costs no more memory than a small one.

Formats: ``.json`` (one record or an array of records), ``.jsonl`` (one record
per line), ``.csv`` and ``.tsv`` (:mod:`preserve.records.validate.csvload`), ``.xlsx``
(:mod:`preserve.records.validate.workbook`; ``.ods`` is refused with advice), and record documents
(``.txt``, ``.md``, ``.html``, ``.htm``) extracted on the fly.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import orjson

from preserve.findings import Finding
from preserve.records.validate import items
from preserve.records.validate.codes import CATALOG
from preserve.records.validate.items import Item, Loaded, bounded_lines, decode

JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
CSV_SUFFIXES = frozenset({".csv", ".tsv"})
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".ods"})
DOCUMENT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
SUFFIXES = JSON_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES | WORKBOOK_SUFFIXES | DOCUMENT_SUFFIXES

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
"""A whole ``.json`` file or record document is read at once: up to this size."""
SNIFF_BYTES = 8192


class Chunk(NamedTuple):
    """Consecutive lines of a big JSON Lines file, to be checked in a worker process.

    :param source: the file, as the user named it.
    :param position: records (and unreadable lines) before these lines in the file.
    :param lines: ``(line number, bytes)`` as :func:`~.items.bounded_lines` gives them.
    """

    source: str
    position: int
    lines: list[tuple[int, bytes | int]]


CHUNK_LINES = 2000
"""Lines per :class:`Chunk`: big enough that sending it costs little per line."""

Extractor = Callable[[Path], Any]


def iter_records(paths: Any, *, extractor: Extractor | None = None) -> Iterator[Item]:
    """Yield records and input findings from files and folders, in order.

    Folders are walked in sorted order; hidden files and folders, ``README.*`` and
    files whose type preserve does not read are skipped; symbolic links are followed only
    when they stay inside the folder. A file met again (named twice, or through a link)
    is read once, with a REC-062 warning for the repeat.

    :param paths: files or folders (``str`` or :class:`os.PathLike`).
    :param extractor: turns a record document into a record (defaults to
        :func:`preserve.records.extract.run.extract_file`).
    """
    for item in iter_chunked(paths, extractor=extractor, chunk_bytes=None):
        if not isinstance(item, Chunk):  # never one without chunk_bytes
            yield item


def iter_chunked(
    paths: Any, *, extractor: Extractor | None = None, chunk_bytes: int | None
) -> Iterator[Item | Chunk]:
    """As :func:`iter_records`, but JSON Lines files at least *chunk_bytes* long
    come as :class:`Chunk` items (for worker processes) instead of records.
    """
    once = _Once()
    for given in paths:
        path = Path(given)
        if not os.path.lexists(path):
            yield CATALOG.finding("REC-001", source=str(path), reason="it does not exist")
            continue
        found = False
        if path.is_dir():
            items = _walk(path, extractor, chunk_bytes, once)
        elif (repeat := once.repeat(path)) is not None:
            items = iter([repeat])
        else:
            items = load_file(path, extractor=extractor, explicit=True, chunk_bytes=chunk_bytes)
        for item in items:
            # A skipped link is named, but it is not something checked.
            found = found or not (isinstance(item, Finding) and item.code == "REC-014")
            yield item
        if not found:  # a run that checked nothing of what it was given is not "valid"
            yield CATALOG.finding("REC-061", source=str(path))


class _Once:
    """Each file is read once, however often it is named: the same path twice, a folder
    and a file inside it, or a link to a file already read would otherwise report the
    file as a duplicate of itself (REC-05x). A repeat is a REC-062 warning instead."""

    def __init__(self) -> None:
        self._first: dict[tuple[int, int], str] = {}

    def repeat(self, path: Path) -> Finding | None:
        """REC-062 if *path* is a file already read (same device and inode), else None."""
        try:
            st = path.stat()
        except OSError:
            return None  # load_file reports what cannot be read
        if not stat.S_ISREG(st.st_mode):
            return None
        key = (st.st_dev, st.st_ino)
        first = self._first.get(key)
        if first is None:
            self._first[key] = str(path)
            return None
        return CATALOG.finding("REC-062", source=str(path), first=first)


def _walk(
    root: Path, extractor: Extractor | None, chunk_bytes: int | None, once: _Once
) -> Iterator[Item | Chunk]:
    real_root = root.resolve()
    unreadable: list[OSError] = []
    for folder, dirs, files in os.walk(root, followlinks=False, onerror=unreadable.append):
        yield from _unreadable_folders(unreadable)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in dirs:  # a folder link is never followed: name the ones leading out
            path = Path(folder) / name
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                yield CATALOG.finding("REC-014", source=str(path), root=str(root))
        for name in sorted(files):
            path = Path(folder) / name
            if _skipped(name, path):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                yield CATALOG.finding("REC-014", source=str(path), root=str(root))
                continue
            if (repeat := once.repeat(path)) is not None:
                yield repeat
                continue
            yield from load_file(path, extractor=extractor, explicit=False, chunk_bytes=chunk_bytes)
    yield from _unreadable_folders(unreadable)


def _unreadable_folders(errors: list[OSError]) -> Iterator[Finding]:
    """REC-060 for each folder the walk could not list (never a quiet omission)."""
    while errors:
        e = errors.pop(0)
        yield CATALOG.finding("REC-060", source=str(e.filename), reason=e.strerror or str(e))


def _skipped(name: str, path: Path) -> bool:
    """Hidden files, foreign types, READMEs and Excel's ``~$`` lock files."""
    hidden = name.startswith((".", "~$"))
    return hidden or path.suffix.lower() not in SUFFIXES or _is_readme(name)


def _is_readme(name: str) -> bool:
    """A folder's README describes the folder; it is not a record (as in extract)."""
    return name.upper().startswith("README.")


def load_file(
    path: Path,
    *,
    extractor: Extractor | None = None,
    explicit: bool = True,
    chunk_bytes: int | None = None,
) -> Iterator[Item | Chunk]:
    """Yield the records of one file (and findings about what cannot be read).

    :param explicit: the user named this file (an unknown type is then reported).
    :param chunk_bytes: as for :func:`iter_records`.
    """
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        if explicit:  # named on the command line: it was meant to be checked, and was not
            yield CATALOG.finding("REC-011", source=source, suffix=suffix or path.name)
        return
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO or device would block or never end
            yield CATALOG.finding("REC-001", source=source, reason="it is not a regular file")
            return
        with path.open("rb") as fh:
            kind = _kind(suffix)
            problem = _sniff(fh, source, kind)
            if problem is not None:
                yield problem
                return
            big = chunk_bytes is not None and os.fstat(fh.fileno()).st_size >= chunk_bytes
            if kind == "jsonl" and big:
                yield from _jsonl_chunks(fh, source)
                return
            yield from _READERS[kind](fh, source, path, extractor)
    except OSError as e:
        yield CATALOG.finding("REC-001", source=source, reason=e.strerror or str(e))


def _kind(suffix: str) -> str:
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in WORKBOOK_SUFFIXES:
        return suffix.removeprefix(".")
    return "csv" if suffix in CSV_SUFFIXES else "document"


def _sniff(fh: BinaryIO, source: str, kind: str) -> Finding | None:
    """Report an empty (or blank) or a binary file before trying to parse it.

    A CSV file in UTF-16 with a byte-order mark (a spreadsheet's "Unicode text") is text.
    """
    from preserve.records.validate.sheets import TRIED, utf16_encoding

    head = fh.read(SNIFF_BYTES)
    fh.seek(0)
    utf16 = kind == "csv" and utf16_encoding(head) is not None
    if (
        len(head) < SNIFF_BYTES
        and not (head.decode("utf-16", "replace") if utf16 else head).strip()
    ):
        return CATALOG.finding("REC-004", source=source)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) and not utf16:  # Notepad's "Unicode"
        where = "the file (UTF-16 text, by its byte-order mark)"
        return CATALOG.finding("REC-002", source=source, where=where, offset=0, line=1)
    if b"\x00" in head and not utf16 and kind not in {"xlsx", "ods"}:  # zips hold NULs
        reason = "it contains NUL bytes"
        if kind == "csv":
            reason += f"; tried {TRIED}"
        return CATALOG.finding("REC-003", source=source, reason=reason)
    return None


def _read_whole(fh: BinaryIO, source: str, what: str, advice: str) -> str | Finding:
    data = fh.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        size = os.fstat(fh.fileno()).st_size
        return CATALOG.finding(
            "REC-010", source=source, what=what, size=size, limit=MAX_DOCUMENT_BYTES, advice=advice
        )
    return decode(data, source, "the file")


def parse_json(text: str) -> Any:
    """Parse JSON strictly: NaN and Infinity are refused (they are not JSON).

    :raises ValueError: for malformed JSON (:class:`json.JSONDecodeError` when located).
    :raises RecursionError: for JSON nested too deeply to parse.
    """
    return _DECODER.decode(text)


def _refuse_constant(name: str) -> Any:
    msg = f"{name} is not a JSON value"
    raise ValueError(msg)


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def json_problem(e: Exception, source: str, *, line: int | None = None) -> Finding:
    """A finding for a failure of :func:`parse_json` on a whole file or one line."""
    if isinstance(e, RecursionError):
        return CATALOG.finding("REC-012", source=source, line=line, limit=sys.getrecursionlimit())
    reason = e.msg if isinstance(e, json.JSONDecodeError) else str(e)
    if isinstance(e, json.JSONDecodeError):
        reason = f"{reason} (column {e.colno})"
    if line is not None:
        return CATALOG.finding("REC-006", source=source, line=line, reason=reason)
    at_line = e.lineno if isinstance(e, json.JSONDecodeError) else 1
    return CATALOG.finding("REC-005", source=source, reason=reason, at_line=at_line)


def _read_json(
    fh: BinaryIO, source: str, path: Path, extractor: Extractor | None
) -> Iterator[Item]:
    text = _read_whole(fh, source, "this .json file", "write the records as .jsonl, one per line")
    if isinstance(text, Finding):
        yield text
        return
    try:
        value = parse_json(text)
    except (ValueError, RecursionError) as e:
        yield json_problem(e, source)
        return
    records = value if isinstance(value, list) else [value]
    for position, record in enumerate(records, start=1):
        yield Loaded(record, source, position)


def _read_jsonl(
    fh: BinaryIO, source: str, path: Path, extractor: Extractor | None
) -> Iterator[Item]:
    yield from jsonl_items(bounded_lines(fh), source)


def jsonl_items(
    lines: Iterable[tuple[int, bytes | int]], source: str, position: int = 0
) -> Iterator[Item]:
    """Records and findings of JSON Lines ``(number, bytes)`` from :func:`~.items.bounded_lines`.

    :param position: records (and unreadable lines) before these lines in the file.
    """
    for number, raw in lines:
        if isinstance(raw, int):
            yield items.long_line(source, number, raw, "a JSON Lines record")
            continue
        try:
            value = orjson.loads(raw)  # the fast path: valid UTF-8 JSON, parsed in one step
        except orjson.JSONDecodeError:
            value = _slow_line(raw, source, number)  # say exactly what is wrong (or blank)
            if value is _BLANK:
                continue
            if isinstance(value, Finding):
                position += 1
                yield value
                continue
        position += 1
        yield Loaded(value, source, position, line=number)


def _jsonl_chunks(fh: BinaryIO, source: str) -> Iterator[Chunk]:
    position = 0
    lines: list[tuple[int, bytes | int]] = []
    for line in bounded_lines(fh):
        lines.append(line)
        if len(lines) == CHUNK_LINES:
            yield Chunk(source, position, lines)
            position += sum(1 for _, raw in lines if counts_as_record(raw))
            lines = []
    if lines:
        yield Chunk(source, position, lines)


def counts_as_record(raw: bytes | int) -> bool:
    """True when :func:`jsonl_items` gives this line a position (a record or a finding)."""
    if isinstance(raw, int):
        return False
    if raw[:1] == b"{":
        return True
    try:
        return bool(raw.decode("utf-8-sig").strip())
    except UnicodeDecodeError:
        return True


_BLANK = object()


def _slow_line(raw: bytes, source: str, number: int) -> Any:
    """Parse a line orjson refused with the standard library, for a precise finding.

    Returns the value (orjson refuses some valid JSON, such as integers beyond 64
    bits), a finding, or ``_BLANK`` for an empty line.
    """
    text = decode(raw, source, f"line {number}", line=number)
    if isinstance(text, Finding) or not text.strip():
        return text if isinstance(text, Finding) else _BLANK
    try:
        return parse_json(text)
    except (ValueError, RecursionError) as e:
        return json_problem(e, source, line=number)


def _read_csv(fh: BinaryIO, source: str, path: Path, extractor: Extractor | None) -> Iterator[Item]:
    from preserve.records.validate.csvload import read_csv

    yield from read_csv(fh, source)


def _read_xlsx(
    fh: BinaryIO, source: str, path: Path, extractor: Extractor | None
) -> Iterator[Item]:
    from preserve.records.validate.workbook import read_xlsx

    yield from read_xlsx(fh, source)


def _read_ods(fh: BinaryIO, source: str, path: Path, extractor: Extractor | None) -> Iterator[Item]:
    from preserve.records.validate.workbook import refuse_ods

    yield from refuse_ods(fh, source)


def _read_document(
    fh: BinaryIO, source: str, path: Path, extractor: Extractor | None
) -> Iterator[Item]:
    """Extract the record of a document; the extractor's own findings pass through."""
    try:
        extracted = (extractor or _default_extractor())(path)
    except Exception as e:  # any failure of extraction is a finding, not a crash
        yield CATALOG.finding("REC-013", source=source, reason=str(e) or type(e).__name__)
        return
    if isinstance(extracted, dict):
        yield Loaded(extracted, source, 1)
        return
    findings = tuple(getattr(extracted, "findings", ()))
    yield from findings
    record = getattr(extracted, "record", None)
    if isinstance(record, dict):
        yield Loaded(record, source, 1)
    elif not any(f.is_error for f in findings):
        yield CATALOG.finding("REC-013", source=source, reason="the extractor found no record")


def _default_extractor() -> Extractor:
    from preserve.records.extract.run import extract_file

    return extract_file


_READERS: dict[str, Callable[[BinaryIO, str, Path, Extractor | None], Iterator[Item]]] = {
    "json": _read_json,
    "jsonl": _read_jsonl,
    "csv": _read_csv,
    "xlsx": _read_xlsx,
    "ods": _read_ods,
    "document": _read_document,
}
