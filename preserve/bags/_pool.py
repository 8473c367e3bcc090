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
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack

from preserve.bags.hashing import (
    CHUNK,
    SMALL_FILE,
    HashJob,
    HashOutcome,
    OnBytes,
    RawOutcome,
    _cook,
    _run_batch,
    _run_one,
    _run_raw,
)


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
            method = "fork" if _fork_is_safe() else "forkserver"
            self._processes = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context(method),
                initializer=_ignore_sigint,
            )
            self._stack.callback(self._processes.shutdown, wait=True, cancel_futures=True)
        return self._processes


def _fork_is_safe() -> bool:
    """Fork only a single-threaded process on Linux (no lock can be held by another thread)."""
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
            yield _run_one(job, algorithms, buf, fsync, on_bytes)


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
        for batch in itertools.chain(head, batches):
            pool = pools.for_small() if _is_small(batch) else pools.threads()
            if isinstance(pool, ProcessPoolExecutor):
                specs = [(job.path, job.copy_to) for job in batch]
                pending.append((pool.submit(_run_raw, specs, algorithms, fsync), batch))
            else:
                job = pool.submit(_run_batch, batch, algorithms, fsync, on_bytes)
                pending.append((job, batch))
            while len(pending) >= limit:
                yield from _result(pools, *pending.popleft(), algorithms, fsync)
        while pending:
            yield from _result(pools, *pending.popleft(), algorithms, fsync)


_Pending = tuple["Future[list[HashOutcome]] | Future[list[RawOutcome]]", list[HashJob]]


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
    except BrokenProcessPool:
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
