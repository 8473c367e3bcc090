"""Check one bag for an audit: every file hashed once, every change named.

Unlike a plain validation, an audit must tell a *moved* file (its content is under
another path in the bag) from a missing one plus an added one, and must never call a
file *missing* when it merely could not be read (permission denied, an unmounted
share): that file is *unreadable* and the bag *inaccessible*.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tarfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from preserve.audit.model import BagCheck, FileChange, Outcome
from preserve.audit.moves import pair_moves, preferred_algorithm
from preserve.audit.storage import LOCAL, Storage
from preserve.audit.tagread import (
    ManifestError,
    Manifests,
    bag_info_value,
    declares_rfc8493,
    manifest_algorithm,
    new_hash,
    read_manifests,
)
from preserve.bags.archive.read import ArchiveRefused, unpacked_bag
from preserve.errors import SerializationError

CHUNK = 1 << 20


class _Unreadable(Exception):
    """A file or folder exists (or may exist) but cannot be read."""


@dataclass
class _Tally:
    """What a bag's check has read and found so far; hashing threads add to it."""

    bytes: int = 0
    files: int = 0
    changes: list[FileChange] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, nbytes: int) -> None:
        with self.lock:
            self.bytes += nbytes
            self.files += 1


@dataclass(frozen=True, slots=True)
class LocalChecker:
    """``check(bag_path) -> BagCheck`` for loose bags on *storage* (picklable for Dask)."""

    storage: Storage = LOCAL

    def __call__(self, bag: str) -> BagCheck:
        path = Path(bag)
        if is_serialized(path.name):
            return check_archive(path)
        return check_bag(path, storage=self.storage)


SERIALIZED_SUFFIXES = (".tar", ".tgz", ".tar.gz", ".tbz2", ".tar.bz2", ".txz", ".tar.xz", ".zip")
"""File names taken for serialized bags (the content decides the format when unpacked)."""


def is_serialized(name: str) -> bool:
    """True when *name* ends like a serialized bag."""
    return name.lower().endswith(SERIALIZED_SUFFIXES)


def check_archive(archive: Path, check: Callable[[Path], BagCheck] | None = None) -> BagCheck:
    """Check a serialized bag: unpack it privately (bomb limits apply), check, clean up.

    The unpacked copy needs as much free space as the bag. A refused or corrupt archive
    is ``failed``; an archive that cannot be read is ``inaccessible``; a readable archive
    that holds no bag at all (no ``bagit.txt``: an unrelated ``manuals.zip``) is returned
    with ``not_a_bag`` set. No message names the temporary unpack folder.

    :param check: checks the unpacked bag folder (default: :func:`check_bag`).
    """
    started = time.perf_counter()
    try:
        with unpacked_bag(archive) as (folder, _mime):
            if not (folder / "bagit.txt").is_file():
                result = _not_a_bag(archive)
            else:
                result = _unmasked((check or check_bag)(folder), folder, archive)
    except ArchiveRefused as e:
        refused = BagCheck(bag=str(archive), outcome="failed", note=str(e))
        result = _not_a_bag(archive) if _holds_no_bag(archive, e) else refused
    except SerializationError as e:
        result = BagCheck(bag=str(archive), outcome="failed", note=str(e))
    except OSError as e:
        note = f"cannot read {archive}: {e.strerror or e}"
        result = BagCheck(bag=str(archive), outcome="inaccessible", note=note)
    return _with_duration(replace(result, bag=str(archive)), time.perf_counter() - started)


def _not_a_bag(archive: Path) -> BagCheck:
    note = f"{archive} holds no bag (no bagit.txt in it); it was not audited"
    return BagCheck(bag=str(archive), outcome="passed", note=note, not_a_bag=True)


def _holds_no_bag(archive: Path, refused: ArchiveRefused) -> bool:
    """True when a refusal for its shape (SER-011) is of an archive with no bagit.txt at
    all in its first two levels: not a badly serialized bag, but no bag."""
    if refused.code != "SER-011":
        return False
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as z:
                names = z.namelist()
        else:
            with tarfile.open(archive) as t:
                names = t.getnames()
    except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError):
        return False
    return not any(
        PurePosixPath(n).name == "bagit.txt" and len(PurePosixPath(n).parts) <= 2 for n in names
    )


def _unmasked(result: BagCheck, folder: Path, archive: Path) -> BagCheck:
    """*result* with the temporary unpack folder replaced by the archive's path."""
    temporary, shown = str(folder), str(archive)
    changes = tuple(replace(c, reason=c.reason.replace(temporary, shown)) for c in result.changes)
    return replace(result, note=result.note.replace(temporary, shown), changes=changes)


def check_bag(bag: Path, *, storage: Storage = LOCAL) -> BagCheck:
    """Check the loose bag at *bag*: manifests, tag manifests, payload, moves.

    :returns: ``failed`` when anything changed, ``inaccessible`` when something could
        not be read (and nothing definitely changed), else ``passed``.
    """
    started = time.perf_counter()
    try:
        result = _check(bag, storage)
    except _Unreadable as e:
        result = BagCheck(bag=str(bag), outcome="inaccessible", note=str(e))
    except ManifestError as e:
        result = BagCheck(bag=str(bag), outcome="failed", note=str(e))
    return _with_duration(result, time.perf_counter() - started)


def _with_duration(result: BagCheck, seconds: float) -> BagCheck:
    return replace(result, duration_s=seconds)


def _check(bag: Path, storage: Storage) -> BagCheck:
    top = _top_files(bag, storage)
    if "bagit.txt" not in top:
        return BagCheck(bag=str(bag), outcome="failed", note=f"{bag}/bagit.txt is missing")
    tally = _Tally()
    # Only manifests are read whole (they must be parsed); other tag files are hashed
    # in chunks, so a huge bag-info.txt cannot exhaust memory.
    texts = {
        name: _read_small(bag / name, storage, tally)
        for name in sorted(top)
        if manifest_algorithm(name)
    }
    digests = {
        name: hashlib.sha256(data).hexdigest()
        for name, data in texts.items()
        if manifest_algorithm(name)
    }
    payload, tags = read_manifests(texts, rfc8493=_rfc8493(bag, storage))
    if not payload:
        return BagCheck(bag=str(bag), outcome="failed", note=f"{bag} has no payload manifest")
    _check_tag_files(bag=bag, storage=storage, tags=tags, texts=texts, tally=tally)
    found = _check_payload(bag, storage, payload, tally)
    # In path order, as hashing threads may have recorded them in any (moves pair in order).
    tally.changes = pair_moves(sorted(tally.changes, key=lambda c: (c.path, c.kind)), found)
    unreadable = any(c.kind == "unreadable" for c in tally.changes)
    definite = any(c.kind != "unreadable" for c in tally.changes)
    outcome: Outcome = "failed" if definite else "inaccessible" if unreadable else "passed"
    return BagCheck(
        bag=str(bag),
        outcome=outcome,
        identity=_identity(bag, storage),
        bytes_checked=tally.bytes,
        files_checked=tally.files,
        digests=digests,
        changes=tuple(sorted(tally.changes, key=lambda c: (c.path, c.kind))),
        note="some files could not be read" if outcome == "inaccessible" else "",
    )


def _identity(bag: Path, storage: Storage) -> str:
    """External-Identifier from the first 64 KiB of bag-info.txt (``""`` if none)."""
    try:
        with storage.open(bag / "bag-info.txt") as handle:
            head = handle.read(1 << 16).decode("utf-8", "replace")
    except OSError:
        return ""
    return bag_info_value(head, "External-Identifier")


def _top_files(bag: Path, storage: Storage) -> set[str]:
    try:
        return {e.name for e in storage.scandir(bag) if e.is_file(follow_symlinks=False)}
    except FileNotFoundError as e:
        msg = f"{bag} no longer exists (was its storage unmounted?)"
        raise _Unreadable(msg) from e
    except OSError as e:
        msg = f"cannot list {bag}: {e.strerror or e}"
        raise _Unreadable(msg) from e


def _read_small(path: Path, storage: Storage, tally: _Tally) -> bytes:
    try:
        with storage.open(path) as handle:
            data = handle.read()
    except OSError as e:
        msg = f"cannot read {path}: {e.strerror or e}"
        raise _Unreadable(msg) from e
    return data


def _rfc8493(bag: Path, storage: Storage) -> bool:
    """Whether the bag's manifests follow RFC 8493's percent-encoding (issue 13)."""
    try:
        with storage.open(bag / "bagit.txt") as handle:
            return declares_rfc8493(handle.read(4096))
    except OSError as e:
        msg = f"cannot read {bag / 'bagit.txt'}: {e.strerror or e}"
        raise _Unreadable(msg) from e


def _check_tag_files(
    bag: Path, storage: Storage, tags: Manifests, texts: Mapping[str, bytes], tally: _Tally
) -> None:
    for algorithm, entries in sorted(tags.items()):
        for path, expected in sorted(entries.items()):
            data = texts.get(path)
            if data is not None:
                found = new_hash(algorithm)
                found.update(data)
                digest = found.hexdigest()
            else:
                hashed = _hash_or_record(
                    bag=bag,
                    name=path,
                    storage=storage,
                    expected={algorithm: expected},
                    tally=tally,
                    payload=False,
                )
                if hashed is None:
                    continue
                digest = hashed[algorithm]
            if digest != expected:
                tally.changes.append(FileChange("tag_changed", path, algorithm, expected, digest))


def _check_payload(
    bag: Path, storage: Storage, payload: Manifests, tally: _Tally
) -> dict[str, dict[str, str]]:
    """Hash every listed file; return the digests of files present but in no manifest.

    Only regular files found by the walk (which never follows symlinks) are opened, so
    a symlink planted in the bag cannot make the audit read outside it.
    """
    on_disk = dict(_walk(bag, "data", storage, tally))
    blocked = tuple(c.path for c in tally.changes if c.kind == "unreadable")
    listed = sorted({p for entries in payload.values() for p in entries})
    present: list[tuple[str, dict[str, str]]] = []
    for path in listed:
        expected = {a: payload[a][path] for a in sorted(payload) if path in payload[a]}
        if path not in on_disk:
            tally.changes.append(
                _absent(bag=bag, path=path, storage=storage, expected=expected, blocked=blocked)
            )
            continue
        present.append((path, one_digest(expected)))
    digests = _hash_files(bag, storage, present, tally, sizes=on_disk)
    for (path, checked), digest in zip(present, digests, strict=True):
        if digest is None:
            continue
        for algorithm, value in checked.items():
            if digest[algorithm] != value:
                tally.changes.append(
                    FileChange("changed", path, algorithm, value, digest[algorithm])
                )
                break
    extra: dict[str, dict[str, str]] = {}
    for path in sorted(on_disk.keys() - set(listed)):
        digest = _hash_or_record(
            bag=bag, name=path, storage=storage, expected=dict.fromkeys(payload, ""), tally=tally
        )
        if digest is not None:
            extra[path] = digest
    return extra


HASH_THREADS = min(2, os.cpu_count() or 1)
"""Threads that hash a bag's large payload files (hashlib lets go of the GIL on them)."""

LARGE_FILE = CHUNK
"""A file at least this large is hashed on a thread of its own; smaller ones are hashed
one after another (a thread hand-over would cost more than it saves)."""


def _hash_files(
    bag: Path,
    storage: Storage,
    files: list[tuple[str, dict[str, str]]],
    tally: _Tally,
    *,
    sizes: Mapping[str, int],
) -> list[dict[str, str] | None]:
    """The digests of *files* (None for one recorded as missing or unreadable), in order.

    Large files (by their size when the bag was walked) are hashed on
    :data:`HASH_THREADS` threads while this thread hashes the small ones: a bag of a few
    large files is hashed on every core, and one of many small files pays no thread
    hand-over per file.
    """
    sink = _BYTES_SINK.get()  # taken here: the hashing threads do not see the context

    def digest(item: tuple[str, dict[str, str]]) -> dict[str, str] | None:
        path, checked = item
        return _hash_or_record(
            bag=bag, name=path, storage=storage, expected=checked, tally=tally, sink=sink
        )

    large = [i for i, (path, _) in enumerate(files) if sizes.get(path, 0) >= LARGE_FILE]
    if HASH_THREADS == 1 or not large or len(files) < 2:
        return [digest(item) for item in files]
    out: list[dict[str, str] | None] = [None] * len(files)
    with ThreadPoolExecutor(HASH_THREADS, thread_name_prefix="preserve-audit") as pool:
        pending = {i: pool.submit(digest, files[i]) for i in large}
        for i, item in enumerate(files):
            if i not in pending:
                out[i] = digest(item)
        for i, future in pending.items():
            out[i] = future.result()
    return out


AUDIT_ALGORITHM = "sha256"
"""The one digest an audit computes for a file its manifests list under it."""


def one_digest(expected: Mapping[str, str]) -> dict[str, str]:
    """The one expected digest an audit checks a file against: its sha256 where a
    manifest lists one, else the strongest listed.

    Fixity over time needs one collision-resistant digest per file: a changed byte
    changes every digest, and a bag with sha512 and sha256 manifests (what ``preserve
    bag`` writes) would otherwise be read through two hashes, at about half the speed.
    Whether the manifests agree with each other is ``preserve verify``'s job; an edit
    to any manifest is caught by its own digest in the ledger (AUD-006).
    """
    algorithm = AUDIT_ALGORITHM if AUDIT_ALGORITHM in expected else preferred_algorithm(expected)
    return {algorithm: expected[algorithm]} if algorithm else {}


def _absent(
    bag: Path, path: str, storage: Storage, expected: Mapping[str, str], blocked: tuple[str, ...]
) -> FileChange:
    """Why a listed file was not found as a regular file: missing, unreadable or a link."""
    algorithm = preferred_algorithm(expected)
    if any(path.startswith(folder) for folder in blocked):
        return FileChange("unreadable", path, reason="its folder could not be listed")
    try:
        info = storage.lstat(bag / path)
    except (FileNotFoundError, NotADirectoryError):
        return FileChange("missing", path, algorithm, expected.get(algorithm, ""))
    except OSError as e:
        return FileChange("unreadable", path, reason=e.strerror or str(e))
    if stat.S_ISDIR(info.st_mode):
        return FileChange("missing", path, algorithm, expected.get(algorithm, ""))
    kind = "symbolic link" if stat.S_ISLNK(info.st_mode) else "not a regular file"
    return FileChange(
        "changed", path, algorithm, expected.get(algorithm, ""), f"({kind}, not followed)"
    )


def _hash_or_record(
    bag: Path,
    name: str,
    storage: Storage,
    expected: Mapping[str, str],
    tally: _Tally,
    *,
    payload: bool = True,
    sink: Callable[[int], None] | None = None,
) -> dict[str, str] | None:
    """Digests of a file, or None after recording it as missing or unreadable.

    *sink* receives the bytes as they are read (default: the audit's, from the context).

    Only payload files count in the tally: ``bytes_checked`` and ``files_checked`` are
    the payload's, comparable with the bag's Payload-Oxum and the bytes budget.
    """
    try:
        counted = tally if payload else _Tally()
        sink = sink or _BYTES_SINK.get()
        return _hash_file(bag / name, storage, tuple(expected), counted, sink)
    except FileNotFoundError:
        algorithm = preferred_algorithm(expected)
        tally.changes.append(FileChange("missing", name, algorithm, expected.get(algorithm, "")))
    except OSError as e:
        reason = e.strerror or errno.errorcode.get(e.errno or 0, str(e))
        tally.changes.append(FileChange("unreadable", name, reason=reason))
    return None


def _hash_file(
    path: Path,
    storage: Storage,
    algorithms: tuple[str, ...],
    tally: _Tally,
    sink: Callable[[int], None] | None,
) -> dict[str, str]:
    """All digests of *path* in one pass over its bytes."""
    hashes = {a: new_hash(a) for a in algorithms}
    read = 0
    with storage.open(path) as handle:
        while chunk := handle.read(CHUNK):
            read += len(chunk)
            for h in hashes.values():
                h.update(chunk)
            if sink is not None:
                sink(len(chunk))
    tally.count(read)
    return {a: h.hexdigest() for a, h in hashes.items()}


def _walk(bag: Path, relative: str, storage: Storage, tally: _Tally) -> Iterator[tuple[str, int]]:
    """Files under data/, as manifest paths, with their sizes; symlinks are never followed.

    Iterative (a stack, not recursion), so a hostile bag nested thousands of folders deep
    cannot exhaust Python's recursion limit.
    """
    stack = [relative]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(storage.scandir(bag / folder), key=lambda e: e.name)
        except FileNotFoundError:
            continue
        except OSError as e:
            reason = e.strerror or str(e)
            tally.changes.append(FileChange("unreadable", folder + "/", reason=reason))
            continue
        for entry in reversed(entries):
            path = f"{folder}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                stack.append(path)
            elif entry.is_file(follow_symlinks=False):
                yield path, _size(entry)


def _size(entry: os.DirEntry[str]) -> int:
    """The file's size, or 0 when it cannot be had (its hashing then says why)."""
    try:
        return entry.stat(follow_symlinks=False).st_size
    except OSError:
        return 0


_BYTES_SINK: ContextVar[Callable[[int], None] | None] = ContextVar("bytes_sink", default=None)


class SinkProgress:
    """A :class:`~preserve.progress.Progress` that passes bytes to the current sink.

    For checks built on ``verify_bag`` (``--engine verify``): its own tasks are not
    shown, only the bytes it hashes, on the audit's bar. The sink is taken when this
    is made, in the checking thread: hashing threads do not see the context variable.
    """

    def __init__(self) -> None:
        self._sink = _BYTES_SINK.get()

    def start(self, description: str, *, total_bytes: int | None, total_files: int | None) -> None:
        pass

    def advance(self, *, nbytes: int = 0, files: int = 0) -> None:
        if self._sink is not None and nbytes:
            self._sink(nbytes)

    def finish(self) -> None:
        pass


@contextmanager
def reporting_bytes(sink: Callable[[int], None] | None) -> Iterator[None]:
    """Within the block, checks run in this thread tell *sink* each chunk they hash.

    The progress bar of a local audit advances within a bag, not only between bags.
    """
    token = _BYTES_SINK.set(sink)
    try:
        yield
    finally:
        _BYTES_SINK.reset(token)
