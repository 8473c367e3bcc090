"""How an audit reads storage: one small class, so tests and clusters can swap it.

Tests subclass :class:`Storage` to make a root unreadable (``OSError(EACCES)``) even
when they run as root, where ``chmod 000`` blocks nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


class Storage:
    """Plain local (or mounted network) file access. Picklable, for Dask workers."""

    def open(self, path: Path) -> BinaryIO:
        """Open *path* for reading bytes."""
        return path.open("rb")

    def lstat(self, path: Path) -> os.stat_result:
        """Status of *path* itself (a symlink is not followed)."""
        return path.lstat()

    def scandir(self, path: Path) -> Iterator[os.DirEntry[str]]:
        """The entries of directory *path* (never following symlinks is up to the caller)."""
        with os.scandir(path) as entries:
            yield from entries

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __hash__(self) -> int:
        return hash(type(self))


LOCAL = Storage()
"""The default storage."""
