"""Which bags to check tonight: oldest check first, within a budget, with a coverage guarantee.

Bags never checked come first, then the rest by the time of their last check. A bytes
budget is spent in that order and stops at the first bag that does not fit (skipping
ahead to smaller bags would starve the large one); the first bag of a run always runs,
so a bag larger than the whole budget is still reached. A time budget is enforced
while running (:mod:`preserve.audit.run`). Because every run takes the bags that
waited longest, repeated runs cycle through the whole collection: if each run covers at
least ``size / runs_per_max_age + largest bag`` bytes, every bag is checked within
``max_age``. :func:`coverage_warning` says, with the numbers, when that cannot hold.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from preserve.audit.discover import FoundBag
from preserve.errors import UsageError
from preserve.units import human_size


@dataclass(frozen=True, slots=True)
class Budget:
    """How much one run may do: seconds of checking, bytes read, or both (None = no limit).

    :raises UsageError: *seconds* is not a positive number, or *bytes* not a positive
        whole number (``"10s"`` and ``"500G"`` are command-line spellings: give 10 and
        500_000_000_000).
    """

    seconds: float | None = None
    bytes: int | None = None

    def __post_init__(self) -> None:
        if self.seconds is not None and not _positive(self.seconds, (int, float)):
            msg = f"Budget seconds is {self.seconds!r}; it takes a positive number of seconds"
            raise UsageError(msg)
        if self.bytes is not None and not _positive(self.bytes, (int,)):
            msg = f"Budget bytes is {self.bytes!r}; it takes a positive whole number of bytes"
            raise UsageError(msg)


def _positive(value: object, kinds: tuple[type[int] | type[float], ...]) -> bool:
    return isinstance(value, kinds) and not isinstance(value, bool) and float(value) > 0


@dataclass(frozen=True, slots=True)
class Plan:
    """The bags to check, in order, and those left for a later run.

    :param order: bags to check, scheduled ones first (oldest check first), then sampled ones.
    :param sampled: paths of the bags added by ``--sample``.
    :param deferred: bags the bytes budget leaves for a later run (``not run``).
    """

    order: tuple[FoundBag, ...]
    sampled: frozenset[str]
    deferred: tuple[FoundBag, ...]


def plan(
    bags: Sequence[FoundBag],
    last_checked: Mapping[str, str],
    *,
    budget: Budget = Budget(),
    sample: int = 0,
    seed: int | None = None,
) -> Plan:
    """Order *bags* oldest-check-first and cut the list at the bytes budget.

    :param last_checked: UTC ISO 8601 time of each bag's last check, by path.
    :param sample: how many random bags to add from those the budget left out.
    """
    queue = sorted(
        bags, key=lambda b: (b.path in last_checked, last_checked.get(b.path, ""), b.path)
    )
    chosen: list[FoundBag] = []
    spent = 0
    for index, bag in enumerate(queue):
        if budget.bytes is not None and index > 0 and spent + bag.size > budget.bytes:
            break
        chosen.append(bag)
        spent += bag.size
    rest = queue[len(chosen) :]
    picked = random.Random(seed).sample(rest, min(sample, len(rest))) if sample > 0 else []  # noqa: S311 - sampling, not security
    picked.sort(key=lambda b: b.path)
    names = {b.path for b in picked}
    return Plan(
        order=(*chosen, *picked),
        sampled=frozenset(names),
        deferred=tuple(b for b in rest if b.path not in names),
    )


def is_overdue(last: str | None, now: datetime, max_age: timedelta) -> bool:
    """True when a bag was never checked or its last check is older than *max_age*."""
    if last is None:
        return True
    return now - datetime.fromisoformat(last.replace("Z", "+00:00")) > max_age


def coverage_warning(
    bags: Sequence[FoundBag],
    *,
    budget: Budget,
    max_age: timedelta,
    run_interval: timedelta = timedelta(days=1),
    throughput: float | None = None,
) -> str | None:
    """Say, with the numbers, when runs with *budget* cannot cover *bags* within *max_age*.

    :param throughput: bytes per second seen so far (turns a time budget into bytes).
    """
    per_run = _bytes_per_run(budget, throughput)
    if per_run is None or not bags:
        return None
    total = sum(b.size for b in bags)
    largest = max(b.size for b in bags)
    runs = max(1, int(max_age / run_interval))
    # Oldest-first stops at the first bag that does not fit: up to one bag's worth of
    # budget can go unused per run, so count on per_run - largest at worst.
    usable = max(per_run - largest, 0)
    if usable * runs >= total:
        return None
    return (
        f"{len(bags)} bags hold {human_size(total)} (largest {human_size(largest)}); a budget of "
        f"{human_size(per_run)} per run over {runs} runs in {max_age.days} days covers at most "
        f"{human_size(usable * runs)} for certain, so some bags will go unchecked for longer "
        f"than the maximum age (needed per run: {human_size(-(-total // runs) + largest)})"
    )


def _bytes_per_run(budget: Budget, throughput: float | None) -> int | None:
    limits = []
    if budget.bytes is not None:
        limits.append(budget.bytes)
    if budget.seconds is not None and throughput:
        limits.append(int(budget.seconds * throughput))
    return min(limits) if limits else None
