"""Where the milliseconds of one ``preserve verify`` go (issue 15). Run by hand::

    python bench/profile_verify.py BAG [--rounds 5]

Times, best of ``--rounds``: the interpreter alone and the imports of the ``verify``
command (each a fresh process); the phases of :func:`verify_bag` in this process
(each phase function wrapped with a timer); and, for the payload, the per-file system
calls alone (open, fstat, read, fstat, close, no hashing), hashing alone (sha256 and
sha512 over bytes already in memory) and the worker pool's start (to its first result),
all on one core, to set beside the hashing phase's wall time on two.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from preserve.bags.hashpool import HashJob, hash_many
from preserve.bags.verify import verify as V

PHASES = ("scan", "read_tags", "name_findings", "match_payload", "match_tags", "hash_and_compare")


def fresh_process(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def phases(bag: Path) -> dict[str, float]:
    spent: dict[str, float] = dict.fromkeys(PHASES, 0.0)
    originals = {name: getattr(V, name) for name in PHASES}

    def timed(name: str, f: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return f(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return wrapper

    for name, f in originals.items():
        setattr(V, name, timed(name, f))
    try:
        start = time.perf_counter()
        V.verify_bag(bag)
        spent["verify_bag"] = time.perf_counter() - start
    finally:
        for name, f in originals.items():
            setattr(V, name, f)
    return spent


def per_file(paths: list[str]) -> dict[str, float]:
    buf = bytearray(1 << 20)
    datas = []
    start = time.perf_counter()
    for p in paths:
        fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW)
        os.fstat(fd)
        n = os.readv(fd, [buf])
        os.readv(fd, [buf])
        os.fstat(fd)
        os.close(fd)
        datas.append(bytes(buf[:n]))
    syscalls = time.perf_counter() - start
    start = time.perf_counter()
    for d in datas:
        hashlib.sha256(d).hexdigest()
        hashlib.sha512(d).hexdigest()
    hashing = time.perf_counter() - start
    jobs = [HashJob(p, size=len(d)) for p, d in zip(paths, datas, strict=True)]
    start = time.perf_counter()
    next(iter(hash_many(iter(jobs[:1024]), ("sha256", "sha512"), workers=2)))
    pool = time.perf_counter() - start
    return {"syscalls_one_core": syscalls, "hashing_one_core": hashing, "pool_first_result": pool}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bag", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    paths = sorted(str(p) for p in (args.bag / "data").rglob("*") if p.is_file())
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        now = {
            "interpreter": fresh_process("pass"),
            "interpreter_and_imports": fresh_process("import preserve.cli.verify"),
            **phases(args.bag),
            **per_file(paths),
        }
        best = {k: min(v, best.get(k, v)) for k, v in now.items()}
    best["imports"] = best["interpreter_and_imports"] - best["interpreter"]
    print(f"{len(paths)} payload files; load average {os.getloadavg()[0]:.2f}")
    for key, value in best.items():
        print(f"{key:24s} {value * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
