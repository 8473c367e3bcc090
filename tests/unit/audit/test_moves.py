"""Moves kept in bag_moves before migration 5 are trusted only as far as chained checks
back them; ``Ledger.verify`` names each one that is not backed (AUD-013)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from preserve.audit.ledger import Ledger
from preserve.audit.model import BagCheck

_T2 = "2026-01-02T00:00:00Z"


def _check(ledger: Ledger, bag: str, identity: str, day: int) -> None:
    ledger.record(
        BagCheck(bag=bag, outcome="passed", identity=identity),
        checked_at=datetime(2026, 1, day, tzinfo=UTC),
        agent="test",
        preserve_version="1",
    )


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        pytest.param(("/old", "/new", "id-1", _T2), "", id="backed"),
        pytest.param(
            ("/old", "/elsewhere", "id-1", _T2),
            "has no check of /elsewhere at all",
            id="new-location-never-checked",
        ),
        pytest.param(
            ("/old", "/other", "id-1", _T2),
            "names identity id-1, which the first check of /other does not have",
            id="another-bag-at-the-new-location",
        ),
        pytest.param(
            ("/old", "/new", "id-1", "2026-01-03T00:00:00Z"),
            f"is dated 2026-01-03T00:00:00Z, after /new was first checked ({_T2})",
            id="dated-after-the-new-location-was-checked",
        ),
        pytest.param(
            ("/old", "/new", "id-1", "2025-12-31T00:00:00Z"),
            "has no check of /old with identity id-1 before 2025-12-31T00:00:00Z",
            id="dated-before-the-old-location-was-checked",
        ),
    ],
)
def test_a_move_outside_the_chain_counts_only_when_checks_back_it(
    ledger: Ledger, row: tuple[str, str, str, str], problem: str
) -> None:
    _check(ledger, "/old", "id-1", 1)
    _check(ledger, "/new", "id-1", 2)
    _check(ledger, "/other", "id-2", 2)
    db = sqlite3.connect(ledger.path)
    db.executescript("DROP TRIGGER bag_moves_closed;")
    db.execute(
        "INSERT INTO bag_moves (old_path, new_path, identity, moved_at) VALUES (?, ?, ?, ?)", row
    )
    db.commit()
    db.close()

    report = ledger.verify()

    expected = (f"bag_moves row 1 ({row[0]} -> {row[1]}) {problem}",) if problem else ()
    assert report.unbacked_moves == expected
    assert report.ok is not bool(problem)
    assert [(m.old, m.new) for m in ledger.moves()] == ([] if problem else [row[:2]])
    assert [f.code for f in report.findings] == (["AUD-013"] if problem else [])
