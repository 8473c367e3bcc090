"""The clean-record fast path of validation never hides or changes a finding."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings

from preserve.findings import Finding
from preserve.records.validate.check import check_one
from preserve.records.validate.codes import CATALOG
from preserve.records.validate.items import Loaded
from preserve.records.validate.schema import record_schema
from preserve.records.validate.semantic import CHECKS
from tests.unit.records.validate.test_validate_rules import _MUTATIONS, with_


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_MUTATIONS)
def test_fast_path_gives_every_finding(changes: dict[str, Any]) -> None:
    record = with_(**changes)
    for key in ("copy_number", "translators"):
        if record.get(key) in (None, []):
            record.pop(key, None)
    schema = record_schema()
    checked = check_one(schema, record, Loaded(record, "batch.jsonl", 3, line=5))
    assert checked.seen is not None
    location = checked.seen.location()
    # The slow path, every rule run unconditionally (no quick pass).
    expected = schema.findings(record, **location)
    expected += [
        f
        for check in CHECKS
        for f in (_finding(code, field, values, location) for code, field, values in check(record))
    ]
    assert checked.found == expected


def _finding(code: str, field: str, values: dict[str, Any], location: dict[str, Any]) -> Finding:
    return CATALOG.finding(code, field=field, **values, **location)
