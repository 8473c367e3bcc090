"""A compact index of a bag's payload (everything under ``data/``) for verifying huge bags.

Issue 3 asks for peak memory under 300 MB for a bag of one million files. One
Python object per file and per manifest entry cost about 1.7 KB a file, so the
payload is kept here as a sorted list of path strings (looked up with
:func:`bisect.bisect_left`, which runs in C), sizes in an :class:`array.array`, and
only the rare entries that are not regular files (links, bad links, special files)
as :class:`DiskFile` objects. A file is known by its position in the sorted list.
"""

from __future__ import annotations

import bisect
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

Kind = Literal["file", "link", "bad-link", "special"]


@dataclass(frozen=True, slots=True)
class DiskFile:
    """One non-directory entry of the bag.

    :param path: the bag path (``data/a.txt``), ``/``-separated.
    :param real: the absolute path to open (the link target for an in-bag link).
    :param size: bytes (0 for anything that is not read).
    :param kind: ``"file"``, ``"link"`` (to a regular file inside the bag),
        ``"bad-link"`` (leaves the bag, dangles or names a directory) or ``"special"``.
    """

    path: str
    real: str
    size: int
    kind: Kind


_READABLE = ("file", "link")


class PayloadIndex:
    """The payload files, sorted by path, addressed by their position.

    Build it with :meth:`add` (any order), then :meth:`freeze` once, then query.
    """

    def __init__(self, root: str) -> None:
        self.root = root
        self.paths: list[str] = []
        self.sizes = array("q")
        self._odd: dict[str, DiskFile] = {}  # by path while adding, by position once frozen
        self.odd: dict[int, DiskFile] = {}
        self._keyed: dict[int, dict[str, list[str]]] = {}

    def add(self, path: str, size: int, disk: DiskFile | None = None) -> None:
        """Record a regular file of *size* bytes, or any entry described by *disk*."""
        self.paths.append(path)
        self.sizes.append(size)
        if disk is not None:
            self._odd[path] = disk

    def freeze(self) -> None:
        """Sort by path (code point order, as ``sorted`` gives); call once after adding."""
        if any(a > b for a, b in zip(self.paths, self.paths[1:], strict=False)):
            order = sorted(range(len(self.paths)), key=self.paths.__getitem__)
            self.paths = [self.paths[i] for i in order]
            self.sizes = array("q", (self.sizes[i] for i in order))
            del order
        self.odd = {self.find(p): d for p, d in self._odd.items()}
        self._odd = {}

    def __len__(self) -> int:
        return len(self.paths)

    def find(self, path: str) -> int:
        """The position of *path*, or -1 when no payload entry has exactly that path."""
        i = bisect.bisect_left(self.paths, path)
        return i if i < len(self.paths) and self.paths[i] == path else -1

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.find(path) >= 0

    def kind(self, i: int) -> Kind:
        """``"file"``, ``"link"``, ``"bad-link"`` or ``"special"``."""
        odd = self.odd.get(i)
        return "file" if odd is None else odd.kind

    def readable(self, i: int) -> bool:
        """Whether entry *i* is read when hashing (a regular file or a good link)."""
        odd = self.odd.get(i)
        return odd is None or odd.kind in _READABLE

    def real(self, i: int) -> str:
        """The absolute path to open for entry *i*."""
        odd = self.odd.get(i)
        return odd.real if odd is not None else f"{self.root}/{self.paths[i]}"

    def unreadable_positions(self) -> list[int]:
        """Positions of entries that are never read (bad links, special files)."""
        return sorted(i for i, d in self.odd.items() if d.kind not in _READABLE)

    def readable_count(self) -> int:
        """How many entries are read when hashing."""
        return len(self.paths) - len(self.unreadable_positions())

    def same_key(self, path: str, key: Callable[[str], str]) -> list[str]:
        """Payload paths whose ``key`` (``nfc_key`` or ``casefold_key``) equals
        ``key(path)``, sorted.

        Only paths that differ from their own key are held in the lookup table
        (built on first use): a plain lower-case ASCII path is its own key under
        both, and is found in the sorted list instead.
        """
        table = self._keyed.get(id(key))
        if table is None:
            table = self._keyed[id(key)] = _keyed(self.paths, key)
        wanted = key(path)
        found = list(table.get(wanted, ()))
        if self.find(wanted) >= 0:
            found.append(wanted)
        return sorted(found)


def _keyed(paths: Iterable[str], key: Callable[[str], str]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        k = key(path)
        if k != path:
            table[k].append(path)
    return table
