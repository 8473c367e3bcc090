"""Serialized bags (``.zip``, ``.tar``, ``.tar.gz`` …) kept as one object in a store.

A serialized bag cannot be verified without unpacking it, for a local archive too: the
unpack writes every member to a private folder, under the bomb guard (member count,
unpacked size, compression ratio: :class:`~preserve.bags.archive.ArchiveLimits`). The
object is streamed, in chunks, into one private temporary file beside that folder
(a zip is read from its end, so it needs a seekable file), checked exactly as a local
archive is, and both are removed afterwards; results name the ``s3://`` location,
never the temporary file. An object larger than the guard's unpacked-size limit is
refused before any byte is fetched.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from preserve.audit.check import is_serialized
from preserve.bags.archive.read import DEFAULT_LIMITS, ArchiveLimits
from preserve.bags.verify.result import BagResult
from preserve.storage.base import StorageError
from preserve.storage.location import S3Options, is_s3
from preserve.storage.stores import open_store

_CHUNK = 8 << 20


def is_stored_archive(location: str) -> bool:
    """True for an ``s3://`` location named like a serialized bag."""
    return is_s3(location) and is_serialized(location.rsplit("/", 1)[-1])


@contextmanager
def fetched_archive(
    location: str, *, s3: S3Options, limits: ArchiveLimits = DEFAULT_LIMITS
) -> Iterator[Path]:
    """The archive object at *location*, streamed into a private temporary file.

    :raises StorageError: the object is missing, cannot be read, or is larger than
        *limits* allow (nothing is fetched then).
    """
    parent, name = location.rstrip("/").rsplit("/", 1)
    store = open_store(parent, s3=s3)
    size = store.size(name)
    if size > limits.max_total_bytes:
        msg = (
            f"{location} is {size} bytes, more than the {limits.max_total_bytes} bytes an "
            "archive may unpack to; verify it where it can be unpacked, with higher limits"
        )
        raise StorageError(msg)
    folder = Path(tempfile.mkdtemp(prefix="preserve-s3-archive-"))
    try:
        target = folder / name
        with target.open("wb") as out:
            for chunk in store.iter_chunks(name, _CHUNK):
                out.write(chunk)
        yield target
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def named(result: BagResult, location: str, local: Path) -> BagResult:
    """*result* of checking *local* (a fetched copy), naming *location* instead."""
    hidden = str(local)
    findings = tuple(
        dataclasses.replace(
            f,
            message=f.message.replace(hidden, location),
            source=location if f.source == hidden else f.source,
        )
        for f in result.findings
    )
    return dataclasses.replace(result, bag=location, findings=findings)
