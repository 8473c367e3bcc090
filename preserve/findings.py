"""Findings: expected results of a check (an invalid field, a checksum mismatch).

Every finding has a stable ``code`` from a :class:`Catalog` (``REC-…`` for records,
``BAG-…`` for bags, ``PRO-…`` for profiles, ``FMT-…`` for formats, ``AUD-…`` for
audits), a severity, and a message that says what is wrong and what to do. The
message templates live in the catalog, one place per area, so that a rule's
wording is written once and documented from the same source (docs/reference).
Tests assert codes, not wording.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from preserve._types import JSONObject, Severity


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: a stable code, its default severity, and how its message reads.

    :param code: stable identifier such as ``REC-004``; never reused for another meaning.
    :param severity: ``"error"`` or ``"warning"``.
    :param title: a short name for the catalogue.
    :param template: a :meth:`str.format` template for the message; it must say what to do.
    :param example: an input that triggers the rule, for the catalogue in docs/.
    """

    code: str
    severity: Severity
    title: str
    template: str
    example: str = ""


class Catalog(Mapping[str, Rule]):
    """The rules of one area, by code (a test checks codes are unique across areas)."""

    def __init__(self, area: str, rules: Iterable[Rule]) -> None:
        self.area = area
        self._rules: dict[str, Rule] = {}
        for rule in rules:
            if rule.code in self._rules:
                msg = f"rule code {rule.code} is defined twice"
                raise ValueError(msg)
            self._rules[rule.code] = rule

    def __getitem__(self, code: str) -> Rule:
        return self._rules[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def finding(self, code: str, /, *, severity: Severity | None = None, **context: Any) -> Finding:
        """Make a finding for *code*, filling the template from *context*.

        Context keys that name a location (``source``, ``record``, ``field``, ``line``,
        ``row``, ``column``, ``path``) also set that attribute of the finding; other keys
        only fill the template and are kept in ``details``.
        """
        rule = self._rules[code]
        message = rule.template.format(**context)
        location = {k: context.pop(k) for k in _LOCATION_KEYS if k in context}
        return Finding(
            code=code,
            severity=severity or rule.severity,
            message=message,
            details={k: v for k, v in context.items() if _is_jsonable(v)},
            **location,
        )


_LOCATION_KEYS = ("source", "record", "field", "line", "row", "column", "path")


def _is_jsonable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | list | tuple) or value is None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by a check.

    :param code: the rule's stable code.
    :param severity: ``"error"`` (the thing is invalid) or ``"warning"`` (worth a look).
    :param message: what is wrong and what to do, in words a person can act on.
    :param source: the file the problem was found in, as the user named it.
    :param record: the record's identifier (archive reference, record id or position).
    :param field: the JSON Pointer of the field concerned (``""`` for the whole record).
    :param line: the line of a JSON Lines file (1-based).
    :param row: the row of a CSV file as a spreadsheet shows it (the header is row 1).
    :param column: the CSV column name.
    :param path: a path inside a bag (for bag findings), as written in its manifest.
    :param details: extra data for scripts (expected and found digests, …).
    """

    code: str
    severity: Severity
    message: str
    source: str | None = None
    record: str | None = None
    field: str | None = None
    line: int | None = None
    row: int | None = None
    column: str | None = None
    path: str | None = None
    details: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        """True when the finding makes its subject invalid."""
        return self.severity == "error"

    def where(self, *, source: bool = True) -> str:
        """Where it points, most general first: its file (unless *source* is false, for
        a report that groups by file), record, line, row, column, field, bag path."""
        parts = [self.source or "" if source else ""]
        parts.append(f"record {self.record}" if self.record else "")
        for key in ("line", "row", "column"):
            value = getattr(self, key)
            parts.append(f"{key} {value}" if value is not None else "")
        parts.append(f"field {self.field}" if self.field else "")
        parts.append(self.path or "")
        return ", ".join(p for p in parts if p)

    def to_dict(self) -> JSONObject:
        """The finding as JSON data; location keys that do not apply are left out."""
        out: JSONObject = {"code": self.code, "severity": self.severity}
        for key in ("source", "record", "field", "line", "row", "column", "path"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out["message"] = self.message
        if self.details:
            out["details"] = {k: _json(v) for k, v in self.details.items()}
        return out


def _json(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding is an error."""
    return any(f.is_error for f in findings)
