"""A quick test that a record passes every per-record rule, for the common case.

Most records in a batch are clean and have the usual shape: one leaf range, a
citation in the canonical English form, full ISO dates, a title that prints the
conversation date as "12 March 1961". For those :func:`passes_quickly` answers in
a few dictionary look-ups, and :func:`preserve.records.validate.semantic.check_record` skips
the rules. It is conservative: whenever it is not sure it says False, and the full
rules run (a test checks it never says True for a record a rule would report).
"""

from __future__ import annotations

import re
from typing import Any

from preserve.records.classification import LEVELS
from preserve.records.validate.placeholders import placeholders

_DAY = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])")
_PART = r"[^\s,.;]+"
_CANONICAL = re.compile(
    rf"[^,.;]+, f\. {_PART}, op\. {_PART}, p\. {_PART}, d\. {_PART}, ll?\. [0-9]+(?:-[0-9]+)?"
)
_PARTS = ("repository", "fond", "opis", "papka", "delo")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_RANGE_BEFORE = re.compile(r"(?:\d|[-–—]|\band|\bи)\s*$")
#: The usual printed markings and their levels; any other marking goes to the full rules.
_LEVEL_OF = {
    printed: level
    for level, markings in LEVELS.items()
    for marking in markings
    for printed in (marking, marking.upper())
}
_COPY_REQUIRED = frozenset({"special_importance", "top_secret", "secret", "confidential"})


def passes_quickly(record: dict[str, Any]) -> bool:
    """True only when every per-record rule certainly passes for *record*."""
    return (
        _reference_ok(record.get("archive_reference")) and _dates_ok(record) and _flags_ok(record)
    )


def _reference_ok(ref: Any) -> bool:
    if not isinstance(ref, dict):
        return False
    leaves = ref.get("leaves")
    if not isinstance(leaves, list) or len(leaves) != 1:
        return False
    leaf = leaves[0]
    if not isinstance(leaf, dict) or len(leaf) != 2:
        return False
    first, last = leaf.get("first"), leaf.get("last")
    if type(first) is not int or type(last) is not int or first > last:
        return False
    citation = ref.get("citation")
    if citation is None:
        return True
    get = ref.get
    repository, fond, opis, papka, delo = (get(part) for part in _PARTS)
    if not (
        type(repository) is str
        and type(fond) is str
        and type(opis) is str
        and type(papka) is str
        and type(delo) is str
    ):
        return False
    span = f"l. {first}" if first == last else f"ll. {first}-{last}"
    expected = f"{repository}, f. {fond}, op. {opis}, p. {papka}, d. {delo}, {span}"
    return citation == expected and _CANONICAL.fullmatch(citation) is not None


def _dates_ok(record: dict[str, Any]) -> bool:
    dates, title = record.get("dates"), record.get("title")
    if not isinstance(dates, dict) or not isinstance(title, str):
        return False
    doc, conv = dates.get("document_date"), dates.get("conversation_date")
    # A day after the 28th may not exist (30 February): the full rules decide (REC-045).
    if not isinstance(doc, str) or _DAY.fullmatch(doc) is None or doc[8:] > "28":
        return False
    if not _related_days_ok(record.get("related")):
        return False
    if conv is None:
        return record.get("document_type") == "memorandum_of_conversation"
    if not isinstance(conv, str) or _DAY.fullmatch(conv) is None or conv > doc:
        return False
    if conv[8:] > "28":
        return False
    printed = f"{int(conv[8:])} {_MONTHS[int(conv[5:7]) - 1]} {conv[:4]}"
    at = title.find(printed)
    # Only the few characters before the date matter ("11-", "11 and "): search those.
    return at >= 0 and _RANGE_BEFORE.search(title[max(0, at - 8) : at]) is None


def _related_days_ok(related: Any) -> bool:
    """No related document's date has a day after the 28th (which may not exist)."""
    if not isinstance(related, list):
        return True
    return not any(isinstance(r, dict) and str(r.get("date", ""))[8:] > "28" for r in related)


def _flags_ok(record: dict[str, Any]) -> bool:
    if not _classification_ok(record.get("classification"), record):
        return False
    extraction = record.get("extraction")
    if isinstance(extraction, dict) and ("printed" in extraction or "contents" in extraction):
        return False
    translators, langs = record.get("translators"), record.get("languages")
    if not translators and isinstance(langs, dict) and "original" in langs:
        return False
    rights, source = record.get("rights"), record.get("source")
    if not isinstance(rights, dict) or not (rights.get("statement") or rights.get("uri")):
        return False
    if next(placeholders(record), None) is not None:
        return False
    if isinstance(source, dict):
        rid, url = source.get("record_id"), source.get("url")
        if isinstance(rid, str) and isinstance(url, str):
            return url.endswith("/" + rid) and "?" not in url and "#" not in url
    return True


def _classification_ok(cls: object, record: dict[str, Any]) -> bool:
    """No classification rule can fire (the full rules run otherwise)."""
    if not isinstance(cls, dict):
        return True
    if "original_classification" in cls:
        return False
    marking = cls.get("marking")
    if marking is not None and _LEVEL_OF.get(marking) != cls.get("level"):
        return False
    return not (cls.get("level") in _COPY_REQUIRED and "copy_number" not in record)
