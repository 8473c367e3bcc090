"""Put a finished bag into an object store with ``bagit.txt`` last (issue 14).

A reader takes a bag to exist when ``bagit.txt`` is there, so that file is written
only after every other object has been written; an interrupted upload leaves a
prefix without ``bagit.txt``, which verifies as BAG-001 and is never mistaken for a
complete bag. An upload marks the place as its own first (:data:`MARKER`, removed
after ``bagit.txt``), so the next upload to the same place knows the leftovers for
its own: objects whose content already matches the bag are kept (the upload resumes),
every other leftover is deleted. Objects that are not preserve's are never deleted:
a place holding anything that is neither part of the bag there (by its manifests) nor
left by an interrupted upload is refused, naming what is there. An existing complete
bag is replaced only when asked, and then its ``bagit.txt`` goes first, so the bag is
never complete-looking while half rewritten.
"""

from __future__ import annotations

import hashlib
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from preserve.audit.tagread import ManifestError, manifest_entries
from preserve.bags.hashing import sha256_file
from preserve.errors import BagError
from preserve.storage.base import ObjectMissingError, ObjectStore, StorageError

_CHUNK = 1 << 20

MARKER = ".preserve-upload-incomplete"
"""Written first and removed last by an upload: what it leaves when interrupted."""
_MARKER_TEXT = b"an upload by preserve stopped here before it finished; run it again\n"
_TOP_TAGS = ("bagit.txt", "bag-info.txt", "fetch.txt")


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
    _refuse_foreign(store, existing, bag_there=replaced)
    try:
        if replaced:
            store.delete("bagit.txt")  # first: the old bag stops looking complete
            del existing["bagit.txt"]
        if MARKER not in existing:
            store.write(MARKER, io.BytesIO(_MARKER_TEXT), len(_MARKER_TEXT))
        existing.pop(MARKER, None)
        keep = {k for k, s in existing.items() if k in files and _matches(store, k, s, files[k])}
        stale = [k for k in existing if k not in keep]
        for key in stale:
            store.delete(key)
        todo = [k for k in files if k not in keep and k != "bagit.txt"]
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(lambda k: _put(store, k, files[k]), todo))
        _put(store, "bagit.txt", files["bagit.txt"])
        store.delete(MARKER)
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


def _refuse_foreign(store: ObjectStore, existing: dict[str, int], *, bag_there: bool) -> None:
    """Refuse, before anything is written, a place holding objects the upload would
    delete that are not preserve's: not part of the bag there (by its manifests) and not
    left by an interrupted upload of preserve's."""
    if not existing or (MARKER in existing and not bag_there):
        return  # empty, or an interrupted upload's: every leftover is ours
    if bag_there:
        own = _bag_objects(store, existing)
        foreign = sorted(k for k in existing if k not in own and k != MARKER)
    else:  # no bag, and no interrupted upload: what is there is somebody's
        foreign = sorted(existing)
    if foreign:
        shown = ", ".join(repr(k) for k in foreign[:5]) + (" …" if len(foreign) > 5 else "")
        what = "not part of the bag there" if bag_there else "not a bag, nor preserve's leftovers"
        msg = (
            f"{store.url} holds {len(foreign)} object(s) {what} ({shown}); the upload "
            "would delete them. Move them away or choose another place; nothing was changed"
        )
        raise BagError(msg)


def _bag_objects(store: ObjectStore, existing: dict[str, int]) -> set[str]:
    """The keys the bag at *store* holds by its own account: its top-level tag files,
    manifests and tag manifests, and every path they list."""
    own = {k for k in existing if k in _TOP_TAGS or _is_manifest(k)}
    for key in sorted(own):
        if not _is_manifest(key):
            continue
        try:
            text = store.read(key).decode("utf-8", "replace")
            own.update(path for path, _ in manifest_entries(text, key, rfc8493=False))
            own.update(path for path, _ in manifest_entries(text, key, rfc8493=True))
        except (StorageError, ManifestError) as e:
            msg = (
                f"{store.url}/{key} cannot be read ({e}), so what belongs to the bag "
                "there cannot be told; nothing was changed"
            )
            raise BagError(msg) from e
    return own


def _is_manifest(key: str) -> bool:
    return "/" not in key and key.startswith(("manifest-", "tagmanifest-")) and key.endswith(".txt")


def _put(store: ObjectStore, key: str, path: Path) -> None:
    with path.open("rb") as f:
        store.write(key, f, path.stat().st_size)
