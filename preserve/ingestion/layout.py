"""Where ``preserve ingest`` finds records and their files.

The layout of SOURCE::

    SOURCE/
      records/            record documents (.txt, .md, .html) and record files
                          (.json, .jsonl, .csv)
      files/<stem>/       the payload files of the record read from records/<stem>.<ext>
                          (for a file holding several records: files/<stem>-<n>/ for the
                          n-th record)

Without a ``records/`` folder, every record file in SOURCE (outside ``files/``) is a
record; SOURCE may also be a single record file. A record without a payload folder gets
its own file as payload: the document it was extracted from, or the record file.
A payload folder named in another Unicode form (NFD) is the record's; what in
``files/`` no record uses is reported (see :mod:`preserve.ingestion.unused`).
"""

from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from preserve.findings import Finding
from preserve.ingestion.codes import INGEST_RULES
from preserve.ingestion.unused import Wanted, folder_for, listing, strays, unused_entries
from preserve.records.validate.items import Loaded
from preserve.records.validate.loaders import DOCUMENT_SUFFIXES, Extractor, iter_records

RECORDS_DIR = "records"
FILES_DIR = "files"


@dataclass(frozen=True, slots=True)
class PayloadFile:
    """A file to put in the bag: where it is and its path under ``data/``."""

    source: Path
    name: str


@dataclass(frozen=True, slots=True)
class RecordInput:
    """One record found in SOURCE, with its payload.

    :param key: unique within the run: the record file, plus ``#n`` when it holds several.
    :param loaded: the record as read (JSON data and where it came from).
    :param stem: the name of its payload folder under ``files/``.
    :param payload: the files to package.
    :param extracted: True when the record was extracted from a document.
    :param extraction_findings: what extraction reported (values it could not read).
    :param payload_findings: problems with the payload folder (links, special files).
    """

    key: str
    loaded: Loaded
    stem: str
    payload: tuple[PayloadFile, ...]
    extracted: bool
    extraction_findings: tuple[Finding, ...] = ()
    payload_findings: tuple[Finding, ...] = ()

    @property
    def sources(self) -> tuple[Path, ...]:
        """What to hand to ``build_bag``: the top-level entries holding the payload
        (each keeps its name under ``data/``, so sub-folders are preserved)."""
        tops: dict[str, Path] = {}
        for item in self.payload:
            top = item.name.split("/", 1)[0]
            depth = item.name.count("/")
            root = item.source
            for _ in range(depth):
                root = root.parent
            tops.setdefault(top, root)
        return tuple(tops.values())

    @property
    def record(self) -> Any:
        """The record's JSON data."""
        return self.loaded.record


def record_roots(source: Path, *, exclude: Iterable[Path] = ()) -> list[Path]:
    """The files and folders to read records from (see the module docs)."""
    if not source.is_dir():
        return [source]
    records = source / RECORDS_DIR
    if records.is_dir() or _unreadable(records):
        return [records]  # an unreadable records/ is reported by the loader (REC-060)
    skip = {p.resolve() for p in exclude} | {(source / FILES_DIR).resolve()}
    try:
        children = sorted(source.iterdir())
    except OSError:
        return [source]  # the loader reports the folder it cannot read (REC-060)
    return [
        child
        for child in children
        if not child.name.startswith(".") and child.resolve() not in skip
    ]


def _unreadable(path: Path) -> bool:
    """*path* exists but cannot even be looked at (its parent is unreadable)."""
    try:
        path.stat()
    except FileNotFoundError:
        return False
    except OSError:
        return True
    return False


def discover(
    source: Path, *, extractor: Extractor | None = None, exclude: Iterable[Path] = ()
) -> tuple[list[RecordInput], list[Finding]]:
    """Read every record in *source* and find its payload.

    :returns: the records, and findings about input that could not be read as records.
    """
    loaded: list[Loaded] = []
    findings: list[Finding] = []
    for item in iter_records(record_roots(source, exclude=exclude), extractor=extractor):
        if isinstance(item, Finding):
            findings.append(item)
        else:
            loaded.append(item)
    per_file: dict[str, int] = {}
    for item in loaded:
        per_file[item.source] = per_file.get(item.source, 0) + 1
    files_root = (source if source.is_dir() else source.parent) / FILES_DIR
    names = listing(files_root)
    inputs, wanted = [], []
    for item in loaded:
        several = per_file[item.source] > 1
        stem = Path(item.source).stem + (f"-{item.position}" if several else "")
        key = item.source + (f"#{item.position}" if several else "")
        folder = folder_for(stem, names)
        payload, problems = _payload(files_root / folder, key)
        uses = folder in names and (files_root / folder).is_dir()
        wanted.append(Wanted(key, stem, folder if uses else None))
        extracted = Path(item.source).suffix.lower() in DOCUMENT_SUFFIXES
        if not payload and not several and not problems:
            payload = (PayloadFile(Path(item.source), Path(item.source).name),)
        item, extraction = _unwrap(item)
        inputs.append(
            RecordInput(
                key=key,
                loaded=item,
                stem=stem,
                payload=payload,
                extracted=extracted,
                extraction_findings=extraction,
                payload_findings=tuple(problems),
            )
        )
    inputs, findings = _attribute(inputs, findings, per_file)
    if not source.is_dir():
        return inputs, findings  # files/ beside one record file may serve others
    return _unused(source, inputs, findings, wanted, names, per_file, exclude)


def _unused(
    source: Path,
    inputs: list[RecordInput],
    findings: list[Finding],
    wanted: list[Wanted],
    names: list[str],
    per_file: dict[str, int],
    exclude: Iterable[Path],
) -> tuple[list[RecordInput], list[Finding]]:
    """Add the findings about what in SOURCE no record uses (see :mod:`.unused`)."""
    several = {Path(f).stem: n for f, n in per_file.items() if n > 1}
    mine, rest = unused_entries(source / FILES_DIR, names, wanted, several)
    inputs = [
        dataclasses.replace(rec, payload_findings=(*rec.payload_findings, *mine[rec.key]))
        if rec.key in mine
        else rec
        for rec in inputs
    ]
    if (source / RECORDS_DIR).is_dir():
        rest += strays(
            source, records=source / RECORDS_DIR, files=source / FILES_DIR, exclude=exclude
        )
    return inputs, findings + rest


def _attribute(
    inputs: list[RecordInput], findings: list[Finding], per_file: dict[str, int]
) -> tuple[list[RecordInput], list[Finding]]:
    """Hand extraction findings about a one-record file to that record (the loader yields
    them beside the record); the rest stay findings about the input."""
    mine: dict[str, list[Finding]] = {}
    rest: list[Finding] = []
    for finding in findings:
        if finding.source is not None and per_file.get(finding.source) == 1:
            mine.setdefault(finding.source, []).append(finding)
        else:
            rest.append(finding)
    out = [
        dataclasses.replace(
            rec, extraction_findings=(*mine.get(rec.key, ()), *rec.extraction_findings)
        )
        for rec in inputs
    ]
    return out, rest


def _unwrap(item: Loaded) -> tuple[Loaded, tuple[Finding, ...]]:
    """A document's record may come wrapped with its extraction findings
    (:class:`preserve.records.extract.run.ExtractedRecord`); keep both."""
    inner = item.record
    if hasattr(inner, "findings") and hasattr(inner, "record"):
        record = inner.record if inner.record is not None else {}
        return item._replace(record=record), tuple(inner.findings)
    return item, ()


def _payload(folder: Path, key: str) -> tuple[tuple[PayloadFile, ...], list[Finding]]:
    """The files under *folder*, and findings; a folder that cannot be read (at any
    depth, or *folder*'s parent) is ING-010, never a silently smaller payload."""
    unreadable: list[OSError] = []
    try:
        if not stat.S_ISDIR(folder.lstat().st_mode):
            return (), []
    except FileNotFoundError:
        return (), []
    except OSError as e:
        unreadable.append(e)
    files: list[PayloadFile] = []
    findings: list[Finding] = []
    for path in [] if unreadable else _walk(folder, unreadable):
        name = PurePosixPath(*path.relative_to(folder).parts).as_posix()
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode) or not stat.S_ISREG(mode):
            kind = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
            findings.append(
                INGEST_RULES.finding("ING-008", source=str(path), record=key, kind=kind)
            )
            continue
        files.append(PayloadFile(path, name))
    for error in unreadable:
        reason = error.strerror or str(error)
        source = str(error.filename or folder)
        findings.append(INGEST_RULES.finding("ING-010", source=source, record=key, reason=reason))
    return tuple(files), findings


def _walk(folder: Path, unreadable: list[OSError]) -> Iterator[Path]:
    for parent, dirs, names in os.walk(folder, followlinks=False, onerror=unreadable.append):
        dirs.sort()
        base = Path(parent)
        # A symlinked folder is listed in dirs but never entered: report it as a file.
        for name in sorted(names) + [d for d in dirs if (base / d).is_symlink()]:
            yield base / name
