"""Hash objects as they stream: every algorithm in one pass, memory flat in object size.

Small objects are read whole-stream by a pool of *concurrency* threads; an object
of at least :data:`RANGE_THRESHOLD` bytes is read as ranges of :data:`RANGE_SIZE`
fetched by the same number of threads, at most *concurrency* ranges ahead of the
hashing, and fed to the hashers in order (hashing is sequential; the network is not).
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

from preserve.storage.base import ObjectMissingError, ObjectStore, StorageError

RANGE_THRESHOLD = 32 << 20
RANGE_SIZE = 8 << 20
CHUNK = 1 << 20
HASHERS = 1
"""Large objects hashed at once (each on its own thread, over the shared fetch pool)."""


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


def _hash_ranges(
    store: ObjectStore, task: HashTask, pool: ThreadPoolExecutor, ahead: int, size: int
) -> HashDone:
    hashers = [hashlib.new(a) for a in task.algorithms]
    starts = iter(range(0, task.size, size))
    window: deque[Future[bytes]] = deque()

    def refill() -> None:
        while len(window) < ahead:
            start = next(starts, None)
            if start is None:
                return
            window.append(pool.submit(store.read_range, task.key, start, size))

    refill()
    try:
        while window:
            piece = window.popleft().result()
            for h in hashers:
                h.update(piece)
            refill()
    finally:
        for f in window:
            f.cancel()
    return _finish(task.key, hashers)


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

    # Large objects are hashed HASHERS at a time, each with its share of the requests in
    # flight (hashlib releases the GIL). On the 2 shared cores of the bench machine, 2
    # was no faster than 1 (0.58x vs 0.61x of a plain download: hashing sha512 and sha256
    # competes with the download for CPU), so 1 stays the default; bench_s3.py --hashers
    # 1,2 measures both where there are idle cores.
    hashers = max(1, min(HASHERS, len(large), concurrency))
    ahead = max(1, concurrency // hashers)
    with (
        ThreadPoolExecutor(max_workers=concurrency) as pool,
        ThreadPoolExecutor(max_workers=hashers) as hashing,
    ):
        ranged = [
            (
                t,
                hashing.submit(
                    _guarded, t.key, partial(_hash_ranges, store, t, pool, ahead, range_size)
                ),
            )
            for t in large
        ]
        for task, future in ranged:
            record(future.result(), task.size)
        futures = [
            (t, pool.submit(_guarded, t.key, partial(_hash_stream, store, t))) for t in small
        ]
        for task, future in futures:
            record(future.result(), task.size)
    return out
