"""Reading tar and zip members for :func:`preserve.bags.archive.read.safe_extract`.

Every member passes the :class:`~preserve.bags.archive._guard.Guard` before anything of it is
written; files are created with ``O_EXCL | O_NOFOLLOW`` and their bytes counted.
"""

from __future__ import annotations

import ast
import bz2
import contextlib
import gzip
import io
import lzma
import os
import re
import stat
import tarfile
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any, Literal, TypeAlias, cast

from preserve.bags.archive._guard import Guard, refuse
from preserve.errors import SerializationError

_CHUNK = 1 << 20

Compression: TypeAlias = Literal["gzip", "bzip2", "xz"] | None
"""How a tar stream is compressed (``None``: a plain tar)."""


def _decompressed(raw: IO[bytes], compression: str) -> IO[bytes]:
    if compression == "gzip":
        return cast("IO[bytes]", gzip.GzipFile(fileobj=raw, mode="rb"))
    if compression == "bzip2":
        return bz2.BZ2File(raw, mode="rb")
    return lzma.LZMAFile(raw, mode="rb")


def _tar_kind(member: tarfile.TarInfo) -> str:
    if member.issym():
        return "symbolic link"
    if member.islnk():
        return "hard link"
    if member.issparse():
        return "sparse file"
    if member.isreg():
        return "file"
    if member.isdir():
        return "dir"
    if member.ischr() or member.isblk() or member.isfifo():
        return "device or FIFO"
    return f"of unknown type {member.type!r}"


class _Bounded(io.RawIOBase):
    """The tar stream, refused once it grows past *limit* bytes.

    tarfile reads pax and GNU long-name headers whole, before any member reaches the
    guard: without this bound a small .tar.gz declaring a gigabyte-long header would
    be inflated into memory. No single read asks for more than the bound allows.
    """

    def __init__(self, source: IO[bytes], limit: int, guard: Guard) -> None:
        self.source, self.limit, self.guard, self.count = source, limit, guard, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        want = min(len(view), self.limit - self.count + 1)
        data = self.source.read(want)
        self.count += len(data)
        if self.count > self.limit:
            g = self.guard
            refuse(
                "SER-009",
                archive=g.archive,
                size=f"more than {self.limit}",
                packed=g.packed,
                ratio=self.count / g.packed,
                limit=g.limits.max_ratio,
            )
        view[: len(data)] = data
        return len(data)


def extract_tar(archive: Path, dest: Path, guard: Guard, *, compression: Compression) -> None:
    """Unpack a tar stream; gzip, bzip2 and xz are decompressed under the same bound
    (the whole decompressed stream, headers included, at most the ratio limit)."""
    limits = guard.limits
    bound = max(limits.ratio_floor_bytes, int(limits.max_ratio * guard.packed))
    try:
        with contextlib.ExitStack() as stack:
            raw: IO[bytes] = stack.enter_context(open(archive, "rb"))
            if compression is not None:
                raw = stack.enter_context(_decompressed(raw, compression))
            stream = io.BufferedReader(_Bounded(raw, bound, guard), buffer_size=_CHUNK)
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                for member in tar:
                    _tar_member(tar, member, dest, guard)
    except (tarfile.TarError, EOFError, zlib.error, lzma.LZMAError, OSError) as e:
        if isinstance(e, SerializationError):
            raise
        refuse("SER-013", archive=archive, error=e)


def _tar_member(tar: tarfile.TarFile, member: tarfile.TarInfo, dest: Path, guard: Guard) -> None:
    kind = _tar_kind(member)
    _refuse_kind(guard, member.name, kind)
    name = guard.admit(member.name, kind, member.size)
    if name is None:
        return
    if kind == "dir":
        _make_dirs(dest, name, guard)
        return
    source = tar.extractfile(member)
    if source is None:  # pragma: no cover - isreg() members always have data
        refuse("SER-013", archive=guard.archive, error=f"no data for {member.name!r}")
    _write(source=source, dest=dest, name=name, declared=member.size, guard=guard)


def _zip_kind(info: zipfile.ZipInfo) -> str:
    # Unix zips keep st_mode in the high 16 bits; a mode without file-type bits (as
    # Python's writestr makes, or other systems) says nothing beyond the name.
    ftype = stat.S_IFMT(info.external_attr >> 16) if info.create_system == 3 else 0
    if ftype == stat.S_IFLNK:
        return "symbolic link"
    if info.flag_bits & 0x1:
        return "encrypted file"
    if info.is_dir() or ftype == stat.S_IFDIR:
        return "dir"
    if ftype not in (0, stat.S_IFREG):
        return "device or FIFO"
    return "file"


def _declared_entries(archive: Path) -> int | None:
    """The member count in the zip's end record (zip64 too), read before zipfile builds
    an object per member: a small zip can declare millions of them."""
    size = archive.stat().st_size
    with archive.open("rb") as f:
        f.seek(max(0, size - 65557))  # the end record: 22 bytes plus a comment < 64 KiB
        tail = f.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) < at + 22:
            return None
        total = int.from_bytes(tail[at + 10 : at + 12], "little")
        locator = tail[at - 20 : at] if at >= 20 else b""
        if total == 0xFFFF and locator[:4] == b"PK\x06\x07":
            f.seek(int.from_bytes(locator[8:16], "little"))
            record = f.read(56)
            if record[:4] == b"PK\x06\x06":
                total = int.from_bytes(record[32:40], "little")
    return total


def extract_zip(archive: Path, dest: Path, guard: Guard) -> None:
    try:
        declared = _declared_entries(archive)
        if declared is not None and declared > guard.limits.max_members:
            refuse("SER-007", archive=guard.archive, limit=guard.limits.max_members)
        with zipfile.ZipFile(archive) as zf:
            infos = zf.infolist()
            names: list[tuple[zipfile.ZipInfo, str | None, str]] = []
            for info in infos:  # check every member before writing any
                kind = _zip_kind(info)
                _refuse_kind(guard, info.filename, kind)
                names.append((info, guard.admit(info.filename, kind, info.file_size), kind))
            for info, name, kind in names:
                if name is None:
                    continue
                if kind == "dir":
                    _make_dirs(dest, name, guard)
                    continue
                with zf.open(info) as source:
                    _write(
                        source=source, dest=dest, name=name, declared=info.file_size, guard=guard
                    )
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        EOFError,
        zlib.error,
        OSError,
    ) as e:
        if isinstance(e, SerializationError):
            raise
        refuse("SER-013", archive=archive, error=_in_words(e))


_BYTES_REPR = re.compile(r"""\bb('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")


def _in_words(error: BaseException) -> str:
    """*error*'s message with Python's bytes literals (zipfile quotes member names as
    ``b'...'``) shown as the text they hold."""

    def text(match: re.Match[str]) -> str:
        try:
            raw = ast.literal_eval("b" + match.group(1))
        except (ValueError, SyntaxError):
            return match.group(0)
        return repr(raw.decode("utf-8", "replace"))

    return _BYTES_REPR.sub(text, str(error))


def _refuse_kind(guard: Guard, member: str, kind: str) -> None:
    if kind in ("symbolic link", "hard link"):
        refuse("SER-003", archive=guard.archive, member=member, kind=kind)
    if kind == "device or FIFO":
        refuse("SER-004", archive=guard.archive, member=member, kind=kind)
    if kind not in ("file", "dir"):
        refuse("SER-012", archive=guard.archive, member=member, kind=kind)


def _make_dirs(dest: Path, name: str, guard: Guard) -> Path:
    path = dest.joinpath(*name.split("/"))
    if name in guard.made:
        return path
    path.mkdir(mode=0o755, parents=True, exist_ok=True)
    # Defence in depth: every link is refused, so this can only fail on a bug.
    if not path.resolve().is_relative_to(dest.resolve()):  # pragma: no cover
        refuse("SER-002", archive=guard.archive, member=name, reason="resolves outside the target")
    guard.made.add(name)
    return path


def _write(source: IO[bytes], dest: Path, name: str, declared: int, guard: Guard) -> None:
    parent, _, base = name.rpartition("/")
    folder = _make_dirs(dest, parent, guard) if parent else dest
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_BINARY", 0)
    fd = os.open(folder / base, flags, 0o644)
    written = 0
    with os.fdopen(fd, "wb") as out:
        while chunk := source.read(min(_CHUNK, declared - written + 1)):
            written += len(chunk)
            if written > declared:
                refuse(
                    "SER-010",
                    archive=guard.archive,
                    member=name,
                    found=f"more than {declared}",
                    declared=declared,
                )
            out.write(chunk)
    if written != declared:
        refuse("SER-010", archive=guard.archive, member=name, found=written, declared=declared)
