"""What a profile check needs to know about a bag, read without hashing anything.

A :class:`BagView` lists the bag's files with their sizes, its ``bagit.txt`` version
and its ``bag-info.txt`` elements, and (for a serialized bag) the archive's MIME type.
Profiles constrain only these, so checking a profile never reads the payload.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from preserve._types import StrPath
from preserve.errors import BagError

MAX_TAG_FILE_BYTES = 16 << 20
"""bagit.txt and bag-info.txt are small; a larger one is refused, not read into memory."""

_MANIFEST = re.compile(r"^(tag)?manifest-([^/]+)\.txt$")


@dataclass(frozen=True, slots=True)
class BagInfoElement:
    """One ``label: value`` element of bag-info.txt (continuation lines joined by a space)."""

    label: str
    value: str
    line: int


@dataclass(frozen=True, slots=True)
class BagView:
    """The shape of a bag: its files and its two declaration files.

    :param name: how to name the bag in messages (the path given by the user).
    :param files: regular files by path relative to the bag (``/``-separated) and size.
    :param dirs: folders, relative to the bag.
    :param others: symlinks, devices and other entries that are neither.
    :param bagit_version: ``BagIt-Version`` from bagit.txt, ``None`` if unreadable.
    :param bag_info: the elements of bag-info.txt in order (empty when absent).
    :param bag_info_errors: ``(line, text)`` of bag-info lines that are not ``label: value``.
    :param serialization: the archive's MIME type, ``None`` for a bag in a folder.
    """

    name: str
    files: Mapping[str, int]
    dirs: frozenset[str] = frozenset()
    others: frozenset[str] = frozenset()
    bagit_version: str | None = None
    bag_info: tuple[BagInfoElement, ...] = ()
    bag_info_errors: tuple[tuple[int, str], ...] = ()
    serialization: str | None = None
    has_bag_info: bool = field(default=False)

    @classmethod
    def from_directory(cls, path: StrPath, *, serialization: str | None = None) -> BagView:
        """Read the view of a bag in a folder, never following symlinks.

        :param path: the bag's base folder.
        :param serialization: the MIME type of the archive it was unpacked from, if any.
        :raises BagError: when *path* is not a readable folder.
        """
        root = Path(path)
        if not root.is_dir():
            msg = f"{root} is not a folder; give the bag's base folder or a serialized bag"
            raise BagError(msg)
        files: dict[str, int] = {}
        dirs: set[str] = set()
        others: set[str] = set()
        try:
            for rel, st in _walk(root, ""):
                if stat.S_ISREG(st.st_mode):
                    files[rel] = st.st_size
                elif stat.S_ISDIR(st.st_mode):
                    dirs.add(rel)
                else:
                    others.add(rel)
        except OSError as e:
            msg = f"cannot list bag {root}: {e.strerror or e}; check permissions"
            raise BagError(msg) from e
        version = None
        if "bagit.txt" in files:
            version = parse_bagit_version(_read_small(root / "bagit.txt"))
        elements: tuple[BagInfoElement, ...] = ()
        errors: tuple[tuple[int, str], ...] = ()
        if "bag-info.txt" in files:
            elements, errors = parse_bag_info(_read_small(root / "bag-info.txt"))
        return cls(
            name=str(path),
            files=files,
            dirs=frozenset(dirs),
            others=frozenset(others),
            bagit_version=version,
            bag_info=elements,
            bag_info_errors=errors,
            serialization=serialization,
            has_bag_info="bag-info.txt" in files,
        )

    def manifests(self, *, tag: bool) -> dict[str, str]:
        """Top-level (tag) manifests as ``{algorithm: filename}``."""
        out = {}
        for name in self.files:
            m = _MANIFEST.match(name)
            if m and bool(m.group(1)) == tag:
                out[m.group(2)] = name
        return out

    def payload_files(self) -> dict[str, int]:
        """Files under ``data/`` with their sizes."""
        return {p: s for p, s in self.files.items() if p.startswith("data/")}

    def other_tag_files(self) -> list[str]:
        """Tag files other than bagit.txt, bag-info.txt, fetch.txt and the manifests.

        These are what ``Tag-Files-Allowed`` governs; the others have fields of their own.
        """
        fixed = {"bagit.txt", "bag-info.txt", "fetch.txt"}
        return sorted(
            p
            for p in (*self.files, *self.others)
            if not p.startswith("data/") and p not in fixed and not _MANIFEST.match(p)
        )


def _walk(root: Path, prefix: str) -> Iterator[tuple[str, os.stat_result]]:
    with os.scandir(root / prefix if prefix else root) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            rel = f"{prefix}{entry.name}"
            st = entry.stat(follow_symlinks=False)
            yield rel, st
            if stat.S_ISDIR(st.st_mode):
                yield from _walk(root, rel + "/")


def _read_small(path: Path) -> str:
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_TAG_FILE_BYTES + 1)
    except OSError as e:
        msg = f"cannot read {path}: {e.strerror or e}; check permissions"
        raise BagError(msg) from e
    if len(raw) > MAX_TAG_FILE_BYTES:
        msg = f"{path} is larger than {MAX_TAG_FILE_BYTES} bytes; it cannot be a tag file"
        raise BagError(msg)
    return raw.decode("utf-8-sig", errors="replace")


def parse_bagit_version(text: str) -> str | None:
    """The ``BagIt-Version`` of a bagit.txt, or ``None`` when it has none."""
    for line in text.splitlines():
        label, sep, value = line.partition(":")
        if sep and label.strip() == "BagIt-Version":
            return value.strip()
    return None


def parse_bag_info(text: str) -> tuple[tuple[BagInfoElement, ...], tuple[tuple[int, str], ...]]:
    """Split bag-info.txt into elements, keeping order and repeats (RFC 8493 §2.2.2).

    Lines starting with a space or tab continue the previous value. A line without
    a colon is reported in the second result rather than guessed at.
    """
    elements: list[BagInfoElement] = []
    errors: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if line[0] in " \t" and elements:
            last = elements[-1]
            elements[-1] = BagInfoElement(last.label, f"{last.value} {line.strip()}", last.line)
            continue
        label, sep, value = line.partition(":")
        if not sep or not label.strip():
            errors.append((number, line))
            continue
        elements.append(BagInfoElement(label.strip(), value.strip(), number))
    return tuple(elements), tuple(errors)
