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

import re
from dataclasses import dataclass, field
from typing import Any

from preserve.records.citation import read_citation, repositories

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
_VERSO_END_RE = re.compile(r"(?<!\w)(?:ob|об)\.$", re.IGNORECASE)


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
    """Read a source statement; None when nothing is left once the credits are cut.

    The citation is read by :func:`preserve.records.citation.read_citation`, the
    reader validation checks it with; a part it cannot read is left out.
    """
    text = " ".join(text.split())
    citation = _cut_credits(text)
    parsed = read_citation(citation) if citation else None
    if parsed is None:
        return None  # names no archive and no number: not a reference (a cut label, a note)
    parts = {k: v for k, v in parsed.to_dict().items() if k not in ("citation", "also_cited")}
    return Statement(text, citation, parts, parsed.also_cited)


def _cut_credits(text: str) -> str:
    ends = [m.start() for m in (_CREDIT_RE.search(text), _SENTENCE_RE.search(text)) if m]
    end = min(ends) if ends else len(text)
    cut = text[:end].strip().rstrip(",;: ")
    if re.search(r"(?<!\w)(?:ob|об)$", cut, re.IGNORECASE) and text[end : end + 1] == ".":
        cut += "."
    if cut.endswith(".") and not _VERSO_END_RE.search(cut):
        cut = cut[:-1]
    return cut.strip()
