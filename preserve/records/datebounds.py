"""Date bounds for comparing the dates of a record (ISO 8601 and EDTF).

A date of reduced precision covers a span: ``1963-04`` runs from ``1963-04-01`` to
``1963-04-31`` (an upper bound that sorts after every real day of the month). Bounds
are ``YYYY-MM-DD`` strings, which compare correctly as strings. Checks use the
widest reading so that they only report a conflict that every reading shares.

The schema's patterns check the form of a date, not that its day exists:
:func:`date_problem` finds a 30 February, :func:`reversed_interval` an interval that
ends before it starts.
"""

from __future__ import annotations

import calendar
import re

_ISO = re.compile(r"^([0-9]{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12][0-9]|3[01]))?)?$")
_EDTF_DATE = (
    r"(?:[0-9]{4}|[0-9]{3}X|[0-9]{2}XX)"
    r"(?:-(?:0[1-9]|1[0-2]|XX)(?:-(?:0[1-9]|[12][0-9]|3[01]|XX))?|-2[1-4])?[?~%]?"
)
_EDTF = re.compile(
    rf"(?:{_EDTF_DATE}|{_EDTF_DATE}/{_EDTF_DATE}|{_EDTF_DATE}/(?:\.\.)?|(?:\.\.)?/{_EDTF_DATE})"
)
Bounds = tuple[str, str]
_DAYS_IN = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # February: in a leap year
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip


def iso_bounds(value: str) -> Bounds | None:
    """Earliest and latest day of an ISO 8601 date of any precision, or None."""
    m = _ISO.match(value)
    if m is None:
        return None
    year, month, day = m.groups()
    if day:
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        return f"{year}-{month}-01", f"{year}-{month}-31"
    return f"{year}-01-01", f"{year}-12-31"


def _edtf_date_bounds(value: str) -> Bounds | None:
    value = value.rstrip("?~%")
    if not value or value == "..":
        return None
    parts = value.split("-")
    year = parts[0]
    low_year, high_year = year.replace("X", "0"), year.replace("X", "9")
    if len(parts) == 1:
        return f"{low_year}-01-01", f"{high_year}-12-31"
    month = parts[1]
    if month == "XX" or int(month) > 12:  # unspecified month, or a season (21-24)
        return f"{low_year}-01-01", f"{high_year}-12-31"
    if len(parts) == 2 or parts[2] == "XX":
        return f"{low_year}-{month}-01", f"{high_year}-{month}-31"
    return f"{low_year}-{month}-{parts[2]}", f"{high_year}-{month}-{parts[2]}"


def is_edtf(value: str) -> bool:
    """True for an EDTF level 0/1 date or interval (the schema's pattern)."""
    return _EDTF.fullmatch(value) is not None


def edtf_bounds(value: str) -> tuple[Bounds | None, Bounds | None]:
    """Bounds of the start and of the end of an EDTF date or interval.

    For a single date both are the same; an open or unknown end is None, and so
    is everything for a value that is not EDTF (:func:`is_edtf`).
    """
    if not is_edtf(value):
        return None, None
    if "/" in value:
        start, _, end = value.partition("/")
        return _edtf_date_bounds(start), _edtf_date_bounds(end)
    one = _edtf_date_bounds(value)
    return one, one


def date_problem(value: str) -> str | None:
    """Why a full ISO 8601 or EDTF date names no real day (``1962-02-30``), else None.

    Only a date with a known month and day can fail; an unknown year (``196X``) holds
    a leap year, so 29 February is possible in it. An interval's ends are checked
    one by one (``a/b``: call this on ``a`` and on ``b``).
    """
    parts = value.rstrip("?~%").split("-")
    if len(parts) != 3 or not (parts[1].isdigit() and parts[2].isdigit()):
        return None
    year, month, day = parts[0], int(parts[1]), int(parts[2])
    if not 1 <= month <= 12:
        return None  # not a date (the schema's pattern reports it)
    most = _DAYS_IN[month - 1]
    if month == 2 and year.isdigit() and not calendar.isleap(int(year)):
        most = 28
    if 1 <= day <= most:
        return None
    if year.isdigit():
        return f"{_MONTH_NAMES[month - 1]} {year} has {most} days"
    return f"{_MONTH_NAMES[month - 1]} has at most {most} days"


def reversed_interval(value: str) -> bool:
    """True for an EDTF interval whose end lies wholly before its start.

    Reduced precision counts at its widest (``1962-03/1962-03-15`` is not reversed).
    """
    if "/" not in value or not is_edtf(value):
        return False
    start, _, end = value.partition("/")
    first, last = _edtf_date_bounds(start), _edtf_date_bounds(end)
    return first is not None and last is not None and first[0] > last[1]
