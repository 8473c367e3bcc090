"""A tiny, independent bag writer for tests: payload bytes in, a BagIt bag out.

It writes manifests with preserve's own line formatter, so round-trip tests check
that what preserve writes, preserve reads. Tests then damage the bag on purpose.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from preserve.bags.tagfiles import (
    format_bag_info,
    format_bagit_txt,
    format_manifest,
    payload_oxum,
)


def digest(data: bytes, algorithm: str) -> str:
    return hashlib.new(algorithm, data).hexdigest()


def write_manifest(bag: Path, name: str, files: Mapping[str, bytes], algorithm: str) -> None:
    text = format_manifest((path, digest(data, algorithm)) for path, data in sorted(files.items()))
    (bag / name).write_text(text, encoding="utf-8", newline="")


def retag(bag: Path, algorithms: Sequence[str] = ("sha256",)) -> None:
    """Rewrite the tag manifests for every top-level tag file (after editing one)."""
    tags = {
        p.name: p.read_bytes()
        for p in sorted(bag.iterdir())
        if p.is_file() and not p.name.startswith("tagmanifest-")
    }
    for algorithm in algorithms:
        write_manifest(bag, f"tagmanifest-{algorithm}.txt", tags, algorithm)


def make_bag(
    bag: Path,
    files: Mapping[str, bytes],
    *,
    algorithms: Sequence[str] = ("sha256", "sha512"),
    version: str = "1.0",
    info: Sequence[tuple[str, str]] | None = None,
) -> Path:
    """Write a complete, valid bag at *bag* with *files* (bag paths under data/)."""
    (bag / "data").mkdir(parents=True)
    for path, data in files.items():
        target = bag / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (bag / "bagit.txt").write_bytes(format_bagit_txt(version))
    elements = list(info) if info is not None else [("Source-Organization", "Test Archive")]
    elements.append(("Payload-Oxum", payload_oxum(sum(map(len, files.values())), len(files))))
    (bag / "bag-info.txt").write_text(format_bag_info(elements), encoding="utf-8", newline="")
    for algorithm in algorithms:
        write_manifest(bag, f"manifest-{algorithm}.txt", files, algorithm)
    retag(bag, algorithms)
    return bag
