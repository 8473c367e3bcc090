"""Ways to stream large files through sha256 and sha512 on two cores (issue 15).

Run by hand (never in the test suite), on a folder of large files, for example
``bench/generate.py ROOT --sets e`` then ``python bench/bench_large_reads.py ROOT/large4 5``.

Each way hashes every file of the folder with both digests, two files at a time, and
must give the same digests as the first; the best of the rounds (second argument) is
printed, the ways interleaved in every round. Only hashing is timed (no interpreter
start, no bag): set it beside ``openssl speed`` measured in the same minute.

* readv into a reused buffer of 1 MiB or 4 MiB (what preserve does, with 1 MiB),
  with or without ``posix_fadvise(SEQUENTIAL)``;
* an ``mmap`` of the file with ``madvise(SEQUENTIAL)``, hashed through memoryviews of
  1 MiB or in one ``update`` per digest (no copy into a buffer at all);
* two processes instead of two threads;
* one file at a time, one reader feeding both digests, sha256 on a second thread.
"""

from __future__ import annotations

import hashlib
import mmap
import multiprocessing as mp
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial
from typing import Any

Hasher = Any
Way = tuple[type[ThreadPoolExecutor] | type[ProcessPoolExecutor] | None, Any, dict[str, Any]]


def _pair() -> tuple[Hasher, Hasher]:
    return hashlib.sha256(), hashlib.sha512()


def readv(path: str, chunk: int = 1 << 20, fadvise: bool = False) -> str:
    a, b = _pair()
    buf = bytearray(chunk)
    view = memoryview(buf)
    fd = os.open(path, os.O_RDONLY)
    if fadvise:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_SEQUENTIAL)
    while n := os.readv(fd, [buf]):
        part = view[:n] if n < chunk else view
        a.update(part)
        b.update(part)
    os.close(fd)
    return a.hexdigest() + b.hexdigest()


def mapped(path: str, chunk: int = 1 << 20) -> str:
    a, b = _pair()
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        m.madvise(mmap.MADV_SEQUENTIAL)
        view = memoryview(m)
        for off in range(0, len(m), chunk or len(m)):
            part = view[off : off + chunk] if chunk else view
            a.update(part)
            b.update(part)
            part.release()
        view.release()
    return a.hexdigest() + b.hexdigest()


def split(path: str, chunk: int = 1 << 20) -> str:
    """One reader; sha256 on a second thread while this one does sha512, chunk by chunk."""
    a, b = _pair()
    bufs = [bytearray(chunk), bytearray(chunk)]
    fd = os.open(path, os.O_RDONLY)
    with ThreadPoolExecutor(1) as helper:
        k, pending = 0, None
        while True:
            buf = bufs[k & 1]
            n = os.readv(fd, [buf])
            if pending is not None:
                pending.result()
            if not n:
                break
            part = memoryview(buf)[:n]
            pending = helper.submit(a.update, part)
            b.update(part)
            k += 1
    os.close(fd)
    return a.hexdigest() + b.hexdigest()


WAYS: dict[str, Way] = {
    "threads, readv 1 MiB (preserve)": (ThreadPoolExecutor, readv, {}),
    "threads, readv 4 MiB": (ThreadPoolExecutor, readv, {"chunk": 4 << 20}),
    "threads, readv 1 MiB + fadvise": (ThreadPoolExecutor, readv, {"fadvise": True}),
    "threads, mmap 1 MiB views": (ThreadPoolExecutor, mapped, {}),
    "threads, mmap whole file": (ThreadPoolExecutor, mapped, {"chunk": 0}),
    "processes, readv 1 MiB": (ProcessPoolExecutor, readv, {}),
    "one file at a time, digests split": (None, split, {}),
}


def once(files: list[str], way: Way) -> tuple[float, list[str]]:
    pool, fn, kwargs = way
    start = time.perf_counter()
    if pool is None:
        out = [fn(p, **kwargs) for p in files]
    elif pool is ProcessPoolExecutor:
        with ProcessPoolExecutor(2, mp_context=mp.get_context("fork")) as ex:
            out = list(ex.map(partial(fn, **kwargs), files))
    else:
        with ThreadPoolExecutor(2) as ex:
            out = list(ex.map(partial(fn, **kwargs), files))
    return time.perf_counter() - start, out


def main() -> None:
    root = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    files = sorted(os.path.join(root, f) for f in os.listdir(root))
    expected = [readv(p) for p in files]
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, way in WAYS.items():
            seconds, out = once(files, way)
            assert out == expected, name
            best[name] = min(best.get(name, seconds), seconds)
    size = sum(os.path.getsize(p) for p in files)
    print(f"{len(files)} files, {size / 1e6:.0f} MB; load average {os.getloadavg()[0]:.2f}")
    for name, seconds in best.items():
        print(f"{name:36s} {seconds * 1000:6.0f} ms {size / seconds / 1e6:6.0f} MB/s")


if __name__ == "__main__":
    main()
