"""What a profile check needs to know about a bag, read without hashing anything.

A :class:`BagView` lists the bag's files with their sizes, its ``bagit.txt`` version
and its ``bag-info.txt`` elements, and (for a serialized bag) the archive's MIME type.
Profiles constrain only these, so checking a profile never reads the payload.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from preserve._types import StrPath
from preserve.bags.tagfiles import parse_bagit_txt, read_bag_info
from preserve.errors import BagError

MAX_TAG_FILE_BYTES = 1 << 20
"""bagit.txt is two short lines; a larger one is refused, not read into memory."""

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
    :param bag_info_errors: ``(line, problem)`` for bag-info lines that are not
        ``label: value`` (or a bag-info.txt too large to read).
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
        shape = cls(str(path), files, frozenset(dirs), frozenset(others))
        return _declared(replace(shape, serialization=serialization), root)

    @classmethod
    def from_listing(cls, name: str, files: Mapping[str, int], declarations: Path) -> BagView:
        """The view of a bag known by a listing (an object store, issue 14).

        :param files: every object of the bag, by path relative to the bag, with its size;
            folders are the prefixes of these paths (an object store has no others).
        :param declarations: a folder holding copies of the bag's bagit.txt and
            bag-info.txt (those it has), read as :meth:`from_directory` reads them.
        :raises BagError: when a declaration file cannot be read or is too large.
        """
        dirs = {p.rsplit("/", 1)[0] for p in files if "/" in p}
        for d in list(dirs):
            while "/" in d:
                d = d.rsplit("/", 1)[0]
                dirs.add(d)
        return _declared(cls(name, dict(files), frozenset(dirs)), declarations)

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


def _declared(view: BagView, root: Path) -> BagView:
    """*view* with bagit.txt's version and bag-info.txt's elements, read from *root*."""
    version, elements, errors = _declarations(root, view.files)
    has_bag_info = "bag-info.txt" in view.files
    return replace(
        view,
        bagit_version=version,
        bag_info=elements,
        bag_info_errors=errors,
        has_bag_info=has_bag_info,
    )


def _declarations(
    root: Path, files: Mapping[str, int]
) -> tuple[str | None, tuple[BagInfoElement, ...], tuple[tuple[int, str], ...]]:
    """bagit.txt's version and bag-info.txt's elements, parsed as ``preserve verify`` does.

    bag-info.txt is decoded with the bag's Tag-File-Character-Encoding and read the
    lenient (pre-1.0) way: whitespace around the colon is verify's concern, not the
    profile's. Lines that are not ``label: value`` come back as ``(line, problem)``.
    """
    declaration = None
    if "bagit.txt" in files:
        if files["bagit.txt"] > MAX_TAG_FILE_BYTES:
            msg = f"{root / 'bagit.txt'} is larger than {MAX_TAG_FILE_BYTES} bytes"
            raise BagError(msg)
        declaration, _ = parse_bagit_txt(_read(root / "bagit.txt"))
    if "bag-info.txt" not in files:
        return (declaration.version if declaration else None), (), ()
    encoding = declaration.encoding if declaration else "UTF-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "UTF-8"
    try:
        entries, findings = read_bag_info(root / "bag-info.txt", encoding=encoding, strict=False)
    except OSError as e:
        msg = f"cannot read {root / 'bag-info.txt'}: {e.strerror or e}; check permissions"
        raise BagError(msg) from e
    elements = tuple(BagInfoElement(e.label, e.value, e.line) for e in entries)
    errors = tuple((f.line or 0, f.message) for f in findings if f.is_error)
    return (declaration.version if declaration else None), elements, errors


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        msg = f"cannot read {path}: {e.strerror or e}; check permissions"
        raise BagError(msg) from e
