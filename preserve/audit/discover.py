"""Find the bags under storage roots, and say which roots could not be read.

A bag is a folder holding a ``bagit.txt`` file, or a serialized bag: a file named
``*.tar``, ``*.tgz``, ``*.tar.gz`` or ``*.zip`` outside any bag. The walk never descends into a bag
(its ``data/`` may hold anything, even other bags), never follows a symlink (so it
cannot leave the roots), and records every folder it could not list, so that bags
known to be under it are reported *inaccessible*, never *missing*.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from preserve.audit.check import is_serialized
from preserve.audit.storage import LOCAL, Storage
from preserve.audit.tagread import bag_info_value


@dataclass(frozen=True, slots=True)
class FoundBag:
    """A bag found on storage.

    :param path: its absolute path (the key of its rows in the ledger).
    :param size: payload bytes an audit will read (Payload-Oxum when bag-info.txt
        declares it, else summed from data/; a serialized bag's file size), for the budget.
    """

    path: str
    size: int


@dataclass(frozen=True, slots=True)
class Discovery:
    """The bags found under the roots, and the folders that could not be read.

    :param unreadable: ``(folder, reason)`` for each root or folder that could not be listed.
    """

    roots: tuple[str, ...]
    bags: tuple[FoundBag, ...]
    unreadable: tuple[tuple[str, str], ...]

    def covers(self, bag: str) -> bool:
        """True when *bag* lies under one of the roots."""
        return any(_under(bag, root) for root in self.roots)

    def unreadable_reason(self, bag: str) -> str | None:
        """Why *bag* could not be reached, when it lies under an unreadable folder."""
        for folder, reason in self.unreadable:
            if _under(bag, folder):
                return f"{folder}: {reason}"
        return None


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def discover(roots: Iterable[str | os.PathLike[str]], *, storage: Storage = LOCAL) -> Discovery:
    """Walk *roots* and return every bag under them (a root may itself be a bag)."""
    # The ledger keys bags by path: one bag must have one key however it was reached
    # (relative, ".", through a symlinked parent), or its history splits in two.
    resolved = tuple(dict.fromkeys(os.path.realpath(r) for r in roots))
    bags: list[FoundBag] = []
    unreadable: list[tuple[str, str]] = []
    for root in resolved:
        # Iterative (a stack, not recursion): folders thousands deep cannot overflow.
        stack = [(Path(root), True)]
        while stack:
            folder, is_root = stack.pop()
            children = _visit(folder, storage, bags, unreadable, is_root=is_root)
            stack.extend((child, False) for child in reversed(children))
    unique = {b.path: b for b in bags}  # overlapping roots find a bag more than once
    return Discovery(
        resolved,
        tuple(sorted(unique.values(), key=lambda b: b.path)),
        tuple(dict.fromkeys(unreadable)),
    )


def _visit(
    folder: Path,
    storage: Storage,
    bags: list[FoundBag],
    unreadable: list[tuple[str, str]],
    *,
    is_root: bool = False,
) -> list[Path]:
    """Record *folder* if it is a bag (or holds serialized bags); return its subfolders."""
    try:
        entries = list(storage.scandir(folder))
    except OSError as e:
        _unlisted(folder, storage, e, bags=bags, unreadable=unreadable, is_root=is_root)
        return []
    names = {e.name: e for e in entries}
    marker = names.get("bagit.txt")
    if marker is not None and marker.is_file(follow_symlinks=False):
        bags.append(FoundBag(str(folder), _size(folder, storage)))
        return []
    subfolders = []
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.is_dir(follow_symlinks=False):
            subfolders.append(folder / entry.name)
        elif entry.is_file(follow_symlinks=False) and is_serialized(entry.name):
            size = entry.stat(follow_symlinks=False).st_size
            bags.append(FoundBag(str(folder / entry.name), size))
    return subfolders


def _unlisted(
    folder: Path,
    storage: Storage,
    error: OSError,
    *,
    bags: list[FoundBag],
    unreadable: list[tuple[str, str]],
    is_root: bool,
) -> None:
    """*folder* could not be listed: a root may be a serialized bag or missing; else unreadable."""
    if isinstance(error, NotADirectoryError):
        if is_root and is_serialized(folder.name):  # a root may be a serialized bag itself
            bags.append(FoundBag(str(folder), storage.lstat(folder).st_size))
        elif is_root:
            unreadable.append((str(folder), "is a file, not a folder or a serialized bag"))
    elif isinstance(error, FileNotFoundError):
        if is_root:
            unreadable.append((str(folder), "does not exist (is the storage mounted?)"))
    else:
        unreadable.append((str(folder), error.strerror or str(error)))


def _size(bag: Path, storage: Storage) -> int:
    """Payload bytes: Payload-Oxum when bag-info.txt declares it, else summed from data/.

    The same measure as a check's ``bytes_checked``, so the bytes budget and the
    throughput recorded in the ledger (which turns a time budget into bytes) agree.
    """
    try:
        with storage.open(bag / "bag-info.txt") as handle:
            info = handle.read(1 << 16).decode("utf-8", "replace")
    except OSError:
        info = ""
    octets, _, _ = bag_info_value(info, "Payload-Oxum").partition(".")
    if octets.isdigit():
        return int(octets)
    return _tree_size(bag / "data", storage)


def _tree_size(folder: Path, storage: Storage) -> int:
    total = 0
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = list(storage.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(current / entry.name)
            elif entry.is_file(follow_symlinks=False):
                total += entry.stat(follow_symlinks=False).st_size
    return total
