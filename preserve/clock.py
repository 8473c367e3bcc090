"""The clock as an injected collaborator, so timestamps are deterministic in tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
"""A function returning the current time as an aware datetime."""


def utc_now() -> datetime:
    """The current time in UTC (the default clock)."""
    return datetime.now(UTC)


def isoformat_z(moment: datetime) -> str:
    """``2026-01-02T03:04:05Z``: UTC ISO 8601 with a Z, seconds precision."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
