"""Serialization and safe unpacking against tar(1)/gzip(1)/zip(1) in the same run.

Usage: .venv/bin/python bench/bench_serialize.py [MB] [SMALL_FILES]

Builds a throw-away bag of MB megabytes of random data in a few large files plus
SMALL_FILES files of 2 KB, then times ``serialize_bag`` and ``safe_extract`` for each
format and the system tools doing the same job. Prints seconds and the ratio
preserve / baseline (lower is better).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from preserve.bags.archive.read import safe_extract
from preserve.bags.archive.write import serialize_bag


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def make_bag(root: Path, mb: int, small: int) -> Path:
    bag = root / "bag"
    (bag / "data" / "small").mkdir(parents=True)
    (bag / "bagit.txt").write_bytes(b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    (bag / "bag-info.txt").write_bytes(b"Bagging-Date: 2026-01-02\n")
    for i in range(4):
        (bag / "data" / f"big{i}.bin").write_bytes(os.urandom(mb * (1 << 20) // 4))
    for i in range(small):
        (bag / "data" / "small" / f"f{i:05d}.txt").write_bytes(os.urandom(1024).hex().encode())
    return bag


def main() -> None:
    mb = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    small = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        bag = make_bag(root, mb, small)
        print(f"bag: {mb} MB in 4 files + {small} files of 2 KB")
        print(f"{'step':<14}{'preserve s':>12}{'baseline s':>12}{'ratio':>8}")
        for fmt in ("tar", "tgz", "zip"):
            if shutil.which(BASELINES[fmt][0][0]) is not None:
                one_format(root, bag, fmt)


BASELINES = {
    "tar": (["tar", "-cf", "base.tar", "bag"], ["tar", "-xf", "base.tar", "-C"]),
    "tgz": (["tar", "-czf", "base.tgz", "bag"], ["tar", "-xzf", "base.tgz", "-C"]),
    "zip": (["zip", "-qr", "base.zip", "bag"], ["unzip", "-q", "base.zip", "-d"]),
}


def one_format(root: Path, bag: Path, fmt: str) -> None:
    pack, unpack = BASELINES[fmt]
    out = root / "out"
    out.mkdir()
    archives: list[Path] = []
    ours = timed(lambda: archives.append(serialize_bag(bag, out, fmt=fmt)))  # type: ignore[arg-type]
    base = timed(lambda: subprocess.run(pack, cwd=root, check=True))
    print(f"{'pack ' + fmt:<14}{ours:>12.2f}{base:>12.2f}{ours / base:>8.2f}")
    ours = timed(lambda: safe_extract(archives[0], root / f"x-{fmt}"))
    (root / f"b-{fmt}").mkdir()
    base = timed(lambda: subprocess.run([*unpack, f"b-{fmt}"], cwd=root, check=True))
    print(f"{'unpack ' + fmt:<14}{ours:>12.2f}{base:>12.2f}{ours / base:>8.2f}")
    for path in (out, root / f"x-{fmt}", root / f"b-{fmt}", root / pack[2]):
        shutil.rmtree(path) if path.is_dir() else path.unlink()


if __name__ == "__main__":
    main()
