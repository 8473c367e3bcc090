"""Open a store for a location: above :mod:`~preserve.storage.location` (parsing) and the
stores themselves, so that :mod:`~preserve.storage.s3` can use the parsed location
without the parser importing it back.
"""

from __future__ import annotations

from pathlib import Path

from preserve.storage.base import ObjectStore
from preserve.storage.location import S3Options, is_s3, parse_s3


def open_store(location: str, *, s3: S3Options | None = None) -> ObjectStore:
    """A store for an ``s3://`` URL or a local folder.

    :raises StorageError: for a malformed URL, or when the ``s3`` extra is not installed.
    """
    if is_s3(location):
        from preserve.storage.s3 import S3Store  # lazy: boto3 is an optional extra

        return S3Store(parse_s3(location), s3 or S3Options())
    from preserve.storage.local import LocalStore

    return LocalStore(Path(location))
