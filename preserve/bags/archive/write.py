"""Write a bag as one reproducible archive (tar, gzip-compressed tar, zip).

The same bag always gives the same bytes, whatever the source files' times, owners or
permissions and whatever the machine's umask or directory order:

- one top-level folder named after the bag (RFC 8493 §4.2); in each folder its files
  in sorted order, then its subfolders in sorted order, each followed by its contents
  (so bagit.txt, bag-info.txt and the manifests precede ``data/``);
- every member gets the same time: the bag's ``Bagging-Date`` at 00:00 UTC, or
  1980-01-01 00:00 UTC when it has none (zip cannot store earlier dates, so the same
  floor applies to every format);
- owner and group 0 with empty names, mode 0644 for files and 0755 for folders;
- gzip with no file name and time 0; zip entries with no extra fields (unless a member
  needs zip64) and Unix mode bits.

The archive is written to a temporary file beside the target and renamed into place,
then a ``sha256sum``-style sidecar ``<archive>.sha256`` is written the same way.
(Byte identity holds for one Python/zlib version; a different zlib may compress
differently.)
"""

from __future__ import annotations

import gzip
import os
import secrets
import stat
import tarfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from preserve._types import StrPath
from preserve.bags.archive.read import ArchiveFormat
from preserve.bags.hashing import sha256_file
from preserve.bags.paths import casefold_key, collisions
from preserve.bags.tagfiles import bag_info_values, read_bag_info
from preserve.errors import SerializationError, UsageError

FLOOR = datetime(1980, 1, 1, tzinfo=UTC)
_CHUNK = 1 << 20
_SUFFIX: dict[ArchiveFormat, str] = {"tar": ".tar", "tgz": ".tar.gz", "zip": ".zip"}
Entries = list[tuple[str, int | None]]


def serialize_bag(
    bag_dir: StrPath, out_file: StrPath, *, fmt: ArchiveFormat, replace: bool = False
) -> Path:
    """Write *bag_dir* as an archive of format *fmt* and return the archive's path.

    :param bag_dir: the bag's base folder; its name becomes the archive's top folder.
    :param out_file: the archive to write, or an existing folder to write
        ``<bag name>.tar`` / ``.tar.gz`` / ``.zip`` into.
    :param fmt: ``"tar"``, ``"tgz"`` (gzip-compressed tar) or ``"zip"``.
    :param replace: replace an existing archive file at the target (atomically);
        without it an existing target is refused. A folder or link is never replaced.
    :returns: the archive's path; ``<archive>.sha256`` sits beside it.
    :raises SerializationError: when the bag holds links or special files, the target
        lies inside the bag, or writing fails.
    :raises UsageError: *fmt* is not one of the formats above.
    """
    if fmt not in _SUFFIX:
        msg = f"fmt is {fmt!r}; it takes one of {', '.join(repr(f) for f in _SUFFIX)}"
        raise UsageError(msg)
    bag = Path(bag_dir)
    if not bag.is_dir():
        msg = f"{bag} is not a folder; give the bag's base folder"
        raise SerializationError(msg)
    out = Path(out_file)
    if os.fspath(out_file).endswith(("/", os.sep)) and not out.is_dir():
        # "outbox/" names a folder: never a file called "outbox" instead.
        msg = f"the folder {out_file} for the archive does not exist; create it first"
        raise SerializationError(msg)
    if out.is_dir():
        out = out / archive_filename(bag.resolve().name, fmt)
    check_archive_target(out, replace=replace)
    if out.resolve().is_relative_to(bag.resolve()):
        msg = f"{out} lies inside the bag {bag}; write the archive somewhere else"
        raise SerializationError(msg)
    staged = stage_archive(bag, out, fmt=fmt)
    try:
        return staged.install()
    except OSError as e:
        staged.discard()
        msg = f"cannot write {out}: {e.strerror or e}; check the folder, space and permissions"
        raise SerializationError(msg) from e


def archive_filename(name: str, fmt: ArchiveFormat) -> str:
    """The archive's file name for the bag folder *name*: ``NAME.tar``, ``.tar.gz``, ``.zip``."""
    return f"{name}{_SUFFIX[fmt]}"


def check_archive_target(out: Path, *, replace: bool) -> None:
    """Refuse to write the archive *out*: when it exists (unless *replace*), and when it
    is a folder or a link (always).

    :raises SerializationError: with what to do.
    """
    if not os.path.lexists(out):
        return
    if not replace:
        msg = f"{out} already exists: move it away, or pass --replace to replace the archive"
        raise SerializationError(msg)
    if out.is_symlink() or not out.is_file():
        msg = f"{out} exists and is not a file: --replace only replaces an archive file"
        raise SerializationError(msg)


@dataclass(frozen=True, slots=True)
class StagedArchive:
    """An archive and its ``.sha256`` sidecar, complete and flushed under temporary names
    beside :attr:`path`: :meth:`install` renames both into place, :meth:`discard`
    removes them.
    """

    path: Path
    part: Path
    sidecar_part: Path

    def install(self) -> Path:
        """Rename the archive, then its sidecar, into place; return the archive's path."""
        os.replace(self.part, self.path)
        os.replace(self.sidecar_part, _sidecar(self.path))
        return self.path

    def discard(self) -> None:
        """Remove what is still under a temporary name."""
        self.part.unlink(missing_ok=True)
        self.sidecar_part.unlink(missing_ok=True)


def stage_archive(
    bag_dir: Path, out: Path, *, fmt: ArchiveFormat, as_bag: Path | None = None
) -> StagedArchive:
    """Write the archive of *bag_dir* to be installed as *out*, and its sidecar, under
    temporary names beside *out* (used to write the archive of a bag still in its
    staging folder, before either is put in place).

    :param as_bag: where the bag will be: its name is the archive's top folder, and
        messages name it (default: *bag_dir*).
    :raises SerializationError: see :func:`serialize_bag`; nothing is left behind.
    """
    shown = as_bag or bag_dir
    entries = list(_entries(bag_dir, shown=shown))
    _refuse_collisions(shown, entries)
    mtime = _fixed_time(bag_dir)
    top = as_bag.name if as_bag else bag_dir.resolve().name
    parts: list[Path] = []
    try:
        parts.append(_temp_beside(out))
        with open(parts[0], "wb") as raw:
            _WRITERS[fmt](raw, bag_dir, top, entries, mtime)
            raw.flush()
            os.fsync(raw.fileno())
        parts.append(_temp_beside(_sidecar(out)))
        with open(parts[1], "wb") as side:
            side.write(f"{sha256_file(parts[0])}  {out.name}\n".encode())
            side.flush()
            os.fsync(side.fileno())
    except BaseException as e:
        for part in parts:
            part.unlink(missing_ok=True)
        if isinstance(e, OSError):
            msg = f"cannot write {out}: {e.strerror or e}; check the folder, space and permissions"
            raise SerializationError(msg) from e
        raise
    return StagedArchive(out, parts[0], parts[1])


def _sidecar(out: Path) -> Path:
    return out.with_name(out.name + ".sha256")


def _entries(bag: Path, prefix: str = "", *, shown: Path) -> Iterator[tuple[str, int | None]]:
    """``(relative path, size)`` for files and ``(relative path, None)`` for folders."""
    folder = bag / prefix if prefix else bag
    files: list[tuple[str, int | None]] = []
    folders: list[str] = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        rel = f"{prefix}{entry.name}"
        st = entry.stat(follow_symlinks=False)
        if stat.S_ISDIR(st.st_mode):
            folders.append(rel)
        elif stat.S_ISREG(st.st_mode):
            files.append((rel, st.st_size))
        else:
            msg = f"{shown / rel} is a link or special file; bags hold only files and folders"
            raise SerializationError(msg)
    # Files before folders: bagit.txt, bag-info.txt and the manifests come before the
    # payload, so a reader of the stream knows what to expect before data/ arrives.
    yield from files
    for rel in folders:
        yield rel, None
        yield from _entries(bag, rel + "/", shown=shown)


def _refuse_collisions(bag: Path, entries: Entries) -> None:
    """Refuse names equal after case folding and normalization: they would overwrite each
    other when unpacked on macOS or Windows, and :mod:`preserve.bags.archive.read` refuses
    such archives (SER-006)."""
    groups = collisions((rel for rel, _ in entries), casefold_key)
    if groups:
        names = " and ".join(repr(n) for n in groups[0])
        msg = (
            f"{bag}: {names} differ only in case or Unicode normalization and would "
            "overwrite each other when unpacked on many systems; rename one"
        )
        raise SerializationError(msg)


def _fixed_time(bag: Path) -> datetime:
    info = bag / "bag-info.txt"
    try:
        elements, _ = read_bag_info(info, strict=False) if info.is_file() else ((), [])
    except OSError as e:
        msg = f"cannot read {info}: {e.strerror or e}; check permissions"
        raise SerializationError(msg) from e
    dates = bag_info_values(elements, "Bagging-Date")
    if not dates:
        return FLOOR
    try:
        day = datetime.strptime(dates[0][:10], "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return FLOOR
    return max(day, FLOOR)


def _temp_beside(out: Path) -> Path:
    # Created with "xb", not mkstemp: the archive gets the umask's mode (0644 under the
    # usual 022) like every other file preserve writes, not mkstemp's private 0600.
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(8)}.part")
    tmp.open("xb").close()
    return tmp


def _write_tar(
    raw: IO[bytes] | gzip.GzipFile, bag: Path, top: str, entries: Entries, mtime: datetime
) -> None:
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        # tarfile's default 16 KiB copy buffer costs a third of the time (not in typeshed)
        tar.copybufsize = _CHUNK  # type: ignore[attr-defined]
        for rel, size in [("", None), *entries]:
            info = tarfile.TarInfo(f"{top}/{rel}".rstrip("/"))
            info.mtime = int(mtime.timestamp())
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if size is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
                continue
            info.mode, info.size = 0o644, size
            with open(bag / rel, "rb") as f:
                tar.addfile(info, f)


def _write_tgz(raw: IO[bytes], bag: Path, top: str, entries: Entries, mtime: datetime) -> None:
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz:
        _write_tar(raw=gz, bag=bag, top=top, entries=entries, mtime=mtime)


def _write_zip(raw: IO[bytes], bag: Path, top: str, entries: Entries, mtime: datetime) -> None:
    stamp = mtime.timetuple()[:6]
    with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for rel, size in [("", None), *entries]:
            name = f"{top}/{rel}".rstrip("/")
            info = zipfile.ZipInfo(name + ("/" if size is None else ""), date_time=stamp)
            info.create_system = 3  # Unix, so the mode bits below are honoured
            if size is None:
                info.external_attr = (stat.S_IFDIR | 0o755) << 16 | 0x10
                zf.writestr(info, b"")
                continue
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info.file_size = size
            with open(bag / rel, "rb") as src, zf.open(info, "w") as dst:
                while chunk := src.read(_CHUNK):
                    dst.write(chunk)


_WRITERS = {"tar": _write_tar, "tgz": _write_tgz, "zip": _write_zip}
