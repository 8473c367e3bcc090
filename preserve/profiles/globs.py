"""Path patterns of ``Tag-Files-Allowed`` and ``Payload-Files-Allowed``.

The spec points at glob(7): ``*`` is zero or more characters, ``?`` one character and
``[...]`` a class, and none of them ever matches ``/``. (bagit-profile 1.3.1 uses
:func:`fnmatch.fnmatch`, where ``*`` crosses ``/`` so ``*.txt`` admits ``a/b/c.txt``.)

A path is *covered* by a pattern when the path itself, or one of the folders it sits
in, matches the pattern. That keeps the spec's default ``["*"]`` meaning "everything",
and gives ``data/src/*`` its documented meaning of "the folder ``data/src`` and what it
holds", while ``*.txt`` admits only top-level ``.txt`` files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


class GlobSyntaxError(ValueError):
    """A pattern cannot be compiled (for example an unclosed ``[``)."""


@lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """Compile a glob(7) pattern whose wildcards never match ``/``.

    :raises GlobSyntaxError: for an empty pattern or an unclosed ``[``.
    """
    if not pattern:
        msg = "an empty pattern matches nothing"
        raise GlobSyntaxError(msg)
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end, cls = _bracket(pattern, i)
            out.append(cls)
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out), re.DOTALL)


def _bracket(pattern: str, start: int) -> tuple[int, str]:
    """Translate the class starting at ``pattern[start] == "["``; return (end index, regex)."""
    i = start + 1
    negate = i < len(pattern) and pattern[i] in "!^"
    if negate:
        i += 1
    first = i
    # A "]" right after "[" or "[!" is a literal member of the class.
    while i < len(pattern) and (pattern[i] != "]" or i == first):
        if pattern[i] == "/":
            msg = f"'/' cannot appear inside [...] in {pattern!r}"
            raise GlobSyntaxError(msg)
        i += 1
    if i >= len(pattern):
        msg = f"unclosed '[' in {pattern!r}"
        raise GlobSyntaxError(msg)
    # Escape every member but "-" (ranges), so no regex set syntax can sneak in.
    body = "".join(c if c == "-" else re.escape(c) for c in pattern[first:i])
    return i, f"[^/{body}]" if negate else f"(?!/)[{body}]"


def glob_matches(pattern: str, path: str) -> bool:
    """True when *path* matches *pattern* exactly (wildcards stop at ``/``)."""
    return compile_glob(pattern).fullmatch(path) is not None


def covered(path: str, patterns: Iterable[str]) -> bool:
    """True when *path* or one of its parent folders matches one of *patterns*."""
    parts = path.strip("/").split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    return any(glob_matches(p, prefix) for p in patterns for prefix in prefixes)
