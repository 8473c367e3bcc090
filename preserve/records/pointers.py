"""JSON Pointers (RFC 6901): building and reading them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def pointer(parts: Iterable[str | int]) -> str:
    """The JSON Pointer for a path of keys and indexes (``""`` for the whole document)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def resolve(document: Any, ptr: str) -> Any:
    """The value at *ptr* in *document*, or ``None`` when there is none."""
    if ptr == "":
        return document
    node = document
    for raw in ptr[1:].split("/"):
        key = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(key)
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return None
    return node
