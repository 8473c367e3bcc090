"""Run hashing batches on threads and worker processes, yielding results in order.

Large files (one job per batch) run on a thread pool: hashlib releases the GIL
while it hashes, so the threads use separate cores. Batches of small files run in
a process pool, because their cost is Python per-file work that holds the GIL.
The pool starts only when the first two batches are both of small files, so small
bags pay no process start-up.

Start-up matters: a ``forkserver`` pool costs 1-1.5 s on a busy two-core machine
(a fresh interpreter importing preserve), more than hashing 20,000 small files.
So the pool is started with ``fork`` when the process has no other thread at that
moment (Python 3.11+ then forks every worker at once, before its manager thread
starts), and with ``forkserver`` otherwise (for instance beside a progress bar's
refresh thread), which is safe beside threads.
At most ``4 × workers`` batches are in flight, which bounds memory.

:func:`hash_many` is the entry point; :mod:`preserve.bags.hashing` hashes one file.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import threading
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, Executor, Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from preserve.bags.hashing import (
    CHUNK,
    FileChangedError,
    FileDigest,
    OnBytes,
    copy_and_hash,
    hash_file,
)
from preserve.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor


@dataclass(frozen=True, slots=True)
class HashJob:
    """One file for :func:`hash_many`.

    :param path: the file to read.
    :param copy_to: where to write a copy while hashing, or ``None`` to only hash.
    :param size: the expected size if known (from a directory scan), else -1; it
        only decides between the thread and the process pool, so a guess is fine.
        Unknown sizes are treated as large (one file per task, on a thread): pass
        sizes when hashing many small files.
    """

    path: str
    copy_to: str | None = None
    size: int = -1


@dataclass(frozen=True, slots=True)
class HashOutcome:
    """The result of one :class:`HashJob`: a digest, or an error.

    :param job: the job, as given.
    :param digest: the sizes and digests, or ``None`` when reading failed.
    :param error: what went wrong (``strerror``), or ``None``.
    :param errno: the OS error number (0 when not from the OS), or ``None``.
    :param changed: the file changed while being read.
    :param streamed: its bytes were reported chunk by chunk while it was read.
    """

    job: HashJob
    digest: FileDigest | None = None
    error: str | None = None
    errno: int | None = None
    changed: bool = False
    streamed: bool = False


SMALL_FILE = 256 * 1024
"""Files under this size are batched and hashed in worker processes."""
BATCH_FILES = 512
BATCH_BYTES = 16 * 1024 * 1024


def _run_one(
    job: HashJob,
    algorithms: Sequence[str],
    buf: bytearray,
    fsync: bool,
    on_bytes: OnBytes | None = None,
    split: bool = False,
) -> HashOutcome:
    streamed = on_bytes is not None
    try:
        if job.copy_to is None:
            digest = hash_file(job.path, algorithms, buffer=buf, on_bytes=on_bytes, split=split)
        else:
            digest = copy_and_hash(
                job.path, job.copy_to, algorithms, fsync=fsync, buffer=buf, on_bytes=on_bytes
            )
    except FileChangedError as e:
        return HashOutcome(job, error=e.strerror, errno=0, changed=True, streamed=streamed)
    except OSError as e:
        return HashOutcome(job, error=e.strerror or str(e), errno=e.errno or 0, streamed=streamed)
    return HashOutcome(job, digest, streamed=streamed)


def _run_batch(
    jobs: Sequence[HashJob],
    algorithms: Sequence[str],
    fsync: bool,
    on_bytes: OnBytes | None = None,
    split: bool = False,
) -> list[HashOutcome]:
    """Worker entry point: a batch of files in a thread (or, without *on_bytes*, a process).

    :param split: hash each file's digests on two threads (see :func:`hash_file`).
    """
    buf = bytearray(CHUNK)
    return [
        _run_one(
            job=job, algorithms=algorithms, buf=buf, fsync=fsync, on_bytes=on_bytes, split=split
        )
        for job in jobs
    ]


RawOutcome = tuple[int, tuple[Any, ...]]
"""``(size, digests in algorithm order)``, or ``(-1, (error, errno, changed))``."""


def _run_raw(
    specs: Sequence[tuple[str, str | None]], algorithms: Sequence[str], fsync: bool
) -> list[RawOutcome]:
    """Worker-process entry point: plain tuples in and out.

    Pickling frozen slotted dataclasses costs about 95 µs per outcome (measured),
    more than hashing a small file; tuples cost a few µs.
    """
    buf = bytearray(CHUNK)
    out: list[RawOutcome] = []
    for path, copy_to in specs:
        o = _run_one(HashJob(path, copy_to), algorithms, buf, fsync)
        if o.digest is not None:
            out.append((o.digest.size, tuple(o.digest.digests[a] for a in algorithms)))
        else:
            out.append((-1, (o.error, o.errno, o.changed)))
    return out


def _cook(
    batch: Sequence[HashJob], raw: Sequence[RawOutcome], algorithms: Sequence[str]
) -> list[HashOutcome]:
    """Outcomes from :func:`_run_raw`'s tuples and the jobs they were made from."""
    cooked: list[HashOutcome] = []
    for job, (size, rest) in zip(batch, raw, strict=True):
        if size >= 0:
            cooked.append(
                HashOutcome(job, FileDigest(size, dict(zip(algorithms, rest, strict=True))))
            )
        else:
            error, code, changed = rest
            cooked.append(HashOutcome(job, error=error, errno=code, changed=changed))
    return cooked


def _batches(jobs: Iterable[HashJob]) -> Iterator[list[HashJob]]:
    """Group consecutive small jobs; a large job (or one of unknown size) travels alone."""
    batch: list[HashJob] = []
    nbytes = 0
    for job in jobs:
        if job.size < 0 or job.size >= SMALL_FILE:
            if batch:
                yield batch
                batch, nbytes = [], 0
            yield [job]
            continue
        batch.append(job)
        nbytes += max(job.size, 0)
        if len(batch) >= BATCH_FILES or nbytes >= BATCH_BYTES:
            yield batch
            batch, nbytes = [], 0
    if batch:
        yield batch


def hash_many(
    jobs: Iterable[HashJob],
    algorithms: Sequence[str],
    *,
    workers: int = 2,
    fsync: bool = False,
    progress: Progress = NO_PROGRESS,
) -> Generator[HashOutcome, None, None]:
    """Hash (or copy and hash) every job with every algorithm, on *workers* cores.

    Results come back in the order of *jobs*, which is consumed lazily with a
    bounded look-ahead, so memory stays flat however many files there are.
    Errors are reported per file in :attr:`HashOutcome.error`; nothing is raised
    for an unreadable file. Calls ``progress.advance`` as bytes are hashed: chunk by
    chunk for files read in this process (large files, on threads), and as results
    arrive for batches of small files hashed in worker processes.

    :param workers: threads for large files and processes for batches of small
        ones; 1 runs everything in the calling thread.
    :param fsync: flush each copy to disk before reporting it.
    """
    algorithms = tuple(algorithms)
    on_bytes = None if progress is NO_PROGRESS else _chunk_reporter(progress)
    outcomes = run_ordered(
        _batches(jobs), algorithms, workers=workers, fsync=fsync, on_bytes=on_bytes
    )
    for outcome in outcomes:
        if outcome.streamed or outcome.digest is None:
            progress.advance(files=1)
        else:
            progress.advance(nbytes=outcome.digest.size, files=1)
        yield outcome


def _chunk_reporter(progress: Progress) -> OnBytes:
    def on_bytes(n: int) -> None:
        progress.advance(nbytes=n)

    return on_bytes


class _Pools:
    """Lazily created executors, shut down (cancelling queued work) on exit."""

    def __init__(self, workers: int, stack: ExitStack) -> None:
        self.workers = workers
        self._stack = stack
        self._threads: ThreadPoolExecutor | None = None
        self._processes: ProcessPoolExecutor | None = None
        self.use_processes = False
        self.broken = False

    def threads(self) -> Executor:
        if self._threads is None:
            self._threads = ThreadPoolExecutor(self.workers, thread_name_prefix="preserve-hash")
            self._stack.callback(self._threads.shutdown, wait=True, cancel_futures=True)
        return self._threads

    def for_small(self) -> Executor:
        if not self.use_processes or self.broken:
            return self.threads()
        if self._processes is None:
            # Imported here: multiprocessing and the process pool cost ~10 ms of every
            # start-up, and bags of large files (threads only) never need them.
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            method = "fork" if _fork_is_safe() else "forkserver"
            self._processes = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context(method),
                initializer=_ignore_sigint,
            )
            self._stack.callback(self._processes.shutdown, wait=True, cancel_futures=True)
        return self._processes

    def is_processes(self, pool: Executor) -> bool:
        return pool is self._processes


def _fork_is_safe() -> bool:
    """Fork only a single-threaded process on Linux (no lock can be held by another thread)."""
    import multiprocessing

    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which stops them and cleans up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _is_small(batch: list[HashJob]) -> bool:
    return len(batch) > 1 or 0 <= batch[0].size < SMALL_FILE


def _serial(
    batches: Iterable[list[HashJob]],
    algorithms: Sequence[str],
    fsync: bool,
    on_bytes: OnBytes | None,
) -> Iterator[HashOutcome]:
    buf = bytearray(CHUNK)
    for batch in batches:
        for job in batch:
            yield _run_one(job=job, algorithms=algorithms, buf=buf, fsync=fsync, on_bytes=on_bytes)


def run_ordered(
    batches: Iterable[list[HashJob]],
    algorithms: Sequence[str],
    *,
    workers: int,
    fsync: bool,
    on_bytes: OnBytes | None = None,
) -> Iterator[HashOutcome]:
    """Run *batches* in parallel and yield every outcome in the order given.

    :param on_bytes: told each chunk hashed in this process (threads and serial runs).
    """
    if workers <= 1:
        yield from _serial(batches, algorithms, fsync, on_bytes)
        return
    batches = iter(batches)
    head = list(itertools.islice(batches, 2))
    with ExitStack() as stack:
        pools = _Pools(workers, stack)
        pools.use_processes = len(head) == 2 and all(_is_small(b) for b in head)
        pending: deque[_Pending] = deque()
        limit = 4 * workers
        for batch, last in _with_last(itertools.chain(head, batches)):
            pool = pools.for_small() if _is_small(batch) else pools.threads()
            if pools.is_processes(pool):
                specs = [(job.path, job.copy_to) for job in batch]
                pending.append((pool.submit(_run_raw, specs, algorithms, fsync), batch))
            else:
                split = last and not _is_small(batch) and _cores_left(pending, workers)
                job = pool.submit(_run_batch, batch, algorithms, fsync, on_bytes, split)
                pending.append((job, batch))
            while len(pending) >= limit:
                yield from _result(pools, *pending.popleft(), algorithms, fsync)
        while pending:
            yield from _result(pools, *pending.popleft(), algorithms, fsync)


_Pending = tuple["Future[list[HashOutcome]] | Future[list[RawOutcome]]", list[HashJob]]


def _with_last(batches: Iterator[list[HashJob]]) -> Iterator[tuple[list[HashJob], bool]]:
    """Each batch, and whether it is the last (one batch of look-ahead)."""
    try:
        previous = next(batches)
    except StopIteration:
        return
    for batch in batches:
        yield previous, False
        previous = batch
    yield previous, True


def _cores_left(pending: deque[_Pending], workers: int) -> bool:
    """True when a worker would idle beside the next task: fewer are running than cores.

    The last file of a run, if large (a bag of one large file, or a large file last
    when the others are done), then has its digests split over two threads instead of
    leaving a core idle (see :func:`hash_file`). Only speed depends on this.
    """
    return sum(not future.done() for future, _ in pending) < workers - 1


def _result(
    pools: _Pools,
    future: Future[list[HashOutcome]] | Future[list[RawOutcome]],
    batch: list[HashJob],
    algorithms: Sequence[str],
    fsync: bool,
) -> list[HashOutcome]:
    """The outcomes of *batch*; if worker processes cannot start, run it here.

    Worker processes fail to start when the main script lacks the
    ``if __name__ == "__main__":`` guard that multiprocessing needs; the work
    then continues on threads rather than failing.
    """
    try:
        done = future.result()
    except BrokenExecutor:  # BrokenProcessPool (threads have no initializer to break)
        pools.broken = True
        for job in batch:
            if job.copy_to is not None:
                _remove_partial(job.copy_to)
        return _run_batch(batch, algorithms, fsync)
    if done and isinstance(done[0], HashOutcome):
        return done
    return _cook(batch, done, algorithms)  # type: ignore[arg-type]


def _remove_partial(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


__all__ = ["SMALL_FILE", "HashJob", "HashOutcome", "hash_many"]
