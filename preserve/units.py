"""Sizes, rates and durations: one way to show them, one way to read them.

Sizes and rates are shown in SI decimal units (kB, MB, GB, TB).

Decimal, not binary (GiB), because storage is sold and ``df -H``, Bag-Size and the
progress bars all count that way; one system means a bar's ``1.6 GB`` and a summary's
figure for the same bytes read the same.
"""

from __future__ import annotations

import re
from datetime import timedelta

from preserve.errors import UsageError

__all__ = ["human_rate", "human_size", "parse_duration", "parse_size"]

_UNITS = ("B", "kB", "MB", "GB", "TB", "PB")

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$", re.IGNORECASE)
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?)b?\s*$", re.IGNORECASE)
_POWERS = {"": 0, "k": 1, "m": 2, "g": 3, "t": 4, "p": 5}


def human_size(octets: int) -> str:
    """``512 B``, ``1.4 MB``, ``2.1 GB`` (powers of 1000)."""
    size = float(octets)
    for unit in _UNITS:
        if size < 1000 or unit == _UNITS[-1]:
            return f"{octets} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError  # pragma: no cover - the loop always returns


def human_rate(octets_per_second: float) -> str:
    """``85.3 MB/s``, in the units of :func:`human_size`."""
    return f"{human_size(round(octets_per_second))}/s"


def parse_duration(text: str) -> timedelta:
    """``90s``, ``45m``, ``2h``, ``30d``, ``2w``.

    A bare number is refused: ``--max-age 30`` meant as days would otherwise silently be
    30 seconds (every bag overdue at once), so the unit is required.

    :raises UsageError: for anything else, or a zero duration.
    """
    match = _DURATION.match(text)
    if not match or float(match.group(1)) <= 0:
        msg = (
            f"{text!r} is not a duration; write a positive number and a unit "
            "(s, m, h, d, w): 90s, 45m, 2h, 30d"
        )
        raise UsageError(msg)
    unit = match.group(2).lower()
    return timedelta(seconds=float(match.group(1)) * _SECONDS[unit])


def parse_size(text: str) -> int:
    """``500G`` (decimal, 500·10⁹), ``1.5TiB`` (binary), ``4096`` bytes.

    :raises UsageError: for anything else, or zero.
    """
    match = _SIZE.match(text)
    if not match or float(match.group(1)) <= 0:
        msg = f"{text!r} is not a size; write a positive number and a unit: 500G, 2T, 1.5TiB"
        raise UsageError(msg)
    base = 1024 if match.group(3) else 1000
    return int(float(match.group(1)) * base ** _POWERS[match.group(2).lower()])
