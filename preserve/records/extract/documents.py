"""Read a record document's text into the core fields of records.md.

Each field comes from one place, tried in order; what a source does not carry
stays absent. A value worked out from somewhere other than its own place (the
author from the title, when the author line is lost) is listed as inferred.
docs/reference/extraction.md tabulates what is read from where.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from preserve.records.citation import search_citation
from preserve.records.classification import find_marking
from preserve.records.dates import (
    DateMatch,
    find_dates,
    find_impossible_dates,
    is_impossible_date,
    parse_date,
)
from preserve.records.extract._layout import Layout, analyse
from preserve.records.extract._lines import Found, Lines, is_boilerplate, starts_with_a_date
from preserve.records.extract._text import normalize, split_blocks
from preserve.records.extract.conflicts import conflicts
from preserve.records.extract.statement import read_statement, strip_cited_title
from preserve.records.numbers import NumberKind, find_number_labels
from preserve.records.people import (
    author_from_title,
    find_contributors,
    is_person_name,
    normalize_name,
)
from preserve.records.vocab import document_type_of, language_code, rights_uri

__all__ = ["Problem", "Reading", "read_document"]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the text that could not be read as it stands (becomes a finding)."""

    code: str
    field: str
    context: dict[str, Any]


@dataclass
class Reading:
    """What :func:`read_document` found: the core fields and how they were got."""

    record: dict[str, Any] = field(default_factory=dict)
    inferred: list[str] = field(default_factory=list)
    printed: dict[str, str] = field(default_factory=dict)
    original_classification: str | None = None
    contents: str | None = None
    text_sha256: str | None = None
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    #: Pointers whose printed value is no value (an impossible date): no reader fills them.
    left_out: set[str] = field(default_factory=set)

    def put(self, pointer: str, value: Any, *, source: str, inferred: bool = False) -> None:
        """Set *value* at a JSON Pointer of plain keys, creating objects on the way.

        :param source: where the value was read (``line N: text``, ``label Title``) or,
            for an inferred value, what it was inferred from. Every field has one, so
            ``preserve extract --explain`` can show each value beside its text.
        """
        keys = pointer.strip("/").split("/")
        target = self.record
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value
        if inferred:
            self.inferred.append(pointer)
        self.sources[pointer] = source

    def has(self, pointer: str) -> bool:
        """True when the record holds a value at *pointer*."""
        target: Any = self.record
        for key in pointer.strip("/").split("/"):
            if not isinstance(target, dict) or key not in target:
                return False
            target = target[key]
        return True


def read_document(text: str) -> Reading:
    """Read the core fields from a record document (scraped page text or PDF markdown)."""
    layout = analyse(split_blocks(text))
    lines = Lines(normalize(text))
    reading = Reading()
    _title(layout, lines, reading)
    _document_type(layout, lines, reading)
    _dates(layout, lines, reading)
    statement = _archive_reference(layout, lines, reading)
    _classification(layout, lines, reading)
    _numbers(layout, lines, reading)
    from_lines(lines, reading)
    _conversation_date(lines, reading)
    _author(layout, lines, reading)
    _contributors(layout, lines, statement, reading)
    _languages(layout, lines, reading)
    _rights(layout, lines, reading)
    _source(layout, lines, reading)
    _summary_and_related(layout, lines, reading)
    for pointer, context in conflicts(layout, lines, reading.record):
        reading.problems.append(Problem("EXT-023", pointer, context))
    if layout.body:
        body = " ".join(" ".join(layout.body).split())
        reading.text_sha256 = hashlib.sha256(body.encode("utf-8")).hexdigest()
    return reading


def _title(layout: Layout, lines: Lines, reading: Reading) -> None:
    title = layout.labels.get("title")
    if title is not None:
        reading.put("/title", title, source="label Title")
        return
    block = layout.blocks[layout.title_index] if layout.title_index is not None else None
    if (
        block is not None
        and (block.bold or len(block.lines) == 1)
        and len(block.text) <= 400
        and not is_boilerplate(block.text)
        and not starts_with_a_date(block.text)
    ):
        reading.put("/title", block.text, source=lines.where(block.lines[0], "the title block"))
        return
    found = lines.title()
    if found is not None:
        reading.put("/title", found.value, source=found.where)


def _document_type(layout: Layout, lines: Lines, reading: Reading) -> None:
    for label in ("document type", "type"):
        value = layout.labels.get(label)
        if value and document_type_of(value):
            reading.put("/document_type", document_type_of(value), source=_label(label))
            return
    for i, block in enumerate(layout.blocks):
        kind = document_type_of(block.text)
        if kind and i not in layout.used and len(block.lines) == 1:
            reading.put("/document_type", kind, source=lines.where(block.text, "a heading"))
            return
    for line in layout.intro:
        kind = document_type_of(line)
        if kind:
            reading.put("/document_type", kind, source=lines.where(line, "the heading lines"))
            return
    title = reading.record.get("title", "")
    match = re.search(r"record of (?:a )?conversation|memorandum of conversation", title, re.I)
    if match:
        reading.put(
            "/document_type",
            "memorandum_of_conversation",
            inferred=True,
            source=f"inferred from the title: {match.group(0)}",
        )


def _label(name: str) -> str:
    """``label Original Classification`` for the catalogue label *name* (lower case)."""
    return f"label {name.title()}"


def _dates(layout: Layout, lines: Lines, reading: Reading) -> None:
    header = next(((d, line) for line in layout.header if (d := parse_date(line))), None)
    impossible = next((line for line in layout.header if is_impossible_date(line)), None)
    document_date: str | None
    if header is None and impossible is not None:
        # The header's date line names no real day: never replace it by the page date.
        context = {"printed": impossible, "outcome": _LEFT_OUT.format(field="/dates/document_date")}
        reading.problems.append(Problem("EXT-022", "/dates/document_date", context))
        reading.left_out.add("/dates/document_date")
        document_date, where = None, ""
    elif header is not None:
        document_date, where = header[0], lines.where(header[1], "the header lines")
    elif layout.page_date:
        document_date, where = layout.page_date, _dated(lines, layout.page_date, "the page date")
    else:
        document_date, where = _labelled_date(layout), _label("date")
    if document_date and "/" not in document_date:
        reading.put("/dates/document_date", document_date, source=where)
    title = reading.record.get("title", "")
    intro = next(((d, line) for line in layout.intro if (d := parse_date(line))), None)
    if intro is not None and _CONVERSATION_RE.search(title):
        where = lines.where(intro[1], "the heading lines")
        reading.put("/dates/conversation_date", intro[0], source=where)
        return
    title_dates = find_dates(title) if len(title) <= _LONGEST_TITLE else []
    if title_dates and reading.record.get("document_type") == "memorandum_of_conversation":
        reading.put(
            "/dates/conversation_date",
            title_dates[-1].value,
            inferred=True,
            source=f"inferred from the title: {title_dates[-1].printed}",
        )


def _dated(lines: Lines, value: str, fallback: str) -> str:
    found = lines.dated_line(value)
    return found.where if found is not None else fallback


_LONGEST_TITLE = 2000  # longer is not a title; do not scan it for dates


def _labelled_date(layout: Layout) -> str | None:
    value = layout.labels.get("date")
    return parse_date(value) if value else None


def _archive_reference(layout: Layout, lines: Lines, reading: Reading) -> str | None:
    """The source statement's citation first; else a Russian citation anywhere.

    :returns: the whole source statement (credits included), for the contributors.
    """
    found = lines.statement()
    if found is None and (value := layout.labels.get("citation")):
        where = lines.line_of(value)
        found = Found(strip_cited_title(value), where.line if where else 0, value)
    statement = read_statement(found.value) if found else None
    if found is not None and statement is not None:
        reading.put("/archive_reference", statement.to_dict(), source=found.where)
        return statement.text
    for text in _metadata_texts(layout) + [b.text for b in layout.blocks]:
        parsed = search_citation(text)
        if parsed is not None:
            found_at = lines.where(parsed.citation, "the catalogue data")
            reading.put("/archive_reference", parsed.to_dict(), source=found_at)
            return None
    return None


def _metadata_texts(layout: Layout) -> list[str]:
    """Texts where a page keeps its catalogue data: the Citation label, Document Information."""
    texts = [layout.labels[k] or "" for k in ("citation", "source", "url") if k in layout.labels]
    return texts + [b.text for b in layout.section_blocks("document information")]


def _classification(layout: Layout, lines: Lines, reading: Reading) -> None:
    marked = next(
        (
            (m, line)
            for line in layout.header
            if (m := find_marking(line)) and line.startswith(m.printed)
        ),
        None,
    )
    original = layout.labels.get("original classification")
    reading.original_classification = original
    if original:
        reading.sources["/classification/original_classification"] = _label(
            "original classification"
        )
    if marked is not None:
        marking, where = marked[0], lines.where(marked[1], "the header lines")
        reading.put("/classification/level", marking.level, source=where)
        reading.put("/classification/marking", marking.printed, source=where)
    elif original and (from_catalogue := find_marking(original)) is not None:
        where = _label("original classification")
        reading.put("/classification/level", from_catalogue.level, source=where)


def _numbers(layout: Layout, lines: Lines, reading: Reading) -> None:
    found = find_number_labels("\n".join(layout.header))
    pointers: dict[NumberKind, str] = {"copy": "/copy_number", "outgoing": "/outgoing_number"}
    for kind, label in found.items():
        pointer = pointers[kind]
        reading.printed[pointer] = label.printed
        if label.problem is not None:
            reading.problems.append(
                Problem("EXT-020", pointer, {"printed": label.printed, "number": label.number})
            )
        if label.value is not None:
            reading.put(pointer, label.value, source=lines.where(label.printed, "the header lines"))


def _author(layout: Layout, lines: Lines, reading: Reading) -> None:
    labelled = layout.labels.get("author")
    if labelled:
        reading.put("/author", normalize_name(labelled), source=_label("author"))
        return
    for k, line in enumerate(layout.intro[:-1]):
        if re.fullmatch(r"(?:from the (?:journal|diary) of|из дневника)", line, re.I):
            following = layout.intro[k + 1]
            if is_person_name(following):
                where = lines.where(following, "the heading lines")
                reading.put("/author", normalize_name(following), source=where)
                return
    title = reading.record.get("title", "")
    inferred = author_from_title(title)
    if inferred:
        where = f"inferred from the title: {_short(title, 80)}"
        reading.put("/author", inferred, inferred=True, source=where)


def _contributors(layout: Layout, lines: Lines, statement: str | None, reading: Reading) -> None:
    texts = [statement] if statement else []
    for text in texts + _metadata_texts(layout) + [b.text for b in layout.blocks]:
        obtained, translators = find_contributors(text)
        if obtained or translators:
            where = lines.where(text, f"the credits: {_short(text)}")
            if translators:
                reading.put("/translators", translators, source=where)
            if obtained:
                reading.put("/obtained_by", obtained, source=where)
            return


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _languages(layout: Layout, lines: Lines, reading: Reading) -> None:
    for label in ("original language", "language"):
        name = layout.labels.get(label)
        if name:
            _language(reading, "/languages/original", name, _label(label))
            break
    contents = layout.labels.get("contents")
    if contents:
        reading.contents = contents
        match = re.match(r"^(?P<kind>.+?)\s*[-–—:]\s*(?P<name>[^-–—:]+)$", contents)
        if match:
            _language(reading, "/languages/content", match.group("name"), _label("contents"))
            return
    detected = _body_language(layout.body)
    if detected:
        first = lines.where(layout.body[0], "the body") if layout.body else "the body"
        where = f"the commonest words of the body (from {first})"
        reading.put("/languages/content", detected, source=where)


def _language(reading: Reading, pointer: str, name: str, source: str) -> None:
    code = language_code(name)
    if code:
        reading.put(pointer, code, source=source)
    else:
        reading.problems.append(Problem("EXT-021", pointer, {"name": name}))


_ENGLISH = frozenset(
    ["the", "of", "and", "to", "in", "that", "with", "was", "he", "his", "for", "on", "not", "is"]
)
_RUSSIAN = frozenset(
    ["и", "в", "не", "что", "на", "с", "он", "по", "к", "как", "это", "его", "о", "из"]
)


def _body_language(body: list[str]) -> str | None:
    """The language the text itself is written in, by its commonest words."""
    words = re.findall(r"[a-zа-яё]+", " ".join(body).casefold())
    english = sum(w in _ENGLISH for w in words)
    russian = sum(w in _RUSSIAN for w in words)
    if english >= 10 and english > 3 * russian:
        return "eng"
    if russian >= 10 and russian > 3 * english:
        return "rus"
    return None


def _rights(layout: Layout, lines: Lines, reading: Reading) -> None:
    statement = layout.labels.get("rights") or layout.labels.get("rights statement")
    if not statement:
        statement = next(
            (
                b.text
                for b in layout.section_blocks("document information")
                if "copyright" in b.text.casefold()
                and not re.match(r"to (?:en|in)quire|for permission", b.text, re.I)
            ),
            None,
        )
    if not statement:
        found = next((t for _, t in lines.lines if _RIGHTS_RE.search(t)), None)
        statement = found
    if statement:
        where = lines.where(statement, "section Document Information")
        reading.put("/rights/statement", statement, source=where)
        uri = rights_uri(statement)
        if uri:
            reading.put(
                "/rights/uri",
                uri,
                inferred=True,
                source="inferred from the wording of /rights/statement",
            )


_RIGHTS_RE = re.compile(r"may be subject to copyright", re.IGNORECASE)


_URL_RE = re.compile(r"https?://[^\s<>\"'\])]+")


def _source(layout: Layout, lines: Lines, reading: Reading) -> None:
    url = next(
        (
            m.group(0).rstrip(".,;")
            for t in _metadata_texts(layout)
            for m in [_URL_RE.search(t)]
            if m
        ),
        None,
    )
    if url:
        reading.put("/source/url", url, source=lines.where(url, "the catalogue data"))
    record_id = layout.labels.get("record id")
    if record_id:
        reading.put("/source/record_id", record_id, source=_label("record id"))
    elif url:
        last = url.rstrip("/").rsplit("/", 1)[-1]
        if last.isdigit():
            reading.put("/source/record_id", last, source="the last part of /source/url")


def _summary_and_related(layout: Layout, lines: Lines, reading: Reading) -> None:
    summary = layout.labels.get("summary")
    where = _label("summary")
    if summary is None and layout.summary_index is not None:
        summary = layout.blocks[layout.summary_index].text
        where = lines.where(summary, "the summary paragraph")
    if summary:
        reading.put("/summary", summary, source=where)
    related: list[dict[str, str]] = []
    pending: str | None = None
    for block in layout.section_blocks("related documents"):
        date = parse_date(block.text)
        if date is not None and "/" not in date:
            pending = date
        elif pending is not None:
            related.append({"title": block.text, "date": pending})
            pending = None
    if related:
        reading.put("/related", related, source="section Related Documents")


def from_lines(lines: Lines, reading: Reading) -> None:
    """Fill from single lines the header fields the paragraph reader left absent."""
    if "/dates/document_date" not in reading.left_out and not reading.has("/dates/document_date"):
        _page_document_date(lines, reading)
    if not reading.has("/classification/level") and (marked := lines.marking()):
        marking, where = marked
        reading.put("/classification/level", marking.level, source=where.where)
        reading.put("/classification/marking", marking.printed, source=where.where)
    if not reading.has("/copy_number") and (copy := lines.copy_number()):
        label, where = copy
        reading.printed["/copy_number"] = label.printed
        reading.put("/copy_number", label.value, source=where.where)
    if not reading.has("/outgoing_number") and (number := lines.outgoing_number()):
        reading.put("/outgoing_number", number.value, source=number.where)


def _page_document_date(lines: Lines, reading: Reading) -> None:
    date = lines.page_date()
    if date is not None:
        reading.put("/dates/document_date", date.value, source=date.where)


_CONVERSATION_RE = re.compile(
    r"\b(?:conversation|meeting|talks?|transcript|minutes|session|discussion|journal|diary|"
    r"бесед\w*|встреч\w*|дневник\w*)\b",
    re.IGNORECASE,
)
_ON_DATE_RE = re.compile(r"^on\s+(?P<date>.+?)[.,]?$", re.IGNORECASE)


def _conversation_date(lines: Lines, reading: Reading) -> None:
    """A record of a conversation or meeting: the date in its title, an "on <date>"
    line under its heading, or else the page's date (inferred: records of a talk
    are usually dated the day of the talk).
    """
    title = reading.record.get("title", "")
    if _impossible_title_date(title, reading) or reading.has("/dates/conversation_date"):
        return
    if not _CONVERSATION_RE.search(title):
        return
    title_dates = find_dates(title) if len(title) <= _LONGEST_TITLE else []
    if title_dates:
        reading.put(
            "/dates/conversation_date",
            title_dates[-1].value,
            inferred=True,
            source=f"inferred from the title: {title_dates[-1].printed}",
        )
        return
    for n, text in lines.lines[:_HEADER_SCAN]:
        match = _ON_DATE_RE.match(text)
        if match and (date := parse_date(match.group("date"))):
            reading.put("/dates/conversation_date", date, source=f"line {n}: {text}")
            return
    page = lines.page_date()
    document_date = reading.record.get("dates", {}).get("document_date")
    day = _DAY_MONTH_RE.search(title)
    if day and document_date:
        month = _month_number(day.group("month"))
        value = f"{document_date[:4]}-{month:02d}-{int(day.group('day')):02d}"
        if parse_date(value) == value and value <= document_date:
            reading.put(
                "/dates/conversation_date",
                value,
                inferred=True,
                source=f"inferred from the title ({day.group(0)}) and the document date's year",
            )
            return
    after = _date_after_heading(lines, document_date)
    if after is not None:
        under_heading, where = after
        reading.put(
            "/dates/conversation_date",
            under_heading.value,
            inferred=True,
            source=f"inferred from the first date under the heading ({where})",
        )
        return
    if page is not None and not _MESSAGE_RE.match(title):
        reading.put(
            "/dates/conversation_date",
            page.value,
            inferred=True,
            source=f"inferred from the page date ({page.where}): the record of a talk is "
            "dated the day of the talk",
        )


def _impossible_title_date(title: str, reading: Reading) -> bool:
    """A record of a talk whose title prints a date no calendar has ("31 February 1962"):
    its conversation date is left out and said (EXT-022), never taken from elsewhere.
    """
    talk = _CONVERSATION_RE.search(title) or (
        reading.record.get("document_type") == "memorandum_of_conversation"
    )
    if not talk or len(title) > _LONGEST_TITLE or find_dates(title):
        return False
    impossible = find_impossible_dates(title)
    if not impossible:
        return False
    pointer = "/dates/conversation_date"
    held = reading.record.get("dates", {}).get("conversation_date")
    outcome = (
        _LEFT_OUT.format(field=pointer)
        if held is None
        else f"{pointer} holds {held!r}, read from {reading.sources[pointer]}"
    )
    context = {"printed": impossible[-1], "outcome": outcome}
    reading.problems.append(Problem("EXT-022", pointer, context))
    return True


_LEFT_OUT = "{field} was left out rather than taken from elsewhere"


_HEADING_RE = re.compile(
    r"^(?:memorandum of (?:a )?conversation|record of (?:a )?conversation|запись беседы)\.?$",
    re.IGNORECASE,
)
_HEADING_LINES = 3  # the talk's date opens the record: look only just under its heading
_DAYS_BEFORE = 31  # a record of a talk is written within weeks of it


def _date_after_heading(lines: Lines, document_date: str | None) -> tuple[DateMatch, str] | None:
    """The first date in the lines under a "Memorandum of conversation" heading, when it
    falls in the month before the document date ("(April 10, 1979, 12 o'clock)")."""
    if not document_date or "/" in document_date or len(document_date) != len("1979-04-12"):
        return None
    latest = dt.date.fromisoformat(document_date)
    earliest = (latest - dt.timedelta(days=_DAYS_BEFORE)).isoformat()
    for k, (_, text) in enumerate(lines.lines[:_HEADER_SCAN]):
        if not _HEADING_RE.match(text):
            continue
        for n, line in lines.lines[k + 1 : k + 1 + _HEADING_LINES]:
            for date in find_dates(line):
                first, _, last = date.value.partition("/")
                if earliest <= first and (last or first) <= document_date:
                    return date, f"line {n}: {_short(line)}"
        return None
    return None


_HEADER_SCAN = 60


# A cable, telegram, letter or report tells of a talk days after it: its page date is
# the message's, so the conversation date is not inferred from it.
_MESSAGE_RE = re.compile(
    r"^(?:\w+\s+)?(?:cable|(?:ciphered\s+)?telegram|ciphergram|letter|report)\b", re.IGNORECASE
)
_DAY_MONTH_RE = re.compile(
    r"\bon\s+(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?!,?\s*\d{4})"
)


def _month_number(name: str) -> int:
    months = ["january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december"]  # fmt: skip
    return months.index(name.casefold()) + 1
