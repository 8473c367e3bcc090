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
* one file at a time, one reader feeding both digests, sha256 on a second thread;
* read sizes beside the L2 cache (1 MiB a core on the development VM): 256 and 512 KiB.

``--one`` (fewer files than cores: a bag of one large file) times the first file alone:
one thread computing both digests (what preserve does for one file), the digests split
over two threads with one reader, and two threads each reading the file for its own
digest. Every run prints the ceiling (``openssl speed``, same minute) beside the rates.
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


def one_digest(path: str, algorithm: str, chunk: int = 1 << 20) -> str:
    h = hashlib.new(algorithm)
    buf = bytearray(chunk)
    view = memoryview(buf)
    fd = os.open(path, os.O_RDONLY)
    while n := os.readv(fd, [buf]):
        h.update(view[:n] if n < chunk else view)
    os.close(fd)
    return h.hexdigest()


def two_readers(path: str) -> str:
    """Two threads, each reading the whole file for its own digest."""
    with ThreadPoolExecutor(2) as ex:
        a, b = ex.map(partial(one_digest, path), ["sha256", "sha512"])
    return a + b


WAYS: dict[str, Way] = {
    "threads, readv 1 MiB (preserve)": (ThreadPoolExecutor, readv, {}),
    "threads, readv 4 MiB": (ThreadPoolExecutor, readv, {"chunk": 4 << 20}),
    "threads, readv 1 MiB + fadvise": (ThreadPoolExecutor, readv, {"fadvise": True}),
    "threads, mmap 1 MiB views": (ThreadPoolExecutor, mapped, {}),
    "threads, mmap whole file": (ThreadPoolExecutor, mapped, {"chunk": 0}),
    "processes, readv 1 MiB": (ProcessPoolExecutor, readv, {}),
    "one file at a time, digests split": (None, split, {}),
    "threads, readv 256 KiB": (ThreadPoolExecutor, readv, {"chunk": 256 << 10}),
    "threads, readv 512 KiB": (ThreadPoolExecutor, readv, {"chunk": 512 << 10}),
}

ONE_FILE: dict[str, Way] = {
    "one file, one thread (preserve)": (None, readv, {}),
    "one file, digests split, one reader": (None, split, {}),
    "one file, two readers, a digest each": (None, two_readers, {}),
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
    from bench_bags import openssl_rate

    args = [a for a in sys.argv[1:] if a != "--one"]
    root = args[0]
    rounds = int(args[1]) if len(args) > 1 else 3
    files = sorted(os.path.join(root, f) for f in os.listdir(root))
    ways = WAYS
    if "--one" in sys.argv:
        files, ways = files[:1], ONE_FILE
    expected = [readv(p) for p in files]
    best: dict[str, float] = {}
    rates: list[tuple[float, float]] = []
    for _ in range(rounds):
        rates.append((openssl_rate("sha256", seconds=1), openssl_rate("sha512", seconds=1)))
        for name, way in ways.items():
            seconds, out = once(files, way)
            assert out == expected, name
            best[name] = min(best.get(name, seconds), seconds)
    size = sum(os.path.getsize(p) for p in files)
    s256, s512 = max(r[0] for r in rates), max(r[1] for r in rates)
    one_core = 1 / (1 / s256 + 1 / s512)
    # Two cores for both digests; for one file, the split can do no better than sha512 alone.
    limit = s512 if "--one" in sys.argv else 2 * one_core
    print(f"{len(files)} files, {size / 1e6:.0f} MB; load average {os.getloadavg()[0]:.2f}")
    print(f"openssl: sha256 {s256 / 1e6:.0f} MB/s, sha512 {s512 / 1e6:.0f} MB/s a core; ", end="")
    print(f"both on one core {one_core / 1e6:.0f} MB/s; limit here {limit / 1e6:.0f} MB/s")
    for name, seconds in best.items():
        rate = size / seconds
        print(f"{name:36s} {seconds * 1000:6.0f} ms {rate / 1e6:6.0f} MB/s {rate / limit:6.1%}")


if __name__ == "__main__":
    main()
