"""Completeness (RFC 8493 §3): match payload manifests against what is in data/.

A manifest path is matched to a file on disk exactly; failing that, after Unicode
normalization (§6.1.1.3: a warning); failing that, to a file that differs only in
case and is itself listed with the same checksum (a bag made on a case-insensitive
file system: a warning). Only files found by the scan are ever opened, so a path
such as ``../../etc/passwd`` is reported and never read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from preserve.bags._inventory import DiskFile, Inventory
from preserve.bags.codes import BAG
from preserve.bags.manifests import FetchEntry, ManifestEntry, digest_hex_length, engine_algorithm
from preserve.bags.paths import casefold_key, nfc_key, unsafe_reason
from preserve.findings import Finding


@dataclass(frozen=True, slots=True)
class Manifest:
    """A parsed manifest file: its name, algorithm (BagIt form) and entries."""

    source: str
    algorithm: str
    kind: Literal["payload", "tag"]
    entries: tuple[ManifestEntry, ...]

    @property
    def engine(self) -> str | None:
        """The hashing engine's name for the algorithm, or ``None`` when unsupported."""
        return engine_algorithm(self.algorithm)


class Check(NamedTuple):
    """One expected digest for one file on disk (a tuple: one is made per entry)."""

    algorithm: str
    expected: str
    source: str
    line: int


@dataclass(slots=True)
class Plan:
    """What to hash (checks by disk path) and what completeness found."""

    checks: dict[str, list[Check]] = field(default_factory=lambda: defaultdict(list))
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    _seen: set[tuple[str, str, str]] = field(default_factory=set)

    def once(self, code: str, path: str, other: str, **context: Any) -> None:
        """Add a finding unless the same (code, path, other) was already reported."""
        first, second = sorted((path, other))
        key = (code, first, second)
        if key not in self._seen:
            self._seen.add(key)
            self.findings.append(BAG.finding(code, path=path, other=other, **context))


def duplicates(manifest: Manifest, *, strict: bool) -> list[Finding]:
    """BAG-025 for paths listed more than once in *manifest*.

    An error in BagIt 1.0 or when the checksums differ; a warning for older bags
    when they agree (the suite's ``same-filename-listed-twice-with-the-same-hash``).
    """
    if len({e.path for e in manifest.entries}) == len(manifest.entries):
        return []
    groups: dict[str, list[ManifestEntry]] = defaultdict(list)
    for entry in manifest.entries:
        groups[entry.path].append(entry)
    out = []
    for path, group in groups.items():
        if len(group) < 2:
            continue
        same = len({e.digest for e in group}) == 1
        out.append(
            BAG.finding(
                "BAG-025",
                severity="warning" if same and not strict else "error",
                source=manifest.source,
                line=group[1].line,
                path=path,
                count=len(group),
                same="same checksum" if same else "different checksums",
            )
        )
    return out


def _entry_ok(entry: ManifestEntry, manifest: Manifest, plan: Plan, length: int | None) -> bool:
    reason = unsafe_reason(entry.path)
    if reason:
        plan.findings.append(
            BAG.finding(
                "BAG-024", source=manifest.source, line=entry.line, path=entry.path, reason=reason
            )
        )
        return False
    if length is not None and len(entry.digest) != length:
        plan.findings.append(
            BAG.finding(
                "BAG-026",
                source=manifest.source,
                line=entry.line,
                path=entry.path,
                found=len(entry.digest),
                expected=length,
                algorithm=manifest.algorithm,
            )
        )
        return False
    return True


@dataclass(slots=True)
class _Index:
    """The payload on disk, indexed for matching, and what matching found so far.

    The normalization and case indexes are built only when an entry does not name a
    file exactly (rare), which keeps memory per file low for large bags.
    """

    payload: dict[str, DiskFile]
    dirs: set[str]
    fetched: dict[str, FetchEntry]
    _by_nfc: dict[str, list[str]] | None = None
    _by_case: dict[str, list[str]] | None = None
    matched: dict[str, set[str]] = field(default_factory=dict)  # manifest -> disk paths
    missing: dict[str, Finding] = field(default_factory=dict)

    def by_key(self, key: Callable[[str], str]) -> dict[str, list[str]]:
        """Disk payload paths grouped by ``key`` (:func:`nfc_key` or :func:`casefold_key`)."""
        cached = self._by_nfc if key is nfc_key else self._by_case
        if cached is None:
            cached = defaultdict(list)
            for path in sorted(self.payload):
                cached[key(path)].append(path)
            if key is nfc_key:
                self._by_nfc = cached
            else:
                self._by_case = cached
        return cached


def match_payload(
    manifests: Sequence[Manifest],
    inv: Inventory,
    fetch: Sequence[FetchEntry],
    *,
    strict: bool,
) -> Plan:
    """Match payload *manifests* against the payload in *inv*; see the module doc."""
    plan = Plan()
    index = _Index({f.path: f for f in inv.payload()}, inv.dirs, {e.path: e for e in fetch})
    for manifest in manifests:
        plan.findings.extend(duplicates(manifest, strict=strict))
        _match_manifest(manifest, index, plan)
    plan.missing = sorted(index.missing)
    plan.findings.extend(index.missing[p] for p in plan.missing)
    sources = [m.source for m in manifests]
    _unlisted(plan, index.payload, index.matched, sources, strict=strict)
    return plan


def _match_manifest(manifest: Manifest, index: _Index, plan: Plan) -> None:
    length = digest_hex_length(manifest.algorithm)
    source, algorithm = manifest.source, manifest.algorithm
    payload, checks = index.payload, plan.checks
    matched = index.matched.setdefault(source, set())
    new = tuple.__new__  # a Check without NamedTuple's Python-level __new__ (hot loop)
    listed: dict[str, str] = {}
    for entry in manifest.entries:
        path = entry.path
        # The common case first: a file found on disk under data/ (so a safe path)
        # with a checksum of the right length.
        if path in payload and (length is None or len(entry.digest) == length):
            matched.add(path)
            checks[path].append(new(Check, (algorithm, entry.digest, source, entry.line)))
            continue
        if not listed:
            listed = {e.path: e.digest for e in manifest.entries}
        _match_unusual(entry, manifest, index, plan, listed, length)


def _match_unusual(
    entry: ManifestEntry,
    manifest: Manifest,
    index: _Index,
    plan: Plan,
    listed: dict[str, str],
    length: int | None,
) -> None:
    if not _entry_ok(entry, manifest, plan, length):
        return
    where: dict[str, Any] = {"source": manifest.source, "line": entry.line, "path": entry.path}
    if not entry.path.startswith("data/"):
        plan.findings.append(BAG.finding("BAG-023", **where))
        return
    target = _resolve(entry, listed, index, plan)
    if target is None:
        if entry.path in index.dirs:
            plan.findings.append(BAG.finding("BAG-028", **where))
        elif entry.path not in index.missing:
            index.missing[entry.path] = _missing(entry, manifest, index.fetched)
        return
    if target == "":
        return  # a case-only duplicate of a listed file: already reported
    index.matched.setdefault(manifest.source, set()).add(target)
    plan.checks[target].append(Check(manifest.algorithm, entry.digest, manifest.source, entry.line))


def _missing(entry: ManifestEntry, manifest: Manifest, fetched: dict[str, FetchEntry]) -> Finding:
    hole = fetched.get(entry.path)
    if hole is not None:
        return BAG.finding(
            "BAG-073", source=manifest.source, line=entry.line, path=entry.path, url=hole.url
        )
    return BAG.finding("BAG-030", source=manifest.source, line=entry.line, path=entry.path)


def _resolve(entry: ManifestEntry, listed: dict[str, str], index: _Index, plan: Plan) -> str | None:
    """The disk path *entry* names; ``""`` for a reported case duplicate; else None."""
    path = entry.path
    if path in index.payload:
        return path
    for other in index.by_key(nfc_key).get(nfc_key(path), ()):
        code = "BAG-081" if other in listed else "BAG-082"
        plan.once(code, path, other)
        return other
    for other in index.by_key(casefold_key).get(casefold_key(path), ()):
        if listed.get(other) == entry.digest:
            plan.once("BAG-080", path, other)
            return ""
    return None


def _unlisted(
    plan: Plan,
    payload: dict[str, DiskFile],
    matched: dict[str, set[str]],
    sources: Iterable[str],
    *,
    strict: bool,
) -> None:
    """BAG-031 for payload files no manifest lists; in 1.0, BAG-032 per manifest missing one.

    :param matched: the disk paths each manifest (by name) was matched to.
    """
    per_manifest = [(source, matched.get(source, set())) for source in sorted(set(sources))]
    readable = {p for p, disk in payload.items() if disk.kind in ("file", "link")}
    anywhere = set().union(*(found for _, found in per_manifest))
    for path in sorted(readable - anywhere):
        plan.added.append(path)
        plan.findings.append(BAG.finding("BAG-031", path=path))
    if strict:
        for source, found in per_manifest:
            for path in sorted((readable & anywhere) - found):
                plan.findings.append(BAG.finding("BAG-032", path=path, source=source))


def check_fetch(fetch: Sequence[FetchEntry], manifests: Sequence[Manifest]) -> list[Finding]:
    """fetch.txt paths: inside the bag, inside data/, and in every payload manifest."""
    out = []
    listed = [(m.source, {e.path for e in m.entries}) for m in manifests]
    for entry in fetch:
        reason = unsafe_reason(entry.path)
        if reason:
            out.append(
                BAG.finding(
                    "BAG-024", source="fetch.txt", line=entry.line, path=entry.path, reason=reason
                )
            )
        elif not entry.path.startswith("data/"):
            out.append(BAG.finding("BAG-071", source="fetch.txt", line=entry.line, path=entry.path))
        else:
            out.extend(
                BAG.finding("BAG-072", line=entry.line, path=entry.path, source=source)
                for source, paths in listed
                if entry.path not in paths
            )
    return out
