"""Run hashing batches on threads and worker processes, yielding results in order.

Large files (one job per batch) run on a thread pool: hashlib releases the GIL
while it hashes, so the threads use separate cores. Batches of small files run in
a process pool (``forkserver``, safe beside threads), because their cost is
Python per-file work that holds the GIL. The pool starts only once a second
batch of small files shows up, so small bags pay no process start-up.
At most ``4 × workers`` batches are in flight, which bounds memory.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack

from preserve.bags.hashing import (
    _PROCESS_POOL_AFTER,
    CHUNK,
    SMALL_FILE,
    HashJob,
    HashOutcome,
    _run_batch,
    _run_one,
)


class _Pools:
    """Lazily created executors, shut down (cancelling queued work) on exit."""

    def __init__(self, workers: int, stack: ExitStack) -> None:
        self.workers = workers
        self._stack = stack
        self._threads: ThreadPoolExecutor | None = None
        self._processes: ProcessPoolExecutor | None = None
        self.small_batches = 0
        self.broken = False

    def threads(self) -> Executor:
        if self._threads is None:
            self._threads = ThreadPoolExecutor(self.workers, thread_name_prefix="preserve-hash")
            self._stack.callback(self._threads.shutdown, wait=True, cancel_futures=True)
        return self._threads

    def for_small(self) -> Executor:
        self.small_batches += 1
        if self.small_batches < _PROCESS_POOL_AFTER or self.broken:
            return self.threads()
        if self._processes is None:
            context = multiprocessing.get_context("forkserver")
            self._processes = ProcessPoolExecutor(self.workers, mp_context=context)
            self._stack.callback(self._processes.shutdown, wait=True, cancel_futures=True)
        return self._processes


def _serial(
    batches: Iterable[list[HashJob]], algorithms: Sequence[str], fsync: bool
) -> Iterator[HashOutcome]:
    buf = bytearray(CHUNK)
    for batch in batches:
        for job in batch:
            yield _run_one(job, algorithms, buf, fsync)


def run_ordered(
    batches: Iterable[list[HashJob]],
    algorithms: Sequence[str],
    *,
    workers: int,
    fsync: bool,
) -> Iterator[HashOutcome]:
    """Run *batches* in parallel and yield every outcome in the order given."""
    if workers <= 1:
        yield from _serial(batches, algorithms, fsync)
        return
    with ExitStack() as stack:
        pools = _Pools(workers, stack)
        pending: deque[tuple[Future[list[HashOutcome]], list[HashJob]]] = deque()
        limit = 4 * workers
        for batch in batches:
            big = len(batch) == 1 and not 0 <= batch[0].size < SMALL_FILE
            pool = pools.threads() if big else pools.for_small()
            pending.append((pool.submit(_run_batch, batch, algorithms, fsync), batch))
            while len(pending) >= limit:
                yield from _result(pools, *pending.popleft(), algorithms, fsync)
        while pending:
            yield from _result(pools, *pending.popleft(), algorithms, fsync)


def _result(
    pools: _Pools,
    future: Future[list[HashOutcome]],
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
        return future.result()
    except BrokenProcessPool:
        pools.broken = True
        for job in batch:
            if job.copy_to is not None:
                _remove_partial(job.copy_to)
        return _run_batch(batch, algorithms, fsync)


def _remove_partial(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
