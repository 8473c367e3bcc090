"""The input digest: what makes a record's package "unchanged" on a re-run."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from preserve.ingestion.layout import PayloadFile

CHUNK = 1024 * 1024


def file_sha256(payload: PayloadFile) -> str:
    """SHA-256 of one payload file, read in chunks."""
    h = hashlib.sha256()
    with payload.source.open("rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def input_digest(record: Any, payload: Iterable[PayloadFile], *, options: str = "") -> str:
    """SHA-256 over the record (canonical JSON), each payload file's name and content,
    and the options that shape the bag (profile, serialization).

    :raises OSError: when a payload file cannot be read.
    """
    h = hashlib.sha256()
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    h.update(canonical.encode("utf-8", "surrogatepass"))
    for item in sorted(payload, key=lambda p: p.name):
        h.update(b"\0" + item.name.encode("utf-8", "surrogatepass") + b"\0")
        h.update(file_sha256(item).encode("ascii"))
    h.update(b"\0" + options.encode("utf-8"))
    return "sha256:" + h.hexdigest()
