"""Where the milliseconds of one ``preserve verify`` go (issue 15). Run by hand::

    python bench/profile_verify.py BAG [--rounds 5]

Times, best of ``--rounds``: the interpreter alone and the imports of the ``verify``
command (each a fresh process); the phases of :func:`verify_bag` in this process
(each phase function wrapped with a timer); and, for the payload, the per-file system
calls alone (open, fstat, read, fstat, close, no hashing), hashing alone (sha256 and
sha512 over bytes already in memory) and the worker pool's start (to its first result),
all on one core, to set beside the hashing phase's wall time on two.

It also prices two ideas not taken (``ideas``): the walk without its ``lstat`` per
entry (file types from ``d_type`` alone, what a walk that took sizes from the hashing's
``fstat`` would do), and the name checks in a forked process (the round trip: fork,
check, findings pickled back), which could overlap the manifest parsing on the core
the single-threaded checks leave idle.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from preserve.bags.hashpool import HashJob, hash_many
from preserve.bags.verify import verify as V
from preserve.bags.verify._checks import name_findings
from preserve.bags.verify._inventory import scan

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


def _walk(root: str, *, lstat: bool) -> int:
    count = 0
    stack = [root]
    while stack:
        with os.scandir(stack.pop()) as it:
            for entry in it:
                if lstat:
                    entry.stat(follow_symlinks=False)
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    count += 1
    return count


def _forked(work: Callable[[], object]) -> object:
    """Run *work* in a forked child; its result comes back pickled through a pipe."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        with os.fdopen(write, "wb") as out:
            pickle.dump(work(), out)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as got:
        result = pickle.load(got)
    os.waitpid(pid, 0)
    return result


def ideas(bag: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, lstat in (("walk_with_lstat", True), ("walk_d_type_only", False)):
        start = time.perf_counter()
        _walk(str(bag), lstat=lstat)
        out[key] = time.perf_counter() - start
    paths = scan(str(bag.resolve())).payload.paths
    start = time.perf_counter()
    inline = name_findings(paths)
    out["names_inline"] = time.perf_counter() - start
    start = time.perf_counter()
    forked = _forked(lambda: name_findings(paths))
    out["names_forked_round_trip"] = time.perf_counter() - start
    assert forked == inline
    return out


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
            **ideas(args.bag),
        }
        best = {k: min(v, best.get(k, v)) for k, v in now.items()}
    best["imports"] = best["interpreter_and_imports"] - best["interpreter"]
    print(f"{len(paths)} payload files; load average {os.getloadavg()[0]:.2f}")
    for key, value in best.items():
        print(f"{key:24s} {value * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
