"""Extract records from record documents: files in, record dicts and findings out.

A record document is the text of a record's web page (scraped ``.txt``), its PDF
turned to markdown (``.md``), or the page's raw HTML (``.html``). Every file
gives one :class:`ExtractedRecord`; a file that cannot be read gives a finding
naming it (EXT-nnn) rather than an exception, and the rest of the batch goes on.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from preserve._types import PathOrPaths, StrPath, as_paths
from preserve.findings import Finding, has_errors
from preserve.progress import NO_PROGRESS, Progress
from preserve.records.defaults import apply_defaults, check_defaults, load_defaults
from preserve.records.extract._text import HTMLError, html_to_text
from preserve.records.extract.codes import CATALOG
from preserve.records.extract.documents import Reading, read_document
from preserve.records.types import Record, built_record

SCHEMA_VERSION = "1.0"
#: Record documents are pages and PDF texts: far below this. Larger files are refused.
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
DOCUMENT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
_HTML_SUFFIXES = frozenset({".html", ".htm"})
TextForm = Literal["auto", "text", "html"]


@dataclass(frozen=True, slots=True)
class ExtractedRecord:
    """The record read from one document, and what went wrong reading it.

    :param source: the file as the caller named it.
    :param record: the record, or None when the file gave no record. It holds what the
        document gave: a required field the document lacks is absent (validation says so).
    :param findings: EXT-nnn findings (errors: no record; warnings: a value left unread).
    """

    source: str
    record: Record | None
    findings: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        """True when a record was extracted without errors."""
        return self.record is not None and not has_errors(self.findings)


def is_record_document(path: StrPath) -> bool:
    """True for the suffixes preserve extracts records from (.txt .md .markdown .html .htm)."""
    return Path(path).suffix.lower() in DOCUMENT_SUFFIXES


def extract_text(
    text: str,
    *,
    source: str,
    form: TextForm = "auto",
    defaults: Mapping[str, Any] | None = None,
) -> ExtractedRecord:
    """Extract one record from a document's text.

    :param text: scraped page text, PDF markdown, or HTML.
    :param source: what to name the document in ``/extraction/source`` and in findings.
    :param form: ``"html"`` to parse *text* as HTML first, ``"text"`` not to;
        ``"auto"`` treats text that starts with ``<!DOCTYPE html`` or ``<html`` as HTML.
    :param defaults: collection defaults to fill absent fields (see :func:`apply_defaults`).
    """
    if form == "html" or (form == "auto" and _looks_like_html(text)):
        try:
            text = html_to_text(text)
        except HTMLError as e:
            return _failed(source, "EXT-009", reason=str(e))
    reading = read_document(text)
    if not _is_a_record(reading.record):
        return _failed(source, "EXT-006")
    record: dict[str, Any] = {"schema_version": SCHEMA_VERSION, **reading.record}
    if reading.original_classification:
        record.setdefault("classification", {})
        record["classification"]["original_classification"] = reading.original_classification
    record["extraction"] = _envelope(source, reading)
    label = reading.record.get("archive_reference", {}).get("citation") or reading.record.get(
        "title"
    )
    findings = tuple(
        CATALOG.finding(p.code, source=source, record=label, field=p.field, **p.context)
        for p in reading.problems
    )
    if defaults:
        record = apply_defaults(record, defaults)
    return ExtractedRecord(source, built_record(record), findings)


def _is_a_record(fields: Mapping[str, Any]) -> bool:
    """An archive reference, or a title with at least one other core field."""
    return "archive_reference" in fields or ("title" in fields and len(fields) > 1)


def _envelope(source: str, reading: Reading) -> dict[str, Any]:
    from preserve import __version__  # here: preserve/__init__ imports this module

    extraction: dict[str, Any] = {
        "source": source,
        "tool": f"preserve {__version__}",
        "inferred": list(reading.inferred),
        "supplied": [],
    }
    if reading.text_sha256:
        extraction["text_sha256"] = reading.text_sha256
    if reading.printed:
        extraction["printed"] = dict(reading.printed)
    if reading.contents:
        extraction["contents"] = reading.contents
    if reading.sources:
        extraction["sources"] = dict(reading.sources)
    return extraction


def _looks_like_html(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:200].casefold()
    return head.startswith(("<!doctype html", "<html"))


def extract_file(
    path: StrPath,
    *,
    defaults: Mapping[str, Any] | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> ExtractedRecord:
    """Extract one record from a record document file.

    Never raises for bad input: an unreadable, binary, non-UTF-8, empty or
    oversized file gives an :class:`ExtractedRecord` with no record and an
    EXT-nnn error naming the file (and the byte and line, for bad UTF-8).
    """
    source = os.fspath(path)
    data_or_failure = _read_bytes(source, max_bytes)
    if isinstance(data_or_failure, ExtractedRecord):
        return data_or_failure
    data = data_or_failure
    if not data.strip():
        return _failed(source, "EXT-004")
    nul = data.find(b"\x00")
    if nul >= 0:
        return _failed(source, "EXT-002", offset=nul)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        return _failed(source, "EXT-003", offset=e.start, line=line)
    form: TextForm = "html" if Path(source).suffix.lower() in _HTML_SUFFIXES else "auto"
    return extract_text(text, source=source, form=form, defaults=defaults)


def _read_bytes(source: str, max_bytes: int) -> bytes | ExtractedRecord:
    try:
        if not stat.S_ISREG(os.stat(source).st_mode):
            return _failed(source, "EXT-001", reason="it is not a regular file")
        with open(source, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > max_bytes:
                return _failed(source, "EXT-005", size=size, limit=max_bytes)
            data = handle.read(max_bytes + 1)
    except IsADirectoryError:
        return _failed(source, "EXT-001", reason="it is a directory")
    except OSError as e:
        return _failed(source, "EXT-001", reason=e.strerror or str(e))
    if len(data) > max_bytes:  # a special file that grows while read, or misreports its size
        return _failed(source, "EXT-005", size=len(data), limit=max_bytes)
    return data


def _failed(source: str, code: str, **context: Any) -> ExtractedRecord:
    return ExtractedRecord(source, None, (CATALOG.finding(code, source=source, **context),))


def extract(
    paths: PathOrPaths,
    *,
    defaults: Mapping[str, Any] | StrPath | None = None,
    progress: Progress = NO_PROGRESS,
) -> list[ExtractedRecord]:
    """Extract records from files and folders of record documents.

    Folders are walked in sorted order; only record documents are read
    (hidden files and ``README.*`` are skipped). Symbolic links to directories
    are not followed, and a file link that leads out of the folder is skipped
    with a warning (EXT-008). A file named on its own that is not a record
    document gives EXT-007.

    :param paths: a file or folder, or several, as the user named them.
    :param defaults: collection defaults, as a mapping or a JSON/TOML file path.
    :param progress: told the number of files, then advanced per file.
    :raises DefaultsError: when the defaults file cannot be read, or the defaults do not
        fit the record schema (a misspelt key, a value of the wrong type).
    :raises UsageError: *paths* is not a path or an iterable of paths.
    """
    given = as_paths(paths, argument="paths")
    batch_defaults = (
        load_defaults(defaults) if isinstance(defaults, str | os.PathLike) else defaults
    )
    if isinstance(defaults, Mapping):
        check_defaults(defaults, source="the defaults")  # once, not on every record
    planned = list(_plan(given))
    progress.start("Extracting records", total_bytes=None, total_files=len(planned))
    results: list[ExtractedRecord] = []
    for item in planned:
        if isinstance(item, ExtractedRecord):
            results.append(item)
        else:
            results.append(extract_file(item, defaults=batch_defaults))
        progress.advance(files=1)
    progress.finish()
    return results


def _plan(paths: Iterable[StrPath]) -> Iterator[str | ExtractedRecord]:
    """The files to read, in order, or a finding for a path that cannot be used."""
    for path in paths:
        name = os.fspath(path)
        if os.path.isdir(name):
            found = skipped = False
            for item in _walk(name):
                link = isinstance(item, ExtractedRecord) and item.findings[0].code == "EXT-008"
                found, skipped = found or not link, skipped or link
                yield item
            if not found:  # a run that extracted nothing of what it was given fails
                why = " it can read: the links in it lead out of it (EXT-008)" if skipped else ""
                yield _failed(name, "EXT-010", why=why)
        elif not os.path.lexists(name):
            yield _failed(name, "EXT-001", reason="no such file or directory")
        elif not is_record_document(name):
            yield _failed(name, "EXT-007")
        else:
            yield name


def _walk(root: str) -> Iterator[str | ExtractedRecord]:
    real_root = os.path.realpath(root)
    unreadable: list[OSError] = []
    for directory, dirnames, filenames in os.walk(
        root, followlinks=False, onerror=unreadable.append
    ):
        yield from _unreadable(unreadable)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for dirname in dirnames:
            link = os.path.join(directory, dirname)
            if os.path.islink(link) and not _inside(real_root, link):
                yield _failed_link(link, root)
        for filename in sorted(filenames):
            if filename.startswith(".") or filename.upper().startswith("README"):
                continue
            full = os.path.join(directory, filename)
            if not is_record_document(full):
                continue
            if os.path.islink(full) and not _inside(real_root, full):
                yield _failed_link(full, root)
                continue
            yield full
    yield from _unreadable(unreadable)


def _unreadable(errors: list[OSError]) -> Iterator[ExtractedRecord]:
    """EXT-001 for each folder the walk could not list (never a quiet omission)."""
    while errors:
        e = errors.pop(0)
        reason = f"cannot list this folder ({e.strerror or e}), so nothing in it was extracted"
        yield _failed(str(e.filename), "EXT-001", reason=reason)


def _inside(real_root: str, path: str) -> bool:
    return os.path.commonpath([real_root, os.path.realpath(path)]) == real_root


def _failed_link(link: str, root: str) -> ExtractedRecord:
    target = os.path.realpath(link)
    finding = CATALOG.finding("EXT-008", source=link, target=target, root=root)
    return ExtractedRecord(link, None, (finding,))
