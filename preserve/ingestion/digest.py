"""The input digest: what makes a record's package "unchanged" on a re-run."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from preserve.bags.hashing import sha256_file
from preserve.ingestion.layout import PayloadFile

CHUNK = 1024 * 1024


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
        h.update(sha256_file(item.source).encode("ascii"))
    h.update(b"\0" + options.encode("utf-8"))
    return "sha256:" + h.hexdigest()
