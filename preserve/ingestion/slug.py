"""Safe bag names from untrusted record text.

A bag's folder name comes from the record's archive reference, which is text a user (or
a scraped page) supplied. :func:`slugify` keeps only lower-case ASCII letters, digits and
single hyphens, so the name cannot climb out of the deposit folder (``..``, ``/``), hide
(a leading dot), collide with a device name on Windows, or differ only by Unicode form.

Cyrillic is transliterated (``АВП РФ`` → ``avp-rf``) and a dash of any kind separates
(``14–16`` → ``14-16``), so records that differ only in those get different names. A
name that still had to drop letters (a script with no transliteration here) ends with a
short hash of the whole text, so two such records never share a name.

:func:`legacy_slugify` is how names were made before that (letters outside Latin and
en dashes dropped): a deposit made then keeps its bags' names (see
:func:`preserve.ingestion.run.ingest`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_SLUG = 80
_HASH = 8
_LETTERS = frozenset({"Lu", "Ll", "Lt", "Lo", "Nd"})  # not modifier letters (ʼ)
_NOT_SAFE = re.compile(r"[^a-z0-9]+")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
# Dashes that separate (ranges such as "ll. 14–16"); NFKD keeps them as they are.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
# Russian, Ukrainian and Belarusian letters (BGN/PCGN-like, without diacritics), and the
# Latin letters NFKD does not decompose. Upper case is lowered before the lookup.
_TRANSLIT = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziiklmnoprstufye", strict=True)),
        "ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
        "ъ": "", "ь": "", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
        "ў": "u", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
        "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "ng", "ĸ": "k",
    }
)  # fmt: skip


def _finish(slug: str, max_length: int) -> str:
    if len(slug) > max_length:
        slug = slug[:max_length].rstrip("-")
    if slug in _WINDOWS_RESERVED:
        slug = f"{slug}-record"
    return slug


def slugify(text: str, *, max_length: int = MAX_SLUG) -> str:
    """``AVP RF, f. 0104, op. 19`` → ``avp-rf-f-0104-op-19``; '' when nothing is left.

    Letters with accents lose them (NFKD), Cyrillic is transliterated, dashes separate.
    When letters or digits of another script had to be dropped, the slug ends with
    ``-`` and 8 hex digits of the text's SHA-256 (of its NFC form), so it stays unique.
    """
    lowered = unicodedata.normalize("NFKD", text).lower().translate(_TRANSLIT)
    lowered = "".join("-" if c in _DASHES else c for c in lowered)
    ascii_text = lowered.encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SAFE.sub("-", ascii_text).strip("-")
    lost = any(not c.isascii() and unicodedata.category(c) in _LETTERS for c in lowered)
    if not (lost and slug):
        return _finish(slug, max_length)
    nfc = unicodedata.normalize("NFC", text)
    digest = hashlib.sha256(nfc.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH]
    return _finish(slug, max_length - _HASH - 1) + "-" + digest


def legacy_slugify(text: str, *, max_length: int = MAX_SLUG) -> str:
    """The slug of preserve before Cyrillic and dashes were kept (only for old deposits)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _finish(_NOT_SAFE.sub("-", ascii_text.lower()).strip("-"), max_length)


def bag_name(*candidates: str | None, key: str, legacy: bool = False) -> str:
    """The first candidate that gives a non-empty slug, else ``record-<hash of key>``.

    :param candidates: texts to try in order (citation, record id, source file stem).
    :param key: something unique to the record, hashed for the last resort.
    :param legacy: name as preserve did before (see :func:`legacy_slugify`).
    """
    make = legacy_slugify if legacy else slugify
    for candidate in candidates:
        if candidate:
            slug = make(candidate)
            if slug:
                return slug
    return "record-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]
