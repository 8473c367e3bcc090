"""Fixtures for the audit tests: a few bags, a ledger, a clock that advances."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from preserve.audit.ledger import Ledger
from tests.unit.audit.bags import make_test_bag


class SteppingClock:
    """A clock that starts at a fixed moment and moves only when told to."""

    def __init__(self, start: datetime = datetime(2026, 1, 1, 1, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.open(tmp_path / "state" / "ledger.sqlite") as opened:
        yield opened


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A storage root with three bags."""
    root = tmp_path / "store"
    for name in ("b1", "b2", "b3"):
        make_test_bag(root / "shelf", name)
    return root
