"""Deterministic benchmark data for bags (run by hand; never part of the test suite).

    python bench/generate.py ROOT [--scale 1.0] [--sets a,b,c]

(a) ``large``: 8 files of 256 MiB; (b) ``small``: 100,000 files of 1-8 KiB in nested
folders (100 x 10 folders); (c) ``mixed``: 3,000 files shaped like a realistic batch
(page scans of 0.2-4 MiB, derivatives of 50-500 KiB, metadata of 1-20 KiB);
(d) ``small20k``: the first 20,000 files of (b); (e) ``large4``: 4 files of 128 MiB
(issue 15: the sizes an archive's daily audits see, with moderate disk use);
(f) ``large1``: one file of 512 MiB (fewer files than cores: one video, one disk image).
``--scale`` multiplies file counts (b, c) and the size of the large files (a).
Contents come from a seeded generator, so every run makes identical bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
from pathlib import Path

MiB = 1 << 20


def _stream(seed: int, size: int) -> bytes:
    """*size* pseudo-random bytes (incompressible, fast: SHAKE-256 of the seed)."""
    return hashlib.shake_256(seed.to_bytes(8, "little")).digest(size)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def large(root: Path, scale: float, *, files: int = 8, mib: int = 256) -> None:
    root.mkdir(parents=True, exist_ok=True)
    size = int(mib * MiB * scale)
    block = _stream(1, 16 * MiB)
    for i in range(files):
        with (root / f"volume{i}.bin").open("wb") as out:
            written = 0
            while written < size:
                # Vary each block so no two files or blocks are equal.
                chunk = bytes([i, written // (16 * MiB) % 256]) + block[2:]
                chunk = chunk[: size - written]
                out.write(chunk)
                written += len(chunk)


def small(root: Path, scale: float, *, files: int = 100_000) -> None:
    rnd = random.Random(2)
    pool = _stream(2, 16 * MiB)
    for i in range(int(files * scale)):
        size = rnd.randint(1024, 8192)
        start = rnd.randrange(0, len(pool) - size)
        path = root / f"box{i % 100:03d}" / f"folder{(i // 100) % 10}" / f"item{i:06d}.xml"
        _write(path, pool[start : start + size])


def mixed(root: Path, scale: float) -> None:
    rnd = random.Random(3)
    pool = _stream(3, 32 * MiB)
    kinds = [("scan.tif", 200_000, 4 * MiB, 1), ("page.jpg", 50_000, 500_000, 3)]
    kinds.append(("record.json", 1000, 20_000, 6))
    n = 0
    record = 0
    while n < int(3000 * scale):
        for name, low, high, weight in kinds:
            for k in range(rnd.randint(1, weight)):
                size = rnd.randint(low, high)
                start = rnd.randrange(0, len(pool) - size)
                data = bytes([n % 256]) + pool[start + 1 : start + size]
                _write(root / f"record{record:05d}" / f"{k:02d}-{name}", data)
                n += 1
        record += 1


def small20k(root: Path, scale: float) -> None:
    small(root, scale, files=20_000)


def large4(root: Path, scale: float) -> None:
    large(root, scale, files=4, mib=128)


def large1(root: Path, scale: float) -> None:
    large(root, scale, files=1, mib=512)


SETS = {
    "a": ("large", large),
    "b": ("small", small),
    "c": ("mixed", mixed),
    "d": ("small20k", small20k),
    "e": ("large4", large4),
    "f": ("large1", large1),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--sets", default="a,b,c")
    args = parser.parse_args()
    for key in args.sets.split(","):
        name, func = SETS[key]
        target = args.root / name
        if target.exists():
            print(f"{target} exists, kept")
            continue
        func(target, args.scale)
        count = sum(len(files) for _, _, files in os.walk(target))
        print(f"{target}: {count} files")


if __name__ == "__main__":
    main()
