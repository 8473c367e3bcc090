"""The ingest report: versioned JSON, written atomically, read back for idempotence."""

from __future__ import annotations

import json
from pathlib import Path

from preserve.findings import Finding
from preserve.ingestion.report import (
    REPORT_NAME,
    IngestResult,
    RecordOutcome,
    previous_digests,
    to_report,
    write_report,
)


def _result() -> IngestResult:
    refused = Finding(code="ING-001", severity="error", message="no", record="r2")
    return IngestResult(
        source="in",
        deposit="out",
        profile="urn:p",
        outcomes=(
            RecordOutcome(key="a.txt", label="r1", status="packaged", bag="r1", input_digest="d1"),
            RecordOutcome(key="b.txt", label="r2", status="refused", bag="r2", findings=(refused,)),
            RecordOutcome(key="c.txt", label="r3", status="unchanged", bag="r3", input_digest="d3"),
        ),
    )


def test_report_shape() -> None:
    report = to_report(_result())
    assert report["version"] == 1
    assert report["summary"] == {"records": 3, "packaged": 1, "unchanged": 1, "refused": 1}
    assert [r["status"] for r in report["records"]] == ["packaged", "refused", "unchanged"]
    assert report["records"][1]["findings"][0]["code"] == "ING-001"
    assert not _result().ok


def test_written_atomically_and_read_back(tmp_path: Path) -> None:
    path = write_report(tmp_path, to_report(_result()))
    assert path == tmp_path / REPORT_NAME
    assert [p.name for p in tmp_path.iterdir()] == [REPORT_NAME]  # no temporary file left
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == 1
    assert previous_digests(tmp_path) == {"r1": "d1", "r3": "d3"}


def test_missing_or_foreign_report_means_no_history(tmp_path: Path) -> None:
    assert previous_digests(tmp_path) == {}
    (tmp_path / REPORT_NAME).write_text('{"version": 99, "records": []}', encoding="utf-8")
    assert previous_digests(tmp_path) == {}
    (tmp_path / REPORT_NAME).write_text("not json", encoding="utf-8")
    assert previous_digests(tmp_path) == {}


def test_every_ingest_and_format_code_is_documented() -> None:
    from preserve.formats.codes import FORMAT_RULES
    from preserve.ingestion.codes import INGEST_RULES
    from tests.conftest import REPO

    tutorial = (REPO / "docs" / "tutorial" / "first-ingest.md").read_text(encoding="utf-8")
    for catalog in (INGEST_RULES, FORMAT_RULES):
        for code, rule in catalog.items():
            assert f"| {code} | {rule.severity} |" in tutorial, code


def test_rules_reference_is_current() -> None:
    from preserve import rules_doc
    from tests.conftest import REPO

    path = REPO / "docs" / "reference" / "rules-ingest.md"
    assert path.read_text(encoding="utf-8") == rules_doc.render("rules-ingest.md"), (
        "docs/reference/rules-ingest.md is stale: run 'python -m preserve.rules_doc'"
    )
