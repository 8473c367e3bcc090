"""``--engine verify``: preserve verify's engine, adapted, finds each fault as the audit does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from preserve.audit.adapt import VerifyChecker
from preserve.audit.check import LocalChecker
from preserve.audit.ledger import Ledger
from preserve.audit.model import BagCheck
from preserve.audit.run import run_audit
from preserve.bags.archive.write import serialize_bag
from tests.unit.audit.bags import make_test_bag, rewrite_manifests
from tests.unit.audit.conftest import SteppingClock
from tests.unit.audit.test_faults import FAULTS


def _summary(check: BagCheck) -> tuple[str, list[tuple[str, str, str, str, str]]]:
    return check.outcome, [
        (c.kind, c.path, c.moved_to, c.reason, c.last_passed_at) for c in check.changes
    ]


@pytest.mark.parametrize(("fault", "expected"), FAULTS)
def test_both_engines_agree(
    tmp_path: Path, fault: Callable[[Path], object], expected: list[tuple[str, str]]
) -> None:
    bag = make_test_bag(tmp_path, "bag")
    assert VerifyChecker()(str(bag)).outcome == "passed"
    fault(bag)
    ours, theirs = LocalChecker()(str(bag)), VerifyChecker()(str(bag))
    assert _summary(theirs) == _summary(ours)
    assert [(c.kind, c.path) for c in theirs.changes] == expected
    assert theirs.digests == ours.digests
    assert theirs.identity == ours.identity


def test_structural_problems_fail_with_their_codes(tmp_path: Path) -> None:
    bag = make_test_bag(tmp_path, "bag")
    (bag / "bagit.txt").write_text("BagIt-Version: one\nTag-File-Character-Encoding: UTF-8\n")
    rewrite_manifests(bag)
    result = VerifyChecker()(str(bag))
    assert result.outcome == "failed"
    assert "BAG-004" in result.note


def test_verify_engine_in_a_run_and_on_archives(
    tmp_path: Path, ledger: Ledger, clock: SteppingClock
) -> None:
    store = tmp_path / "store"
    make_test_bag(store, "loose")
    serialize_bag(make_test_bag(tmp_path, "packed"), store / "packed.tar", fmt="tar")
    (store / "broken.zip").write_bytes(b"PK not really")
    report = run_audit([store], ledger=ledger, clock=clock, check=VerifyChecker())
    assert {Path(b.bag).name: b.outcome for b in report.bags} == {
        "loose": "passed",
        "packed.tar": "passed",
        "broken.zip": "failed",
    }
    assert VerifyChecker()(str(tmp_path / "gone")).outcome == "inaccessible"


def test_structural_reason_is_reported_next_to_file_changes(tmp_path: Path) -> None:
    from preserve.audit.result import BagOutcome

    bag = make_test_bag(tmp_path, "bag")
    (bag / "bagit.txt").write_text("BagIt-Version: one\nTag-File-Character-Encoding: UTF-8\n")
    (bag / "data" / "a.txt").write_text("changed\n")
    check = VerifyChecker()(str(bag))
    outcome = BagOutcome(str(bag), "failed", None, None, False, check=check)
    codes = [f.code for f in outcome.findings()]
    assert "AUD-001" in codes
    assert "AUD-009" in codes
