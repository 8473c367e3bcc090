"""Dates as records print them, read into ISO 8601 / EDTF strings.

English ("3 April 1963", "April 3, 1963", "Sept. 3, 1963"), Russian ("1 июля 1963 г.",
any month in the genitive or nominative), numeric ("1963-04-03", "03.04.1963"),
and day ranges ("6-7 January 1963", "22 and 23 February 1963", "January 6-7, 1963",
and across months "20 February - 2 March 1962", "February 20 - March 2, 1962")
which become EDTF intervals ("1963-01-06/1963-01-07"). An impossible date
(31 April) is not a date; :func:`find_impossible_dates` finds the ones printed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["DateMatch", "find_dates", "find_impossible_dates", "is_impossible_date", "parse_date"]

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan январь января янв",
        "february feb февраль февраля фев",
        "march mar март марта",
        "april apr апрель апреля апр",
        "may май мая",
        "june jun июнь июня",
        "july jul июль июля",
        "august aug август августа авг",
        "september sept sep сентябрь сентября сент",
        "october oct октябрь октября окт",
        "november nov ноябрь ноября нояб",
        "december dec декабрь декабря дек",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH = rf"(?P<month>{_MONTH_NAMES})\.?"
_MONTH2 = rf"(?P<month2>{_MONTH_NAMES})\.?"
_DASH = r"\s*[-–—]\s*"
_JOIN = r"\s*(?:[-–—]|and|и|&)\s*"
_YEAR = r"(?P<year>1[5-9]\d\d|20\d\d)"
_RU_YEAR_SUFFIX = r"(?:\s*(?:г\.|года|гг\.))?"
_PATTERNS = [
    re.compile(
        rf"(?<![\w.])[“\"«]?(?P<d1>\d{{1,2}})[”\"»]?(?:{_JOIN}(?P<d2>\d{{1,2}}))?\s+{_MONTH},?\s+"
        rf"{_YEAR}"
        rf"{_RU_YEAR_SUFFIX}(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?<!\w){_MONTH}\s+(?P<d1>\d{{1,2}})(?:{_JOIN}(?P<d2>\d{{1,2}}))?,?\s+{_YEAR}(?!\d)",
        re.IGNORECASE,
    ),
    # Across months: "20 February - 2 March 1962", "February 20 - March 2, 1962".
    re.compile(
        rf"(?<![\w.])(?P<d1>\d{{1,2}})\s+{_MONTH}{_DASH}(?P<d2>\d{{1,2}})\s+{_MONTH2},?\s+"
        rf"{_YEAR}{_RU_YEAR_SUFFIX}(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?<!\w){_MONTH}\s+(?P<d1>\d{{1,2}}){_DASH}{_MONTH2}\s+(?P<d2>\d{{1,2}}),?\s+{_YEAR}(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(r"(?<![\w.-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<d1>\d{2})(?![\w-])"),
    re.compile(r"(?<![\w./])(?P<year>\d{4})/(?P<month>\d{2})/(?P<d1>\d{2})(?![\w/])"),
    re.compile(
        rf"(?<![\w.])(?P<d1>\d{{1,2}})\.(?P<month>\d{{1,2}})\.(?P<year>\d{{4}}){_RU_YEAR_SUFFIX}"
        r"(?![\w.]\d)"
    ),
]


# "30 and 31 сентября 1963 года" is 29 characters; no date alone on a line is longer.
_LONGEST_DATE = 64


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in a text: where, as printed, and its ISO/EDTF value."""

    start: int
    end: int
    printed: str
    value: str

    @property
    def is_interval(self) -> bool:
        """True for a day range (EDTF interval ``a/b``)."""
        return "/" in self.value


def find_dates(text: str) -> list[DateMatch]:
    """Every date in *text*, in order of appearance (overlaps resolved leftmost-longest)."""
    candidates = [
        DateMatch(m.start(), m.end(), m.group(0), value)
        for pattern in _PATTERNS
        for m in pattern.finditer(text)
        if (value := _value(m)) is not None
    ]
    return _leftmost_longest(candidates)


def find_impossible_dates(text: str) -> list[str]:
    """Dates printed in *text* that no calendar has ("31 February 1962"), as printed.

    A reader must not replace such a date by another value: it is left out and said.
    """
    found = [
        DateMatch(m.start(), m.end(), m.group(0), "")
        for pattern in _PATTERNS
        for m in pattern.finditer(text)
        if _value(m) is None
    ]
    taken = find_dates(text)
    return [
        d.printed
        for d in _leftmost_longest(found)
        if not any(t.start < d.end and d.start < t.end for t in taken)
    ]


def is_impossible_date(text: str) -> bool:
    """True when the whole of *text* is a date no calendar has ("31 February 1962")."""
    stripped = text.strip().rstrip(",;")
    if len(stripped) > _LONGEST_DATE:
        return False
    found = find_impossible_dates(stripped)
    return len(found) == 1 and found[0] in (stripped, stripped.rstrip("."))


def _leftmost_longest(candidates: list[DateMatch]) -> list[DateMatch]:
    candidates.sort(key=lambda d: (d.start, -(d.end - d.start)))
    out: list[DateMatch] = []
    for cand in candidates:
        if not out or cand.start >= out[-1].end:
            out.append(cand)
    return out


def parse_date(text: str) -> str | None:
    """Read *text* as one date or day range; None unless the whole text is a date.

    >>> parse_date("3 April 1963"), parse_date("6-7 January 1963")
    ('1963-04-03', '1963-01-06/1963-01-07')
    """
    stripped = text.strip().rstrip(",;")
    if len(stripped) > _LONGEST_DATE:
        return None
    found = find_dates(stripped)
    if len(found) == 1 and found[0].start == 0 and found[0].end >= len(stripped.rstrip(".")):
        return found[0].value
    return None


def _month(text: str) -> int:
    return int(text) if text.isdigit() else _MONTHS[text.lower().rstrip(".")]


def _value(m: re.Match[str]) -> str | None:
    month = _month(m.group("month"))
    year = int(m.group("year"))
    first = _date(year, month, int(m.group("d1")))
    groups = m.groupdict()
    d2 = groups.get("d2")
    if first is None:
        return None
    if not d2:
        return first.isoformat()
    last = _date(year, _month(groups["month2"]) if groups.get("month2") else month, int(d2))
    if last is None or last <= first:
        return None
    return f"{first.isoformat()}/{last.isoformat()}"


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
