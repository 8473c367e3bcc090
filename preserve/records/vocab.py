"""Small tables that turn printed words into record vocabulary.

Language names into ISO 639-2/B codes, document-type phrases into
``/document_type``, and rights wording into rightsstatements.org URIs. Each
table is data, so that adding a language or a phrase is a one-line change.
"""

from __future__ import annotations

import re

__all__ = [
    "DOCUMENT_TYPES",
    "LANGUAGES",
    "RIGHTS_URIS",
    "document_type_of",
    "language_code",
    "rights_uri",
]

#: Language names (English and Russian, lower case) → ISO 639-2/B.
LANGUAGES: dict[str, str] = {
    "arabic": "ara",
    "armenian": "arm",
    "bulgarian": "bul",
    "chinese": "chi",
    "czech": "cze",
    "english": "eng",
    "french": "fre",
    "georgian": "geo",
    "german": "ger",
    "hebrew": "heb",
    "hungarian": "hun",
    "italian": "ita",
    "japanese": "jpn",
    "korean": "kor",
    "mongolian": "mon",
    "persian": "per",
    "polish": "pol",
    "portuguese": "por",
    "romanian": "rum",
    "russian": "rus",
    "serbian": "srp",
    "slovak": "slo",
    "spanish": "spa",
    "swedish": "swe",
    "ukrainian": "ukr",
    "vietnamese": "vie",
    "английский": "eng",
    "испанский": "spa",
    "немецкий": "ger",
    "русский": "rus",
    "французский": "fre",
}

#: Phrases (lower case) that name a document type → the ``/document_type`` value.
DOCUMENT_TYPES: dict[str, str] = {
    "memorandum of conversation": "memorandum_of_conversation",
    "memorandum of a conversation": "memorandum_of_conversation",
    "record of a conversation": "memorandum_of_conversation",
    "record of conversation": "memorandum_of_conversation",
    "memcon": "memorandum_of_conversation",
    "запись беседы": "memorandum_of_conversation",
    "letter": "letter",
    "письмо": "letter",
    "telegram": "telegram",
    "cable": "telegram",
    "телеграмма": "telegram",
    "шифртелеграмма": "telegram",
    "report": "report",
    "доклад": "report",
    "отчет": "report",
    "отчёт": "report",
    "note": "note",
    "memorandum": "note",
    "записка": "note",
    "памятная записка": "note",
}

#: Rights wording → rightsstatements.org 1.0 URI. "May be subject to copyright"
#: leaves the status open, which is what "Copyright Undetermined" (UND) says.
RIGHTS_URIS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"may be subject to copyright|copyright (?:status )?(?:is )?undetermined", re.I),
        "http://rightsstatements.org/vocab/UND/1.0/",
    ),
    (
        re.compile(r"no known copyright restrictions", re.I),
        "http://rightsstatements.org/vocab/NKC/1.0/",
    ),
    (
        re.compile(r"public domain in the united states", re.I),
        "http://rightsstatements.org/vocab/NoC-US/1.0/",
    ),
    (
        re.compile(r"(?:is|are|remains?) (?:protected by|in) copyright", re.I),
        "http://rightsstatements.org/vocab/InC/1.0/",
    ),
)


def language_code(name: str) -> str | None:
    """ISO 639-2/B code for a language name (``"Russian"`` → ``"rus"``), or None."""
    return LANGUAGES.get(name.strip().strip(".").casefold())


def document_type_of(phrase: str) -> str | None:
    """The document type a whole phrase names (``"Memorandum of Conversation"``), or None."""
    return DOCUMENT_TYPES.get(" ".join(phrase.split()).strip(".:").casefold())


def rights_uri(statement: str) -> str | None:
    """The rightsstatements.org URI whose meaning the statement's wording fits, or None."""
    for pattern, uri in RIGHTS_URIS:
        if pattern.search(statement):
            return uri
    return None
