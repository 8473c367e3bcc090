"""Verify a bag kept in an object store (S3 prefix or folder), streamed, in place.

The same codes and words as :func:`preserve.bags.verify.verify_bag`, for what an object
store can show: bagit.txt (BAG-001/002…), manifests (BAG-020…), listed files missing
(BAG-030), payload files no manifest lists (BAG-031) or one manifest misses (BAG-032),
Payload-Oxum (BAG-042…), checksums (BAG-040/041). An object that exists but cannot be
read, or a listing that fails, is BAG-033/BAG-012 and listed as *unreadable*, never
as missing. Object stores have no empty folders, so an empty ``data/`` is not
reported (BAG-010 is a folder-bag finding).
"""

from __future__ import annotations

import codecs
import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field

from preserve.bags.codes import BAG, CONFORMANCE_WARNINGS
from preserve.bags.manifests import algorithm_from_filename, hashlib_name, parse_manifest
from preserve.bags.paths import unsafe_reason
from preserve.bags.tagfiles import BagInfoEntry, parse_bag_info, parse_bagit_txt
from preserve.bags.verify import KNOWN_VERSIONS, check_oxum
from preserve.bags.verify.result import BagResult, ChangedFile, Mode, digest_mismatch
from preserve.errors import BagError
from preserve.findings import Finding
from preserve.progress import NO_PROGRESS, Progress
from preserve.replicas.stream import HashDone, HashTask, hash_objects
from preserve.storage.base import (
    ObjectInaccessibleError,
    ObjectMissingError,
    ObjectStore,
    StorageError,
)


@dataclass
class _Manifest:
    name: str
    algorithm: str  # BagIt name
    hashlib: str
    entries: dict[str, str]  # path -> digest
    tag: bool


@dataclass
class _State:
    objects: dict[str, int]
    findings: list[Finding] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)
    missing: set[str] = field(default_factory=set)
    changed: list[ChangedFile] = field(default_factory=list)
    encoding: str = "utf-8"
    blocked: tuple[str, ...] = ()  # folders that could not be listed, each ending in "/"


def verify_stored_bag(
    store: ObjectStore,
    *,
    mode: Mode = "full",
    concurrency: int = 8,
    progress: Progress = NO_PROGRESS,
    digests: dict[str, dict[str, str]] | None = None,
    strict: bool = False,
) -> BagResult:
    """Verify the bag whose top is *store*'s root; findings, never exceptions, for content.

    :param digests: when given, filled with the digests computed (path to hashlib
        name to hex), for comparing copies.
    :param strict: conformance warnings become errors, as for a folder bag.
    :raises BagError: when nothing at all is stored there (no bag to check).
    """
    shown = store.url
    gaps: dict[str, str] = {}
    try:
        objects = {o.key: o.size for o in store.list(gaps=gaps)}
    except ObjectMissingError as e:
        msg = f"{e}; check the location"
        raise BagError(msg) from e
    except ObjectInaccessibleError as e:
        finding = BAG.finding("BAG-012", reason=str(e))
        return BagResult.unreadable_bag(shown, mode, finding)
    if not objects:
        msg = f"{shown}: no bag there (no objects under this prefix); check the location"
        raise BagError(msg)
    state = _State(objects, blocked=tuple(f"{folder}/" for folder in gaps))
    state.findings += [
        BAG.finding("BAG-033", path=folder, reason=f"{reason}; nothing in it could be checked")
        for folder, reason in sorted(gaps.items())
    ]
    version = _bagit(store, state)
    manifests = _manifests(store, state)
    payload = [m for m in manifests if not m.tag]
    if not payload:
        state.findings.append(BAG.finding("BAG-011"))
    _coverage(state, manifests)
    data = {k: s for k, s in objects.items() if k.startswith("data/")}
    files, octets = len(data), sum(max(s, 0) for s in data.values())
    if mode != "completeness" and not gaps:  # with a folder unlisted, its count is unknown
        state.findings += check_oxum(_bag_info(store, state), files, octets, fast=mode == "fast")
    if mode == "full":
        for done in _hash(
            store=store,
            state=state,
            manifests=manifests,
            concurrency=concurrency,
            progress=progress,
        ):
            if digests is not None and done.digests:
                digests[done.key] = done.digests
    if strict:
        state.findings = [
            dataclasses.replace(f, severity="error")
            if f.severity == "warning" and f.code in CONFORMANCE_WARNINGS
            else f
            for f in state.findings
        ]
    return BagResult(
        bag=shown,
        mode=mode,
        findings=tuple(sorted(state.findings, key=_order)),
        version=version,
        files=files,
        bytes=octets,
        missing=tuple(sorted(state.missing)),
        changed=tuple(sorted(state.changed, key=lambda c: (c.path, c.algorithm))),
        added=tuple(sorted(k for k in data if not any(k in m.entries for m in payload))),
        unreadable=tuple(sorted(state.unreadable)),
    )


def _read(store: ObjectStore, state: _State, key: str) -> bytes | None:
    try:
        return store.read(key)
    except ObjectMissingError:
        state.missing.add(key)
        return None
    except StorageError as e:
        state.findings.append(BAG.finding("BAG-033", path=key, reason=str(e)))
        state.unreadable.add(key)
        return None


def _bagit(store: ObjectStore, state: _State) -> str | None:
    if "bagit.txt" not in state.objects:
        state.findings.append(BAG.finding("BAG-001"))
        return None
    data = _read(store, state, "bagit.txt")
    if data is None:
        return None
    declaration, findings = parse_bagit_txt(data)
    state.findings += findings
    if declaration is None:
        return None
    # The version and encoding checks of a folder bag (preserve.bags.verify._read).
    version = declaration.version_tuple
    if version is not None and version not in KNOWN_VERSIONS:
        state.findings.append(
            BAG.finding("BAG-005", version=declaration.version, source="bagit.txt")
        )
    try:
        codec = codecs.lookup(declaration.encoding)
        "".encode(declaration.encoding)  # refuses bytes-to-bytes codecs (rot13, zlib)
    except LookupError:  # tag files are then read as UTF-8
        finding = BAG.finding("BAG-006", encoding=declaration.encoding, source="bagit.txt")
        state.findings.append(finding)
        return declaration.version
    state.encoding = codec.name
    if codec.name != "utf-8" and (version is None or version >= (1, 0)):
        state.findings.append(
            BAG.finding("BAG-007", encoding=declaration.encoding, source="bagit.txt")
        )
    return declaration.version


def _lines(data: bytes, encoding: str) -> list[tuple[int, str]]:
    text = data.decode(encoding, errors="replace").removeprefix("\ufeff")
    return list(enumerate(text.splitlines(), start=1))


def _manifests(store: ObjectStore, state: _State) -> list[_Manifest]:
    out = []
    for key in sorted(state.objects):
        kind = algorithm_from_filename(key) if "/" not in key else None
        name = hashlib_name(kind[1]) if kind else None
        if kind is None or name is None:
            continue
        data = _read(store, state, key)
        if data is None:
            continue
        entries, findings = parse_manifest(_lines(data, state.encoding), source=key)
        state.findings += findings
        table = {e.path: e.digest for e in entries}
        out.append(
            _Manifest(
                name=key, algorithm=kind[1], hashlib=name, entries=table, tag=kind[0] == "tag"
            )
        )
    return out


def _coverage(state: _State, manifests: list[_Manifest]) -> None:
    for m in manifests:
        for path in m.entries:
            _listed(state, m, path)
    payload = [m for m in manifests if not m.tag]
    for key in (k for k in state.objects if k.startswith("data/")):
        _unlisted(state, payload, key)


def _listed(state: _State, m: _Manifest, path: str) -> None:
    """Findings for one manifest entry: outside data/, leaving the bag, or missing."""
    reason = unsafe_reason(path)
    if not m.tag and not path.startswith("data/"):
        state.findings.append(BAG.finding("BAG-023", path=path, source=m.name))
    elif reason:
        state.findings.append(BAG.finding("BAG-024", path=path, reason=reason))
    elif path not in state.objects and path.startswith(state.blocked):
        state.unreadable.add(path)  # in a folder that could not be listed: not missing
    elif path not in state.objects:
        state.missing.add(path)
        code = "BAG-066" if m.tag else "BAG-030"
        state.findings.append(BAG.finding(code, path=path, source=m.name))


def _unlisted(state: _State, payload: list[_Manifest], key: str) -> None:
    """Findings for one stored payload object that some payload manifest leaves out."""
    listed = [m for m in payload if key in m.entries]
    if payload and not listed:
        state.findings.append(BAG.finding("BAG-031", path=key))
    elif listed:
        for m in payload:
            if m not in listed:
                state.findings.append(BAG.finding("BAG-032", path=key, source=m.name))


def _bag_info(store: ObjectStore, state: _State) -> tuple[BagInfoEntry, ...]:
    if "bag-info.txt" not in state.objects:
        return ()
    data = _read(store, state, "bag-info.txt")
    if data is None:
        return ()
    entries, findings = parse_bag_info(_lines(data, state.encoding))
    state.findings += findings
    return entries


def _hash(
    store: ObjectStore,
    state: _State,
    manifests: list[_Manifest],
    concurrency: int,
    progress: Progress,
) -> list[HashDone]:
    wanted: dict[str, set[str]] = defaultdict(set)
    for m in manifests:
        for path in m.entries:
            if path in state.objects and path not in state.unreadable:
                wanted[path].add(m.hashlib)
    tasks = [HashTask(k, state.objects[k], tuple(sorted(a))) for k, a in sorted(wanted.items())]
    progress.start(
        f"verifying {store.url}",
        total_bytes=sum(max(t.size, 0) for t in tasks),
        total_files=len(tasks),
    )

    def advance(_done: HashDone, size: int) -> None:
        progress.advance(nbytes=max(size, 0), files=1)

    results = hash_objects(store, tasks, concurrency=concurrency, on_done=advance)
    progress.finish()
    for done in results:
        _compare(state, manifests, done)
    return results


def _compare(state: _State, manifests: list[_Manifest], done: HashDone) -> None:
    path = done.key
    if done.missing:
        state.missing.add(path)
        source = next(m.name for m in manifests if path in m.entries)
        state.findings.append(BAG.finding("BAG-030", path=path, source=source))
        return
    if done.error is not None:
        state.unreadable.add(path)
        state.findings.append(BAG.finding("BAG-033", path=path, reason=done.error))
        return
    for m in manifests:
        expected = m.entries.get(path)
        found = done.digests.get(m.hashlib)
        if expected is None or found is None or expected == found:
            continue
        change = ChangedFile(path, m.algorithm, expected, found)
        state.findings.append(digest_mismatch(change, tag=m.tag, source=m.name))
        state.changed.append(change)


def _order(f: Finding) -> tuple[str, str, str, int]:
    return (f.code, f.path or "", f.source or "", f.line or 0)
