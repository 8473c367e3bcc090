"""Big JSON Lines files checked in worker processes give exactly the one-process result."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest

from preserve.records.validate import loaders, parallel
from preserve.records.validate.validation import ValidationResult, validate

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "records"
BASE: dict[str, Any] = json.loads((FIXTURES / "valid" / "clean_record.json").read_text())


def _record(i: int, rng: random.Random) -> dict[str, Any]:
    """Record *i* of one delo, in order, now and then with a defect a rule reports."""
    record = copy.deepcopy(BASE)
    ref = record["archive_reference"]
    leaf = 1 + 3 * i
    ref["leaves"] = [{"first": leaf, "last": leaf + 2}]
    ref["citation"] = (
        f"{ref['repository']}, f. {ref['fond']}, op. {ref['opis']}, p. {ref['papka']}, "
        f"d. {ref['delo']}, ll. {leaf}-{leaf + 2}"
    )
    record["source"] = {"url": f"https://a.example/document/{500 + i}", "record_id": str(500 + i)}
    record["title"] = f"{record['title']} ({i})"
    record["outgoing_number"] = str(100 + i)
    roll = rng.random()
    if roll < 0.05:
        record["copy_number"] = "1"  # schema
    elif roll < 0.10:
        del record["rights"]  # per-record rule
    elif roll < 0.15:
        record["source"]["record_id"] = "501"  # duplicate record id (and REC-040)
    elif roll < 0.20:
        ref["leaves"] = [{"first": 4, "last": 5}]  # overlaps record 1, citation differs
    elif roll < 0.25:
        record["outgoing_number"] = "7"  # a lower number at a later date
        record["dates"]["document_date"] = "1961-03-28"
    elif roll < 0.28:
        del ref["citation"]
        del record["source"]  # labelled by position: "#n"
    return record


def _lines(count: int) -> list[str]:
    rng = random.Random(1963)
    lines = []
    for i in range(count):
        roll = rng.random()
        if roll < 0.03:
            lines.append("")  # blank: no position
        elif roll < 0.05:
            lines.append('{"title": ')  # malformed: a finding, and a position
        elif roll < 0.06:
            lines.append("[1, 2]")  # not an object
        lines.append(json.dumps(_record(i, rng), ensure_ascii=False))
    return lines


def _shown(result: ValidationResult) -> list[tuple[Any, ...]]:
    return [
        (f.code, f.severity, f.source, f.record, f.line, f.row, f.field, f.message)
        for f in result.findings
    ]


def test_workers_give_the_same_findings_in_the_same_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(_lines(400)) + "\n", encoding="utf-8")
    alone = validate([path], workers=1)
    # Small chunks, so that duplicates, overlaps and blank lines cross chunk boundaries.
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(loaders, "CHUNK_LINES", 7)
    pooled = validate([path], workers=2)
    # A small file after the big one: checked in this process, merged in its place.
    both = [path, FIXTURES / "valid" / "clean_record.json"]
    pooled_both, alone_both = validate(both, workers=2), validate(both, workers=1)
    assert {"REC-006", "REC-009", "REC-021", "REC-041", "REC-050", "REC-054", "REC-055"} <= {
        f.code for f in alone.findings
    }
    assert any(f.record and f.record.startswith("#") for f in alone.findings)
    assert pooled.records == alone.records
    assert _shown(pooled) == _shown(alone)
    assert pooled_both.records == alone_both.records == alone.records + 1
    assert _shown(pooled_both) == _shown(alone_both)


def test_workers_apply_collection_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(_lines(40)) + "\n", encoding="utf-8")
    defaults = {"rights": {"statement": "Supplied by the archive."}}
    alone = validate([path], workers=1, defaults=defaults)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(loaders, "CHUNK_LINES", 9)
    pooled = validate([path], workers=2, defaults=defaults)
    assert "REC-041" not in {f.code for f in pooled.findings}
    assert _shown(pooled) == _shown(alone)
