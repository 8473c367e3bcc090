"""Audits of bags on object storage: find them under ``s3://`` roots and check them.

:func:`discover_roots` finds bags under local roots (by
:func:`preserve.audit.discover.discover`) and under ``s3://BUCKET/PREFIX`` roots (every
prefix holding a ``bagit.txt``, never looking inside a bag, and every object named like
a serialized bag outside one, :mod:`preserve.replicas.archive`), in one
:class:`~preserve.audit.discover.Discovery`; a root whose listing fails is recorded as
unreadable, so the bags the ledger knows under it are *inaccessible*, never missing.
:class:`StoredChecker` checks one bag: ``s3://`` bags with the streamed verifier (a
Dask worker opens its own S3 client: no shared file system is needed), others with the
local checker it wraps. The ledger is still written only by the client.
:class:`StoredProbe` asks whether anything is still at a location the ledger knows, on the
storage it lives on, so a bag found elsewhere is taken as moved only when its old location
is empty (:mod:`preserve.audit.relocate`).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from preserve.audit.check import LocalChecker, is_serialized
from preserve.audit.discover import Discovery, FoundBag, discover
from preserve.audit.model import BagCheck, ChangeKind, FileChange, Outcome
from preserve.audit.relocate import CannotTell, LocalProbe, Probe
from preserve.audit.run import Checker
from preserve.audit.tagread import bag_info_value, manifest_algorithm
from preserve.bags.verify.result import BagResult
from preserve.errors import BagError
from preserve.replicas.archive import fetched_archive, is_stored_archive
from preserve.replicas.verify import verify_stored_bag
from preserve.storage.base import ObjectInfo, ObjectMissingError, ObjectStore, StorageError
from preserve.storage.location import S3Options, is_s3
from preserve.storage.stores import open_store

# What the audit's per-file changes already say; any other error fails the bag by note.
_COVERED = frozenset({"BAG-012", "BAG-030", "BAG-031", "BAG-032", "BAG-033", "BAG-040", "BAG-041"})


def discover_roots(roots: Iterable[str], *, s3: S3Options | None = None) -> Discovery:
    """The bags under local and ``s3://`` roots together."""
    roots = list(roots)
    local = (
        discover([r for r in roots if not is_s3(r)]) if any(not is_s3(r) for r in roots) else None
    )
    found: list[FoundBag] = list(local.bags) if local else []
    unreadable: list[tuple[str, str]] = list(local.unreadable) if local else []
    shown: list[str] = list(local.roots) if local else []
    for root in (r for r in roots if is_s3(r)):
        store = open_store(root, s3=s3)
        shown.append(store.url)
        try:
            found += _stored_bags(store.url, list(store.list()))
        except StorageError as e:
            unreadable.append((store.url, str(e)))
    unique = {b.path: b for b in found}
    return Discovery(tuple(shown), tuple(unique[k] for k in sorted(unique)), tuple(unreadable))


def _stored_bags(root: str, objects: list[ObjectInfo]) -> list[FoundBag]:
    tops = sorted(
        {
            o.key[: -len("bagit.txt")].rstrip("/")
            for o in objects
            if o.key.rsplit("/", 1)[-1] == "bagit.txt"
        },
        key=len,
    )
    bags: list[str] = []
    for top in tops:  # shortest first: a bagit.txt inside a bag's data/ is payload
        if not any(top == b or top.startswith(b + "/") or b == "" for b in bags):
            bags.append(top)
    out = []
    for top in bags:
        inside = [o for o in objects if top == "" or o.key.startswith(top + "/")]
        path = f"{root}/{top}" if top else root
        out.append(FoundBag(path, sum(max(o.size, 0) for o in inside)))
    # Serialized bags: archive objects outside every bag (inside one they are payload).
    for o in objects:
        if is_serialized(o.key.rsplit("/", 1)[-1]) and not any(
            b == "" or o.key.startswith(b + "/") for b in bags
        ):
            out.append(FoundBag(f"{root}/{o.key}", max(o.size, 0)))
    return out


@dataclass(frozen=True, slots=True)
class StoredChecker:
    """``check(bag) -> BagCheck`` for ``s3://`` bags, and *local* for the others.

    Picklable (for Dask): the S3 client is made where the check runs.
    """

    s3: S3Options = field(default_factory=S3Options)
    local: Checker = field(default_factory=LocalChecker)

    def __call__(self, bag: str) -> BagCheck:
        if not is_s3(bag):
            return self.local(bag)
        if is_stored_archive(bag):
            return self._archive(bag)
        started = time.perf_counter()
        try:
            store = open_store(bag, s3=self.s3)
            result = verify_stored_bag(store, concurrency=self.s3.concurrency)
        except (BagError, StorageError) as e:
            return BagCheck(bag=bag, outcome="inaccessible", note=str(e))
        return replace(to_check(bag, result, store), duration_s=time.perf_counter() - started)

    def _archive(self, bag: str) -> BagCheck:
        """A serialized bag object: fetched privately, checked as a local archive."""
        started = time.perf_counter()
        try:
            with fetched_archive(bag, s3=self.s3) as local:
                result = self.local(str(local))
        except StorageError as e:
            return BagCheck(bag=bag, outcome="inaccessible", note=str(e))
        note = result.note.replace(str(local), bag)
        return replace(result, bag=bag, note=note, duration_s=time.perf_counter() - started)


@dataclass(frozen=True, slots=True)
class StoredProbe:
    """A :class:`~preserve.audit.relocate.Probe` that asks ``s3://`` locations of their
    bucket, and local ones of *local*."""

    s3: S3Options = field(default_factory=S3Options)
    local: Probe = field(default_factory=LocalProbe)

    def __call__(self, location: str) -> bool:
        if not is_s3(location):
            return self.local(location)
        try:
            if is_stored_archive(location):  # one object
                folder, _, name = location.rpartition("/")
                open_store(folder, s3=self.s3).size(name)
                return True
            return next(open_store(location, s3=self.s3).list(), None) is not None
        except ObjectMissingError:  # no such object, or no such bucket
            return False
        except StorageError as e:
            raise CannotTell(str(e)) from e


def to_check(bag: str, result: BagResult, store: ObjectStore) -> BagCheck:
    """The ledger's view of a stored bag's verification."""
    changes: list[FileChange] = []
    for c in result.changed:
        kind: ChangeKind = "changed" if c.path.startswith("data/") else "tag_changed"
        changes.append(FileChange(kind, c.path, c.algorithm, c.expected, c.found))
    changes += [FileChange("missing", p) for p in result.missing]
    changes += [FileChange("added", p) for p in result.added]
    changes += [FileChange("unreadable", p, reason="could not be read") for p in result.unreadable]
    structural = [f for f in result.errors if f.code not in _COVERED]
    outcome: Outcome = "passed"
    if structural or any(c.kind != "unreadable" for c in changes):
        outcome = "failed"
    elif changes or not result.ok:
        outcome = "inaccessible"
    digests, identity = _tags(store) if outcome != "inaccessible" else ({}, "")
    return BagCheck(
        bag=bag,
        outcome=outcome,
        identity=identity,
        bytes_checked=result.bytes,
        files_checked=result.files,
        digests=digests,
        changes=tuple(sorted(changes, key=lambda c: (c.path, c.kind))),
        note="; ".join(f"{f.code} {f.message}" for f in structural)
        or ("some files could not be read" if outcome == "inaccessible" else ""),
    )


def _tags(store: ObjectStore) -> tuple[dict[str, str], str]:
    """sha256 of each manifest (the ledger's baseline) and External-Identifier."""
    digests: dict[str, str] = {}
    identity = ""
    try:
        keys = [o.key for o in store.list() if "/" not in o.key]
        for key in sorted(keys):
            if manifest_algorithm(key):
                digests[key] = hashlib.sha256(store.read(key)).hexdigest()
        if "bag-info.txt" in keys:
            identity = bag_info_value(
                store.read("bag-info.txt").decode("utf-8", "replace"), "External-Identifier"
            )
    except StorageError:
        pass  # the verification has already said what could not be read
    return digests, identity
