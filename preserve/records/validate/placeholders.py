"""Values copied from documentation or templates instead of from the document.

A rights statement of ``...`` or an author of ``TODO`` passes the schema (a
non-empty string) but says nothing. :func:`is_placeholder` recognises such
values, and only as the WHOLE value: a real title that contains "example" or
starts with "Todo" (Spanish "all") is never caught. The list is deliberately
short, so that real values never trip it:

- only dots or an ellipsis, alone or in brackets: ``...``, ``…``, ``[...]``;
- a whole value in angle brackets: ``<rights statement>``, ``<…>``;
- a template field in braces: ``{statement}``, ``{{author}}``;
- the words TODO, TBD, FIXME, XXX (three or more x), example, placeholder,
  changeme, "lorem ipsum…", each alone, any case, with trailing punctuation.

Only free-text fields are checked (:data:`TEXT_FIELDS`); the parts of an
archive reference are not, since ``XXX`` is a Roman numeral there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

__all__ = ["TEXT_FIELDS", "is_placeholder", "placeholders"]

_PLACEHOLDER = re.compile(
    r"""
    [\[(]?\s*(?:\.{2,}|…+)\s*[\])]?       # ...  …  [...]  (…)
    | <[^<>]*>                            # <rights statement>
    | \{\{?[^{}]*\}\}?                    # {statement}  {{author}}
    | (?:todo|tbd|tbc|fixme|x{3,}|example|placeholder|changeme)[\s.:!?]*
    | lorem\ ipsum\b.*
    """,
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)

#: The free-text fields checked, as JSON pointers (``*`` for every item of a list).
TEXT_FIELDS = (
    "/title",
    "/author",
    "/summary",
    "/rights/statement",
    "/classification/marking",
    "/classification/original_classification",
    "/archive_reference/citation",
    "/archive_reference/repository",
    "/translators/*",
    "/obtained_by/*",
    "/related/*/title",
)


def is_placeholder(value: str) -> bool:
    """True if *value*, as a whole, is a placeholder rather than a real value."""
    return _PLACEHOLDER.fullmatch(value.strip()) is not None


def placeholders(record: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """``(pointer, value)`` for each free-text field of *record* holding a placeholder."""
    for pointer in TEXT_FIELDS:
        for at, value in _values(record, pointer.split("/")[1:], ""):
            if isinstance(value, str) and is_placeholder(value):
                yield at, value


def _values(node: Any, parts: list[str], at: str) -> Iterator[tuple[str, Any]]:
    if not parts:
        yield at, node
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from _values(item, rest, f"{at}/{i}")
    elif isinstance(node, dict) and head in node:
        yield from _values(node[head], rest, f"{at}/{head}")
