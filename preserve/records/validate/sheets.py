"""What spreadsheet programs do to exported records, and how preserve reads it back.

- :func:`open_lines` finds the encoding of a CSV export: UTF-8 with or without a
  byte-order mark, or UTF-16 ("Unicode text"), little- or big-endian;
- :func:`detect_delimiter` finds the delimiter (comma, semicolon or tab) on the header;
- :func:`schema_columns` are the dotted column names of the record schema, for
  matching headers case-insensitively and for "did you mean" hints.
"""

from __future__ import annotations

import codecs
import difflib
import io
import re
from collections.abc import Mapping
from functools import cache
from typing import Any, BinaryIO

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
"""The delimiters preserve detects, with the names its messages use."""
TRIED = "UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark"
"""What :func:`open_lines` tries, for messages about a file it cannot read."""
_QUOTED = re.compile(r'"[^"]*"')


class Recoded:
    """Lines of a UTF-16 file as UTF-8 bytes (for :func:`.items.bounded_lines`)."""

    def __init__(self, fh: BinaryIO, encoding: str) -> None:
        self._text = io.TextIOWrapper(fh, encoding=encoding, newline="")

    def readline(self, limit: int = -1) -> bytes:
        return self._text.readline(limit).encode("utf-8")

    def release(self) -> None:
        """Let go of the file without closing it (its opener closes it)."""
        self._text.detach()


def utf16_encoding(head: bytes) -> str | None:
    """The codec of a UTF-16 file from its first bytes, or None for any other file."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # the codec reads the mark, takes its byte order and drops it
    return None


def open_lines(fh: BinaryIO) -> tuple[Any, str]:
    """A file object whose ``readline`` gives UTF-8 bytes, and the encoding found."""
    head = fh.read(4)
    fh.seek(0)
    encoding = utf16_encoding(head)
    if encoding is not None:
        order = "little" if head.startswith(codecs.BOM_UTF16_LE) else "big"
        return Recoded(fh, encoding), f"UTF-16 ({order}-endian)"
    if head.startswith(codecs.BOM_UTF8):
        return fh, "UTF-8 with a byte-order mark"
    return fh, "UTF-8"


def detect_delimiter(header: str) -> str:
    """The delimiter used most often on the header line, outside quotes (comma by default)."""
    bare = _QUOTED.sub("", header)
    counts = {d: bare.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


@cache
def schema_columns() -> frozenset[str]:
    """Every dotted column name the record schema defines (``archive_reference.fond``)."""
    from preserve.records.validate.schema import record_schema

    schema = record_schema().schema
    names: set[str] = set()
    _walk(schema, schema, "", names)
    return frozenset(names)


def _walk(node: Mapping[str, Any], root: Mapping[str, Any], prefix: str, names: set[str]) -> None:
    for name, spec in node.get("properties", {}).items():
        ref = spec.get("$ref", "")
        if ref.startswith("#/$defs/"):
            spec = root["$defs"][ref.removeprefix("#/$defs/")]
        if spec.get("type") == "object" and "properties" in spec:
            _walk(spec, root, f"{prefix}{name}.", names)
        else:
            names.add(prefix + name)


def canonical(name: str) -> str:
    """The schema's spelling of a header name given in any case, else the name as given."""
    lowered = name.lower()
    return lowered if lowered in schema_columns() else name


def suggestion(name: str) -> str:
    """`` (did you mean `x`?)`` for a name close to a schema column, else ``""``."""
    close = difflib.get_close_matches(name.lower(), sorted(schema_columns()), n=1, cutoff=0.6)
    if not close and "." not in name:
        tails = {c.rsplit(".", 1)[-1]: c for c in schema_columns() if "." in c}
        near = difflib.get_close_matches(name.lower(), sorted(tails), n=1, cutoff=0.8)
        close = [tails[near[0]]] if near else []
    return f" (did you mean `{close[0]}`?)" if close else ""
