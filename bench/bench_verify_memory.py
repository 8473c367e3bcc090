"""Peak memory of ``preserve verify`` on bags of many tiny files (run by hand; not a test).

    .venv/bin/python bench/bench_verify_memory.py --files 100000 400000 1000000 \
        [--workdir /work/tmp-bench] [--keep] [--no-bagit]

For each file count a bag is generated directly (bagit.txt, bag-info.txt with
Payload-Oxum, manifest-sha256.txt and manifest-sha512.txt, tag manifests for both;
payload files of 0-64 random bytes, 1,000 per folder), so generation is quick and
independent of the code measured. Then, one after the other, in fresh processes:

- ``preserve verify BAG --quiet`` (full mode: every checksum), and
- ``bagit.py --validate --processes 2 BAG`` (bagit-python, for comparison),

each measured two ways: ``maxrss``, the largest resident set of any single process
of the run (``os.wait4`` on the child, which folds in its reaped descendants), and
``tree``, the largest proportional set size (PSS: shared pages split between the
processes sharing them, so forked workers are not counted twice) summed over the
whole process tree, worker processes included, sampled every 50 ms from /proc.
Results go to
docs/performance.md by hand ("## Verify memory").
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

PER_DIR = 1000
MiB = 1024 * 1024


def generate(bag: Path, n: int, *, seed: int = 1963) -> None:
    """Write a valid BagIt 1.0 bag of *n* tiny payload files at *bag*."""
    rng = random.Random(seed)
    data = bag / "data"
    data.mkdir(parents=True)
    octets = 0
    with (
        (bag / "manifest-sha256.txt").open("w", encoding="utf-8") as m256,
        (bag / "manifest-sha512.txt").open("w", encoding="utf-8") as m512,
    ):
        for i in range(n):
            folder = data / f"d{i // PER_DIR:05d}"
            if i % PER_DIR == 0:
                folder.mkdir()
            name = f"f{i:07d}.bin"
            body = rng.randbytes(rng.randrange(65))
            (folder / name).write_bytes(body)
            octets += len(body)
            rel = f"data/{folder.name}/{name}"
            m256.write(f"{hashlib.sha256(body).hexdigest()}  {rel}\n")
            m512.write(f"{hashlib.sha512(body).hexdigest()}  {rel}\n")
    (bag / "bagit.txt").write_text(
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8"
    )
    (bag / "bag-info.txt").write_text(f"Payload-Oxum: {octets}.{n}\n", encoding="utf-8")
    tags = ["bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt"]
    for algorithm in ("sha256", "sha512"):
        lines = [f"{hashlib.file_digest((bag / t).open('rb'), algorithm).hexdigest()}  {t}\n"
                 for t in tags]  # fmt: skip
        (bag / f"tagmanifest-{algorithm}.txt").write_text("".join(lines), encoding="utf-8")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def _tree_pss(root: int) -> int:
    tree = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, ()))
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def measure(cmd: list[str]) -> tuple[int, int, float, int]:
    """Run *cmd*; return (maxrss bytes, peak tree PSS bytes, seconds, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_pss(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss * 1024, peak, seconds, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[100_000])
    parser.add_argument("--workdir", type=Path, default=Path("/work/tmp-bench-verifymem"))
    parser.add_argument("--keep", action="store_true", help="keep generated bags for reruns")
    parser.add_argument("--no-bagit", action="store_true", help="skip bagit-python")
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    print("files    tool            maxrss MiB  tree PSS MiB  B/file(maxrss)  seconds  exit")
    for n in args.files:
        bag = args.workdir / f"bag-{n}"
        if not (bag / "tagmanifest-sha512.txt").exists():
            shutil.rmtree(bag, ignore_errors=True)
            t0 = time.perf_counter()
            generate(bag, n)
            print(f"# generated {n} files in {time.perf_counter() - t0:.0f} s", flush=True)
        tools = {"preserve": [str(bindir / "preserve"), "verify", "--quiet", str(bag)]}
        if not args.no_bagit:
            tools["bagit-python"] = [
                str(bindir / "python"), str(bindir / "bagit.py"),
                "--validate", "--processes", "2", "--quiet", str(bag),
            ]  # fmt: skip
        for tool, cmd in tools.items():
            maxrss, tree, seconds, code = measure(cmd)
            print(
                f"{n:<8} {tool:<14} {maxrss / MiB:>11.1f} {tree / MiB:>13.1f}"
                f" {maxrss / n:>15.0f} {seconds:>8.1f} {code:>5}",
                flush=True,
            )
        if not args.keep:
            shutil.rmtree(bag)


if __name__ == "__main__":
    main()
