"""Copy and outgoing numbers: "Copy Nº 1", "Экз. № 1", "Outgoing No. 83/s", "Исх. № 0123".

The No-sign comes in many forms (``№`` U+2116, ``Nº`` with a masculine ordinal,
``N°`` with a degree sign, ``No.``, ``N.``, ``Nr.``, ``#``). A letter O (Latin ``O``/
``o`` or Cyrillic ``О``/``о``) typed for a zero is reported as a problem and kept as
printed: preserve never silently turns a letter into a digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "NO_SIGN",
    "NumberLabel",
    "find_number_labels",
    "normalize_no_sign",
    "parse_number_label",
]

NumberKind = Literal["copy", "outgoing"]

#: Every No-sign variant, as a regular expression (longest first).
NO_SIGN = r"(?:№|N\s?º|N\s?°|N\s?o\.|No(?![A-Za-z])|N\.|Nr\.?|#)"
_O_LETTERS = "OoОо"
_NUMBER = rf"(?=[0-9{_O_LETTERS}]*[0-9])[0-9{_O_LETTERS}]+(?:[/-][0-9A-Za-zА-Яа-яЁё]+)?(?![\w])"
_LABELS: dict[NumberKind, str] = {
    "copy": r"(?:Copy|Экз(?:емпляр)?\.?|Ekz\.?)",
    "outgoing": r"(?:Outgoing|Исх(?:одящий)?\.?|Iskh\.?)",
}
_LABEL_RE = {
    kind: re.compile(
        rf"(?<!\w)(?P<label>{label})\s*(?:{NO_SIGN}\s*:?\s*)?(?P<number>{_NUMBER})", re.IGNORECASE
    )
    for kind, label in _LABELS.items()
}
_NO_SIGN_RE = re.compile(NO_SIGN)


@dataclass(frozen=True, slots=True)
class NumberLabel:
    """A labelled number as printed, and what it reads as.

    :param kind: ``"copy"`` or ``"outgoing"``.
    :param printed: the label as printed, e.g. ``"Copy Nº 1"``.
    :param number: the number as printed after the No-sign, e.g. ``"1"``, ``"83/s"``, ``"1O5"``.
    :param problem: ``"letter_o"`` when a letter O stands where a digit should be, else None.
    """

    kind: NumberKind
    printed: str
    number: str
    problem: str | None = None

    @property
    def value(self) -> int | str | None:
        """The copy number as int, the outgoing number as string; None if unreadable.

        An outgoing number with a letter O is returned as printed (validation
        reports it); a copy number with one has no integer value.
        """
        if self.kind == "outgoing":
            return self.number
        if self.problem is not None or not self.number.isdigit():
            return None
        return int(self.number)


def normalize_no_sign(text: str) -> str:
    """Replace every No-sign variant with ``No.`` (``"Copy № 1"`` → ``"Copy No. 1"``)."""
    return _NO_SIGN_RE.sub("No.", text)


def parse_number_label(text: str, kind: NumberKind | None = None) -> NumberLabel | None:
    """Read one labelled number such as ``"Outgoing № 83"`` or ``"Экз. № 1"``.

    :param text: the label and its number (other text around it is ignored).
    :param kind: look only for this kind; by default the first label found.
    :returns: the label, or None when there is none.
    """
    kinds: tuple[NumberKind, ...] = (kind,) if kind else ("copy", "outgoing")
    found = [label for k in kinds if (label := _search(text, k)) is not None]
    return min(found, key=lambda label: text.find(label.printed)) if found else None


def find_number_labels(text: str) -> dict[NumberKind, NumberLabel]:
    """The first copy and the first outgoing number in *text*, by kind."""
    out: dict[NumberKind, NumberLabel] = {}
    for kind in _LABELS:
        label = _search(text, kind)
        if label is not None:
            out[kind] = label
    return out


def _search(text: str, kind: NumberKind) -> NumberLabel | None:
    match = _LABEL_RE[kind].search(text)
    if match is None:
        return None
    number = match.group("number")
    main = re.split(r"[/-]", number, maxsplit=1)[0]
    problem = "letter_o" if any(c in _O_LETTERS for c in main) else None
    return NumberLabel(kind=kind, printed=match.group(0), number=number, problem=problem)
