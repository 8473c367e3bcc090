"""The result of an ingest run, and ``DEPOSIT/ingest-report.json``.

The report is API (``"version": 1``): its shape is :class:`IngestReport`. It is written
atomically (a temporary file in the deposit, then :func:`os.replace`), so a crash never
leaves half a report; the next run reads it to skip records packaged unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias, TypedDict

from preserve import __version__
from preserve._atomic import atomic_writer
from preserve._types import JSONObject
from preserve.findings import Finding, has_errors

REPORT_NAME = "ingest-report.json"
REPORT_VERSION = 1
Status: TypeAlias = Literal["packaged", "unchanged", "refused"]


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What happened to one record.

    :param key: the record's source (file, plus ``#n`` for one of several in a file).
    :param label: how findings name the record (citation, record id or position).
    :param status: ``packaged`` (a bag was written), ``unchanged`` (its bag from an
        earlier run was kept) or ``refused`` (not packaged; see the findings).
    :param bag: the bag's folder name in the deposit.
    :param archive: the serialized bag's file name, when ``--serialize`` was given.
    :param input_digest: SHA-256 over the record and its payload, for idempotence.
    :param files: how many payload files.
    :param size: their total size in bytes.
    :param findings: everything found about the record, its files and its bag.
    """

    key: str
    label: str
    status: Status
    bag: str | None = None
    archive: str | None = None
    input_digest: str | None = None
    files: int = 0
    size: int = 0
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class IngestResult:
    """The result of :func:`preserve.ingest`.

    :param source: the SOURCE folder or file.
    :param deposit: the DEPOSIT folder.
    :param profile: the BagIt profile's identifier.
    :param outcomes: one outcome per record, in the order they were read.
    :param findings: findings about input that could not be read as a record.
    :param started_at: when the run began (ISO 8601 UTC).
    :param finished_at: when it ended.
    """

    source: str
    deposit: str
    profile: str
    outcomes: tuple[RecordOutcome, ...]
    findings: tuple[Finding, ...] = ()
    started_at: str = ""
    finished_at: str = ""

    def count(self, status: Status) -> int:
        """How many records ended with *status*."""
        return sum(1 for r in self.outcomes if r.status == status)

    @property
    def records(self) -> int:
        """How many records were read (as :attr:`ValidationResult.records`)."""
        return len(self.outcomes)

    @property
    def started(self) -> str:
        """The old name of :attr:`started_at` (read-only, kept for scripts)."""
        return self.started_at

    @property
    def finished(self) -> str:
        """The old name of :attr:`finished_at` (read-only, kept for scripts)."""
        return self.finished_at

    @property
    def ok(self) -> bool:
        """True when every record was packaged (or kept) and all input could be read."""
        return self.count("refused") == 0 and not has_errors(self.findings)

    def to_dict(self) -> IngestReport:
        """What ``preserve ingest --format json`` prints (and ``ingest-report.json`` holds)."""
        return to_report(self)


class RecordEntry(TypedDict):
    """One record in the JSON report."""

    key: str
    record: str
    status: Status
    bag: str | None
    archive: str | None
    input_digest: str | None
    payload: dict[str, int]
    findings: list[JSONObject]


class IngestReport(TypedDict):
    """The shape of ``ingest-report.json`` and of ``--format json``."""

    version: int
    ok: bool
    tool: dict[str, str]
    source: str
    deposit: str
    profile: str
    started_at: str
    finished_at: str
    summary: dict[str, int]
    records: list[RecordEntry]
    findings: list[JSONObject]


def to_report(result: IngestResult) -> IngestReport:
    """The JSON report of *result*."""
    return {
        "version": REPORT_VERSION,
        "ok": result.ok,
        "tool": {"name": "preserve", "version": __version__},
        "source": result.source,
        "deposit": result.deposit,
        "profile": result.profile,
        "started_at": result.started_at,
        "finished_at": result.finished_at,
        "summary": {
            "records": result.records,
            "packaged": result.count("packaged"),
            "unchanged": result.count("unchanged"),
            "refused": result.count("refused"),
        },
        "records": [
            {
                "key": r.key,
                "record": r.label,
                "status": r.status,
                "bag": r.bag,
                "archive": r.archive,
                "input_digest": r.input_digest,
                "payload": {"files": r.files, "bytes": r.size},
                "findings": [f.to_dict() for f in r.findings],
            }
            for r in result.outcomes
        ],
        "findings": [f.to_dict() for f in result.findings],
    }


def write_report(deposit: Path, report: IngestReport) -> Path:
    """Write *report* to ``deposit/ingest-report.json`` atomically; return its path."""
    target = deposit / REPORT_NAME
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    with atomic_writer(target) as f:
        # backslashreplace: an undecodable file name (a lone surrogate) is written as a
        # \udcXX JSON escape, which reads back as the same string.
        f.write(text.encode("utf-8", errors="backslashreplace"))
    return target


def previous_digests(deposit: Path) -> dict[str, str]:
    """Bag name → input digest from an earlier run's report ({} when there is none).

    A missing, unreadable or foreign report is not an error: every record is then
    compared with its bag's own record of its input (bag-info).
    """
    return _previous(deposit, "input_digest")


def previous_keys(deposit: Path) -> dict[str, str]:
    """Bag name → record key (its file, and ``#n``) from an earlier run's report."""
    return _previous(deposit, "key")


def _previous(deposit: Path, field: str) -> dict[str, str]:
    try:
        data: Any = json.loads((deposit / REPORT_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != REPORT_VERSION:
        return {}
    out: dict[str, str] = {}
    for entry in data.get("records") or []:
        if not isinstance(entry, dict):
            continue
        bag, digest = entry.get("bag"), entry.get(field)
        kept = entry.get("status") in {"packaged", "unchanged"} or _damaged(entry)
        if kept and isinstance(bag, str) and isinstance(digest, str):
            out[bag] = digest
    return out


def _damaged(entry: dict[str, Any]) -> bool:
    """The entry names a bag built from its input that was found damaged (ING-011): the
    bag is still that input's, and is reported damaged again until it is dealt with."""
    findings = entry.get("findings")
    if not isinstance(findings, list):
        return False
    return any(isinstance(f, dict) and f.get("code") == "ING-011" for f in findings)
