"""Hash files for verification: each file read once for all its algorithms, in parallel.

A thread pool suffices: hashlib releases the GIL while it hashes a buffer, and reads
release it too. At most a few jobs per worker are in flight, so memory stays flat in
the number of files.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from preserve.bags._inventory import describe_os_error

CHUNK = 1 << 20
_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


@dataclass(frozen=True, slots=True)
class HashJob:
    """Hash *real* (bag path *path*) with *algorithms* (hashlib names)."""

    path: str
    real: str
    algorithms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HashOutcome:
    """Digests (hex, by hashlib name) or why the file could not be read.

    :param size: bytes actually read.
    :param size_before: the size when the file was opened.
    :param changed: the size or modification time changed while it was read.
    :param error: a reason when the file could not be read, else ``None``.
    """

    job: HashJob
    digests: dict[str, str]
    size: int
    size_before: int
    changed: bool = False
    error: str | None = None


def hash_one(job: HashJob) -> HashOutcome:
    """Read *job.real* once, updating every algorithm's hash per 1 MiB chunk.

    Opened with ``O_NOFOLLOW | O_NONBLOCK`` and checked to be a regular file, so a file
    swapped for a link or a pipe after the scan is not followed and cannot block.
    """
    hashes = [hashlib.new(name) for name in job.algorithms]
    size = 0
    try:
        fd = os.open(job.real, _FLAGS)
    except OSError as e:
        return HashOutcome(job, {}, 0, 0, error=describe_os_error(e))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return HashOutcome(job, {}, 0, 0, error="not a regular file any more")
        buf = bytearray(CHUNK)
        view = memoryview(buf)
        with os.fdopen(fd, "rb", buffering=0, closefd=False) as f:
            while n := f.readinto(buf):
                chunk = view[:n]
                for h in hashes:
                    h.update(chunk)
                size += n
        after = os.fstat(fd)
    except OSError as e:
        return HashOutcome(job, {}, size, 0, error=describe_os_error(e))
    finally:
        os.close(fd)
    digests = {name: h.hexdigest() for name, h in zip(job.algorithms, hashes, strict=True)}
    changed = (
        size != st.st_size or after.st_size != st.st_size or after.st_mtime_ns != st.st_mtime_ns
    )
    return HashOutcome(job, digests, size, st.st_size, changed)


def hash_many(
    jobs: Iterable[HashJob],
    *,
    workers: int = 2,
    on_done: Callable[[HashOutcome], None] | None = None,
) -> Iterator[HashOutcome]:
    """Hash *jobs* on *workers* threads, yielding outcomes as they finish (any order)."""
    workers = max(1, workers)
    window = workers * 4
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="preserve-hash") as pool:
        pending: set[Future[HashOutcome]] = set()
        for job in jobs:
            pending.add(pool.submit(hash_one, job))
            if len(pending) >= window:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from _collect(done, on_done)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from _collect(done, on_done)


def _collect(
    done: Iterable[Future[HashOutcome]], on_done: Callable[[HashOutcome], None] | None
) -> Sequence[HashOutcome]:
    out = [f.result() for f in done]
    if on_done is not None:
        for outcome in out:
            on_done(outcome)
    return out
