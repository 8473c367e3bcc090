"""The record as Python types: TypedDicts that follow ``schemas/record.schema.json``.

One TypedDict per object of the schema, optional properties ``NotRequired``, enums as
``Literal`` (except the 480 ISO 639-2/B language codes, kept as ``str``: the schema
checks those). A test compares these with the schema, so the two cannot drift.

A :class:`Record` is what preserve *builds* (extraction) or has *validated*; records read
from files are unchecked input (``Mapping[str, Any]``) until validation passes.
"""

# No ``from __future__ import annotations``: Python 3.11 takes a quoted ``NotRequired[…]``
# for a required key.
from collections.abc import Mapping
from typing import Any, Literal, NotRequired, TypeAlias, TypedDict, cast

from preserve._types import JSONValue

DocumentType: TypeAlias = Literal[
    "memorandum_of_conversation", "letter", "telegram", "report", "note", "other"
]
ClassificationLevel: TypeAlias = Literal[
    "special_importance",
    "top_secret",
    "secret",
    "confidential",
    "for_official_use",
    "unclassified",
]
RightsURI: TypeAlias = Literal[
    "http://rightsstatements.org/vocab/InC/1.0/",
    "http://rightsstatements.org/vocab/InC-OW-EU/1.0/",
    "http://rightsstatements.org/vocab/InC-EDU/1.0/",
    "http://rightsstatements.org/vocab/InC-NC/1.0/",
    "http://rightsstatements.org/vocab/InC-RUU/1.0/",
    "http://rightsstatements.org/vocab/NoC-CR/1.0/",
    "http://rightsstatements.org/vocab/NoC-NC/1.0/",
    "http://rightsstatements.org/vocab/NoC-OKLR/1.0/",
    "http://rightsstatements.org/vocab/NoC-US/1.0/",
    "http://rightsstatements.org/vocab/CNE/1.0/",
    "http://rightsstatements.org/vocab/UND/1.0/",
    "http://rightsstatements.org/vocab/NKC/1.0/",
]
LanguageCode: TypeAlias = str
"""An ISO 639-2/B code (``rus``, ``eng``); the schema lists the allowed ones."""


class Dates(TypedDict):
    """``/dates``."""

    document_date: str
    conversation_date: NotRequired[str]


class LeafRange(TypedDict):
    """One item of ``/archive_reference/leaves``."""

    first: int
    last: int
    verso: NotRequired[bool]


class ArchiveReference(TypedDict):
    """``/archive_reference``: every part a string (0104 is not 104).

    A Russian archive's reference gives ``fond`` and ``delo``; another archive's gives
    ``citation`` instead (the schema's ``if``/``then``/``else``).
    """

    citation: NotRequired[str]
    repository: str
    fond: NotRequired[str]
    opis: NotRequired[str]
    papka: NotRequired[str]
    delo: NotRequired[str]
    leaves: NotRequired[list[LeafRange]]
    also_cited: NotRequired[list[str]]


class Classification(TypedDict):
    """``/classification``."""

    level: ClassificationLevel
    marking: NotRequired[str]
    original_classification: NotRequired[str]


class Languages(TypedDict):
    """``/languages``."""

    original: NotRequired[LanguageCode]
    content: NotRequired[LanguageCode]


class Rights(TypedDict):
    """``/rights``."""

    statement: NotRequired[str]
    uri: NotRequired[RightsURI]


class Source(TypedDict):
    """``/source``."""

    url: NotRequired[str]
    record_id: NotRequired[str]


class Related(TypedDict):
    """One item of ``/related``."""

    title: str
    date: NotRequired[str]


class Extraction(TypedDict):
    """``/extraction``: how the record was made. The schema allows further keys; the
    last three are the ones preserve's extraction writes."""

    source: NotRequired[str]
    tool: NotRequired[Any]
    inferred: NotRequired[list[str]]
    supplied: NotRequired[list[str]]
    text_sha256: NotRequired[str]
    printed: NotRequired[dict[str, str]]
    """Each number-like field's printed form, by JSON Pointer (``/copy_number``: ``1``)."""
    contents: NotRequired[str]
    """The ``Contents`` label as printed ('Translation - English')."""
    sources: NotRequired[dict[str, str]]
    """Where each field was read (``line 3: …``, ``label Title``), by JSON Pointer."""


class Record(TypedDict):
    """One archival record (``schemas/record.schema.json``, version 1.0)."""

    schema_version: Literal["1.0"]
    title: str
    document_type: DocumentType
    dates: Dates
    archive_reference: ArchiveReference
    classification: NotRequired[Classification]
    copy_number: NotRequired[int]
    outgoing_number: NotRequired[str]
    author: NotRequired[str]
    translators: NotRequired[list[str]]
    obtained_by: NotRequired[list[str]]
    languages: NotRequired[Languages]
    rights: NotRequired[Rights]
    source: NotRequired[Source]
    summary: NotRequired[str]
    related: NotRequired[list[Related]]
    extraction: NotRequired[Extraction]


def built_record(fields: dict[str, Any]) -> Record:
    """*fields*, built field by field (by JSON Pointer) by extraction, as a :class:`Record`.

    The one place a dict becomes a Record without a check: what extraction builds is
    validated against the schema before anything is packaged.
    """
    return cast(Record, fields)


def record_json(record: Record) -> Mapping[str, JSONValue]:
    """*record* as the JSON object it is, for code that takes any JSON (bags, writers).

    Every value of a :class:`Record` is JSON, but a TypedDict is not a
    ``Mapping[str, JSONValue]`` to mypy; this says so in one place.
    """
    return cast("Mapping[str, JSONValue]", record)
