"""Safe unpacking of serialized bags (tar, gzip-compressed tar, zip).

An archive from outside is hostile until proven otherwise. Every member is checked
*before* anything of it is written, and unpacking stops at the first refusal:

- names: no absolute paths, ``..``, backslashes, drive letters or NUL bytes;
- types: only regular files and folders. **Every** link is refused, not only links that
  point outside: a bag's payload is files (RFC 8493 §2.1.3), a link inside a bag means
  something different on every system that copies it, and a link that looks harmless
  can be the first half of a two-member escape. Devices, FIFOs and sparse or encrypted
  members are refused too;
- uniqueness: no duplicate names, no file used as a folder, and no two names that are
  equal after Unicode normalization and case folding (they overwrite each other on
  macOS and Windows);
- shape: exactly one top-level folder (RFC 8493 §4.2);
- size: at most :attr:`ArchiveLimits.max_members` members and
  :attr:`ArchiveLimits.max_total_bytes` bytes, and a ratio of unpacked to packed size of
  at most :attr:`ArchiveLimits.max_ratio` (bombs). Declared sizes are checked before a
  member is written, and the bytes actually written are counted while writing.

Files are created with ``O_EXCL | O_NOFOLLOW`` inside a folder this module creates, so
nothing can be written outside it; on any refusal the folder is removed.
"""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal, NoReturn, TypeAlias

from preserve._types import StrPath
from preserve.bags.paths import unsafe_reason
from preserve.bags.sercodes import SERIALIZATION_RULES
from preserve.errors import SerializationError

ArchiveFormat: TypeAlias = Literal["tar", "tgz", "zip"]

MIME_TYPES: dict[ArchiveFormat, str] = {
    "tar": "application/x-tar",
    "tgz": "application/gzip",
    "zip": "application/zip",
}
"""The MIME type of each format, as ``Accept-Serialization`` lists it (from content)."""

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """How much an archive may unpack to before it is refused.

    :param max_members: members (files and folders) in the archive.
    :param max_total_bytes: bytes of all files together, unpacked.
    :param max_ratio: unpacked bytes per byte of the archive file; applies once the
        unpacked size passes ``ratio_floor_bytes`` (tiny archives of tiny files have
        high ratios from headers alone). Deflate and gzip reach about 1000:1 on zeros,
        so the limit must be well below that to catch single-layer bombs.
    :param ratio_floor_bytes: unpacked size below which the ratio is not checked.
    """

    max_members: int = 200_000
    max_total_bytes: int = 1 << 40
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 1 << 20


DEFAULT_LIMITS = ArchiveLimits()


class ArchiveRefused(SerializationError):
    """An archive was refused as unsafe or unreadable; ``code`` is its ``SER`` rule."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


def refuse(code: str, **context: object) -> NoReturn:
    """Raise :class:`ArchiveRefused` with the catalog's message for *code*."""
    message = SERIALIZATION_RULES[code].template.format(**context)
    msg = f"{code}: {message}"
    raise ArchiveRefused(msg, code=code)


def sniff_format(path: StrPath) -> ArchiveFormat:
    """The archive format of *path* by its first bytes, never by its name.

    :raises ArchiveRefused: ``SER-001`` when it is none of tar, gzip (tar) and zip.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(512)
    except OSError as e:
        msg = f"cannot read {path}: {e.strerror or e}; check the path"
        raise SerializationError(msg) from e
    if head[:2] == b"\x1f\x8b":
        return "tgz"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if len(head) == 512 and head[257:262] == b"ustar":
        return "tar"
    refuse("SER-001", archive=path)


class _Guard:
    """Admits members one by one; refuses the first that breaks a rule."""

    def __init__(self, archive: str, packed: int, limits: ArchiveLimits) -> None:
        self.archive = archive
        self.packed = max(packed, 1)
        self.limits = limits
        self.kinds: dict[str, str] = {}  # name -> "file" | "dir" | "implied"
        self.folded: dict[str, str] = {}  # casefold/NFC key -> name
        self.top: str | None = None
        self.members = 0
        self.declared = 0

    def admit(self, raw: str, kind: str, size: int) -> str | None:
        """Check one member; return its clean name (``None`` for the root ``./``)."""
        name = self._clean(raw)
        if name is None:
            return None
        self.members += 1
        if self.members > self.limits.max_members:
            refuse("SER-007", archive=self.archive, limit=self.limits.max_members)
        self._place(name, kind)
        if kind == "file":
            self._count(size)
        return name

    def _clean(self, raw: str) -> str | None:
        reason = unsafe_reason(raw)
        if reason:
            refuse("SER-002", archive=self.archive, member=raw, reason=reason)
        parts = [p for p in raw.split("/") if p not in ("", ".")]
        return "/".join(parts) if parts else None

    def _place(self, name: str, kind: str) -> None:
        parts = name.split("/")
        top = parts[0]
        if self.top is None:
            self.top = top
        elif top != self.top:
            reason = f"members lie in both {self.top!r} and {top!r}"
            refuse("SER-011", archive=self.archive, reason=reason)
        if len(parts) == 1 and kind == "file":
            reason = f"{name!r} is a file at the top level"
            refuse("SER-011", archive=self.archive, reason=reason)
        for i in range(1, len(parts)):
            self._register("/".join(parts[:i]), "implied", raw=name)
        self._register(name, kind, raw=name)

    def _register(self, name: str, kind: str, *, raw: str) -> None:
        known = self.kinds.get(name)
        if known is not None:
            if kind == "implied" and known != "file":
                return
            if known == "implied" and kind == "dir":
                self.kinds[name] = kind
                return
            reason = "is used as a file and a folder" if "file" in (known, kind) else "occurs twice"
            refuse("SER-005", archive=self.archive, member=raw, reason=reason)
        key = unicodedata.normalize("NFC", unicodedata.normalize("NFD", name).casefold())
        other = self.folded.get(key)
        if other is not None and other != name:
            refuse("SER-006", archive=self.archive, member=name, other=other)
        self.folded[key] = name
        self.kinds[name] = kind

    def _count(self, size: int) -> None:
        self.declared += size
        if self.declared > self.limits.max_total_bytes:
            refuse("SER-008", archive=self.archive, limit=self.limits.max_total_bytes)
        ratio = self.declared / self.packed
        if self.declared > self.limits.ratio_floor_bytes and ratio > self.limits.max_ratio:
            refuse(
                "SER-009",
                archive=self.archive,
                size=self.declared,
                packed=self.packed,
                ratio=ratio,
                limit=self.limits.max_ratio,
            )

    def finish(self) -> str:
        """The top-level folder, once every member was admitted."""
        if self.top is None:
            refuse("SER-011", archive=self.archive, reason="the archive is empty")
        return self.top


def safe_extract(
    archive: StrPath, target: StrPath, *, limits: ArchiveLimits = DEFAULT_LIMITS
) -> Path:
    """Unpack a serialized bag into *target*, a folder this call creates.

    :param archive: a tar, gzip-compressed tar or zip file (recognised by content).
    :param target: a path that must not exist yet; it is created (mode 0700) and, on any
        refusal or error, removed again with everything in it.
    :param limits: size and count limits (bombs).
    :returns: the bag's base folder: ``target / <the archive's top-level folder>``.
    :raises ArchiveRefused: (a :class:`SerializationError`) with a ``SER`` code when a
        member is unsafe or the archive is unreadable.
    """
    fmt = sniff_format(archive)
    dest = Path(target)
    try:
        dest.mkdir(mode=0o700)
    except OSError as e:
        msg = f"cannot create {dest} to unpack {archive}: {e.strerror or e}; pick a new folder"
        raise SerializationError(msg) from e
    guard = _Guard(str(archive), os.path.getsize(archive), limits)
    try:
        if fmt == "zip":
            _extract_zip(Path(archive), dest, guard)
        else:
            _extract_tar(Path(archive), dest, guard, compressed=fmt == "tgz")
        return dest / guard.finish()
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise


@contextmanager
def unpacked_bag(
    archive: StrPath,
    *,
    limits: ArchiveLimits = DEFAULT_LIMITS,
    workdir: StrPath | None = None,
) -> Iterator[tuple[Path, str]]:
    """Unpack *archive* into a private temporary folder for the ``with`` block.

    :param workdir: where to make the temporary folder (default: the system's).
    :yields: ``(bag folder, MIME type of the archive)``; the folder is removed afterwards.
    """
    mime = MIME_TYPES[sniff_format(archive)]
    tmp = Path(tempfile.mkdtemp(prefix="preserve-unpack-", dir=workdir))
    try:
        yield safe_extract(archive, tmp / "bag", limits=limits), mime
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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


def _extract_tar(archive: Path, dest: Path, guard: _Guard, *, compressed: bool) -> None:
    try:
        with tarfile.open(archive, mode="r|gz" if compressed else "r|") as tar:
            for member in tar:
                _tar_member(tar, member, dest, guard)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as e:
        if isinstance(e, SerializationError):
            raise
        refuse("SER-013", archive=archive, error=e)


def _tar_member(tar: tarfile.TarFile, member: tarfile.TarInfo, dest: Path, guard: _Guard) -> None:
    kind = _tar_kind(member)
    _refuse_kind(guard, member.name, kind)
    name = guard.admit(member.name, kind, member.size)
    if name is None:
        return
    if kind == "dir":
        _make_dirs(dest, name)
        return
    source = tar.extractfile(member)
    if source is None:  # pragma: no cover - isreg() members always have data
        refuse("SER-013", archive=guard.archive, error=f"no data for {member.name!r}")
    _write(source, dest, name, member.size, guard)


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


def _extract_zip(archive: Path, dest: Path, guard: _Guard) -> None:
    try:
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
                    _make_dirs(dest, name)
                    continue
                with zf.open(info) as source:
                    _write(source, dest, name, info.file_size, guard)
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
        refuse("SER-013", archive=archive, error=e)


def _refuse_kind(guard: _Guard, member: str, kind: str) -> None:
    if kind in ("symbolic link", "hard link"):
        refuse("SER-003", archive=guard.archive, member=member, kind=kind)
    if kind == "device or FIFO":
        refuse("SER-004", archive=guard.archive, member=member, kind=kind)
    if kind not in ("file", "dir"):
        refuse("SER-012", archive=guard.archive, member=member, kind=kind)


def _make_dirs(dest: Path, name: str) -> Path:
    path = dest.joinpath(*name.split("/"))
    path.mkdir(mode=0o755, parents=True, exist_ok=True)
    # Defence in depth: every link is refused, so this can only fail on a bug.
    if not path.resolve().is_relative_to(dest.resolve()):  # pragma: no cover
        refuse("SER-002", archive="", member=name, reason="resolves outside the target")
    return path


def _write(source: IO[bytes], dest: Path, name: str, declared: int, guard: _Guard) -> None:
    parent, _, base = name.rpartition("/")
    folder = _make_dirs(dest, parent) if parent else dest
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
