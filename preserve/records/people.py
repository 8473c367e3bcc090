"""People named in a record: the author, translators, and who obtained it.

Names are kept as printed, except that all-capital surnames are written in
title case ("A. I. ALEKSEYEV" → "A. I. Alekseyev") and run-together initials
are spaced ("A.I." → "A. I."), so one person reads the same in every record.
"""

from __future__ import annotations

import re

__all__ = ["author_from_title", "find_contributors", "is_person_name", "normalize_name"]

_UPPER = "A-ZА-ЯЁÀ-ÖØ-ÞĀĂĄĆČĎĐĘĚŁŃŇŐŘŚŠŤŮŰŹŻŽ"
_LOWER = "a-zа-яёß-öø-ÿāăąćčďđęěłńňőřśšťůűźżž"
_INITIAL = rf"[{_UPPER}]\."
_WORD = rf"[{_UPPER}][{_UPPER}{_LOWER}'’\-]*[{_UPPER}{_LOWER}]"
_PARTICLE = r"(?:van|von|de|der|da|del|la|le)"
_NAME = rf"(?:{_INITIAL}\s*)*{_WORD}(?:\s+(?:{_INITIAL}|{_WORD}|{_PARTICLE}))*"
_NAMES = rf"{_NAME}(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*){_NAME})*"
_PERSON_RE = re.compile(rf"(?:{_INITIAL}\s*)+{_WORD}|{_WORD}\s+(?:{_INITIAL}\s*)*{_WORD}")
_OBTAINED_RE = re.compile(rf"\b(?i:obtained\s+(?:for\s+\S+\s+)?by)\s+(?P<names>{_NAMES})")
_TRANSLATED_RE = re.compile(
    rf"\b(?i:(?:translated(?:\s+and\s+\w+)?|translation)\s+(?:from\s+\w+\s+)?(?:into\s+\w+\s+)?"
    rf"(?:for\s+\S+\s+)?by)"
    rf"\s+(?P<names>{_NAMES})"
)
_SPLIT_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|&)\s*")
_TITLE_AUTHOR_RE = re.compile(
    rf"\b(?i:from\s+the\s+(?:journal|diary|notes)\s+of)\s+(?P<name>(?:{_INITIAL}\s*){{1,3}}{_WORD})"
)


def normalize_name(name: str) -> str:
    """Space initials, title-case capitals: ``"A.I. ALEKSEYEV"`` → ``"A. I. Alekseyev"``."""
    name = re.sub(rf"({_INITIAL})(?=[{_UPPER}])", r"\1 ", " ".join(name.split()))
    words = [
        "-".join(p.capitalize() for p in w.split("-")) if len(w) > 2 and w.isupper() else w
        for w in name.split(" ")
    ]
    return " ".join(words)


def is_person_name(text: str) -> bool:
    """True when *text* is just a name such as ``"A. I. ALEKSEYEV"`` or ``"Gary Goldberg"``."""
    return _PERSON_RE.fullmatch(text.strip()) is not None


def author_from_title(title: str) -> str | None:
    """The diarist of a "From the Journal of A.I. Alekseyev, ..." title, or None."""
    match = _TITLE_AUTHOR_RE.search(title)
    return normalize_name(match.group("name")) if match else None


def find_contributors(text: str) -> tuple[list[str], list[str]]:
    """``(obtained_by, translators)`` from a credit such as
    "Obtained by James G. Hershberg and translated by Gary Goldberg."
    """
    return _names(_OBTAINED_RE, text), _names(_TRANSLATED_RE, text)


def _names(pattern: re.Pattern[str], text: str) -> list[str]:
    match = pattern.search(text)
    if match is None:
        return []
    names = match.group("names").rstrip(".")
    return [_credited(n) for n in _SPLIT_RE.split(names) if n]


def _credited(name: str) -> str:
    """A credited name; one word in capitals is an organisation's acronym (NHK), kept."""
    return name if re.fullmatch(rf"[{_UPPER}]{{2,8}}", name) else normalize_name(name)
