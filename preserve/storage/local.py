"""A local folder as an :class:`~preserve.storage.base.ObjectStore` (keys are ``/`` paths)."""

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from preserve.storage.base import ObjectInaccessibleError, ObjectInfo, ObjectMissingError


class LocalStore:
    """The files under *root*, symbolic links not followed out of it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def url(self) -> str:
        """The folder's path."""
        return str(self.root)

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*key.split("/"))

    def list(self, gaps: dict[str, str] | None = None) -> Iterator[ObjectInfo]:
        """Every regular file below the root.

        A folder that cannot be listed raises, or, when *gaps* is given and it is not
        the root, is recorded there (its key, ``a/b``, to why) and the rest is listed.
        A root that is not a folder raises :class:`ObjectMissingError`; one that cannot
        even be looked at, :class:`ObjectInaccessibleError`.
        """
        try:
            kind = self.root.stat().st_mode
        except (FileNotFoundError, NotADirectoryError):
            kind = 0
        except OSError as e:  # there may well be a copy there: not "no such folder"
            msg = f"{self.root}: {(e.strerror or str(e)).lower()}"
            raise ObjectInaccessibleError(msg) from e
        if not stat.S_ISDIR(kind):
            msg = f"{self.root}: no such folder"
            raise ObjectMissingError(msg)

        def fail(e: OSError) -> None:
            folder = Path(e.filename or self.root)
            if gaps is not None and folder != self.root:
                gaps[folder.relative_to(self.root).as_posix()] = e.strerror or str(e)
                return
            msg = f"{e.filename}: cannot be listed ({e.strerror})"
            raise ObjectInaccessibleError(msg) from e

        for top, _dirs, files in os.walk(self.root, onerror=fail):
            rel = Path(top).relative_to(self.root).as_posix()
            for name in files:
                key = name if rel == "." else f"{rel}/{name}"
                try:
                    size = self._path(key).stat().st_size
                except FileNotFoundError:
                    continue  # removed while listed
                except OSError:
                    size = -1  # there, but its size cannot be read: reading it will say why
                yield ObjectInfo(key, size)

    def _fail(self, key: str, e: OSError) -> Exception:
        if e.errno == errno.ENOENT:
            return ObjectMissingError(f"{self.root}/{key}: not there")
        return ObjectInaccessibleError(f"{self.root}/{key}: cannot be read ({e.strerror})")

    def size(self, key: str) -> int:
        """The file's size."""
        try:
            return self._path(key).stat().st_size
        except OSError as e:
            raise self._fail(key, e) from e

    def read(self, key: str) -> bytes:
        """The whole file."""
        try:
            return self._path(key).read_bytes()
        except OSError as e:
            raise self._fail(key, e) from e

    def read_range(self, key: str, start: int, length: int) -> bytes:
        """*length* bytes from *start*."""
        try:
            with self._path(key).open("rb") as f:
                f.seek(start)
                return f.read(length)
        except OSError as e:
            raise self._fail(key, e) from e

    def iter_chunks(self, key: str, chunk: int) -> Iterator[bytes]:
        """The file in pieces of *chunk* bytes."""
        try:
            with self._path(key).open("rb") as f:
                while piece := f.read(chunk):
                    yield piece
        except OSError as e:
            raise self._fail(key, e) from e

    def write(self, key: str, data: BinaryIO, size: int) -> None:
        """Write through a temporary file in the same folder, then rename (atomic)."""
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f".{target.name}.preserve-part")
        try:
            with part.open("wb") as out:
                shutil.copyfileobj(data, out, 1 << 20)
                out.flush()
                os.fsync(out.fileno())
            os.replace(part, target)
        except OSError as e:
            part.unlink(missing_ok=True)
            msg = f"{target}: cannot be written ({e.strerror})"
            raise ObjectInaccessibleError(msg) from e

    def delete(self, key: str) -> None:
        """Remove the file if it is there."""
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as e:
            raise self._fail(key, e) from e
