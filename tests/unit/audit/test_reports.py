"""Findings for every kind of change, and the text reporter."""

from __future__ import annotations

import io
from typing import get_args

import pytest

from preserve.audit.model import CHANGE_CODES, BagCheck, ChangeKind, FileChange
from preserve.audit.result import AuditReport, BagOutcome, finding_for, overall_status
from preserve.reports.audit import TextAuditReporter


@pytest.mark.parametrize("kind", get_args(ChangeKind))
@pytest.mark.parametrize("other", ["", "data/elsewhere.txt"])
def test_every_change_kind_has_a_finding(kind: ChangeKind, other: str) -> None:
    change = FileChange(
        kind, "data/a.txt", "sha256", "aa", "bb", moved_to=other, reason=other, last_passed_at=other
    )
    finding = finding_for(change, "/bag")
    assert finding.code == CHANGE_CODES[kind]
    assert finding.path == "data/a.txt"
    assert "data/a.txt" in finding.message


def _report(*bags: BagOutcome) -> AuditReport:
    return AuditReport(
        started_at="2026-01-01T00:00:00Z",
        finished_at="2026-01-01T00:01:00Z",
        roots=("/r",),
        bags=bags,
        unreadable=(),
        warnings=("too small",),
        history=(),
        ledger_path="/l.sqlite",
        ledger_head="ab" * 32,
        max_age_days=30,
    )


def test_text_report_lists_problems_and_a_summary() -> None:
    failed = BagCheck(
        bag="/r/x", outcome="failed", changes=(FileChange("missing", "data/a.txt", "sha256", "aa"),)
    )
    blocked = BagCheck(bag="/r/y", outcome="inaccessible", note="permission denied")
    report = _report(
        BagOutcome("/r/x", "failed", "passed", "2026-01-01T00:00:00Z", False, check=failed),
        BagOutcome("/r/y", "inaccessible", None, "2026-01-01T00:00:00Z", False, check=blocked),
        BagOutcome("/r/z", "not_run", None, None, True),
    )
    out = io.StringIO()
    TextAuditReporter(out).report(report)
    text = out.getvalue()
    assert "FAILED (new) /r/x" in text
    assert "AUD-002" in text
    assert "AUD-008" in text
    assert "AUD-010" in text
    assert text.splitlines()[-1].startswith("FAILED: 0 passed, 1 failed, 1 inaccessible, 1 not run")
    assert overall_status(report) == "failed"
    quiet = io.StringIO()
    TextAuditReporter(quiet, verbosity=-1).report(report)
    # --quiet keeps the summary and the warning that needs a person (AUD-010).
    assert [line.split(":")[0] for line in quiet.getvalue().splitlines()] == [
        "warning",
        "FAILED",
    ]
