"""The fixture corpus: each invalid file is caught by exactly the rule its name gives.

tests/fixtures/records/invalid/REC-nnn_<what>.<ext> holds one case per file (a batch
of two records for the cross-record rules); valid/ holds records with no findings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import preserve
from preserve.records.validate.codes import CATALOG

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "records"
INVALID = sorted((FIXTURES / "invalid").iterdir())
VALID = sorted((FIXTURES / "valid").iterdir())


@pytest.mark.parametrize("path", INVALID, ids=[p.name for p in INVALID])
def test_invalid_fixture_is_caught_by_its_rule(path: Path) -> None:
    code = path.name.split("_", 1)[0]
    result = preserve.validate([path])
    assert {f.code for f in result.findings} == {code}
    for finding in result.findings:
        assert finding.source == str(path)
        assert finding.severity == CATALOG[code].severity
        assert finding.message  # every message says what to do (wording is not asserted)
    assert result.ok is (CATALOG[code].severity == "warning")


@pytest.mark.parametrize("path", VALID, ids=[p.name for p in VALID])
def test_valid_fixture_has_no_findings(path: Path) -> None:
    result = preserve.validate([path])
    assert result.records >= 1
    assert result.findings == ()
    assert result.ok


def test_every_rule_that_a_file_can_show_has_a_fixture() -> None:
    covered = {p.name.split("_", 1)[0] for p in INVALID}
    # REC-001 (unreadable), REC-010 (too large), REC-013 (extraction) and REC-014
    # (symlink), REC-060 (unreadable folder) and REC-061 (nothing to check) need the file
    # system or a document: tests in test_validate_loaders.py and tests/e2e; REC-062 (a
    # file given twice) needs two paths: tests/cli/test_validate.py.
    uncovered = {"REC-001", "REC-010", "REC-013", "REC-014", "REC-060", "REC-061", "REC-062"}
    assert set(CATALOG) - covered == uncovered


def test_findings_point_at_fields() -> None:
    result = preserve.validate([FIXTURES / "invalid" / "REC-032_citation_disagrees.json"])
    (finding,) = result.findings
    assert finding.field == "/archive_reference/delo"
    assert finding.record == "AVP RF, f. 0200, op. 7, p. 31, d. 12, ll. 40-42"
