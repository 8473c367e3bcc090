"""Paths inside a bag: safety (RFC 8493 §5.1), Unicode and case collisions (§6.1.1.3),
and portability to Windows (§6.1.2).

All functions take a bag path as written in a manifest or ``fetch.txt`` (after
percent-decoding): relative, with ``/`` as separator. They are platform-independent:
a drive letter or UNC path is refused on Linux too, so a bag that would escape on
Windows is caught wherever it is verified.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

_DRIVE = re.compile(r"^[A-Za-z]:")
_ENV_VAR = re.compile(r"^%[^%/\\]+%")
_RESERVED_SEGMENT = re.compile(
    r"(?:^|/)(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9]) *(?:\.[^/]*)?(?:/|$)", re.IGNORECASE
)
_BAD_CHARS = re.compile(r'[<>:"|?*\\\x00-\x1f]')
_ENDS_DOT_SPACE = re.compile(r"([^/]*[. ])(?:/|$)")
# Matches whenever any of the three above could: one scan lets the common, clean path
# skip the three (verify calls windows_problem once per payload file).
_MAYBE_WINDOWS_PROBLEM = re.compile(
    rf"{_RESERVED_SEGMENT.pattern}|{_BAD_CHARS.pattern}|[. ](?:/|$)", re.IGNORECASE
)
MAX_PORTABLE_PATH = 255
"""Paths longer than this draw a portability warning (RFC 8493 §6.1.2)."""

_SYSTEM_FILES = {
    ".ds_store": "macOS Finder metadata",
    "thumbs.db": "Windows thumbnail cache",
    "ehthumbs.db": "Windows thumbnail cache",
    "desktop.ini": "Windows folder settings",
    ".spotlight-v100": "macOS Spotlight index",
    ".trashes": "macOS trash",
    ".fseventsd": "macOS file-system events",
    "$recycle.bin": "Windows recycle bin",
}


_SYSTEM_FILE = re.compile(
    r"(?:^|/)(" + "|".join(re.escape(name) for name in _SYSTEM_FILES) + r"|\._[^/]*$)(?=/|$)",
    re.IGNORECASE,
)


def unsafe_reason(path: str) -> str | None:
    """Why *path* could name something outside the bag, or ``None`` when it is safe.

    Refused: empty paths and NUL bytes, absolute paths (``/x``, ``\\x``), ``~`` and
    ``~user``, drive letters (``C:``), ``\\\\?\\`` and UNC paths, a leading ``%NAME%``,
    and any ``..`` segment with either ``/`` or ``\\`` as separator (Windows splits on
    both, so ``data\\..\\..\\x`` would escape there). Any other backslash is only a
    portability warning (:func:`windows_problem`).

    :param path: a path as written in a manifest or fetch.txt (percent-decoded).
    :returns: a phrase that completes "the path ... ", or ``None``.
    """
    if path.startswith("data/") and ".." not in path and "\x00" not in path:
        return None  # the common case, decided without the checks below
    if not path:
        return "is empty"
    if "\x00" in path:
        return "contains a NUL byte"
    if path.startswith(("\\\\", "//")):
        return "is a UNC or device path (\\\\server\\share, \\\\?\\)"
    if path.startswith(("/", "\\")):
        return "is absolute"
    if path.startswith("~"):
        return "starts with '~' (a home directory)"
    if _DRIVE.match(path):
        return "starts with a drive letter"
    if _ENV_VAR.match(path):
        return "starts with an environment variable (%NAME%)"
    if ".." in re.split(r"[/\\]", path):
        return "contains '..' (with '/' or '\\' as separator)"
    return None


def is_safe_bag_path(path: str) -> bool:
    """True when *path* stays inside the bag on every platform (see :func:`unsafe_reason`).

    :param path: a relative bag path with ``/`` separators.
    """
    return unsafe_reason(path) is None


def strip_dot_slash(path: str) -> str:
    """*path* without leading ``./`` segments (``./data/a`` is ``data/a``)."""
    while path.startswith("./"):
        path = path[2:]
    return path


def nfc_key(path: str) -> str:
    """The key under which names equal after Unicode normalization collide (NFC)."""
    if path.isascii():
        return path
    return unicodedata.normalize("NFC", path)


def casefold_key(path: str) -> str:
    """The key under which names equal after case folding and normalization collide."""
    if path.isascii():
        return path.lower()
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", path).casefold())


def collisions(paths: Iterable[str], key: Callable[[str], str]) -> list[tuple[str, ...]]:
    """Groups of two or more distinct paths that share ``key(path)``, in sorted order.

    Memory stays small for a million paths (issue 3): first one 8-byte hash of each
    key, then exact groups only among the few paths whose key's hash repeats.

    :param paths: bag paths (duplicates are ignored).
    :param key: :func:`nfc_key` or :func:`casefold_key`.
    """
    seq = paths if isinstance(paths, Sequence) else list(paths)
    hashes = array("q", (hash(key(p)) for p in seq))
    repeated = repeated_values(hashes)
    if not repeated:
        return []
    groups: dict[str, set[str]] = defaultdict(set)
    for path, h in zip(seq, hashes, strict=True):
        if h in repeated:
            groups[key(path)].add(path)
    return sorted(tuple(sorted(group)) for group in groups.values() if len(group) > 1)


def repeated_values(values: array[int], *, per_pass: int = 1 << 18) -> set[int]:
    """The values that occur more than once in *values*.

    Looks at one share of the values at a time (by remainder), so the set it builds
    holds at most about *per_pass* of them.
    """
    parts = max(1, -(-len(values) // per_pass))
    out: set[int] = set()
    for part in range(parts):
        seen: set[int] = set()
        for value in values:
            if value % parts == part:
                if value in seen:
                    out.add(value)
                else:
                    seen.add(value)
    return out


def normalization_collisions(paths: Iterable[str]) -> list[tuple[str, ...]]:
    """Distinct paths that are the same name in different Unicode forms."""
    return collisions(paths, nfc_key)


def case_collisions(paths: Iterable[str]) -> list[tuple[str, ...]]:
    """Distinct paths that differ only in case (and not only in normalization)."""
    groups = collisions(paths, casefold_key)
    return [g for g in groups if len({nfc_key(p) for p in g}) > 1]


def windows_problem(path: str) -> str | None:
    """Why Windows could not store *path*, or ``None``.

    Checks every segment for reserved device names (``CON``, ``NUL``, ``COM1``, also
    with an extension), the characters ``<>:"|?*\\`` and control characters, and a
    trailing dot or space.
    """
    if _MAYBE_WINDOWS_PROBLEM.search(path) is None:
        return None
    reserved = _RESERVED_SEGMENT.search(path)
    if reserved:
        return f"uses the reserved device name {reserved[1].upper()!r}"
    bad = sorted(set(_BAD_CHARS.findall(path)))
    if bad:
        return f"contains characters Windows forbids ({', '.join(map(repr, bad))})"
    if any(seg not in (".", "..") for seg in _ENDS_DOT_SPACE.findall(path)):
        return "has a segment ending in a dot or space"
    return None


def system_file_kind(path: str) -> str | None:
    """What an operating-system file such as ``.DS_Store`` is, or ``None``."""
    match = _SYSTEM_FILE.search(path)
    if match is None:
        return None
    return _SYSTEM_FILES.get(match[1].lower(), "macOS resource fork")
