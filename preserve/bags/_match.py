"""Completeness (RFC 8493 §3): match payload manifests against what is in data/.

A manifest path is matched to a file on disk exactly; failing that, after Unicode
normalization (§6.1.1.3: a warning); failing that, to a file that differs only in
case and is itself listed with the same checksum (a bag made on a case-insensitive
file system: a warning). Only files found by the scan are ever opened, so a path
such as ``../../etc/passwd`` is reported and never read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

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


@dataclass(frozen=True, slots=True)
class Check:
    """One expected digest for one file on disk."""

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


def match_payload(
    manifests: Sequence[Manifest],
    inv: Inventory,
    fetch: Sequence[FetchEntry],
    *,
    strict: bool,
) -> Plan:
    """Match payload *manifests* against the payload in *inv*; see the module doc."""
    plan = Plan()
    payload = {f.path: f for f in inv.payload()}
    by_nfc: dict[str, list[str]] = defaultdict(list)
    by_case: dict[str, list[str]] = defaultdict(list)
    for path in sorted(payload):
        by_nfc[nfc_key(path)].append(path)
        by_case[casefold_key(path)].append(path)
    fetched = {e.path: e for e in fetch}
    matched: dict[str, set[str]] = defaultdict(set)
    missing: dict[str, Finding] = {}
    for manifest in manifests:
        plan.findings.extend(duplicates(manifest, strict=strict))
        listed = {e.path: e.digest for e in manifest.entries}
        length = digest_hex_length(manifest.algorithm)
        for entry in manifest.entries:
            if not _entry_ok(entry, manifest, plan, length):
                continue
            if not entry.path.startswith("data/"):
                plan.findings.append(
                    BAG.finding("BAG-023", source=manifest.source, line=entry.line, path=entry.path)
                )
                continue
            target = _resolve(entry, listed, payload, by_nfc, by_case, plan)
            if target is None:
                if entry.path in inv.dirs:
                    plan.findings.append(
                        BAG.finding(
                            "BAG-028", source=manifest.source, line=entry.line, path=entry.path
                        )
                    )
                elif entry.path not in missing:
                    missing[entry.path] = _missing(entry, manifest, fetched)
                continue
            if target == "":
                continue  # a case-only duplicate of a listed file: already reported
            matched[target].add(manifest.source)
            plan.checks[target].append(
                Check(manifest.algorithm, entry.digest, manifest.source, entry.line)
            )
    plan.missing = sorted(missing)
    plan.findings.extend(missing[p] for p in plan.missing)
    _unlisted(plan, payload, matched, [m.source for m in manifests], strict=strict)
    return plan


def _missing(entry: ManifestEntry, manifest: Manifest, fetched: dict[str, FetchEntry]) -> Finding:
    hole = fetched.get(entry.path)
    if hole is not None:
        return BAG.finding(
            "BAG-073", source=manifest.source, line=entry.line, path=entry.path, url=hole.url
        )
    return BAG.finding("BAG-030", source=manifest.source, line=entry.line, path=entry.path)


def _resolve(
    entry: ManifestEntry,
    listed: dict[str, str],
    payload: dict[str, DiskFile],
    by_nfc: dict[str, list[str]],
    by_case: dict[str, list[str]],
    plan: Plan,
) -> str | None:
    """The disk path *entry* names; ``""`` for a reported case duplicate; else None."""
    path = entry.path
    if path in payload:
        return path
    for other in by_nfc.get(nfc_key(path), ()):
        code = "BAG-081" if other in listed else "BAG-082"
        plan.once(code, path, other)
        return other
    for other in by_case.get(casefold_key(path), ()):
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
    every = set(sources)
    for path in sorted(payload):
        disk = payload[path]
        if disk.kind not in ("file", "link"):
            continue  # already reported as a link or special file
        found_in = matched.get(path)
        if not found_in:
            plan.added.append(path)
            plan.findings.append(BAG.finding("BAG-031", path=path))
        elif strict:
            for source in sorted(every - found_in):
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
