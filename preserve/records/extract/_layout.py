"""Where things are in a record document: labels, sections, title, header, intro, body.

Works on :class:`~preserve.records.extract._text.Block` lists from either form (scraped page
or PDF markdown). Only positions and raw strings are found here; turning them
into record values is :mod:`preserve.records.extract.documents`' job.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from preserve.records.classification import CAVEATS, find_marking
from preserve.records.dates import is_impossible_date, parse_date
from preserve.records.extract._text import Block
from preserve.records.numbers import find_number_labels

__all__ = ["KNOWN_LABELS", "SECTIONS", "Layout", "analyse"]

#: Labels of the catalogue fields (lower case). In scraped text they stand alone
#: on a line; in PDF markdown they are bold and end with a colon.
KNOWN_LABELS = frozenset(
    {
        "author",
        "citation",
        "contents",
        "credits",
        "date",
        "document type",
        "language",
        "obtained by",
        "original classification",
        "original language",
        "original uploaded date",
        "record id",
        "rights",
        "rights statement",
        "source",
        "summary",
        "title",
        "translated by",
        "type",
        "url",
    }
)
#: Section headings of a scraped page.
SECTIONS = ("related documents", "document information")
_SKIP_LINES = frozenset(
    {"skip to content", "skip to main content", "menu", "search", "search in", "top banner",
     "digital archive international history declassified"}
)  # fmt: skip
# A label's value must look like what the label holds; otherwise the label is empty
# (scraped pages keep a label whose value is missing, e.g. "Record ID" with nothing).
_VALUE_CHECKS: dict[str, Callable[[str], bool]] = {
    "original uploaded date": lambda v: parse_date(v) is not None,
    "date": lambda v: parse_date(v) is not None,
    "record id": lambda v: re.fullmatch(r"[\w.:/-]{1,64}", v) is not None,
    "original classification": lambda v: len(v) <= 60 and find_marking(v) is not None,
}
_INLINE_LABEL_RE = re.compile(r"^(?P<label>[^:]{2,40}):\s+(?P<value>\S.*)$")
_MAX_HEADER_LINE = 80
_INTRO_LINES = 12
_LONG_LINE = 150
_REGION_GAP = 3
# Typos in labels: only longer labels, and only close misspellings ("Orignal Language").
_FUZZY_MIN = 8
_FUZZY_MAX = 32
_FUZZY_WORDS = 3
_FUZZY_LENGTH = 2
_FUZZY_CUTOFF = 0.9
_BY_INITIAL: dict[str, tuple[str, ...]] = {}
for _label in sorted(KNOWN_LABELS):
    _BY_INITIAL[_label[0]] = (*_BY_INITIAL.get(_label[0], ()), _label)
_MAX_HEADER_LINES = 12


@dataclass
class Layout:
    """Positions found in a document (block indexes; lines are header/intro/body text)."""

    blocks: list[Block]
    labels: dict[str, str | None] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    sections: dict[str, int] = field(default_factory=dict)
    title_index: int | None = None
    page_date: str | None = None
    header: list[str] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    body_start: int | None = None
    body_end: int | None = None
    summary_index: int | None = None

    def section_blocks(self, name: str) -> list[Block]:
        """The blocks of a section, up to the next section heading."""
        start = self.sections.get(name)
        if start is None:
            return []
        ends = [i for i in self.sections.values() if i > start]
        return self.blocks[start + 1 : min(ends, default=len(self.blocks))]


def analyse(blocks: list[Block]) -> Layout:
    """Find labels, sections, title, header, intro and body in *blocks*."""
    layout = Layout(blocks)
    _find_labels(layout)
    _find_title(layout)
    _find_header(layout)
    return layout


def label_name(block: Block) -> tuple[str, str | None] | None:
    """``(label, inline value)`` when *block* is a label, else None.

    A known label with a typo ("Orignal Language") is read as that label.
    """
    if len(block.lines) != 1:
        return None
    text = block.text
    name = _known(text.rstrip(":").strip().casefold())
    if text.endswith(":") and (block.bold or name in KNOWN_LABELS):
        return name, None
    if name in KNOWN_LABELS:
        return name, None
    inline = _INLINE_LABEL_RE.match(text)
    if inline and inline.group("label").strip().casefold() in KNOWN_LABELS:
        return inline.group("label").strip().casefold(), inline.group("value").strip()
    return None


def _known(name: str) -> str:
    """*name*, or the known label it misspells (one or two letters off).

    Only names shaped like a label are compared, and only with labels of about
    the same length and the same first letter, so a long document of short
    lines costs little.
    """
    if name in KNOWN_LABELS or not _FUZZY_MIN <= len(name) <= _FUZZY_MAX:
        return name
    if len(name.split()) > _FUZZY_WORDS or not name.replace(" ", "").isalpha():
        return name
    for label in _BY_INITIAL.get(name[0], ()):
        near = abs(len(label) - len(name)) <= _FUZZY_LENGTH
        if near and difflib.SequenceMatcher(None, name, label).ratio() >= _FUZZY_CUTOFF:
            return label
    return name


def _find_labels(layout: Layout) -> None:
    blocks = layout.blocks
    for i, block in enumerate(blocks):
        if block.text.casefold() in SECTIONS:
            layout.sections.setdefault(block.text.casefold(), i)
            layout.used.add(i)
            continue
        found = label_name(block)
        if found is None or found[0] in layout.labels or i in layout.used:
            continue
        name, value = found
        layout.used.add(i)
        if value is None and i + 1 < len(blocks) and _is_value(name, blocks[i + 1]):
            value = blocks[i + 1].text
            layout.used.add(i + 1)
        if value is not None and not _VALUE_CHECKS.get(name, _any)(value):
            value = None
        layout.labels[name] = value


def _any(value: str) -> bool:
    return True


def _is_value(name: str, block: Block) -> bool:
    if label_name(block) is not None or block.text.casefold() in SECTIONS:
        return False
    return _VALUE_CHECKS.get(name, _any)(block.text)


def _find_title(layout: Layout) -> None:
    for i, block in enumerate(layout.blocks[:8]):
        text = block.text
        if i in layout.used or text.casefold() in _SKIP_LINES or text.startswith("•"):
            continue
        date = parse_date(text)
        if date is not None:
            layout.page_date = layout.page_date or date
            continue
        if _is_header_line(text):
            return
        layout.title_index = i
        layout.used.add(i)
        return


def _lines_after(layout: Layout, start: int) -> list[tuple[int, str]]:
    return [
        (i, line)
        for i, block in enumerate(layout.blocks)
        if i >= start and i not in layout.used
        for line in block.lines
    ]


def _find_header(layout: Layout) -> None:
    start = 0 if layout.title_index is None else layout.title_index + 1
    lines = _lines_after(layout, start)
    first = next((k for k, (_, line) in enumerate(lines) if _is_header_start(line)), None)
    if first is None:
        return
    stop = _body_stop(layout)
    lines = [(i, line) for i, line in lines if i < stop]
    k = first
    while k < len(lines) and k - first < _MAX_HEADER_LINES and _is_header_line(lines[k][1]):
        layout.header.append(lines[k][1])
        k += 1
    for _, line in lines[k : k + _INTRO_LINES]:
        if len(line) > _LONG_LINE:
            break
        layout.intro.append(line)
    layout.body = [line for _, line in lines[first:]]
    layout.body_start, layout.body_end = lines[first][0], stop


def _body_stop(layout: Layout) -> int:
    """The body ends at the first section, or at the unlabelled summary just before it.

    A scraped page prints its summary between the body and its first section,
    set off by a wider gap than the body's paragraphs have.
    """
    if not layout.sections:
        return len(layout.blocks)
    first = min(layout.sections.values())
    before = first - 1
    if (
        "summary" not in layout.labels
        and before > 0
        and before not in layout.used
        and layout.blocks[before].gap >= _REGION_GAP
    ):
        layout.summary_index = before
        return before
    return first


def _is_header_start(line: str) -> bool:
    if len(line) > _MAX_HEADER_LINE:
        return False
    marking = find_marking(line)
    if marking is not None and line.startswith(marking.printed):
        return True
    return any(line.startswith(n.printed) for n in find_number_labels(line).values())


def _is_header_line(line: str) -> bool:
    if len(line) > _MAX_HEADER_LINE:
        return False
    if _is_header_start(line) or parse_date(line) is not None or is_impossible_date(line):
        return True  # an impossible date line is still the header's date line, to be said
    folded = line.casefold()
    return any(folded.startswith(c.casefold()) for c in CAVEATS)
