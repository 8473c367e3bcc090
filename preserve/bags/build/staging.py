"""Build a bag in a staging folder beside its target, then move it into place atomically.

Layout while building ``/deposits/BAG``::

    /deposits/.BAG.preserve-staging-<random>/
        PRESERVE-STAGING      # owner marker: host and process id (JSON)
        bag/                  # the bag under construction

The staging folder's name starts with a dot and it holds no ``bagit.txt`` at its
top, so nothing mistakes it for a bag. When the bag is complete and verified it is
flushed to disk and ``bag/`` is renamed to the target in one ``rename``; with
``replace`` the old and the new bag are swapped atomically (Linux
``renameat2(RENAME_EXCHANGE)``), so a crash leaves the old bag or the new one at
the target, never a mix. An interrupted run removes its staging folder; a killed
one leaves it, and the next run for the same target removes staging folders whose
owner process is gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import logging
import os
import secrets
import shutil
import socket
from pathlib import Path

from preserve.bags.build._replace import refuse_unless_bag
from preserve.errors import BagError

log = logging.getLogger(__name__)

MARKER = "PRESERVE-STAGING"
_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2


def staging_prefix(target: Path) -> str:
    """The name prefix of staging folders for *target* (``.BAG.preserve-staging-``)."""
    return f".{target.name}.preserve-staging-"


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:  # pragma: no cover - every Linux has a libc
        return None
    try:
        return ctypes.CDLL(name, use_errno=True)
    except OSError:  # pragma: no cover
        return None


_LIBC = _libc()


def _renameat2(src: Path, dst: Path, flags: int) -> bool:
    """``renameat2`` with *flags*; False when the system lacks it (then fall back)."""
    func = getattr(_LIBC, "renameat2", None)
    if func is None:  # pragma: no cover - glibc < 2.28 or not Linux
        return False
    rc = func(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), ctypes.c_uint(flags))
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL):  # pragma: no cover - file system without it
        return False
    raise OSError(err, os.strerror(err), os.fspath(dst))


def fsync_dir(path: Path) -> None:
    """Flush a directory entry list to disk (best effort where unsupported)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def sync_tree(root: Path) -> None:
    """Make every file under *root* durable: one ``syncfs`` on Linux.

    Copies are written without a per-file ``fsync`` (100,000 of those cost minutes);
    one ``syncfs`` of the file system flushes them all. Where ``syncfs`` is not
    available every file and directory is flushed one by one.
    """
    func = getattr(_LIBC, "syncfs", None)
    if func is not None:
        fd = os.open(root, os.O_RDONLY)
        try:
            if func(fd) == 0:
                return
        finally:
            os.close(fd)
    for dirpath, _dirs, files in os.walk(root):  # pragma: no cover - non-Linux fallback
        for name in files:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(dirpath))


def _owner() -> dict[str, object]:
    return {"host": socket.gethostname(), "pid": os.getpid()}


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_stale(folder: Path) -> bool:
    """True for a staging folder whose owner on this host is gone (or never wrote a marker)."""
    try:
        owner = json.loads((folder / MARKER).read_text("utf-8"))
    except FileNotFoundError:
        # A crash between mkdir and writing the marker leaves an empty folder.
        return not any(folder.iterdir())
    except (OSError, ValueError):
        return False
    if not isinstance(owner, dict) or owner.get("host") != socket.gethostname():
        return False
    pid = owner.get("pid")
    return isinstance(pid, int) and not _pid_alive(pid)


def clean_stale(target: Path) -> list[Path]:
    """Remove staging folders for *target* left by killed runs; return what was removed."""
    removed: list[Path] = []
    prefix = staging_prefix(target)
    with contextlib.suppress(FileNotFoundError), os.scandir(target.parent) as entries:
        # Closed by the with: an unclosed scandir iterator warns (and fails the tests).
        for entry in entries:
            folder = Path(entry.path)
            ours = entry.name.startswith(prefix) and entry.is_dir(follow_symlinks=False)
            if ours and _is_stale(folder):
                shutil.rmtree(folder, ignore_errors=True)
                log.info("removed %s, left by a build that was killed", folder)
                removed.append(folder)
    return removed


class Staging:
    """A staging folder for one build; use as a context manager.

    On leaving the ``with`` block by an exception (including Ctrl-C), the folder is
    removed. :meth:`commit` moves the bag into place; the folder is removed after.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self.root = target.parent / f"{staging_prefix(target)}{secrets.token_hex(6)}"
        self.bag = self.root / "bag"

    def __enter__(self) -> Staging:
        self.root.mkdir()
        (self.root / MARKER).write_text(json.dumps(_owner()), "utf-8")
        self.bag.mkdir()
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def commit(self, *, replace: bool) -> None:
        """Flush the bag to disk and move it to the target.

        :raises BagError: the target exists and *replace* is false.
        """
        sync_tree(self.bag)
        fsync_dir(self.bag)
        target = self.target
        if replace and os.path.lexists(target):
            self._swap()
        else:
            self._move_new()
        fsync_dir(target.parent)

    def _move_new(self) -> None:
        target = self.target
        try:
            if not _renameat2(self.bag, target, _RENAME_NOREPLACE):  # pragma: no cover
                if os.path.lexists(target):
                    raise FileExistsError(errno.EEXIST, "exists", os.fspath(target))
                os.rename(self.bag, target)
        except FileExistsError as e:
            msg = f"{target} appeared while the bag was being built; nothing was changed there"
            raise BagError(msg) from e

    def _swap(self) -> None:
        target = self.target
        refuse_unless_bag(target)  # again: it may have changed while the bag was built
        if not _renameat2(self.bag, target, _RENAME_EXCHANGE):  # pragma: no cover
            # Without an atomic exchange: park the old bag inside the staging folder
            # first, so a crash between the two renames leaves it recoverable there.
            os.rename(target, self.root / "previous")
            os.rename(self.bag, target)
