"""Archival citations: "AVP RF, f. 0104, op. 19, p. 124, d. 3, ll. 97-99".

One reader for both sides: extraction keeps what :func:`read_citation` reads, and
validation (REC-032) checks a record's parts against :func:`parse_citation`, so
every form the extractor reads is one validation accepts.

A Russian citation names the archive (repository), then f. (fond, record group),
op. (opis, inventory), p. (papka, folder; AVP RF uses it), d. (delo, file) and
l./ll. (list/listy, leaf or leaves), with "ob." (oborot) for a verso. The Russian
form "Ф. 0104. Оп. 19. П. 124. Д. 3. Л. 97–99" reads the same. Every part but the
leaves is kept as a string, because "0104" is not "104".

What is read:

- labels ``f. op. per. p. d. l. ll.``, Russian ``Ф. Оп. П. Д. Л. Лл.`` and the full
  words ``Fond Opis Papka Delo List Listy``, any case, in any order, separated by
  commas, full stops or semicolons ("per." is the opis; "dok." is not a delo);
- ``p.`` with a range (``p.16-42``), or after the delo in a citation without leaves,
  counts pages: no papka. ``d. 12, p. 41, ll. 14-16`` has papka 41;
- leaves as one or more ranges ``5-7, 9``, with hyphen, en dash, em dash or minus,
  each optionally followed by ``ob.``/``об.`` (verso); a reversed range ``12-9`` is
  kept as printed, for validation to report;
- the repository: the first archive of ``schemas/repositories.json`` named (one in
  brackets first), else the text before the first part, else the first comma part
  naming an archive ("Polish Foreign Ministry Archive");
- a further reference naming another archive after a semicolon
  (``...; and RGASPI, f. 558, ...``) is also cited (``also_cited``);
- other archival systems (``PRC FMA 106-00274-03, 10-11``, ``MOL, XIX-J-1-j Korea,
  4. doboz``) give their repository and no Russian parts; unlabelled comma parts
  (``folder 15/1965``, ``pp. 112-127``) are not parts.

What cannot be read (:func:`read_citation` lists it in ``unread``, and
:func:`parse_citation` returns None): leaves that are not numbers (``ll. 5a``),
a verso inside a range (``ll. 5 ob.-7``), text run onto the leaves, a part given
twice (``f. 1, f. 2``). A text naming no archive and no number is no citation.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from preserve._resources import load_json

__all__ = [
    "LeafRange",
    "ParsedCitation",
    "format_citation",
    "parse_citation",
    "read_citation",
    "repositories",
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
    :param also_cited: further references naming another archive, as printed.
    :param unread: labelled parts that could not be read, as printed (``ll. 5a``).
    """

    citation: str
    repository: str | None = None
    fond: str | None = None
    opis: str | None = None
    papka: str | None = None
    delo: str | None = None
    leaves: tuple[LeafRange, ...] = field(default_factory=tuple)
    also_cited: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The ``/archive_reference`` object of a record (absent parts left out)."""
        out: dict[str, Any] = {"citation": self.citation}
        for key in ("repository", "fond", "opis", "papka", "delo"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.leaves:
            out["leaves"] = [leaf.to_dict() for leaf in self.leaves]
        if self.also_cited:
            out["also_cited"] = list(self.also_cited)
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
    """Read a whole citation into its parts; None when any part cannot be read.

    :param text: e.g. ``"AVP RF, f. 0104, op. 19, p. 124, d. 3, ll. 97-99"``.
    :returns: the parts, or None when :func:`read_citation` gives None or leaves
        something unread (see the module docstring).
    """
    parsed = read_citation(text)
    return parsed if parsed is not None and not parsed.unread else None


def read_citation(text: str) -> ParsedCitation | None:
    """Read what can be read of a citation; what cannot is listed in ``unread``.

    A final full stop is dropped unless it belongs to "ob.".

    :returns: None for a text naming no archive and no number (not a reference).
    """
    citation = " ".join(text.split())
    if citation.endswith(".") and not _VERSO_END_RE.search(citation):
        citation = citation[:-1].rstrip()
    if not citation:
        return None
    segments = _segments(citation)
    parts, unread, first_label = _read_parts(segments[0])
    repository = _repository(segments[0], first_label)
    if repository is None and not parts and not re.search(r"\d", citation):
        return None
    return ParsedCitation(
        citation=citation,
        repository=repository,
        fond=parts.get("fond"),
        opis=parts.get("opis"),
        papka=parts.get("papka"),
        delo=parts.get("delo"),
        leaves=tuple(parts.get("leaves", ())),
        also_cited=tuple(segments[1:]),
        unread=tuple(unread),
    )


# A part's label: an abbreviation with its full stop, or a full word before a space.
_PART_RE = re.compile(
    r"(?<![\w-])(?:(?P<abbr>ll|лл|per|op|оп|f|ф|p|п|d|д|l|л)\.|"
    r"(?P<word>fond|opis|papka|delo|listy|list)(?=\s))\s*",
    re.IGNORECASE,
)
_ABBREVIATED = {**PART_LABELS, "per": "opis"}  # per. (perechen'): the opis
_WORDS = {"fond": "fond", "opis": "opis", "papka": "papka", "delo": "delo", "list": "leaves",
          "listy": "leaves"}  # fmt: skip
# "Fond and Opis not given": a word that says a part is absent is not its value.
_NOT_A_VALUE = frozenset({"and", "or", "not", "unknown", "missing", "n/a"})
_VALUE_END_RE = re.compile(r"[,;]")
_TRAILING = " .,;"


def _labels(segment: str) -> list[tuple[str, re.Match[str]]]:
    """The part labels of *segment* that are followed by a value, with the part they name."""
    out: list[tuple[str, re.Match[str]]] = []
    for m in _PART_RE.finditer(segment):
        abbr, word = m.group("abbr"), m.group("word")
        name = _ABBREVIATED[abbr.lower()] if abbr else _WORDS[word.lower()]
        token = segment[m.end() :].split(maxsplit=1)
        first = token[0].strip(_TRAILING).casefold() if token else ""
        if not first or first in _NOT_A_VALUE:
            continue
        if abbr and not re.match(r"[^\s,;]*\d", segment[m.end() :]):
            continue  # "John F. Kennedy": an initial, not a fond
        out.append((name, m))
    return out


def _read_parts(segment: str) -> tuple[dict[str, Any], list[str], int | None]:
    """The parts of one reference, what could not be read, and where the first label is."""
    labels = _labels(segment)
    has_leaves = any(name == "leaves" for name, _ in labels)
    parts: dict[str, Any] = {}
    unread: list[str] = []
    for k, (name, m) in enumerate(labels):
        end = labels[k + 1][1].start() if k + 1 < len(labels) else len(segment)
        region = segment[m.end() : end]
        printed = segment[m.start() : end].strip(_TRAILING)
        if name == "leaves":
            value: Any = _leaves_of(region)
        else:
            cut = _VALUE_END_RE.search(region)
            value = (region[: cut.start()] if cut else region).strip(_TRAILING) or None
        if _is_pages(m, name, value, after_delo="delo" in parts, has_leaves=has_leaves):
            continue
        if value is None or name in parts:
            unread.append(printed)
        else:
            parts[name] = value
    return parts, unread, labels[0][1].start() if labels else None


def _is_pages(
    m: re.Match[str], name: str, value: Any, *, after_delo: bool, has_leaves: bool
) -> bool:
    """ "p." with a range, or after the delo where no leaves are cited, counts pages."""
    if name != "papka" or (m.group("abbr") or "").lower() not in ("p", "п"):
        return False
    ranged = isinstance(value, str) and re.search(rf"\d\s*[{_DASHES}]", value) is not None
    return ranged or (after_delo and not has_leaves)


def _leaves_of(region: str) -> list[LeafRange] | None:
    """Leaf ranges at the start of *region*; None when anything but other parts follows."""
    match = _LEAVES_RE.match(region)
    if match is None:
        return None
    rest = region[match.end() :].strip()
    if rest.strip(_TRAILING) and not rest.startswith((",", ";")):
        return None
    return _leaf_ranges(match.group(0))


@functools.cache
def repositories() -> tuple[tuple[str, str], ...]:
    """``(variant, abbreviation)`` pairs from ``schemas/repositories.json``, longest first."""
    data = load_json("schemas", "repositories.json")
    pairs = [(v, r["abbreviation"]) for r in data["repositories"] for v in r["variants"]]
    return tuple(sorted(pairs, key=lambda p: len(p[0]), reverse=True))


@functools.cache
def _repository_re() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(v).replace(r"\ ", r"\s?") for v, _ in repositories())
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def _segments(citation: str) -> list[str]:
    """Split at semicolons (outside brackets) where the next part names another archive."""
    pieces: list[str] = []
    depth, start = 0, 0
    for i, char in enumerate(citation):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if char == ";" and depth == 0:
            pieces.append(citation[start:i])
            start = i + 1
    pieces.append(citation[start:])
    segments = [pieces[0].strip()]
    for piece in pieces[1:]:
        piece = re.sub(r"^\s*and\s+", "", piece.strip())
        if _repository_re().search(piece):
            segments.append(piece)
        else:
            segments[-1] = f"{segments[-1]}; {piece}"
    return segments


def _repository(segment: str, first_label: int | None) -> str | None:
    """An archive of the vocabulary as printed (one in brackets first), else the text
    before the first part, else the first comma part naming an archive."""
    bracketed = re.findall(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)", segment)
    for inside in bracketed:
        found = _repository_re().search(inside)
        if found:
            return found.group(0)
    found = _repository_re().search(segment)
    if found:
        return found.group(0)
    if first_label is not None:
        before = segment[:first_label].strip(_TRAILING)
        if before and not re.search(r"\d", before):
            return before
    for chunk in commas(segment):
        name = chunk.strip(" “”\"'")
        if re.search(r"\barchiv", name, re.IGNORECASE) and not re.search(r"\d", name):
            return name
    return None


def commas(segment: str) -> list[str]:
    """*segment* split at the commas outside brackets."""
    out: list[str] = []
    depth, start = 0, 0
    for i, char in enumerate(segment):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            out.append(segment[start:i])
            start = i + 1
    out.append(segment[start:])
    return out


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
        start = before.start(1) if before else match.start()
        # The span found is read as validation reads it, so the two never disagree.
        found = read_citation(s[start:end])
        if found is not None and not found.unread:
            return found
    return None


def _parse_parts(s: str, pos: int) -> tuple[dict[str, Any], int] | None:
    """Read labelled parts from *pos* (the fond) on; return them and where they end."""
    parts: dict[str, Any] = {}
    end = pos
    while True:
        label = _LABEL_RE.match(s, pos)
        if label is None:
            break
        name = PART_LABELS[label.group(1).lower()]
        if name in parts:
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
