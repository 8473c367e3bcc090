"""Writing a new bag's tag files: manifests (streamed), bag-info, tag manifests.

The line formats come from :mod:`preserve.bags.manifests` and
:mod:`preserve.bags.tagfiles`, which verification reads with, so that what
preserve writes is exactly what it accepts.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

from preserve._types import JSONValue
from preserve.bags.hashing import hash_file
from preserve.bags.manifests import format_manifest_line, manifest_filename
from preserve.bags.paths import unsafe_reason
from preserve.errors import BagError

RESERVED_TAG_FILES = ("bagit.txt", "bag-info.txt", "fetch.txt")


class ManifestWriter:
    """Payload manifests for several algorithms, written line by line as files are hashed."""

    def __init__(self, bag: Path, algorithms: Sequence[str]) -> None:
        self.algorithms = tuple(algorithms)
        self._files: list[IO[str]] = []
        for algorithm in self.algorithms:
            path = bag / manifest_filename(algorithm)
            self._files.append(path.open("x", encoding="utf-8", newline="\n"))

    def add(self, bag_path: str, digests: Mapping[str, str]) -> None:
        """Append one payload file's line to every manifest."""
        for algorithm, out in zip(self.algorithms, self._files, strict=True):
            out.write(format_manifest_line(digests[algorithm], bag_path))

    def close(self) -> None:
        """Flush and close every manifest (errors such as a full disk surface here)."""
        errors: list[OSError] = []
        for out in self._files:
            try:
                out.close()
            except OSError as e:
                errors.append(e)
        if errors:
            raise errors[0]

    def __enter__(self) -> ManifestWriter:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        if t is None:
            self.close()
        else:
            for out in self._files:
                try:
                    out.close()
                except OSError:
                    continue


def check_tag_path(name: str) -> None:
    """Refuse a tag file name a hook returned that is unsafe or would clobber the bag.

    :raises BagError: the name escapes the bag, is in ``data/``, or names a
        manifest, bagit.txt, bag-info.txt or fetch.txt.
    """
    reason = unsafe_reason(name)
    base = name.rsplit("/", 1)[-1]
    if reason is None and (name.startswith("data/") or name == "data"):
        reason = "is inside data/, the payload"
    if reason is None and (name in RESERVED_TAG_FILES or "manifest-" in base):
        reason = "is a file preserve writes itself"
    if reason is not None:
        msg = f"a tag hook returned the tag file {name!r}, which {reason}; fix the hook"
        raise BagError(msg)


def write_tag_file(bag: Path, name: str, data: bytes) -> None:
    """Write the tag file *name* (``/``-separated, relative to *bag*)."""
    path = bag.joinpath(*name.split("/"))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as out:
        out.write(data)


def tag_files(bag: Path) -> list[str]:
    """Every tag file of *bag* except tag manifests, as sorted ``/`` paths."""
    found: list[str] = []
    for dirpath, dirs, files in os.walk(bag):
        rel = os.path.relpath(dirpath, bag)
        if rel == ".":
            dirs[:] = [d for d in dirs if d != "data"]
            rel = ""
        for name in files:
            path = f"{rel}/{name}" if rel else name
            if not (rel == "" and name.startswith("tagmanifest-")):
                found.append(path.replace(os.sep, "/"))
    return sorted(found)


def write_tag_manifests(bag: Path, algorithms: Sequence[str]) -> None:
    """Write ``tagmanifest-<alg>.txt`` over every other tag file, for every algorithm."""
    names = tag_files(bag)
    digests = [hash_file(bag.joinpath(*n.split("/")), algorithms).digests for n in names]
    for algorithm in algorithms:
        lines = "".join(
            format_manifest_line(d[algorithm], n) for n, d in zip(names, digests, strict=True)
        )
        path = bag / manifest_filename(algorithm, tag=True)
        path.write_text(lines, encoding="utf-8", newline="\n")


def _text(value: JSONValue) -> str | None:
    if isinstance(value, str):
        return " ".join(value.split()) or None
    return None


def _get(record: Mapping[str, JSONValue], *pointer: str) -> str | None:
    value: JSONValue = dict(record)
    for key in pointer:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return _text(value)


def record_bag_info(record: Mapping[str, JSONValue]) -> list[tuple[str, str]]:
    """bag-info elements a record fills (absent fields give no element).

    * External-Identifier: ``/archive_reference/citation``;
    * External-Description: ``/title``.

    Not Source-Organization: in BagIt it is the organisation transferring the content,
    which the record does not say (its repository holds the originals); it comes from
    ``--info`` or the caller.
    """
    pairs = [
        ("External-Identifier", _get(record, "archive_reference", "citation")),
        ("External-Description", _get(record, "title")),
    ]
    return [(label, value) for label, value in pairs if value]


def merge_bag_info(
    computed: Iterable[tuple[str, str]], extra: Iterable[tuple[str, str]]
) -> list[tuple[str, str]]:
    """*computed* elements, each replaced by *extra* ones of the same label, then the rest.

    A label given in *extra* (``--info``) wins over what the record says; extra
    labels may repeat (BagIt allows it for most elements).
    """
    extra = list(extra)
    given = {label.lower() for label, _ in extra}
    kept = [(label, value) for label, value in computed if label.lower() not in given]
    return kept + extra
