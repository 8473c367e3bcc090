"""One way to show sizes and rates, everywhere: SI decimal units (kB, MB, GB, TB).

Decimal, not binary (GiB), because storage is sold and ``df -H``, Bag-Size and the
progress bars all count that way; one system means a bar's ``1.6 GB`` and a summary's
figure for the same bytes read the same.
"""

from __future__ import annotations

__all__ = ["human_rate", "human_size"]

_UNITS = ("B", "kB", "MB", "GB", "TB", "PB")


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
