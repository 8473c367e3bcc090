"""What ``--replace`` may replace: a bag, and nothing a user would lose without being told.

A folder is replaceable when it holds ``bagit.txt`` and every file in it is a part of
the bag: a BagIt tag file at its top (``bagit.txt``, ``bag-info.txt``, ``fetch.txt``,
manifests and tag manifests) or a file one of its manifests lists (a payload file,
``metadata/premis.xml``). Anything else (a folder that is not a bag, a stray
``keep.txt`` at its top, a note added under ``data/`` after the bag was made) is
refused with the name of what would be lost, and nothing is changed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from preserve.bags.manifests import algorithm_from_filename, read_manifest
from preserve.errors import BagError

__all__ = ["refuse_unless_bag"]

_TAG_FILE = re.compile(r"bagit\.txt|bag-info\.txt|fetch\.txt|(?:tag)?manifest-[a-z0-9]+\.txt")
_VERSION = re.compile(rb"BagIt-Version:\s*(\d+)\.(\d+)")


def refuse_unless_bag(target: Path) -> None:
    """Return if *target* is a bag folder that may be replaced, else raise.

    :raises BagError: *target* is a link, a file, not a bag, holds a file no manifest
        lists (at any depth, ``data/`` included), or cannot be read to check that.
    """
    if target.is_symlink() or not target.is_dir():
        msg = f"{target} exists and is not a folder: --replace only replaces a bag folder"
        raise BagError(msg)
    names = _list(target)
    if "bagit.txt" not in names:
        msg = (
            f"{target} is not a bag (no bagit.txt): --replace only replaces a bag; "
            "move the folder away or choose another --out. Nothing was changed"
        )
        raise BagError(msg)
    listed = _listed(target, names)
    tops = {path.split("/", 1)[0] for path in listed}
    strangers = sorted(n for n in names if n != "data" and not _TAG_FILE.fullmatch(n))
    strangers = [n for n in strangers if n not in tops]
    if strangers:
        _refuse(target, strangers[0])
    for path in _files(target, names):
        if path not in listed:
            _refuse(target, path)


def _refuse(target: Path, stranger: str) -> None:
    msg = (
        f"{target} is a bag but also holds {stranger!r}, which is not part of it "
        f"(no manifest lists it); --replace would delete it. Move it out of {target} "
        "and run again. Nothing was changed"
    )
    raise BagError(msg)


def _list(target: Path) -> list[str]:
    try:
        return os.listdir(target)
    except OSError as e:
        msg = f"cannot read {target} to check it is a bag: {e.strerror or e}; nothing was changed"
        raise BagError(msg) from e


def _listed(target: Path, names: list[str]) -> set[str]:
    """Every path the bag's manifests and tag manifests list (``/``-separated).

    A manifest that cannot be read vouches for nothing: what only it lists is refused.
    """
    try:
        rfc8493 = _declares_rfc8493((target / "bagit.txt").read_bytes()[:4096])
    except OSError:
        rfc8493 = True
    listed: set[str] = set()
    for name in names:
        if algorithm_from_filename(name) is None:
            continue
        try:
            entries, _ = read_manifest(target / name, rfc8493=rfc8493)
        except OSError:
            continue
        listed.update(entry.path for entry in entries)
    return listed


def _declares_rfc8493(bagit_txt: bytes) -> bool:
    """False for a bag before BagIt 1.0, whose manifests write '%' literally."""
    match = _VERSION.search(bagit_txt)
    return match is None or (int(match[1]), int(match[2])) >= (1, 0)


def _files(target: Path, names: list[str]) -> Iterator[str]:
    """Every entry that is not a folder, as a ``/``-separated path in the bag, except
    the tag files at the top (which the bag itself writes)."""
    yield from (n for n in names if not _TAG_FILE.fullmatch(n) and not _is_dir(target / n))
    stack = [(target / n, f"{n}/") for n in names if _is_dir(target / n)]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as entries:
                found = [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
        except OSError as e:
            msg = (
                f"cannot read {folder} to check that --replace would delete only the bag "
                f"{target}: {e.strerror or e}; nothing was changed"
            )
            raise BagError(msg) from e
        for name, is_dir in found:
            if is_dir:
                stack.append((folder / name, f"{prefix}{name}/"))
            else:
                yield f"{prefix}{name}"


def _is_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()
