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


# Facts about the run, not the record: the path the document was named by (it differs
# between `ingest samples` and `ingest ./samples`) and the version of the extracting tool.
_RUN_FACTS = ("source", "tool")


def _content(record: Any) -> Any:
    if not isinstance(record, dict) or not isinstance(record.get("extraction"), dict):
        return record
    extraction = {k: v for k, v in record["extraction"].items() if k not in _RUN_FACTS}
    return {**record, "extraction": extraction}


def input_digest(record: Any, payload: Iterable[PayloadFile], *, options: str = "") -> str:
    """SHA-256 over the record (canonical JSON, without the run facts in /extraction),
    each payload file's name and content, and the options that shape the bag (profile).

    :raises OSError: when a payload file cannot be read.
    """
    h = hashlib.sha256()
    canonical = json.dumps(
        _content(record), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    h.update(canonical.encode("utf-8", "surrogatepass"))
    for item in sorted(payload, key=lambda p: p.name):
        h.update(b"\0" + item.name.encode("utf-8", "surrogatepass") + b"\0")
        h.update(file_sha256(item).encode("ascii"))
    h.update(b"\0" + options.encode("utf-8"))
    return "sha256:" + h.hexdigest()
