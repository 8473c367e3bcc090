"""Put a finished bag into an object store with ``bagit.txt`` last (issue 14).

A reader takes a bag to exist when ``bagit.txt`` is there, so that file is written
only after every other object has been written; an interrupted upload leaves a
prefix without ``bagit.txt``, which verifies as BAG-001 and is never mistaken for a
complete bag. The next upload to the same place finds the leftovers: objects whose
content already matches the bag are kept (the upload resumes), every other leftover
is deleted. An existing complete bag is replaced only when asked, and then its
``bagit.txt`` goes first, so the bag is never complete-looking while half rewritten.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from preserve.bags.hashing import sha256_file
from preserve.errors import BagError
from preserve.storage.base import ObjectMissingError, ObjectStore, StorageError

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class UploadResult:
    """What :func:`upload_bag` did.

    :param uploaded: objects written.
    :param resumed: leftovers of an interrupted upload kept because they matched.
    :param removed: leftovers deleted (not part of this bag, or not matching).
    :param replaced: a complete bag was there and was replaced.
    """

    location: str
    uploaded: int
    resumed: int
    removed: int
    replaced: bool


def _local_files(bag: Path) -> dict[str, Path]:
    return {p.relative_to(bag).as_posix(): p for p in sorted(bag.rglob("*")) if p.is_file()}


def _sha256_stored(store: ObjectStore, key: str) -> str | None:
    h = hashlib.sha256()
    try:
        for piece in store.iter_chunks(key, _CHUNK):
            h.update(piece)
    except ObjectMissingError:
        return None
    return h.hexdigest()


def _matches(store: ObjectStore, key: str, size: int, path: Path) -> bool:
    return size == path.stat().st_size and _sha256_stored(store, key) == sha256_file(path)


def upload_bag(
    bag: Path, store: ObjectStore, *, replace: bool = False, concurrency: int = 8
) -> UploadResult:
    """Upload the bag folder *bag* to *store*'s root, ``bagit.txt`` last.

    :raises BagError: when a complete bag is already there and not *replace*, or
        when an object cannot be written (the target is then left without bagit.txt).
    """
    files = _local_files(bag)
    if "bagit.txt" not in files:
        msg = f"{bag}: not a bag (no bagit.txt); build it first"
        raise BagError(msg)
    try:
        existing = {o.key: o.size for o in store.list()}
    except ObjectMissingError:
        existing = {}
    except StorageError as e:
        msg = f"{e}; nothing was written"
        raise BagError(msg) from e
    replaced = "bagit.txt" in existing
    if replaced and not replace:
        msg = f"{store.url}: a bag is already there; give --replace to replace it"
        raise BagError(msg)
    try:
        if replaced:
            store.delete("bagit.txt")  # first: the old bag stops looking complete
            del existing["bagit.txt"]
        keep = {k for k, s in existing.items() if k in files and _matches(store, k, s, files[k])}
        stale = [k for k in existing if k not in keep]
        for key in stale:
            store.delete(key)
        todo = [k for k in files if k not in keep and k != "bagit.txt"]
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(lambda k: _put(store, k, files[k]), todo))
        _put(store, "bagit.txt", files["bagit.txt"])
    except StorageError as e:
        msg = f"{e}; the upload stopped before bagit.txt, so no complete bag is there: run again"
        raise BagError(msg) from e
    return UploadResult(
        location=store.url,
        uploaded=len(todo) + 1,
        resumed=len(keep),
        removed=len(stale),
        replaced=replaced,
    )


def _put(store: ObjectStore, key: str, path: Path) -> None:
    with path.open("rb") as f:
        store.write(key, f, path.stat().st_size)
