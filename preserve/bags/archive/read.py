"""Safe unpacking of serialized bags (tar; tar compressed by gzip, bzip2 or xz; zip).

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
  member is written, and the bytes actually written are counted while writing. The
  whole decompressed tar stream (headers included) is bounded by the same ratio, and a
  zip's declared member count is read before its directory is parsed.

Files are created with ``O_EXCL | O_NOFOLLOW`` inside a folder this module creates, so
nothing can be written outside it; on any refusal the folder is removed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, TypeAlias

from preserve._types import StrPath
from preserve.bags.archive._guard import (
    DEFAULT_LIMITS,
    ArchiveLimits,
    ArchiveRefused,
    Guard,
    refuse,
)
from preserve.bags.archive._unpack import Compression, extract_tar, extract_zip
from preserve.errors import SerializationError

__all__ = [
    "DEFAULT_LIMITS",
    "MIME_TYPES",
    "ArchiveFormat",
    "ArchiveLimits",
    "ArchiveRefused",
    "refuse",
    "safe_extract",
    "sniff_format",
    "unpacked_bag",
]

ArchiveFormat: TypeAlias = Literal["tar", "tgz", "tbz2", "txz", "zip"]

MIME_TYPES: dict[ArchiveFormat, str] = {
    "tar": "application/x-tar",
    "tgz": "application/gzip",
    "tbz2": "application/x-bzip2",
    "txz": "application/x-xz",
    "zip": "application/zip",
}
"""The MIME type of each format, as ``Accept-Serialization`` lists it (from content)."""


def sniff_format(path: StrPath) -> ArchiveFormat:
    """The archive format of *path* by its first bytes, never by its name.

    A bzip2 or xz file is taken for a compressed tar (BagItTools and bdbag write them,
    named ``.tar.bz2``, ``.tbz2``, ``.tar.xz``, ``.txz`` or just ``.bz2``, ``.xz``); a
    compressed file that holds no tar is refused when it is read (SER-013).

    :raises ArchiveRefused: ``SER-001`` when it is none of tar, compressed tar and zip.
    """
    try:
        with open(path, "rb") as f:
            head = f.read(512)
    except OSError as e:
        msg = f"cannot read {path}: {e.strerror or e}; check the path"
        raise SerializationError(msg) from e
    if head[:2] == b"\x1f\x8b":
        return "tgz"
    if head[:3] == b"BZh":
        return "tbz2"
    if head[:6] == b"\xfd7zXZ\x00":
        return "txz"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip"
    if len(head) == 512 and head[257:262] == b"ustar":
        return "tar"
    refuse("SER-001", archive=path)


_COMPRESSION: dict[ArchiveFormat, Compression] = {
    "tar": None,
    "tgz": "gzip",
    "tbz2": "bzip2",
    "txz": "xz",
    "zip": None,
}


def safe_extract(
    archive: StrPath, target: StrPath, *, limits: ArchiveLimits = DEFAULT_LIMITS
) -> Path:
    """Unpack a serialized bag into *target*, a folder this call creates.

    :param archive: a tar, compressed tar or zip file (recognised by content).
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
    guard = Guard(str(archive), os.path.getsize(archive), limits)
    try:
        if fmt == "zip":
            extract_zip(Path(archive), dest, guard)
        else:
            extract_tar(Path(archive), dest, guard, compression=_COMPRESSION[fmt])
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
