"""Security markings and the levels they stand for (records.md, "Classification levels").

Soviet/Russian markings in Cyrillic or transliteration, and US markings. Handling
caveats (Особая папка / Special File, Лично / Personal, NOFORN, EXDIS) restrict
distribution but are not levels: :func:`level_of` ignores them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CAVEATS", "LEVELS", "Marking", "find_marking", "level_of"]

#: Level, then the markings that mean it (longest first within the pattern).
LEVELS: dict[str, tuple[str, ...]] = {
    "special_importance": (
        "Особой важности",
        "osoboi vazhnosti",
        "osoboy vazhnosti",
        "of special importance",
        "of special significance",
        "special importance",
    ),
    "top_secret": (
        "Совершенно секретно",
        "sovershenno sekretno",
        "Top Secret",
        "Strictly Secret",
    ),
    "secret": ("Секретно", "sekretno", "Secret"),
    "confidential": ("Confidential", "Personal and Confidential", "Конфиденциально"),
    "for_official_use": (
        "Для служебного пользования",
        "dlya sluzhebnogo pol'zovaniya",
        "dlia sluzhebnogo polzovaniia",
        "ДСП",
        "DSP",
        "For Official Use Only",
        "FOUO",
        "Limited Official Use",
    ),
    "unclassified": ("Unclassified", "Несекретно"),
}
#: Handling caveats: printed near markings, never a level.
CAVEATS = ("Особая папка", "osobaya papka", "Special File", "Лично", "Personal", "NOFORN", "EXDIS")

_ALTERNATIVES = sorted(
    ((marking, level) for level, markings in LEVELS.items() for marking in markings),
    key=lambda pair: len(pair[0]),
    reverse=True,
)
_MARKING_RE = re.compile(
    r"(?<!\w)("
    + "|".join(re.escape(m).replace(r"\ ", r"\s+") for m, _ in _ALTERNATIVES)
    + r")(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Marking:
    """A marking as printed and the level it stands for."""

    printed: str
    level: str


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


_LOOKUP = {_norm(m): level for m, level in _ALTERNATIVES}


def level_of(marking: str) -> str | None:
    """The level of a marking (``"Top Secret"`` → ``"top_secret"``), or None if unknown.

    Caveats such as "Особая папка" or "NOFORN" beside the marking are ignored;
    a caveat alone is not a level.
    """
    found = find_marking(marking)
    return found.level if found else None


def find_marking(text: str) -> Marking | None:
    """The first classification marking in *text* (a header line), or None."""
    match = _MARKING_RE.search(text)
    if match is None:
        return None
    printed = " ".join(match.group(1).split())
    return Marking(printed=printed, level=_LOOKUP[_norm(printed)])
