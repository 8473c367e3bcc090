"""Prepare records for packaging: defaults, validation of the whole batch, names.

Validation runs once over every record, so the cross-record rules (duplicates,
overlapping leaves, number order) see the batch. Each record is validated under its own
key as ``source``, so its findings can be handed back to it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from preserve._types import StrPath
from preserve.bags.tagfiles import read_bag_info
from preserve.errors import BagError
from preserve.findings import Finding
from preserve.ingestion.layout import RecordInput
from preserve.ingestion.slug import bag_name
from preserve.records.validate.check import record_label
from preserve.records.validate.validation import validate_records

INPUT_DIGEST_LABEL = "Preserve-Input-Digest"


@dataclass(frozen=True, slots=True)
class Prepared:
    """A record ready to be packaged (or refused).

    :param input: the record as found in SOURCE.
    :param record: its JSON data with collection defaults applied.
    :param label: how findings name it.
    :param bag: its bag's name in the deposit.
    :param findings: its validation findings.
    :param legacy_bag: the name preserve gave its bag before Cyrillic and dashes were
        kept in names (equal to *bag* for most records); a deposit made then keeps it.
    """

    input: RecordInput
    record: dict[str, Any]
    label: str
    bag: str
    findings: tuple[Finding, ...]
    legacy_bag: str = ""


@dataclass(frozen=True, slots=True)
class PreparedBatch:
    """The prepared records, and validation findings that name no single record."""

    items: tuple[Prepared, ...]
    unplaced: tuple[Finding, ...]


def prepare(
    records: Sequence[RecordInput], *, defaults: StrPath | Mapping[str, Any] | None
) -> PreparedBatch:
    """Apply *defaults*, validate all *records* together and name their bags."""
    filled = [_apply(r.record, defaults) for r in records]
    loaded = [
        r.loaded._replace(record=record, source=r.key)
        for r, record in zip(records, filled, strict=True)
    ]
    result = validate_records(loaded)
    by_key: dict[str, list[Finding]] = {r.key: [] for r in records}
    unplaced: list[Finding] = []
    for finding in result.findings:
        if finding.source in by_key:
            by_key[finding.source].append(finding)
        else:
            unplaced.append(finding)
    items = []
    for position, (rec, record) in enumerate(zip(records, filled, strict=True), start=1):
        items.append(
            Prepared(
                input=rec,
                record=record if isinstance(record, dict) else {},
                label=record_label(record, position),
                bag=_bag_name(rec, record),
                findings=(*rec.extraction_findings, *by_key[rec.key], *rec.payload_findings),
                legacy_bag=_bag_name(rec, record, legacy=True),
            )
        )
    return PreparedBatch(items=tuple(items), unplaced=tuple(unplaced))


def _apply(record: Any, defaults: StrPath | Mapping[str, Any] | None) -> Any:
    if defaults is None or not isinstance(record, dict):
        return record
    from preserve.records.defaults import apply_defaults, load_defaults

    values = defaults if isinstance(defaults, Mapping) else load_defaults(defaults)
    return apply_defaults(record, values)


def _bag_name(rec: RecordInput, record: Any, *, legacy: bool = False) -> str:
    citation = record_id = None
    if isinstance(record, dict):
        ref, src = record.get("archive_reference"), record.get("source")
        if isinstance(ref, dict) and isinstance(ref.get("citation"), str):
            citation = ref["citation"]
        if isinstance(src, dict) and isinstance(src.get("record_id"), str):
            record_id = "record-" + src["record_id"]
    return bag_name(citation, record_id, rec.stem, key=rec.key, legacy=legacy)


def stored_digest(bag: Path) -> str | None:
    """The input digest a bag recorded in its bag-info.txt (None if absent or unreadable)."""
    try:
        entries, _ = read_bag_info(bag / "bag-info.txt")
    except (OSError, BagError, ValueError):
        return None
    label = INPUT_DIGEST_LABEL.lower()
    values = [e.value for e in entries if e.label.lower() == label]
    return values[0] if len(values) == 1 else None
