"""What is actually in a bag's folder: files, links, and things that are not files.

The walk never follows a symbolic link. A link is resolved only to decide whether its
target is a regular file inside the bag; links leaving the bag, dangling links, links
to directories and special files (pipes, sockets, devices) are recorded and never
read, so verifying a hostile bag reads nothing outside it and never blocks on a FIFO.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field

from preserve.bags.codes import BAG
from preserve.bags.verify._payload import DiskFile, PayloadIndex
from preserve.findings import Finding


@dataclass(slots=True)
class Inventory:
    """The bag's entries: tag files (outside ``data/``) by bag path, the payload
    in a compact :class:`PayloadIndex`, and the directories."""

    root: str
    files: dict[str, DiskFile] = field(default_factory=dict)
    payload: PayloadIndex = field(init=False)
    dirs: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    _unreadable: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.payload = PayloadIndex(self.root)

    def cannot_read(self, rel: str, e: OSError) -> None:
        """*rel* (a file or folder) could not be read: BAG-033 with its path."""
        self.unreadable.append(rel)
        self._unreadable.add(rel)
        self.findings.append(BAG.finding("BAG-033", path=rel, reason=describe_os_error(e)))

    def hidden(self, path: str) -> bool:
        """Whether *path* could not be read or lies in a folder that could not be: it
        may well be there, so it is unreadable (BAG-033 names the folder), never missing."""
        if not self._unreadable:
            return False
        parts = path.split("/")
        return any("/".join(parts[:n]) in self._unreadable for n in range(1, len(parts) + 1))

    def payload_hidden(self) -> bool:
        """Whether part of data/ could not be listed (its counts cannot be known)."""
        return any(p == "data" or p.startswith("data/") for p in self._unreadable)

    def tag_files(self) -> list[DiskFile]:
        """Entries outside ``data/``."""
        return list(self.files.values())

    def add(self, disk: DiskFile) -> None:
        """Record a link or special file (regular files go straight to the index)."""
        if disk.path.startswith("data/"):
            plain = disk.kind == "file"
            self.payload.add(disk.path, disk.size, None if plain else disk)
        else:
            self.files[disk.path] = disk


def describe_os_error(e: OSError) -> str:
    """A short reason for a read failure (``permission denied``, ``I/O error``)."""
    if e.errno is not None and e.errno in errno.errorcode:
        return os.strerror(e.errno).lower()
    return str(e)


def scan(root: str) -> Inventory:
    """Walk *root* (already resolved) without following links.

    Folders wait on a stack by path and are read one at a time, entry by entry, so
    the walk holds one directory iterator, never a listing of the whole bag
    (issue 3: a million ``DirEntry`` objects alone would exceed the memory target).

    :raises OSError: when *root* itself cannot be listed (the caller decides).
    """
    inventory = Inventory(root)
    with os.scandir(root) as it:
        top = list(it)
    stack: list[tuple[str, str]] = []
    for entry in top:
        _visit(inventory, entry.name, entry, stack)
    while stack:
        rel, path = stack.pop()
        try:
            with os.scandir(path) as it:
                for entry in it:
                    _visit(inventory, f"{rel}/{entry.name}", entry, stack)
        except OSError as e:
            inventory.cannot_read(rel, e)
    inventory.payload.freeze()
    return inventory


def _visit(inv: Inventory, rel: str, entry: os.DirEntry[str], stack: list[tuple[str, str]]) -> None:
    try:
        st = entry.stat(follow_symlinks=False)
    except OSError as e:
        inv.cannot_read(rel, e)
        return
    if stat.S_ISDIR(st.st_mode):
        inv.dirs.add(rel)
        stack.append((rel, entry.path))
    elif stat.S_ISREG(st.st_mode):
        if rel.startswith("data/"):  # the hot path: no object per payload file
            inv.payload.add(rel, st.st_size)
        else:
            inv.files[rel] = DiskFile(rel, entry.path, st.st_size, "file")
    elif stat.S_ISLNK(st.st_mode):
        inv.add(_link(inv, rel, entry.path))
    else:
        inv.add(DiskFile(rel, entry.path, 0, "special"))
        inv.findings.append(BAG.finding("BAG-036", path=rel, kind=_special_kind(st.st_mode)))


def _link(inv: Inventory, rel: str, path: str) -> DiskFile:
    target = os.path.realpath(path)
    inside = os.path.commonpath([inv.root, target]) == inv.root and target != inv.root
    reason = None
    size = 0
    if not inside:
        reason = "to a place outside the bag"
    else:
        try:
            st = os.stat(target)
        except OSError:
            reason = "that leads nowhere (dangling)"
        else:
            if not stat.S_ISREG(st.st_mode):
                reason = "to something that is not a regular file"
            size = st.st_size
    if reason is not None:
        inv.findings.append(BAG.finding("BAG-034", path=rel, reason=reason))
        return DiskFile(rel, path, 0, "bad-link")
    shown = os.path.relpath(target, inv.root).replace(os.sep, "/")
    inv.findings.append(BAG.finding("BAG-035", path=rel, target=shown))
    return DiskFile(rel, target, size, "link")


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"  # pragma: no cover - no other kinds on POSIX
