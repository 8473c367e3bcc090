"""Russian archival citations: "AVP RF, f. 0104, op. 19, p. 124, d. 3, ll. 97-99".

A citation names the archive (repository), then f. (fond, record group), op.
(opis, inventory), p. (papka, folder; AVP RF uses it), d. (delo, file) and l./ll.
(list/listy, leaf or leaves), with "ob." (oborot) for a verso. The Russian form
"Ф. 0104. Оп. 19. П. 124. Д. 3. Л. 97–99" reads the same. Every part but the
leaves is kept as a string, because "0104" is not "104".

What is parsed:

- English labels ``f. op. p. d. l. ll.`` and Russian ``Ф. Оп. П. Д. Л. Лл.``, any case,
  parts separated by commas, full stops or semicolons;
- leaves as one or more ranges ``5-7, 9``, with hyphen, en dash, em dash or minus,
  each optionally followed by ``ob.``/``об.`` (verso); a reversed range ``12-9`` is
  kept as printed, for validation to report;
- any repository text before the fond (``AVP RF``, ``RGANI``, ``GARF``, ``RGASPI``,
  ``АВП РФ``), or none.

What cannot be parsed (:func:`parse_citation` returns None): a citation without
a fond, parts out of order or repeated (``d. 3, f. 5``), text after the leaves,
leaves that are not numbers (``ll. 5a``, ``ll. IV``), a verso inside a range
(``ll. 5 ob.-7``), and other archival systems (US NARA "RG 59, Box 3").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "LeafRange",
    "ParsedCitation",
    "format_citation",
    "parse_citation",
    "search_citation",
]


@dataclass(frozen=True, slots=True)
class LeafRange:
    """Leaves ``first`` to ``last`` (equal for one leaf); ``verso`` for "ob."."""

    first: int
    last: int
    verso: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The range as a record holds it (``verso`` only when true)."""
        out: dict[str, Any] = {"first": self.first, "last": self.last}
        if self.verso:
            out["verso"] = True
        return out


@dataclass(frozen=True, slots=True)
class ParsedCitation:
    """A citation and its parts. Absent parts are None; ``leaves`` may be empty.

    :param citation: the citation as printed (whitespace collapsed, no final full stop).
    """

    citation: str
    repository: str | None = None
    fond: str | None = None
    opis: str | None = None
    papka: str | None = None
    delo: str | None = None
    leaves: tuple[LeafRange, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """The ``/archive_reference`` object of a record (absent parts left out)."""
        out: dict[str, Any] = {"citation": self.citation}
        for key in ("repository", "fond", "opis", "papka", "delo"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.leaves:
            out["leaves"] = [leaf.to_dict() for leaf in self.leaves]
        return out


PART_LABELS: dict[str, str] = {
    # The abbreviated part labels of a Russian archive citation (Latin and Cyrillic).
    "f": "fond",
    "ф": "fond",
    "op": "opis",
    "оп": "opis",
    "p": "papka",
    "п": "papka",
    "d": "delo",
    "д": "delo",
    "l": "leaves",
    "ll": "leaves",
    "л": "leaves",
    "лл": "leaves",
}
_ORDER = ("fond", "opis", "papka", "delo", "leaves")
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
_RANGE = rf"(\d+)(?:\s*[{_DASHES}]\s*(\d+))?(\s*(?:ob|об)\.?)?"
_RANGE_RE = re.compile(_RANGE, re.IGNORECASE)
_LEAVES_RE = re.compile(rf"{_RANGE}(?:\s*,\s*{_RANGE})*(?![\w\-–—])", re.IGNORECASE)
_LABEL_RE = re.compile(r"(?<!\w)(ll|лл|op|оп|f|ф|p|п|d|д|l|л)\.\s*", re.IGNORECASE)
_FOND_RE = re.compile(r"(?<!\w)(?:f|ф)\.\s*(?=\S)", re.IGNORECASE)
_VALUE_RE = re.compile(r"[^\s,.;]+")
_SEPARATOR_RE = re.compile(r"\s*[,.;]?\s*")
_MAX_CANDIDATES = 50
_VERSO_END_RE = re.compile(r"(?:ob|об)\.$", re.IGNORECASE)
# An archive's abbreviation: words that start and end with a capital (AVP RF, TsAMO, АВП РФ).
_REPOSITORY_BEFORE_RE = re.compile(
    r"([A-ZА-ЯЁ](?:[A-Za-zА-Яа-яЁё]*[A-ZА-ЯЁ])?(?:\s+[A-ZА-ЯЁ](?:[A-Za-zА-Яа-яЁё]*[A-ZА-ЯЁ])?)*)"
    r"\s*[,.]?\s*$"
)


def parse_citation(text: str) -> ParsedCitation | None:
    """Parse a whole citation string into its parts.

    Everything before the fond is the repository. A final full stop is dropped
    unless it belongs to "ob.".

    :param text: e.g. ``"AVP RF, f. 0104, op. 19, p. 124, d. 3, ll. 97-99"``.
    :returns: the parts, or None when *text* is not a citation this module reads
        (see the module docstring for what cannot be parsed).
    """
    s = " ".join(text.split())
    match = _FOND_RE.search(s)
    if match is None:
        return None
    parsed = _parse_parts(s, match.start())
    if parsed is None:
        return None
    parts, end = parsed
    if s[end:].strip() not in ("", "."):
        return None
    prefix = s[: match.start()]
    if _LABEL_RE.search(prefix):
        return None  # a part before the fond: out of order
    repository = prefix.strip().rstrip(",.;").strip() or None
    return _build(s[:end], repository, parts)


def search_citation(text: str) -> ParsedCitation | None:
    """Find the first citation inside a longer text (a credit line, a footer).

    The repository is the run of capitalised abbreviations just before the fond
    (``Wilson Center Digital Archive, AVP RF, f. 0104`` gives ``AVP RF``).
    A candidate needs a fond and at least one of opis, delo or leaves.
    """
    s = " ".join(text.split())
    for tried, match in enumerate(_FOND_RE.finditer(s)):
        if tried >= _MAX_CANDIDATES:
            break  # a text with this many "f." is not a credit line; stop early
        parsed = _parse_parts(s, match.start())
        if parsed is None:
            continue
        parts, end = parsed
        if not ({"opis", "delo", "leaves"} & parts.keys()):
            continue
        before = _REPOSITORY_BEFORE_RE.search(s[: match.start()])
        repository = before.group(1) if before else None
        start = before.start(1) if before else match.start()
        return _build(s[start:end], repository, parts)
    return None


def _build(citation: str, repository: str | None, parts: dict[str, Any]) -> ParsedCitation:
    citation = citation.strip()
    if citation.endswith(".") and not _VERSO_END_RE.search(citation):
        citation = citation[:-1].rstrip()
    return ParsedCitation(
        citation=citation,
        repository=repository,
        fond=parts.get("fond"),
        opis=parts.get("opis"),
        papka=parts.get("papka"),
        delo=parts.get("delo"),
        leaves=tuple(parts.get("leaves", ())),
    )


def _parse_parts(s: str, pos: int) -> tuple[dict[str, Any], int] | None:
    """Read labelled parts in order from *pos*; return them and where they end."""
    parts: dict[str, Any] = {}
    end = pos
    while True:
        label = _LABEL_RE.match(s, pos)
        if label is None:
            break
        name = PART_LABELS[label.group(1).lower()]
        if name in parts or _ORDER.index(name) < max((_ORDER.index(k) for k in parts), default=-1):
            return None
        if name == "leaves":
            leaves = _LEAVES_RE.match(s, label.end())
            if leaves is None:
                return None
            parts[name] = _leaf_ranges(leaves.group(0))
            end = leaves.end()
        else:
            value = _VALUE_RE.match(s, label.end())
            if value is None:
                return None
            parts[name] = value.group(0)
            end = value.end()
        pos = _SEPARATOR_RE.match(s, end).end()  # type: ignore[union-attr]  # always matches
    return (parts, end) if "fond" in parts else None


def _leaf_ranges(text: str) -> list[LeafRange]:
    return [
        LeafRange(
            first=int(m.group(1)),
            last=int(m.group(2) or m.group(1)),
            verso=bool(m.group(3)),
        )
        for m in _RANGE_RE.finditer(text)
    ]


def format_citation(parts: ParsedCitation | Mapping[str, Any]) -> str:
    """The canonical English form of a citation's parts.

    ``AVP RF, f. 0104, op. 19, p. 124, d. 3, ll. 97-99``; one leaf is ``l. 88``,
    a verso ``ll. 160-162 ob.``, several ranges ``ll. 5-7, 9``. Absent parts are
    left out. :func:`parse_citation` reads the result back to the same parts.

    :param parts: a :class:`ParsedCitation` or a record's ``/archive_reference`` object.
    """
    get = parts.get if isinstance(parts, Mapping) else (lambda k: getattr(parts, k, None))
    out: list[str] = []
    if get("repository"):
        out.append(str(get("repository")))
    for key, label in (("fond", "f."), ("opis", "op."), ("papka", "p."), ("delo", "d.")):
        if get(key) is not None:
            out.append(f"{label} {get(key)}")
    leaves = _as_ranges(get("leaves") or ())
    if leaves:
        single = len(leaves) == 1 and leaves[0].first == leaves[0].last
        out.append(("l. " if single else "ll. ") + ", ".join(_format_range(r) for r in leaves))
    return ", ".join(out)


def _as_ranges(leaves: Sequence[Any]) -> list[LeafRange]:
    return [
        leaf
        if isinstance(leaf, LeafRange)
        else LeafRange(int(leaf["first"]), int(leaf["last"]), bool(leaf.get("verso", False)))
        for leaf in leaves
    ]


def _format_range(leaf: LeafRange) -> str:
    text = str(leaf.first) if leaf.first == leaf.last else f"{leaf.first}-{leaf.last}"
    return f"{text} ob." if leaf.verso else text
