"""JSON Pointers (RFC 6901)."""

from __future__ import annotations

from collections.abc import Iterable


def pointer(parts: Iterable[str | int]) -> str:
    """The JSON Pointer for a path of keys and indexes (``""`` for the whole document)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
