"""Validate records: the schema, the per-record rules and the cross-record rules.

:func:`validate` reads files and folders; :func:`validate_records` checks records
already in memory (``preserve ingest`` uses it). Both return a
:class:`ValidationResult`; neither prints nor raises for bad records.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

from preserve._types import JSONObject, PathOrPaths, StrPath, as_paths
from preserve.findings import Finding, has_errors
from preserve.progress import NO_PROGRESS, Progress
from preserve.records.defaults import apply_defaults, check_defaults, load_defaults
from preserve.records.extract.run import ExtractedRecord
from preserve.records.validate import parallel
from preserve.records.validate.check import Checked, check_one
from preserve.records.validate.crosscheck import CrossCheck
from preserve.records.validate.items import Loaded
from preserve.records.validate.loaders import Extractor, iter_chunked, iter_records
from preserve.records.validate.schema import RecordSchema, record_schema


class ValidationReport(TypedDict):
    """The JSON output of ``preserve validate --format json`` (version 1)."""

    version: int
    records: int
    ok: bool
    findings: list[JSONObject]


@dataclass(frozen=True, slots=True)
class ValidationResult:
    """What checking a batch of records found.

    :param records: how many records were read and checked.
    :param findings: every finding, in the order the records were read; findings
        that need the whole batch (overlaps, number order) come last.
    """

    records: int
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        """True when no finding is an error (warnings are allowed)."""
        return not has_errors(self.findings)

    def to_dict(self) -> ValidationReport:
        """What ``preserve validate --format json`` prints (version 1)."""
        return {
            "version": 1,
            "records": self.records,
            "ok": self.ok,
            "findings": [f.to_dict() for f in self.findings],
        }


Defaults = Mapping[str, Any]


def validate(
    paths: PathOrPaths,
    *,
    defaults: StrPath | Defaults | None = None,
    progress: Progress = NO_PROGRESS,
    extractor: Extractor | None = None,
    workers: int = 1,
) -> ValidationResult:
    """Check the records in files and folders.

    With *workers* above 1, big JSON Lines files are checked in worker processes;
    the findings and their order are the same.

    :param paths: ``.json``, ``.jsonl``, ``.csv`` files, record documents
        (``.txt``, ``.md``, ``.html``) and folders of them.
    :param defaults: collection defaults (a JSON or TOML file, or a mapping) that fill
        fields a record lacks, marked in ``/extraction/supplied``.
    :param progress: receives one step per record.
    :param extractor: turns a record document into a record (default: preserve's).
    :param workers: processes for JSON Lines files of at least
        :data:`~preserve.records.validate.parallel.PARALLEL_MIN_BYTES` (``preserve validate``
        uses 2). Worker processes are spawned, so a script that passes more than 1
        must guard its entry point with ``if __name__ == "__main__":``.
    :raises DefaultsError: when the defaults file cannot be read, or the defaults do not
        fit the record schema (a misspelt key, a value of the wrong type).
    :raises RecordError: when a worker process dies (out of memory, killed).
    :raises UsageError: *paths* is not a path or an iterable of paths.
    """
    given = as_paths(paths, argument="paths")
    filled = _defaults(defaults)
    if workers > 1:
        chunked = iter_chunked(given, extractor=extractor, chunk_bytes=parallel.PARALLEL_MIN_BYTES)
        items: Iterable[Any] = parallel.pooled(chunked, workers=workers, defaults=filled)
    else:
        items = iter_records(given, extractor=extractor)
    return _check_all(items, filled, None, progress)


def validate_records(
    records: Iterable[Any],
    *,
    source: str | None = None,
    defaults: StrPath | Defaults | None = None,
    progress: Progress = NO_PROGRESS,
) -> ValidationResult:
    """Check records already in memory (or a stream of them).

    :param records: record objects (dicts), :class:`~preserve.records.validate.items.Loaded`
        items and input findings as :func:`~preserve.records.validate.loaders.iter_records` yields,
        or :class:`~preserve.records.extract.run.ExtractedRecord` items as
        :func:`~preserve.records.extract.run.extract` returns (their EXT findings are kept).
    :param source: the name to give plain records' findings (default ``<records>``).
    :param defaults: as for :func:`validate`.
    :param progress: receives one step per record.
    """
    return _check_all(records, _defaults(defaults), source, progress)


def _check_all(
    records: Iterable[Any], filled: Defaults | None, source: str | None, progress: Progress
) -> ValidationResult:
    check = _Checker(record_schema(), CrossCheck(filled))
    findings: list[Finding] = []
    count = 0
    progress.start("Validating records", total_bytes=None, total_files=None)
    try:
        for position, item in enumerate(records, start=1):
            if isinstance(item, Finding):
                findings.append(item)
                continue
            if isinstance(item, ExtractedRecord):  # what preserve.extract() returns
                findings.extend(item.findings)
                if item.record is None:
                    continue
                item = Loaded(item.record, item.source, 1)
            if isinstance(item, Checked):  # checked in a worker process: merge its keys
                count += 1
                findings.extend(check.merge(item))
                progress.advance(files=1)
                continue
            if not isinstance(item, Loaded):
                item = Loaded(item, source or "<records>", position)
            count += 1
            record = item.record
            if filled is not None and isinstance(record, dict):
                record = apply_defaults(record, filled)
            findings.extend(check(record, item))
            progress.advance(files=1)
        findings.extend(check.cross.finish())
    finally:
        progress.finish()
    return ValidationResult(records=count, findings=tuple(findings))


@dataclass(frozen=True, slots=True)
class _Checker:
    """Every per-record check, in order: schema, rules, keys for the cross-record rules."""

    schema: RecordSchema
    cross: CrossCheck

    def __call__(self, record: Any, loaded: Loaded) -> list[Finding]:
        found = self.merge(check_one(self.schema, record, loaded), loaded.columns)
        if loaded.unconverted:
            found = [f for f in found if not _about(f, loaded.unconverted)]
        return found

    def merge(self, checked: Checked, columns: dict[str, str] | None = None) -> list[Finding]:
        found = checked.found
        if checked.keys is not None and checked.seen is not None:
            found += self.cross.merge(checked.keys, checked.seen)
        return _with_columns(found, columns) if columns and found else found


def _about(finding: Finding, pointers: frozenset[str]) -> bool:
    """True if *finding* is about one of *pointers* (or a field inside one)."""
    field = finding.field or ""
    return any(field == p or field.startswith(p + "/") for p in pointers)


def _with_columns(found: list[Finding], columns: dict[str, str]) -> list[Finding]:
    """Name the CSV column of each finding whose field came from one."""
    out = []
    for finding in found:
        field = finding.field or ""
        matches = [p for p in columns if field == p or field.startswith(p + "/")]
        if matches and finding.column is None:
            finding = dataclasses.replace(finding, column=columns[max(matches, key=len)])
        out.append(finding)
    return out


def _defaults(defaults: StrPath | Defaults | None) -> Defaults | None:
    if defaults is None:
        return None
    if isinstance(defaults, Mapping):
        check_defaults(defaults, source="the defaults")  # once, not on every record
        return defaults
    return load_defaults(defaults)  # DefaultsError names the file and what to do
