"""Hash objects as they stream: every algorithm in one pass, memory flat in object size.

Small objects are read whole-stream by a pool of *concurrency* threads; an object
of at least :data:`RANGE_THRESHOLD` bytes is read as ranges of :data:`RANGE_SIZE`
fetched by the same number of threads and fed to the hashers in order. Large objects
are hashed in :data:`HASHERS` lanes; each lane keeps its share of the requests in
flight, its window running on from one object into the next, so memory is at most
about (*concurrency* + lanes) ranges whatever the size of the objects.
"""

from __future__ import annotations

import hashlib
import operator
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from preserve.storage.base import ObjectMissingError, ObjectStore, StorageError

RANGE_THRESHOLD = 32 << 20
RANGE_SIZE = 8 << 20
CHUNK = 1 << 20
HASHERS = 2
"""Large objects hashed at once (each lane on its own thread, over the shared fetch pool)."""


@dataclass(frozen=True, slots=True)
class HashTask:
    """One object to hash with the given :mod:`hashlib` names."""

    key: str
    size: int
    algorithms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HashDone:
    """Digests by hashlib name, or why the object could not be read."""

    key: str
    digests: dict[str, str]
    missing: bool = False
    error: str | None = None


def _finish(key: str, hashers: Sequence[hashlib._Hash]) -> HashDone:
    return HashDone(key, {h.name: h.hexdigest() for h in hashers})


def _hash_stream(store: ObjectStore, task: HashTask) -> HashDone:
    hashers = [hashlib.new(a) for a in task.algorithms]
    for piece in store.iter_chunks(task.key, CHUNK):
        for h in hashers:
            h.update(piece)
    return _finish(task.key, hashers)


@dataclass(slots=True)
class _Ranged:
    """A large object in a lane: its hashers, ranges not yet hashed, and a read failure."""

    task: HashTask
    hashers: list[hashlib._Hash]
    pending: int
    failed: HashDone | None = None


def _failure(key: str, e: StorageError) -> HashDone:
    if isinstance(e, ObjectMissingError):
        return HashDone(key, {}, missing=True)
    return HashDone(key, {}, error=str(e))


class _Lane:
    """Hashes large objects one after the other, their ranges read *ahead* in flight.

    The window runs on from one object into the next (*take* gives the next one), so the
    hasher does not wait at each object's start for its first range to arrive.
    """

    def __init__(
        self,
        store: ObjectStore,
        take: Callable[[], HashTask | None],
        pool: ThreadPoolExecutor,
        ahead: int,
        size: int,
        emit: Callable[[HashDone, int], None],
    ) -> None:
        self.store, self.take, self.pool = store, take, pool
        self.ahead, self.size, self.emit = ahead, size, emit
        self.window: deque[tuple[_Ranged, Future[bytes]]] = deque()
        self.current: _Ranged | None = None
        self.starts: Iterator[int] = iter(())

    def _next_object(self) -> bool:
        """Move on to the next object; False when there is none."""
        current = self.current
        if current is not None and current.failed is not None:
            # A failed object's ranges not yet asked for are never asked for.
            left = operator.length_hint(self.starts)
            current.pending -= left
            if left and current.pending == 0:
                self.emit(current.failed, current.task.size)
        task = self.take()
        if task is None:
            self.current = None
            return False
        self.current = _Ranged(task, [hashlib.new(a) for a in task.algorithms], 0)
        self.starts = iter(range(0, task.size, self.size))
        self.current.pending = operator.length_hint(self.starts)
        if self.current.pending == 0:
            self.emit(_finish(task.key, self.current.hashers), task.size)
        return True

    def _refill(self) -> None:
        while len(self.window) < self.ahead:
            current = self.current
            start = None if current is None or current.failed else next(self.starts, None)
            if current is None or start is None:
                if not self._next_object():
                    return
                continue
            read = self.pool.submit(self.store.read_range, current.task.key, start, self.size)
            self.window.append((current, read))

    def run(self) -> None:
        self._refill()
        try:
            while self.window:
                ranged, future = self.window.popleft()
                self._refill()
                try:
                    piece = future.result()
                except StorageError as e:
                    ranged.failed = ranged.failed or _failure(ranged.task.key, e)
                else:
                    if ranged.failed is None:
                        for h in ranged.hashers:
                            h.update(piece)
                ranged.pending -= 1
                if ranged.pending == 0:
                    self.emit(
                        ranged.failed or _finish(ranged.task.key, ranged.hashers), ranged.task.size
                    )
        finally:
            for _, f in self.window:
                f.cancel()


def _guarded(key: str, work: Callable[[], HashDone]) -> HashDone:
    try:
        return work()
    except ObjectMissingError:
        return HashDone(key, {}, missing=True)
    except StorageError as e:
        return HashDone(key, {}, error=str(e))


def hash_objects(
    store: ObjectStore,
    tasks: Iterable[HashTask],
    *,
    concurrency: int = 8,
    on_done: Callable[[HashDone, int], None] | None = None,
    range_threshold: int = RANGE_THRESHOLD,
    range_size: int = RANGE_SIZE,
) -> list[HashDone]:
    """Hash every task's object; a failure to read is returned, never raised.

    :param concurrency: requests in flight (objects, or ranges of one large object).
    :param on_done: called with each result and the object's size (for progress).
    :param range_threshold: objects this large or larger are read by ranges...
    :param range_size: ...of this many bytes.
    """
    tasks = list(tasks)
    large = [t for t in tasks if t.size >= range_threshold]
    small = [t for t in tasks if t.size < range_threshold]
    out: list[HashDone] = []

    def record(done: HashDone, size: int) -> None:
        out.append(done)
        if on_done is not None:
            on_done(done, size)

    # Large objects are hashed in HASHERS lanes, each with its share of the requests in
    # flight (hashlib releases the GIL). Hashing sha512 + sha256 on one thread runs at
    # ~540 MiB/s here, slower than SeaweedFS on loopback serves: two lanes spread it over
    # two cores (docs/performance.md, "Verify on S3").
    lanes = max(1, min(HASHERS, len(large), concurrency))
    ahead = max(1, concurrency // lanes)
    queue = iter(large)
    taking = threading.Lock()
    recording = threading.Lock()

    def take() -> HashTask | None:
        with taking:
            return next(queue, None)

    def emit(done: HashDone, size: int) -> None:
        with recording:
            record(done, size)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        if large:
            with ThreadPoolExecutor(max_workers=lanes) as hashing:
                running = [
                    hashing.submit(_Lane(store, take, pool, ahead, range_size, emit).run)
                    for _ in range(lanes)
                ]
                for lane in running:
                    lane.result()
        futures = [
            (t, pool.submit(_guarded, t.key, partial(_hash_stream, store, t))) for t in small
        ]
        for task, future in futures:
            record(future.result(), task.size)
    return out
