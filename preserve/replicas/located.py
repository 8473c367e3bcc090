"""Verify a bag at an ``s3://`` location: a bag under a prefix, or a serialized bag object.

The same options as for a local bag: ``strict`` (conformance warnings become errors) and
a BagIt ``profile`` (its PRO findings are added). For a bag under a prefix, the profile
is checked against the listing (every object and its size) and the bag's bagit.txt and
bag-info.txt, fetched into a private temporary folder; for a serialized bag, against
the unpacked copy (:mod:`preserve.replicas.archive`).
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from preserve.bags.codes import BAG
from preserve.bags.verify.result import BagResult, Mode
from preserve.checking import verify_bag_or_archive
from preserve.errors import BagError
from preserve.profiles.check import check_profile
from preserve.profiles.model import Profile
from preserve.profiles.view import BagView
from preserve.progress import NO_PROGRESS, Progress
from preserve.replicas.archive import fetched_archive, is_stored_archive, named
from preserve.replicas.verify import verify_stored_bag
from preserve.storage.base import ObjectStore, StorageError
from preserve.storage.location import S3Options
from preserve.storage.stores import open_store


def verify_location(
    location: str,
    *,
    s3: S3Options,
    mode: Mode = "full",
    strict: bool = False,
    profile: Profile | None = None,
    progress: Progress = NO_PROGRESS,
) -> BagResult:
    """Verify the bag at *location* in place (an archive object is fetched to unpack it).

    :raises BagError: nothing at all is stored under a bag prefix.
    :raises SerializationError: a fetched archive cannot be unpacked at all (I/O error).
    """
    if is_stored_archive(location):
        try:
            with fetched_archive(location, s3=s3) as local:
                result = verify_bag_or_archive(
                    local, profile=profile, mode=mode, strict=strict, progress=progress
                )
                return named(result, location, local)
        except StorageError as e:
            finding = BAG.finding("BAG-012", reason=str(e))
            return BagResult(location, mode, (finding,), None, 0, 0, unreadable=(location,))
    store = open_store(location, s3=s3)
    result = verify_stored_bag(
        store, mode=mode, concurrency=s3.concurrency, progress=progress, strict=strict
    )
    if profile is None or result.unreadable:
        return result
    view = _view(store)
    return dataclasses.replace(result, findings=(*result.findings, *check_profile(view, profile)))


def _view(store: ObjectStore) -> BagView:
    try:
        files = {o.key: max(o.size, 0) for o in store.list()}
        with tempfile.TemporaryDirectory(prefix="preserve-s3-tags-") as folder:
            for name in ("bagit.txt", "bag-info.txt"):
                if name in files:
                    (Path(folder) / name).write_bytes(store.read(name))
            return BagView.from_listing(store.url, files, Path(folder))
    except StorageError as e:
        msg = f"{store.url}: cannot read the bag's declarations for --profile ({e}); try again"
        raise BagError(msg) from e
