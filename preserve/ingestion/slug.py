"""Safe bag names from untrusted record text.

A bag's folder name comes from the record's archive reference, which is text a user (or
a scraped page) supplied. :func:`slugify` keeps only lower-case ASCII letters, digits and
single hyphens, so the name cannot climb out of the deposit folder (``..``, ``/``), hide
(a leading dot), collide with a device name on Windows, or differ only by Unicode form.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_SLUG = 80
_NOT_SAFE = re.compile(r"[^a-z0-9]+")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)


def slugify(text: str, *, max_length: int = MAX_SLUG) -> str:
    """``AVP RF, f. 0104, op. 19`` → ``avp-rf-f-0104-op-19``; '' when nothing is left.

    Letters with accents lose them (NFKD); other scripts are dropped, so a title in
    Cyrillic alone gives '' and the caller falls back to another name.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SAFE.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rstrip("-")
    if slug in _WINDOWS_RESERVED:
        slug = f"{slug}-record"
    return slug


def bag_name(*candidates: str | None, key: str) -> str:
    """The first candidate that gives a non-empty slug, else ``record-<hash of key>``.

    :param candidates: texts to try in order (citation, record id, source file stem).
    :param key: something unique to the record, hashed for the last resort.
    """
    for candidate in candidates:
        if candidate:
            slug = slugify(candidate)
            if slug:
                return slug
    return "record-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]
