"""Helpers for the bag build tests."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path


def snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """Every file and folder under *root*: content hash, mode, mtime (what a user checks)."""
    out: dict[str, tuple[str, int, int]] = {}
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(dirpath, name)
            st_ = path.lstat()
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
            out[str(path.relative_to(root))] = (digest, st_.st_mode, st_.st_mtime_ns)
    return out


def make_tree(root: Path, files: Mapping[str, bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root
