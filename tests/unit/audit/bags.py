"""Test bags for the audit tests, made with bagit-python (the reference implementation)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import bagit


def make_test_bag(parent: Path, name: str, files: dict[str, bytes] | None = None) -> Path:
    """A valid BagIt bag at parent/name with *files* (paths relative to data/)."""
    root = parent / name
    root.mkdir(parents=True)
    for rel, data in (files or {"a.txt": b"alpha\n", "sub/b.bin": bytes(range(256))}).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    bagit.make_bag(str(root), {"External-Identifier": f"id-{name}"}, checksums=["sha256"])
    return root


def rewrite_manifests(bag: Path) -> None:
    """Regenerate manifest-sha256.txt and tagmanifest-sha256.txt from the files as they are.

    This is what someone covering their tracks would do: the bag validates again.
    """
    lines = []
    for path in sorted((bag / "data").rglob("*")):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            lines.append(f"{digest}  {path.relative_to(bag).as_posix()}\n")
    (bag / "manifest-sha256.txt").write_text("".join(lines))
    tag_lines = []
    for name in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt"):
        digest = hashlib.sha256((bag / name).read_bytes()).hexdigest()
        tag_lines.append(f"{digest} {name}\n")
    (bag / "tagmanifest-sha256.txt").write_text("".join(tag_lines))
