"""What ``--replace`` may replace: a bag, and nothing a user would lose without being told.

A folder is replaceable when it holds ``bagit.txt`` and every entry at its top is a
part of the bag: ``data/``, the BagIt tag files (``bagit.txt``, ``bag-info.txt``,
``fetch.txt``, manifests and tag manifests) or a file or folder a tag manifest lists
(``metadata/premis.xml``). Anything else (a folder that is not a bag, or a bag
holding a stray ``keep.txt``) is refused with the name of what would be lost.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from preserve.bags.manifests import read_manifest
from preserve.errors import BagError

__all__ = ["refuse_unless_bag"]

_TAG_FILE = re.compile(r"bagit\.txt|bag-info\.txt|fetch\.txt|(?:tag)?manifest-[a-z0-9]+\.txt")


def refuse_unless_bag(target: Path) -> None:
    """Return if *target* is a bag folder that may be replaced, else raise.

    :raises BagError: *target* is a link, a file, not a bag, or holds something no
        tag manifest lists.
    """
    if target.is_symlink() or not target.is_dir():
        msg = f"{target} exists and is not a folder: --replace only replaces a bag folder"
        raise BagError(msg)
    try:
        names = os.listdir(target)
    except OSError as e:
        msg = f"cannot read {target} to check it is a bag: {e.strerror or e}; nothing was changed"
        raise BagError(msg) from e
    if "bagit.txt" not in names:
        msg = (
            f"{target} is not a bag (no bagit.txt): --replace only replaces a bag; "
            "move the folder away or choose another --out. Nothing was changed"
        )
        raise BagError(msg)
    listed = _tag_manifest_tops(target, names)
    strangers = sorted(n for n in names if n != "data" and not _TAG_FILE.fullmatch(n))
    strangers = [n for n in strangers if n not in listed]
    if strangers:
        msg = (
            f"{target} is a bag but also holds {strangers[0]!r}, which is not part of it "
            f"(no tag manifest lists it); --replace would delete it. Move it out of {target} "
            "and run again. Nothing was changed"
        )
        raise BagError(msg)


def _tag_manifest_tops(target: Path, names: list[str]) -> set[str]:
    """The first path segment of every file the tag manifests list."""
    tops: set[str] = set()
    for name in names:
        if not name.startswith("tagmanifest-"):
            continue
        try:
            entries, _ = read_manifest(target / name)
        except OSError:
            continue  # unreadable: its entries are not vouched for
        tops.update(entry.path.split("/", 1)[0] for entry in entries)
    return tops
