"""Line by line: the forms a page's paragraphs do not show.

Mirror copies put every line on its own with no blank lines, PDF text re-hosted
elsewhere flattens the whole page into one paragraph, legacy pages run the header
onto one line. The readers here look at single lines (or, for flattened PDF text,
at a window after "Contents: ... Translation") and are used only for fields the
paragraph reader (:mod:`preserve.records.extract._layout`) left absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from preserve.records.classification import Marking, find_marking
from preserve.records.dates import find_dates, parse_date
from preserve.records.extract.statement import find_statement_in_line
from preserve.records.numbers import NO_SIGN, NumberLabel, find_number_labels

__all__ = ["Found", "Lines", "is_boilerplate", "starts_with_a_date"]

_HEAD_LINES = 8
_HEADER_LINES = 60
_WINDOW = 240
_SKIP = frozenset({"skip to content", "skip to main content", "top banner", "search in"})
# The site's own words around a document (its menus, share and citation buttons, its
# funders' credit, its banner), never a document's title.
_BOILERPLATE_RE = re.compile(
    r"^(?:[•·*-]\s*)?(?:get citation|citation:?|share document|english html|search in|"
    r"skip to (?:main )?content|top banner|menu|"
    r"this document was made possible with support from\b.*|"
    r"digital archive(?: digitalarchive\.wilsoncenter\.org)? international history declassified"
    r"(?: digitalarchive\.wilsoncenter\.org)?)$",
    re.IGNORECASE,
)
# A page date and its title run onto one line ("May 02, 1957 Letter from X to Y").
_DATED_TITLE_RE = re.compile(r"^(?P<date>[A-Z][a-z]+\.? \d{1,2}, \d{4})\s+(?P<title>\w.{3,400})$")
_LABELS = frozenset(
    {"source", "rights", "original archive", "original language", "summary", "contents",
     "author(s):", "author(s)", "associated places", "associated topics", "record id",
     "associated people & organizations", "document information", "citation"}
)  # fmt: skip
_DECLASSIFIED_RE = re.compile(
    r"International History Declassified\s+(?:digitalarchive\.wilsoncenter\.org\s+)?"
    r"(?P<date>[A-Z][a-z]+\.? \d{1,2}, \d{4})"
)
_TITLE_RE = re.compile(
    r"International History Declassified\s+(?:digitalarchive\.wilsoncenter\.org\s+)?"
    r"[A-Z][a-z]+\.? \d{1,2}, \d{4}\s+(?P<title>\S.{0,400}?)\s+Citation:"
)
_CITED_TITLE_RE = re.compile(
    r"^[“\"](?P<title>[^“”\"]{4,400}?),?[”\"],?\s+(?:[A-Z][a-z]+\.? \d{1,2}, )?\d{4},\s+"
    r"[\w ]*Digital Archive,"
)
_LONGEST_TITLE_LINE = 400
_CONTENTS_RE = re.compile(r"Contents:\s*\w+\s+Translation\s+(?P<window>.*)", re.DOTALL)
_MARKING_LABEL_RE = re.compile(
    r"^(?:classification|level of confidentiality|level of secrecy)\s*:\s*"
    rf"|^(?:Number|{NO_SIGN})\s*\d[\w/.-]*\s+(?=[A-Z])",  # a cable's "Number 1346 Top Secret"
    re.IGNORECASE,
)
_MARKING_TAIL_RE = re.compile(
    rf"^(?:[\s.,:;!—–-]*$|\s*[—–-]+\s*\S|\s+(?:copy|making|special|personal|top urgent|{NO_SIGN}))",
    re.IGNORECASE,
)
_NUMBER = r"(?P<number>\d[\d.]*(?:/[0-9A-Za-z]+)*)"
_OUTGOING_RES = (
    re.compile(rf"^{NO_SIGN}\s*{_NUMBER}(?![\w])"),
    re.compile(rf"^Number\s+{_NUMBER}(?![\w])"),
    re.compile(
        rf"^{_NUMBER}\s+[–—-]\s+(?:MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY)\b"
    ),
)


@dataclass(frozen=True, slots=True)
class Found:
    """A value and the line (1-based, in the normalised text) it was read from."""

    value: str
    line: int
    text: str

    @property
    def where(self) -> str:
        """``line N: <text>`` for ``/extraction/sources``."""
        return f"line {self.line}: {_short(self.text)}"


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Lines:
    """The non-blank lines of a document, with the readers that work on them."""

    def __init__(self, text: str) -> None:
        self.lines = [(n, " ".join(t.split())) for n, t in enumerate(text.split("\n"), 1)]
        self.lines = [(n, t) for n, t in self.lines if t]

    def page_date(self) -> Found | None:
        """The date a page prints above its title (or after "Declassified" in PDF text)."""
        for n, text in self.lines:
            match = _DECLASSIFIED_RE.search(text)
            if match and (date := parse_date(match.group("date"))):
                return Found(date, n, text)
        for n, text in self.lines[:_HEAD_LINES]:
            if text.casefold() in _SKIP:
                continue
            date = parse_date(text)
            if date and "/" not in date:
                return Found(date, n, text)
        dated = self._dated_title()
        if dated is not None and (date := parse_date(dated[0].group("date"))):
            return Found(date, dated[1], dated[0].group(0))
        return None

    def _dated_title(self) -> tuple[re.Match[str], int] | None:
        """A head line that is a page date then the title (when no head line is a date alone)."""
        head = self.lines[:_HEAD_LINES]
        if any((d := parse_date(t)) and "/" not in d for _, t in head):
            return None
        for n, text in head:
            match = _DATED_TITLE_RE.match(text)
            if match and not is_boilerplate(match.group("title")):
                return match, n
        return None

    def title(self) -> Found | None:
        """The title: after the date in flattened PDF text, else the line after the page date."""
        for n, text in self.lines:
            match = _TITLE_RE.search(text) or _CITED_TITLE_RE.search(text)
            if match:
                return Found(match.group("title"), n, text)
        dated = self._dated_title()
        if dated is not None:
            return Found(dated[0].group("title"), dated[1], dated[0].group(0))
        date = self.page_date()
        if date is None:
            return None
        after = [(n, t) for n, t in self.lines if n > date.line][:3]
        for n, text in after:
            if is_boilerplate(text) or parse_date(text):
                continue
            if len(text) <= _LONGEST_TITLE_LINE:
                return Found(text, n, text)
            break
        return None

    def statement(self) -> Found | None:
        """The source statement: under Document Information, else in the citation line."""
        info = next(
            (k for k, (_, t) in enumerate(self.lines) if t.casefold() == "document information"),
            None,
        )
        if info is not None:
            after = self.lines[info + 1 : info + 8]
            labelled = next((k for k, (_, t) in enumerate(after) if t.casefold() == "source"), None)
            for n, text in after if labelled is None else after[labelled + 1 : labelled + 2]:
                if text.casefold().rstrip(":") in _LABELS or text.casefold() in _LABELS:
                    if labelled is not None:
                        break
                    continue
                if re.search(r"welcomes reuse|copyright", text, re.IGNORECASE):
                    break
                return Found(text, n, text)
        for n, text in self.lines:
            statement = find_statement_in_line(text)
            if statement:
                return Found(statement, n, text)
        return None

    def marking(self) -> tuple[Marking, Found] | None:
        """A header line that is a marking ("TOP SECRET", "Secret.", "Classification: Secret")."""
        for n, text in self.lines[:_HEADER_LINES]:
            bare = _MARKING_LABEL_RE.sub("", text)
            marking = find_marking(bare)
            if marking is None or not bare.startswith(marking.printed):
                continue
            if marking.printed.islower():
                continue
            if _MARKING_TAIL_RE.match(bare[len(marking.printed) :]):
                return marking, Found(marking.printed, n, text)
        window = self.flattened_header()
        if window is not None:
            n, text = window
            first = _first_marking(text)
            if first is not None:
                return first, Found(first.printed, n, text)
        return None

    def flattened_header(self) -> tuple[int, str] | None:
        """The start of a flattened PDF text's document, after "Contents: ... Translation"."""
        for n, text in self.lines:
            match = _CONTENTS_RE.search(text)
            if match:
                return n, match.group("window")[:_WINDOW]
        return None

    def copy_number(self) -> tuple[NumberLabel, Found] | None:
        """A "Copy No. 1" in the header lines or the flattened header."""
        candidates = list(self.lines[:_HEADER_LINES])
        window = self.flattened_header()
        if window is not None:
            candidates.append(window)
        for n, text in candidates:
            label = find_number_labels(text).get("copy")
            if label is not None and label.value is not None:
                return label, Found(str(label.value), n, text)
        return None

    def outgoing_number(self) -> Found | None:
        """The registry number: "Outgoing Nº 192", or a line that starts with a bare No-sign.

        A number on a line naming another kind ("Ciphergram No.", "Incoming Nº",
        "Copy No.", "Cable No.") is never the outgoing number.
        """
        for n, text in self.lines:
            label = find_number_labels(text).get("outgoing")
            if label is not None and text.startswith(label.printed):
                return Found(label.number, n, text)
        window = self.flattened_header()
        if window is not None:
            label = find_number_labels(window[1]).get("outgoing")
            if label is not None:
                return Found(label.number, window[0], window[1])
        for n, text in self.lines:
            for pattern in _OUTGOING_RES:
                match = pattern.match(text)
                if match:
                    return Found(match.group("number").rstrip("."), n, text)
        return None

    def line_of(self, value: str) -> Found | None:
        """The first line holding *value* (to say where a value was read)."""
        needle = " ".join(value.split())[:60]
        for n, text in self.lines:
            if needle and needle in text:
                return Found(value, n, text)
        return None

    def where(self, value: str, fallback: str) -> str:
        """``line N: <text>`` for the first line holding *value*, else *fallback*."""
        found = self.line_of(value)
        return found.where if found is not None else fallback

    def dated_line(self, value: str) -> Found | None:
        """The first line printing the date *value* (ISO), whole or in a longer line."""
        for n, text in self.lines:
            if any(d.value == value for d in find_dates(text)):
                return Found(value, n, text)
        return None


def _first_marking(text: str) -> Marking | None:
    for match in re.finditer(r"\S+", text):
        marking = find_marking(text[match.start() :])
        rest = text[match.start() :]
        if marking and rest.startswith(marking.printed) and not marking.printed.islower():
            return marking
    return None


def is_boilerplate(text: str) -> bool:
    """True for the site's own words around a document ("get citation", "• Citation",
    "This document was made possible with support from ..."): never a title.
    """
    return _BOILERPLATE_RE.match(" ".join(text.split())) is not None


def starts_with_a_date(text: str) -> bool:
    """True for a page date and a title run onto one line ("May 02, 1957 Letter from X")."""
    return _DATED_TITLE_RE.match(" ".join(text.split())) is not None
