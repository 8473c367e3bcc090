"""Checks across the records given together, in bounded memory.

Only keys are kept, never whole records: a 64-bit number per duplicate key, and
for each delo the leaf spans and (date, number) of its records, with each record's
label and location. For a million records that is a few hundred bytes each.
Duplicates are reported as soon as they are seen; overlaps and number order once
every record is in (:meth:`CrossCheck.finish`).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, NamedTuple

from preserve.findings import Finding
from preserve.records.validate.codes import CATALOG
from preserve.records.validate.semantic import good_leaves_of, show_leaves


class Seen(NamedTuple):
    """Where a record was: enough to name it in a finding about another record."""

    label: str
    source: str
    line: int | None = None
    row: int | None = None

    def location(self) -> dict[str, Any]:
        """``source``, ``record`` and ``line``/``row`` for a finding about this record."""
        out: dict[str, Any] = {"source": self.source, "record": self.label}
        if self.line is not None:
            out["line"] = self.line
        if self.row is not None:
            out["row"] = self.row
        return out


class _Span(NamedTuple):
    start: int
    end: int
    position: int
    first: int
    last: int
    verso: bool
    seen: Seen


class _Numbered(NamedTuple):
    date: str
    number: int
    text: str | None  # as printed, when it is not just the number ("83/s", "0123")
    seen: Seen

    def shown(self) -> str:
        return self.text or str(self.number)


# Duplicate keys: (rule, field, kind of key, name in the message).
# The leading small int tags the kind of key: hashing it is cheaper than the strings.
_RECORD_ID = (1, "REC-050", "/source/record_id", "record id")
_URL = (2, "REC-050", "/source/url", "URL")
_REFERENCE = (3, "REC-051", "/archive_reference", "")
_TITLE = (4, "REC-052", "/title", "")
_TEXT = (5, "REC-053", "/extraction/text_sha256", "")
_Rule = tuple[int, str, str, str]
_RULES = {rule[0]: rule for rule in (_RECORD_ID, _URL, _REFERENCE, _TITLE, _TEXT)}


class CrossCheck:
    """Collects keys record by record; reports duplicates, overlaps and number order.

    Keys are 64-bit hashes (SipHash, as Python hashes strings): keeping a number
    instead of the key bounds memory; two different keys share one with odds of
    about 1 in 10^7 in a batch of a million records.
    """

    def __init__(self, defaults: Any = None) -> None:
        """:param defaults: the collection defaults; a padded fond there counts as evidence."""
        self._keys: dict[int, Seen] = {}
        self._spans: dict[int, list[_Span]] = defaultdict(list)
        self._numbers: dict[tuple[int, str], list[_Numbered]] = defaultdict(list)
        self._padded_fonds: dict[int, tuple[str, str]] = {}  # 104: ("0104", "record #1")
        self._bare_fonds: list[tuple[str, Seen]] = []  # "104", as given by the record
        ref = defaults.get("archive_reference") if isinstance(defaults, dict) else None
        if isinstance(ref, dict):
            self._note_fond(ref.get("fond"), None)

    def add(self, record: Any, /, **location: Any) -> list[Finding]:
        """Remember *record*'s keys; return the duplicates it makes with earlier records.

        :param location: ``source`` and ``record`` (label); ``line``/``row`` where known.
        """
        seen = Seen(
            str(location.get("record")),
            str(location.get("source")),
            location.get("line"),
            location.get("row"),
        )
        return self.add_seen(record, seen)

    def add_seen(self, record: Any, seen: Seen, /) -> list[Finding]:
        """As :meth:`add`, with the record's location already made (the hot path)."""
        keys = record_keys(record)
        return [] if keys is None else self.merge(keys, seen)

    def merge(self, keys: RecordKeys, seen: Seen, /) -> list[Finding]:
        """Remember keys made by :func:`record_keys` (perhaps in another process).

        Merging every record's keys in input order gives the same findings, in the
        same order, wherever the keys were made.
        """
        found: list[Finding] = []
        duplicate_reference = False
        known = self._keys
        for tag, key in keys.duplicates:
            # hash() here, in one process: str hashes differ between processes.
            other = known.setdefault(hash((tag, key)), seen)
            if other is not seen:  # setdefault returned an earlier record's
                found.append(_duplicate(_RULES[tag], key, other, seen.location()))
                duplicate_reference = duplicate_reference or tag == _REFERENCE[0]
        if keys.parts is not None:
            self._note_fond(keys.parts[1], seen)
        if keys.parts is not None and not duplicate_reference:  # a duplicate's: one finding
            delo = hash(keys.parts)
            for i, first, last, verso in keys.leaves:
                if first <= last:
                    # As leaf_span, without building a dict per leaf.
                    start = 2 * first + (1 if verso and first == last else 0)
                    end = 2 * last + (1 if verso else 0)
                    self._spans[delo].append(
                        _Span(
                            start=start,
                            end=end,
                            position=i,
                            first=first,
                            last=last,
                            verso=verso,
                            seen=seen,
                        )
                    )
            if keys.number is not None:
                date, number, shown = keys.number
                self._numbers[(delo, date[:4])].append(_Numbered(date, number, shown, seen))
        return found

    def _note_fond(self, fond: Any, seen: Seen | None) -> None:
        """Remember a fond written with leading zeros, or one that may have lost them."""
        if not isinstance(fond, str) or not fond.isdigit():
            return
        if fond.startswith("0") and fond.strip("0"):
            where = "the defaults" if seen is None else f"record {seen.label} ({seen.source})"
            where = f"{fond!r} in {where}"
            self._padded_fonds.setdefault(int(fond), (fond, where))
        elif seen is not None and not fond.startswith("0"):
            self._bare_fonds.append((fond, seen))

    def finish(self) -> list[Finding]:
        """Findings that need every record: overlapping leaves, outgoing-number order,
        leading zeros a spreadsheet dropped.
        """
        found = [f for spans in self._spans.values() for f in _overlaps(spans)]
        found += [f for numbered in self._numbers.values() for f in _order(numbered)]
        found += [f for numbered in self._numbers.values() for f in _unpadded_numbers(numbered)]
        for fond, seen in self._bare_fonds:
            padded = self._padded_fonds.get(int(fond))
            if padded is not None:
                found.append(_stripped("/archive_reference/fond", fond, *padded, seen))
        return found


class RecordKeys(NamedTuple):
    """What one record gives the cross-record rules: small, and cheap to pickle.

    :param duplicates: ``(tag, key)`` of each duplicate key (record id, URL, ...).
    :param parts: the reference's parts when it names a delo, else None.
    :param leaves: ``(index, first, last, verso)`` of each well-formed leaf range.
    :param number: ``(document date, outgoing number, number as printed or None)``.
    """

    duplicates: tuple[tuple[int, Any], ...]
    parts: tuple[Any, ...] | None
    leaves: tuple[_Shape, ...]
    number: tuple[str, int, str | None] | None


def record_keys(record: Any) -> RecordKeys | None:
    """The keys of *record* for :meth:`CrossCheck.merge` (None for a non-object)."""
    if not isinstance(record, dict):
        return None
    ref = record.get("archive_reference")
    parts = _parts(ref)
    leaves = _leaf_shapes(ref)
    duplicates = tuple((rule[0], key) for rule, key in _keys(record, parts, leaves))
    if parts is None or not isinstance(parts[4], str):
        return RecordKeys(duplicates, None, leaves, None)
    text = record.get("outgoing_number")
    number = _number(text)
    dates = record.get("dates")
    date = dates.get("document_date") if isinstance(dates, dict) else None
    numbered = None
    if number is not None and isinstance(date, str) and len(date) == 10:
        numbered = (date, number, None if text == str(number) else text)
    return RecordKeys(duplicates, parts, leaves, numbered)


def _duplicate(rule: _Rule, value: str, other: Seen, location: dict[str, Any]) -> Finding:
    _, code, field, key_name = rule
    values: dict[str, Any] = {"other": other.label, "other_source": other.source}
    if code == "REC-050":
        values |= {"key_name": key_name, "key_value": value}
    elif code == "REC-053":
        values["digest"] = value[:12] + "…"
    return CATALOG.finding(code, field=field, **values, **location)


_Shape = tuple[int, int, int, bool]


def _parts(ref: Any) -> tuple[Any, ...] | None:
    """(repository, fond, opis, papka, delo) of an archive reference, or None."""
    if not isinstance(ref, dict):
        return None
    get = ref.get
    return (get("repository"), get("fond"), get("opis"), get("papka"), get("delo"))


def _leaf_shapes(ref: Any) -> tuple[_Shape, ...]:
    """(index, first, last, verso) of each well-formed leaf range."""
    leaves = ref.get("leaves") if isinstance(ref, dict) else None
    if not isinstance(leaves, list):
        return ()
    return tuple(
        (i, leaf["first"], leaf["last"], bool(leaf.get("verso")))
        for i, leaf in good_leaves_of(leaves)
    )


def _keys(
    record: dict[str, Any], parts: tuple[Any, ...] | None, leaves: tuple[_Shape, ...]
) -> list[tuple[_Rule, Any]]:
    """The duplicate keys of *record*: (rule, key); a string key is shown in the message."""
    keys: list[tuple[_Rule, Any]] = []
    source = record.get("source")
    if isinstance(source, dict):
        record_id, url = source.get("record_id"), source.get("url")
        if isinstance(record_id, str) and record_id:
            keys.append((_RECORD_ID, record_id))
        if isinstance(url, str) and url:
            keys.append((_URL, url))
    if parts is not None and leaves:
        keys.append((_REFERENCE, (parts, tuple(shape[1:] for shape in leaves))))
    title, dates = record.get("title"), record.get("dates")
    date = dates.get("document_date") if isinstance(dates, dict) else None
    if isinstance(title, str) and isinstance(date, str):
        keys.append((_TITLE, (" ".join(title.casefold().split()), date)))
    extraction = record.get("extraction")
    digest = extraction.get("text_sha256") if isinstance(extraction, dict) else None
    if isinstance(digest, str) and digest:
        keys.append((_TEXT, digest))
    return keys


def _number(value: Any) -> int | None:
    if not isinstance(value, str):
        return None
    digits = value.split("/")[0].split("-")[0]
    return int(digits) if digits.isdigit() else None


def _overlaps(spans: list[_Span]) -> Iterator[Finding]:
    """Sweep the spans of one delo in order; report each that overlaps an earlier one."""
    spans.sort(key=lambda s: (s.start, s.end))
    reach: _Span | None = None
    for span in spans:
        if reach is not None and span.start <= reach.end and reach.seen != span.seen:
            yield CATALOG.finding(
                "REC-054",
                field=f"/archive_reference/leaves/{span.position}",
                this=_show(span),
                other_leaves=_show(reach),
                other=reach.seen.label,
                **span.seen.location(),
            )
        if reach is None or span.end > reach.end:
            reach = span


def _show(span: _Span) -> str:
    return show_leaves({"first": span.first, "last": span.last, "verso": span.verso})


def _order(numbered: list[_Numbered]) -> Iterator[Finding]:
    """Within one delo and year, numbers rise with the dates: report the records off the run.

    The longest run of records whose numbers rise with their dates is taken as the
    register; each record outside it is reported, naming a record of the run it
    contradicts. Beside No. 83 of 23 March and No. 100 of 3 April, a No. 90 of
    10 April is the odd one out (not No. 100). Between two records alone, the later
    document is reported.
    """
    numbered.sort(key=lambda n: (n.date, n.number))
    run = _longest_run(numbered)
    kept = {id(entry) for entry in run}
    dates = [entry.date for entry in run]
    for entry in numbered:
        if id(entry) in kept:
            continue
        other = _contradicted(entry, run, dates)
        yield CATALOG.finding(
            "REC-055",
            field="/outgoing_number",
            number=entry.shown(),
            date=entry.date,
            other_number=other.shown(),
            other_date=other.date,
            other=other.seen.label,
            **entry.seen.location(),
        )


def _unpadded_numbers(numbered: list[_Numbered]) -> Iterator[Finding]:
    """Numbers without the leading zero the rest of their register is written with.

    When most numbers of one delo and year are printed as ``0123`` (digits only), a
    bare ``100`` among them most likely lost its zero in a spreadsheet.
    """
    padded = [n for n in numbered if n.text and n.text.isdigit() and n.text.startswith("0")]
    bare = [n for n in numbered if n.text is None]
    if not padded or len(bare) >= len(padded):
        return
    other = padded[0]
    for entry in bare:
        width = max(len(str(entry.number)) + 1, len(other.text or ""))
        shown = str(entry.number).zfill(width)
        where = f"No. {other.text} in record {other.seen.label} ({other.seen.source})"
        yield _stripped(
            field="/outgoing_number",
            value=str(entry.number),
            padded=shown,
            where=where,
            seen=entry.seen,
        )


def _stripped(field: str, value: str, padded: str, where: str, seen: Seen) -> Finding:
    return CATALOG.finding(
        "REC-056", field=field, value=value, padded=padded, where=where, **seen.location()
    )


def _longest_run(ordered: list[_Numbered]) -> list[_Numbered]:
    """The longest sub-sequence of *ordered* (by date) whose numbers never fall.

    Patience sorting from the latest date backwards, so that of two equally long runs
    the one keeping the earlier documents wins.
    """
    backwards = ordered[::-1]
    tails: list[int] = []  # tails[k]: index in backwards of the best run of length k+1
    keys: list[int] = []
    before: list[int | None] = [None] * len(backwards)
    for i, entry in enumerate(backwards):
        key = -entry.number
        k = bisect.bisect_right(keys, key)
        before[i] = tails[k - 1] if k else None
        if k == len(tails):
            tails.append(i)
            keys.append(key)
        else:
            tails[k], keys[k] = i, key
    run: list[_Numbered] = []
    at = tails[-1] if tails else None
    while at is not None:
        run.append(backwards[at])
        at = before[at]
    return run  # by date again: backwards of backwards


def _contradicted(entry: _Numbered, run: list[_Numbered], dates: list[str]) -> _Numbered:
    """A record of *run* that *entry* is out of order with (the nearest in date)."""
    earlier = bisect.bisect_left(dates, entry.date) - 1
    if earlier >= 0 and run[earlier].number > entry.number:
        return run[earlier]
    later = bisect.bisect_right(dates, entry.date)
    if later < len(run) and run[later].number < entry.number:
        return run[later]
    return run[max(earlier, 0)] if earlier >= 0 else run[min(later, len(run) - 1)]
