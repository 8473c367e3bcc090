"""The source statement: where a page says its document is kept, and who supplied it.

Every page of the archive prints one: under "Source" in its Document Information,
or after "... Digital Archive," in its citation (legacy pages and PDFs)::

    AVP RF, f. 0104, op. 19, p. 124, d. 3, ll. 97-99. Obtained by ... and translated by ...

The statement is cut at its first credit ("obtained by", "copy courtesy of",
"translated by", a URL ...); what stays is the citation as printed. Its first
archival segment gives the repository (from the vocabulary in
``schemas/repositories.json``, or the archive's name as printed) and the parts
(fond, opis, papka, delo, leaves) where they are labelled; further segments
naming another archive (``...; and RGASPI, f. 558, ...``) are also-cited references.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from preserve._resources import load_json
from preserve.records.citation import PART_LABELS, LeafRange, parse_citation

__all__ = [
    "Statement",
    "find_statement_in_line",
    "read_statement",
    "repositories",
    "strip_cited_title",
]

_CREDIT_RE = re.compile(
    r"(?:[.;,]\s*|\s+)(?=(?:and\s+)?(?:(?:a\s+)?cop(?:y|ies)\b|obtained\b|translat\w*\b|"
    r"provided\b|donated\b|courtesy\b|also available\b|on file\b|CWIHP Working Paper|"
    r"https?://))",
    re.IGNORECASE,
)
# A sentence ends at ". " before a capital, unless the dot closes an initial or "No.".
_SENTENCE_RE = re.compile(r"(?<=[\w)\]”\"’'])(?<!\b\w)(?<!\bNo)(?<!\bNr)\.\s+(?=[A-Z“\"])")
_CITATION_LINE_RE = re.compile(r"Digital Archive,\s+(?P<source>\S.*)")
# The citation labels, plus "per." for the opis, which source statements also write.
_ABBREVIATED: dict[str, str] = {**PART_LABELS, "per": "opis"}
_WORDS: dict[str, str] = {
    "fond": "fond",
    "opis": "opis",
    "papka": "papka",
    "delo": "delo",
    "list": "leaves",
    "listy": "leaves",
}
_PART_RE = re.compile(
    r"(?:^|\s)(?:(?P<abbr>ll|лл|per|op|оп|f|ф|p|п|d|д|l|л)\.\s*|(?P<word>fond|opis|papka|delo|listy|list)\s+)"
    r"(?P<value>\S.*)$",
    re.IGNORECASE,
)
_RANGES_RE = re.compile(r"\d+(?:\s*[-–—]\s*\d+)?(?:\s*,\s*\d+(?:\s*[-–—]\s*\d+)?)*")
_VERSO_END_RE = re.compile(r"(?<!\w)(?:ob|об)\.$", re.IGNORECASE)
_NOT_A_VALUE = frozenset({"and", "or", "not", "unknown", "missing", "n/a"})


@dataclass(frozen=True, slots=True)
class Statement:
    """A source statement read: the citation as printed and what it names.

    :param text: the whole statement, credits included.
    :param citation: the statement up to its first credit.
    :param parts: repository, fond, opis, papka, delo (strings) and leaves (range dicts).
    :param also_cited: further references in the citation naming another archive.
    """

    text: str
    citation: str
    parts: dict[str, Any] = field(default_factory=dict)
    also_cited: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The ``/archive_reference`` object (absent parts left out)."""
        out: dict[str, Any] = {"citation": self.citation}
        for key in ("repository", "fond", "opis", "papka", "delo"):
            if self.parts.get(key):
                out[key] = self.parts[key]
        if self.parts.get("leaves"):
            out["leaves"] = list(self.parts["leaves"])
        if self.also_cited:
            out["also_cited"] = list(self.also_cited)
        return out


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


def find_statement_in_line(line: str) -> str | None:
    """The source statement of a citation line ("..., Digital Archive, <statement>")."""
    match = _CITATION_LINE_RE.search(line)
    return match.group("source").strip() if match else None


def strip_cited_title(citation: str) -> str:
    """A full citation without its quoted title, date and publisher: the source statement."""
    return _CITED_PREFIX_RE.sub("", " ".join(citation.split()), count=1)


_CITED_PREFIX_RE = re.compile(
    r"^[“\"].+?[”\"],?\s+(?:[A-Z][a-z]+\.? \d{1,2}, \d{4})?,?\s*[^,]+,\s*"
)


def read_statement(text: str) -> Statement | None:
    """Read a source statement; None when nothing is left once the credits are cut."""
    text = " ".join(text.split())
    citation = _cut_credits(text)
    if not citation:
        return None
    segments = _segments(citation)
    parts = _parts(segments[0])
    repository = _repository(segments[0])
    if repository:
        parts["repository"] = repository
    elif not re.search(r"\d", citation):
        return None  # names no archive and no number: not a reference (a cut label, a note)
    return Statement(text, citation, parts, tuple(segments[1:]))


def _cut_credits(text: str) -> str:
    ends = [m.start() for m in (_CREDIT_RE.search(text), _SENTENCE_RE.search(text)) if m]
    end = min(ends) if ends else len(text)
    cut = text[:end].strip().rstrip(",;: ")
    if re.search(r"(?<!\w)(?:ob|об)$", cut, re.IGNORECASE) and text[end : end + 1] == ".":
        cut += "."
    if cut.endswith(".") and not _VERSO_END_RE.search(cut):
        cut = cut[:-1]
    return cut.strip()


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


def _repository(segment: str) -> str | None:
    """The abbreviation as printed, else the first comma part naming an archive."""
    bracketed = re.findall(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)", segment)
    for inside in bracketed:
        found = _repository_re().search(inside)
        if found:
            return found.group(0)
    found = _repository_re().search(segment)
    if found:
        return found.group(0)
    for chunk in _commas(segment):
        name = chunk.strip(" “”\"'")
        if re.search(r"\barchiv", name, re.IGNORECASE) and not re.search(r"\d", name):
            return name
    return None


def _commas(segment: str) -> list[str]:
    out: list[str] = []
    depth, start = 0, 0
    for i, char in enumerate(segment):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            out.append(segment[start:i])
            start = i + 1
    out.append(segment[start:])
    return out


def _parts(segment: str) -> dict[str, Any]:
    """Labelled parts of one reference: the strict parser first, then part by part."""
    strict = parse_citation(segment)
    if strict is not None:
        return {k: v for k, v in strict.to_dict().items() if k not in ("citation", "repository")}
    parts: dict[str, Any] = {}
    for chunk in _commas(segment):
        match = _PART_RE.search(chunk.strip())
        if match is None:
            continue
        abbr, word = match.group("abbr"), match.group("word")
        name = _ABBREVIATED[abbr.casefold()] if abbr else _WORDS[word.casefold()]
        value = match.group("value").strip().rstrip(".")
        if name in parts or value.split()[0].casefold() in _NOT_A_VALUE:
            continue
        if name == "leaves":
            if _RANGES_RE.fullmatch(value):
                parts[name] = [leaf.to_dict() for leaf in _ranges(value)]
        elif abbr and abbr.casefold() == "p" and ("delo" in parts or "-" in value):
            continue  # "p." after the delo, or with a range, counts pages, not a folder
        else:
            parts[name] = value
    return parts


def _ranges(value: str) -> list[LeafRange]:
    out = []
    for piece in value.split(","):
        ends = [int(n) for n in re.findall(r"\d+", piece)]
        out.append(LeafRange(ends[0], ends[-1]))
    return out
