"""Checks of one record beyond the schema (records.md, "Checks beyond the schema").

Each check reads only what it needs and skips a field the schema already rejects
(a string where a list belongs), so that one mistake gives one finding. Each
yields ``(code, field, template values)``; :func:`check_record` makes findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from preserve.findings import Finding
from preserve.records.citation import format_citation, read_citation
from preserve.records.classification import level_of
from preserve.records.datebounds import (
    date_problem,
    edtf_bounds,
    is_edtf,
    iso_bounds,
    reversed_interval,
)
from preserve.records.dates import find_dates
from preserve.records.numbers import NumberKind, parse_number_label
from preserve.records.validate.codes import CATALOG
from preserve.records.validate.placeholders import placeholders
from preserve.records.validate.quick import passes_quickly

Hit = tuple[str, str, dict[str, Any]]
PARTS = ("repository", "fond", "opis", "papka", "delo")
COPY_REQUIRED = frozenset({"special_importance", "top_secret", "secret", "confidential"})


def check_record(record: Any, /, **location: Any) -> list[Finding]:
    """Every per-record finding for *record* (an object; anything else is skipped).

    :param location: ``source``, ``record``, ``line``, ``row`` for the findings.
    """
    if not isinstance(record, dict) or passes_quickly(record):
        return []
    return [
        CATALOG.finding(code, field=field, **values, **location)
        for check in CHECKS
        for code, field, values in check(record)
    ]


def _obj(record: dict[str, Any], key: str) -> dict[str, Any]:
    value = record.get(key)
    return value if isinstance(value, dict) else {}


def leaf_span(leaf: dict[str, Any]) -> tuple[int, int]:
    """The leaf sides a range covers: recto of leaf n is 2n, its verso 2n+1.

    "ll. 5-7" runs from 5 recto to 7 recto; "ll. 5-7 ob." to 7 verso; "l. 5 ob." is
    5 verso alone. So "ll. 5-7" and "l. 7 ob." do not overlap.
    """
    first, last, verso = leaf["first"], leaf["last"], bool(leaf.get("verso"))
    start = 2 * first + (1 if verso and first == last else 0)
    return start, 2 * last + (1 if verso else 0)


def show_leaves(leaf: dict[str, Any]) -> str:
    """A leaf range as a citation prints it (``97-99``, ``5 ob.``)."""
    text = (
        str(leaf["first"]) if leaf["first"] == leaf["last"] else f"{leaf['first']}-{leaf['last']}"
    )
    return text + (" ob." if leaf.get("verso") else "")


def good_leaves(record: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """The well-formed leaf ranges of *record* with their indexes."""
    leaves = _obj(record, "archive_reference").get("leaves")
    return good_leaves_of(leaves) if isinstance(leaves, list) else []


def _leaves(record: dict[str, Any]) -> Iterator[Hit]:
    spans: list[tuple[int, int, int, dict[str, Any]]] = []
    for i, leaf in good_leaves(record):
        field = f"/archive_reference/leaves/{i}"
        if leaf["first"] > leaf["last"]:
            yield "REC-030", field, {"first": leaf["first"], "last": leaf["last"]}
            continue
        start, end = leaf_span(leaf)
        for o_start, o_end, _, other in spans:
            if start <= o_end and o_start <= end:
                yield "REC-031", field, {"this": show_leaves(leaf), "other": show_leaves(other)}
                break
        spans.append((start, end, i, leaf))


def _citation(record: dict[str, Any]) -> Iterator[Hit]:
    ref = _obj(record, "archive_reference")
    text = ref.get("citation")
    if not isinstance(text, str):
        return
    if _is_canonical(text, ref):
        return  # the canonical form of the parts parses back to them (fast path)
    parsed = read_citation(text)
    field = "/archive_reference/citation"
    if parsed is None or parsed.unread:
        why = (
            "it names no archive and no number"
            if parsed is None
            else "it cannot read " + ", ".join(repr(u) for u in parsed.unread)
        )
        problem = (
            f"the citation {text!r} cannot be read as an archival reference ({why}; "
            "leaves are numbers such as 97-99 or 5 ob., and each part is given once)"
        )
        yield "REC-032", field, {"problem": problem}
        return
    for part in PARTS:
        cited, held = getattr(parsed, part), ref.get(part)
        if cited != held and (held is None or isinstance(held, str)):
            gives = f"gives {part} {cited!r}" if cited is not None else f"gives no {part}"
            holds = f"is {held!r}" if held is not None else "is missing"
            problem = f"the citation {gives} but /archive_reference/{part} {holds}"
            yield "REC-032", f"/archive_reference/{part}", {"problem": problem}
    cited_leaves = [leaf.to_dict() for leaf in parsed.leaves]
    held_leaves = ref.get("leaves")
    if isinstance(held_leaves, list) and cited_leaves != [_plain(x) for x in held_leaves]:
        shown = ", ".join(show_leaves(x) for x in cited_leaves) or "no leaves"
        problem = f"the citation gives leaves {shown} but /archive_reference/leaves differs"
        yield "REC-032", "/archive_reference/leaves", {"problem": problem}
    elif held_leaves is None and cited_leaves:
        problem = "the citation gives leaves but /archive_reference/leaves is missing"
        yield "REC-032", "/archive_reference/leaves", {"problem": problem}
    held_also = ref.get("also_cited")
    if isinstance(held_also, list) and held_also != list(parsed.also_cited):
        gives = (
            f"also cites {'; '.join(parsed.also_cited)!r}"
            if parsed.also_cited
            else ("names no second archive")
        )
        problem = f"the citation {gives} but /archive_reference/also_cited differs"
        yield "REC-032", "/archive_reference/also_cited", {"problem": problem}


_PLAIN_PART = re.compile(r"[^\s,.;]+")


def _is_canonical(text: str, ref: dict[str, Any]) -> bool:
    """True when *text* is exactly :func:`format_citation` of parts that parse back."""
    repository = ref.get("repository")
    if isinstance(repository, str) and ("." in repository or "," in repository):
        return False
    for part in PARTS[1:]:
        value = ref.get(part)
        if value is not None and not (isinstance(value, str) and _PLAIN_PART.fullmatch(value)):
            return False
    leaves = ref.get("leaves")
    if leaves is not None and (
        not isinstance(leaves, list) or len(good_leaves_of(leaves)) != len(leaves)
    ):
        return False
    return text == format_citation(ref)


_LEAF_KEYS = frozenset({"first", "last", "verso"})


def good_leaves_of(leaves: list[Any]) -> list[tuple[int, dict[str, Any]]]:
    """The well-formed ranges in a leaves list, with their indexes."""
    return [
        (i, leaf)
        for i, leaf in enumerate(leaves)
        if isinstance(leaf, dict)
        and type(leaf.get("first")) is int
        and type(leaf.get("last")) is int
        and leaf.keys() <= _LEAF_KEYS
        and leaf.get("verso", False) in (True, False)
    ]


def _plain(leaf: Any) -> Any:
    if isinstance(leaf, dict) and leaf.get("verso") is False:
        return {k: v for k, v in leaf.items() if k != "verso"}
    return leaf


def _dates(record: dict[str, Any]) -> tuple[str | None, str | None]:
    """The record's dates for comparing; a date REC-045/046 reports is left out."""
    dates = _obj(record, "dates")
    doc, conv = dates.get("document_date"), dates.get("conversation_date")
    return (
        doc if isinstance(doc, str) and iso_bounds(doc) and not date_problem(doc) else None,
        conv if isinstance(conv, str) and is_edtf(conv) and _real(conv) else None,
    )


def _real(value: str) -> bool:
    """Every day *value* names exists, and an interval runs forwards."""
    return not reversed_interval(value) and not any(map(date_problem, value.split("/")))


def _real_dates(record: dict[str, Any]) -> Iterator[Hit]:
    """REC-045 for a date of the right form but no such day, REC-046 for a reversed
    interval (the schema's patterns cannot see either)."""
    dates = _obj(record, "dates")
    found: list[tuple[str, Any]] = [(f"/dates/{k}", dates.get(k)) for k in _DATE_FIELDS]
    related = record.get("related")
    if isinstance(related, list):
        found += [
            (f"/related/{n}/date", item.get("date"))
            for n, item in enumerate(related)
            if isinstance(item, dict)
        ]
    for field, value in found:
        if not isinstance(value, str) or not (is_edtf(value) or iso_bounds(value)):
            continue  # absent, or not a date at all: the schema reports it
        problem = next(filter(None, map(date_problem, value.split("/"))), None)
        if problem:
            yield "REC-045", field, {"value": value, "problem": problem}
        if reversed_interval(value):
            fixed = "/".join(value.split("/")[::-1])
            yield "REC-046", field, {"value": value, "fixed": fixed}


_DATE_FIELDS = ("document_date", "conversation_date")


def _conversation_order(record: dict[str, Any]) -> Iterator[Hit]:
    document, conversation = _dates(record)
    if document is None or conversation is None:
        return
    if len(document) == 10 and _FULL_DATES.fullmatch(conversation):
        if any(day > document for day in conversation.split("/")):
            yield (
                "REC-033",
                "/dates/conversation_date",
                {"conversation": conversation, "document": document},
            )
        return
    doc = iso_bounds(document)
    start, end = edtf_bounds(conversation)
    if doc is None:
        return
    if any(b is not None and b[0] > doc[1] for b in (start, end)):
        values = {"conversation": conversation, "document": document}
        yield "REC-033", "/dates/conversation_date", values


_FULL_DATES = re.compile(r"\d{4}-\d\d-\d\d(?:/\d{4}-\d\d-\d\d)?")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip
_RANGE_BEFORE = re.compile(r"(?:\d|[-–—]|\band|\bи)\s*$")


def _printed_as(value: str) -> str | None:
    """How a title usually prints a full date or same-month day range ("6-7 January 1963")."""
    if not _FULL_DATES.fullmatch(value):
        return None
    first, _, last = value.partition("/")
    month = _MONTH_NAMES[int(first[5:7]) - 1] if "01" <= first[5:7] <= "12" else None
    if month is None:
        return None
    if not last:
        return f"{int(first[8:])} {month} {first[:4]}"
    if last[:7] != first[:7]:
        return None
    return f"{int(first[8:])}-{int(last[8:])} {month} {first[:4]}"


def _title_says(title: str, value: str | None) -> bool:
    """Fast path: the title prints *value* in the usual form, not as part of a range."""
    printed = _printed_as(value) if value else None
    at = title.find(printed) if printed else -1
    return at >= 0 and not _RANGE_BEFORE.search(title[max(0, at - 8) : at])


def _title_date(record: dict[str, Any]) -> Iterator[Hit]:
    title = record.get("title")
    document, conversation = _dates(record)
    if not isinstance(title, str) or (document is None and conversation is None):
        return
    if any(isinstance(d, str) and not _real(d) for d in _obj(record, "dates").values()):
        return  # the title may well be right: REC-045/046 report the date
    if conversation is None and record.get("document_type") == "memorandum_of_conversation":
        return  # the title names the conversation, whose date the record does not give
    if _title_says(title, conversation) or _title_says(title, document):
        return
    spans = [(d.printed, *d.value.partition("/")[::2]) for d in find_dates(title)]
    if not spans:
        return
    accepted: list[tuple[str, str]] = []
    if conversation is not None:
        start, end = edtf_bounds(conversation)
        if start is None or end is None or start[0] != start[1] or end[0] != end[1]:
            return  # open or imprecise: nothing firm to compare
        accepted.append((start[0], end[0]))
    if document is not None:
        accepted.append((document, document))
    if any((first, last or first) in accepted for _, first, last in spans):
        return
    text = spans[-1][0]
    shown = ", ".join(d for d in (conversation, document) if d)
    yield "REC-034", "/title", {"title_date": text, "dates": shown}


def _marking(record: dict[str, Any]) -> Iterator[Hit]:
    cls = _obj(record, "classification")
    marking, original = cls.get("marking"), cls.get("original_classification")
    if not isinstance(marking, str) or not isinstance(original, str):
        return
    a, b = level_of(marking), level_of(original)
    same = a == b if a and b else marking.casefold().strip() == original.casefold().strip()
    if not same:
        yield (
            "REC-035",
            "/classification/original_classification",
            {"marking": marking, "original": original},
        )


def _level(record: dict[str, Any]) -> Iterator[Hit]:
    """The level must be the one the marking stands for (or, without a marking, the catalogue's)."""
    cls = _obj(record, "classification")
    level = cls.get("level")
    field = "marking" if isinstance(cls.get("marking"), str) else "original_classification"
    printed = cls.get(field)
    if not isinstance(level, str) or not isinstance(printed, str):
        return
    means = level_of(printed)
    if means is not None and means != level:
        values = {"level": level, "field_name": field, "printed": printed, "means": means}
        yield "REC-043", "/classification/level", values


def _placeholders(record: dict[str, Any]) -> Iterator[Hit]:
    for pointer, value in placeholders(record):
        yield "REC-044", pointer, {"value": value}


def _copy_number(record: dict[str, Any]) -> Iterator[Hit]:
    level = _obj(record, "classification").get("level")
    if level in COPY_REQUIRED and "copy_number" not in record:
        yield "REC-036", "/copy_number", {"level": str(level).replace("_", " ")}


_NUMBER_FIELDS: dict[str, tuple[str, NumberKind]] = {
    "/copy_number": ("copy_number", "copy"),
    "/outgoing_number": ("outgoing_number", "outgoing"),
}


def _printed_numbers(record: dict[str, Any]) -> Iterator[Hit]:
    """Compare numbers with their printed form in ``/extraction/printed`` (by pointer)."""
    printed = _obj(record, "extraction").get("printed")
    if not isinstance(printed, dict):
        return
    for ptr, (name, kind) in _NUMBER_FIELDS.items():
        text, value = printed.get(ptr), record.get(name)
        label = parse_number_label(text, kind) if isinstance(text, str) else None
        if label is None or value is None:
            continue
        if label.problem == "letter_o":
            if value != label.number:  # a value kept with its letter O: the schema reports it
                fixed = label.number.translate(str.maketrans("OoОо", "0000"))
                yield "REC-038", ptr, {"value": text, "fixed": fixed}
        elif str(label.value) != str(value):
            values = {
                "field_name": name,
                "value": value,
                "printed": text,
                "normalised": label.number,
            }
            yield "REC-037", ptr, values


def _translation(record: dict[str, Any]) -> Iterator[Hit]:
    if record.get("translators"):
        return
    contents = _obj(record, "extraction").get("contents")
    langs = _obj(record, "languages")
    says = isinstance(contents, str) and "translation" in contents.casefold()
    differs = (
        isinstance(langs.get("original"), str)
        and isinstance(langs.get("content"), str)
        and langs["original"] != langs["content"]
    )
    if says or differs:
        yield "REC-039", "/translators", {}


def _record_id(record: dict[str, Any]) -> Iterator[Hit]:
    src = _obj(record, "source")
    record_id, url = src.get("record_id"), src.get("url")
    if not isinstance(record_id, str) or not isinstance(url, str) or not record_id:
        return
    if url.endswith(("/" + record_id, "/" + record_id + "/", "=" + record_id)):
        return  # the usual case, without parsing the URL
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    values = {v for _, v in parse_qsl(parts.query)}
    if record_id in segments or record_id in values:
        return
    expected = segments[-1] if segments else ""
    yield "REC-040", "/source/record_id", {"record_id": record_id, "url": url, "expected": expected}


def _rights(record: dict[str, Any]) -> Iterator[Hit]:
    rights = _obj(record, "rights")
    if not rights.get("statement") and not rights.get("uri"):
        yield "REC-041", "/rights", {}


CHECKS: tuple[Callable[[dict[str, Any]], Iterator[Hit]], ...] = (
    _leaves,
    _citation,
    _real_dates,
    _conversation_order,
    _title_date,
    _marking,
    _level,
    _copy_number,
    _printed_numbers,
    _translation,
    _record_id,
    _rights,
    _placeholders,
)
