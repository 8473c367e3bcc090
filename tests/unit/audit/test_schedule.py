"""Scheduling: oldest check first, budgets, sampling, and coverage over a simulated month."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from preserve.audit.check import check_bag
from preserve.audit.discover import FoundBag, discover
from preserve.audit.ledger import Ledger
from preserve.audit.model import BagCheck
from preserve.audit.run import AuditOptions, run_audit
from preserve.audit.schedule import Budget, coverage_warning, is_overdue, plan
from preserve.errors import UsageError
from preserve.units import parse_duration, parse_size
from tests.unit.audit.bags import make_test_bag
from tests.unit.audit.conftest import SteppingClock

BAGS = [FoundBag(f"/s/{n}", size) for n, size in (("a", 10), ("b", 20), ("c", 30), ("d", 40))]


def test_never_checked_first_then_oldest() -> None:
    last = {"/s/a": "2026-01-03T00:00:00Z", "/s/b": "2026-01-01T00:00:00Z"}
    order = [b.path for b in plan(BAGS, last).order]
    assert order == ["/s/c", "/s/d", "/s/b", "/s/a"]


def test_bytes_budget_stops_at_the_first_bag_that_does_not_fit() -> None:
    result = plan(BAGS, {}, budget=Budget(bytes=35))
    assert [b.path for b in result.order] == ["/s/a", "/s/b"]
    assert [b.path for b in result.deferred] == ["/s/c", "/s/d"]


def test_first_bag_runs_even_when_larger_than_the_budget() -> None:
    assert [b.path for b in plan(BAGS[3:], {}, budget=Budget(bytes=1)).order] == ["/s/d"]


def test_sample_adds_reproducible_random_bags() -> None:
    one = plan(BAGS, {}, budget=Budget(bytes=10), sample=2, seed=7)
    two = plan(BAGS, {}, budget=Budget(bytes=10), sample=2, seed=7)
    assert one == two
    assert len(one.order) == 3
    assert len(one.sampled) == 2
    assert one.sampled <= {"/s/b", "/s/c", "/s/d"}


def test_coverage_warning_gives_the_numbers() -> None:
    small = coverage_warning(BAGS, budget=Budget(bytes=20), max_age=timedelta(days=2))
    assert small is not None
    assert "100 B" in small
    assert coverage_warning(BAGS, budget=Budget(bytes=100), max_age=timedelta(days=2)) is None
    # A time budget is turned into bytes with the throughput seen so far.
    slow = coverage_warning(
        BAGS, budget=Budget(seconds=1), max_age=timedelta(days=2), throughput=5.0
    )
    assert slow is not None


def test_overdue() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 2, 1, tzinfo=UTC)
    assert is_overdue(None, now, timedelta(days=30))
    assert is_overdue("2026-01-01T00:00:00Z", now, timedelta(days=30))
    assert not is_overdue("2026-01-03T00:00:00Z", now, timedelta(days=30))


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("45m", 2700), ("2h", 7200), ("30d", 2592000), ("1w", 604800)],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize(
    ("text", "size"), [("500G", 500 * 10**9), ("1.5KiB", 1536), ("4096", 4096)]
)
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "0d", "-3h", "2 fortnights", "ten"])
def test_bad_durations_and_sizes(text: str) -> None:
    with pytest.raises(UsageError):
        parse_duration(text)
    with pytest.raises(UsageError):
        parse_size(text)


def test_a_month_of_nightly_runs_covers_every_bag_within_max_age(
    tmp_path: Path, ledger: Ledger, clock: SteppingClock
) -> None:
    root = tmp_path / "store"
    for n in range(12):
        make_test_bag(root, f"bag{n:02}", {f"f{i}.bin": bytes(n * 40 + i) for i in range(3)})
    bags = discover([root]).bags
    max_age = timedelta(days=5)
    # Enough for the collection over max_age runs, plus one bag of slack (see schedule.py).
    budget = -(-sum(b.size for b in bags) // 5) + max(b.size for b in bags)
    options = AuditOptions(max_age=max_age, budget=Budget(bytes=budget))
    checked_on: dict[str, list[int]] = {b.path: [] for b in bags}
    for night in range(30):
        report = run_audit([root], ledger=ledger, options=options, clock=clock)
        assert not report.warnings
        for bag in report.bags:
            if bag.outcome == "passed":
                checked_on[bag.bag].append(night)
        if night >= 5:
            assert not report.overdue, f"night {night}: {[b.bag for b in report.overdue]}"
        clock.advance(days=1)
    for path, nights in checked_on.items():
        gaps = [b - a for a, b in zip([-1, *nights], [*nights, 30], strict=True)]
        assert max(gaps) <= 5, (path, nights)
    assert ledger.verify().ok


def test_too_small_a_budget_warns(tmp_path: Path, ledger: Ledger, clock: SteppingClock) -> None:
    root = tmp_path / "store"
    for n in range(3):
        make_test_bag(root, f"bag{n}")
    options = AuditOptions(max_age=timedelta(days=1), budget=Budget(bytes=100))
    report = run_audit([root], ledger=ledger, options=options, clock=clock)
    assert report.warnings
    assert report.counts()["not_run"] == 2


def test_time_budget_stops_cleanly(tmp_path: Path, ledger: Ledger, clock: SteppingClock) -> None:
    root = tmp_path / "store"
    for n in range(4):
        make_test_bag(root, f"bag{n}")

    def slow_check(bag: str) -> BagCheck:
        clock.advance(minutes=30)
        return check_bag(Path(bag))

    options = AuditOptions(budget=Budget(seconds=3600))
    report = run_audit([root], ledger=ledger, options=options, clock=clock, check=slow_check)
    assert report.counts() == {"passed": 2, "failed": 0, "inaccessible": 0, "not_run": 2}
    # The next run resumes with the two bags not yet checked.
    report = run_audit([root], ledger=ledger, options=options, clock=clock, check=slow_check)
    assert {Path(b.bag).name for b in report.bags if b.outcome == "passed"} == {"bag2", "bag3"}


def test_a_crash_loses_at_most_the_bag_being_checked(
    tmp_path: Path, ledger: Ledger, clock: SteppingClock
) -> None:
    root = tmp_path / "store"
    for n in range(4):
        make_test_bag(root, f"bag{n}")
    seen: list[str] = []

    def crashing_check(bag: str) -> BagCheck:
        if len(seen) == 2:
            raise KeyboardInterrupt
        seen.append(bag)
        return check_bag(Path(bag))

    with pytest.raises(KeyboardInterrupt):
        run_audit([root], ledger=ledger, clock=clock, check=crashing_check)
    assert sorted(ledger.last_checks()) == sorted(seen)
    clock.advance(hours=1)
    report = run_audit(
        [root], ledger=ledger, clock=clock, options=AuditOptions(budget=Budget(bytes=1))
    )
    (resumed,) = [b.bag for b in report.bags if b.outcome == "passed"]
    assert resumed not in seen
    assert ledger.verify().ok
