"""Completeness (RFC 8493 §3): match payload manifests against what is in data/.

A manifest path is matched to a file on disk exactly; failing that, after Unicode
normalization (§6.1.1.3: a warning); failing that, in a bag older than BagIt 1.0 whose
Payload-Oxum counts the files on disk, to a file that differs only in case and is
itself listed with the same checksum (a bag made on a case-insensitive file system: a
warning). Anything else a manifest lists that is not on disk under its exact name is
missing. Only files found by the scan are ever opened, so a path such as
``../../etc/passwd`` is reported and never read.

Why the case match is so narrow: it exists for the conformance suite's
``v0.97/warning/duplicate-file-with-different-case``, made on a case-insensitive file
system, whose manifest lists ``data/hello.txt`` and ``data/HELLO.txt`` for the one
file its Payload-Oxum (``6.1``) counts. On a case-sensitive disk the same manifest
also describes a bag from which one of two such files was deleted. BagIt 1.0 lists
each payload file exactly once (RFC 8493 §2.1.3), so a 1.0 manifest never names one
file twice and gets no case match; an older bag gets it only when its Payload-Oxum
shows the bagger saw one file where the manifest has two names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from preserve.bags.codes import BAG
from preserve.bags.manifests import (
    FetchEntry,
    ManifestEntry,
    digest_hex_length,
    iter_manifest,
    read_manifest,
)
from preserve.bags.paths import casefold_key, nfc_key, unsafe_reason
from preserve.bags.verify._inventory import Inventory, describe_os_error
from preserve.bags.verify._listing import Check, Listing, Manifest
from preserve.bags.verify._payload import PayloadIndex
from preserve.findings import Finding


@dataclass(slots=True)
class Plan:
    """What to hash (checks by disk path) and what completeness found."""

    checks: dict[str, list[Check]] = field(default_factory=lambda: defaultdict(list))
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    """Listed files in a folder that could not be read: neither missing nor checked."""


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


def _entry_ok(
    entry: ManifestEntry, manifest: Manifest, findings: list[Finding], length: int | None
) -> bool:
    reason = unsafe_reason(entry.path)
    if reason:
        findings.append(
            BAG.finding(
                "BAG-024", source=manifest.source, line=entry.line, path=entry.path, reason=reason
            )
        )
        return False
    if length is not None and len(entry.digest) != length:
        findings.append(
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
class PayloadPlan:
    """What completeness found, and each payload manifest's :class:`Listing`."""

    index: PayloadIndex
    listings: list[Listing] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    tag_entries: list[tuple[Manifest, ManifestEntry]] = field(default_factory=list)
    """Entries outside data/ in a bag older than 0.97, which may list tag files there."""
    _seen: set[tuple[str, str, str]] = field(default_factory=set)

    def once(self, code: str, path: str, other: str) -> None:
        """Add a finding unless the same (code, path, other) was already reported."""
        first, second = sorted((path, other))
        key = (code, first, second)
        if key not in self._seen:
            self._seen.add(key)
            self.findings.append(BAG.finding(code, path=path, other=other))

    def checks(self, i: int) -> list[Check]:
        """Every expected digest for payload position *i*, manifest by manifest."""
        return [c for listing in self.listings for c in listing.checks(i)]


@dataclass(slots=True)
class _Context:
    index: PayloadIndex
    inventory: Inventory
    dirs: set[str]
    fetched: dict[str, FetchEntry]
    missing: dict[str, Finding] = field(default_factory=dict)
    tags_in_payload: bool = False
    case_insensitive_origin: bool = False


def match_payload(
    manifests: Sequence[Manifest],
    inv: Inventory,
    fetch: Sequence[FetchEntry],
    *,
    strict: bool,
    encoding: str = "UTF-8",
    tags_in_payload: bool = False,
    case_insensitive_origin: bool = False,
) -> PayloadPlan:
    """Match payload *manifests* (streamed from :attr:`Manifest.real`) against the
    payload in *inv*, and check fetch.txt's entries against them; see the module doc.

    :param strict: BagIt 1.0 rules (duplicates, every file in every manifest, and
        RFC 8493's percent-decoding); ``False`` for older bags.
    :param tags_in_payload: entries outside data/ go to :attr:`PayloadPlan.tag_entries`
        instead of BAG-023 (BagIt before 0.97).
    :param case_insensitive_origin: the bag shows it was made on a case-insensitive
        file system (see the module doc): an entry differing only in case from a file
        listed with the same checksum is that file (BAG-080), not missing.
    """
    plan = PayloadPlan(inv.payload)
    context = _Context(
        index=inv.payload,
        inventory=inv,
        dirs=inv.dirs,
        fetched={e.path: e for e in fetch},
        missing={},
        tags_in_payload=tags_in_payload,
        case_insensitive_origin=case_insensitive_origin and not strict,
    )
    fetch_listed: list[tuple[str, set[str]]] = []
    for manifest in manifests:
        listing = _stream(manifest, plan, encoding, rfc8493=strict)
        if listing is None:
            continue
        fetch_listed.append((manifest.source, _listed_of(listing, context.index, context.fetched)))
        if _has_duplicates(listing, context.index) and manifest.real is not None:
            entries, _ = read_manifest(
                manifest.real, encoding=encoding, source=manifest.source, rfc8493=strict
            )
            plan.findings.extend(
                duplicates(replace(manifest, entries=tuple(entries)), strict=strict)
            )
        _resolve_unusual(listing, context, plan)
        listing.unusual = []
        plan.listings.append(listing)
    plan.missing = sorted(context.missing)
    plan.findings.extend(context.missing[p] for p in plan.missing)
    plan.findings.extend(check_fetch(fetch, fetch_listed))
    _unlisted(plan, strict=strict)
    return plan


def _stream(
    manifest: Manifest, plan: PayloadPlan, encoding: str, *, rfc8493: bool
) -> Listing | None:
    """Read *manifest* once, filling a :class:`Listing` (the hot loop of a big bag)."""
    index = plan.index
    listing = Listing.empty(manifest, len(index))
    length = digest_hex_length(manifest.algorithm)
    find, lines, unusual = index.find, listing.lines, listing.unusual
    if manifest.real is None:  # pragma: no cover - payload manifests always have one
        return listing
    try:
        for entry in iter_manifest(
            manifest.real,
            encoding=encoding,
            source=manifest.source,
            findings=plan.findings,
            rfc8493=rfc8493,
        ):
            i = find(entry.path)
            if i < 0 or (length is not None and len(entry.digest) != length):
                unusual.append(entry)
            elif lines[i]:
                listing.again(i, entry.path, entry.digest, entry.line)
            else:
                listing.put(i, entry.digest, entry.line)
    except OSError as e:  # failed part-way: the manifest counts as unreadable
        plan.unreadable.append(manifest.source)
        reason = describe_os_error(e)
        plan.findings.append(BAG.finding("BAG-033", path=manifest.source, reason=reason))
        return None
    return listing


def _has_duplicates(listing: Listing, index: PayloadIndex) -> bool:
    if listing.repeated or len({e.path for e in listing.unusual}) < len(listing.unusual):
        return True
    return any(listing.lines[i] for e in listing.unusual if (i := index.find(e.path)) >= 0)


def _listed_digest(
    listing: Listing, index: PayloadIndex, unusual: dict[str, tuple[int, str]]
) -> Callable[[str], str | None]:
    """``path -> digest`` of the manifest's last entry with exactly that path, or None."""

    def digest(path: str) -> str | None:
        found = [x for x in (listing.later.get(path), unusual.get(path)) if x is not None]
        i = index.find(path)
        if i >= 0 and listing.lines[i]:
            found.append((listing.lines[i], listing.digest(i)))
        return max(found)[1] if found else None

    return digest


def _listed_of(listing: Listing, index: PayloadIndex, paths: Iterable[str]) -> set[str]:
    """Which of *paths* the manifest lists exactly (before unusual entries are resolved)."""
    unusual = {e.path for e in listing.unusual}
    lines, find = listing.lines, index.find
    out = set()
    for path in paths:
        i = find(path)
        if path in unusual or (i >= 0 and lines[i]):
            out.add(path)
    return out


def _resolve_unusual(listing: Listing, context: _Context, plan: PayloadPlan) -> None:
    """Entries that do not name a payload file exactly: first judged against the
    manifest as read (every target is found before any is recorded), then recorded."""
    manifest = listing.manifest
    length = digest_hex_length(manifest.algorithm)
    unusual = {e.path: (e.line, e.digest) for e in listing.unusual}
    listed = _listed_digest(listing, context.index, unusual)
    targets: list[tuple[ManifestEntry, str | None]] = []
    for entry in listing.unusual:
        if not _entry_ok(entry, manifest, plan.findings, length):
            continue
        where: dict[str, Any] = {"source": manifest.source, "line": entry.line, "path": entry.path}
        if not entry.path.startswith("data/"):
            if context.tags_in_payload:
                plan.tag_entries.append((manifest, entry))
            else:
                plan.findings.append(BAG.finding("BAG-023", **where))
            continue
        targets.append((entry, _resolve(entry, listed, context, plan)))
    for entry, target in targets:
        if target is None:
            _unmatched(entry, manifest, context, plan)
        elif target:  # "" is a case-only duplicate of a listed file: already reported
            listing.add(context.index.find(target), entry.digest, entry.line)


def _unmatched(
    entry: ManifestEntry, manifest: Manifest, context: _Context, plan: PayloadPlan
) -> None:
    """An entry that names no payload file: a folder, a file that could not be read
    (its folder was unreadable), or a missing (or fetch-listed) file."""
    if entry.path in context.dirs:
        where: dict[str, Any] = {"source": manifest.source, "line": entry.line, "path": entry.path}
        plan.findings.append(BAG.finding("BAG-028", **where))
    elif context.inventory.hidden(entry.path):
        plan.unreadable.append(entry.path)
    elif entry.path not in context.missing:
        context.missing[entry.path] = _missing(entry, manifest, context.fetched)


def _missing(entry: ManifestEntry, manifest: Manifest, fetched: dict[str, FetchEntry]) -> Finding:
    hole = fetched.get(entry.path)
    if hole is not None:
        return BAG.finding(
            "BAG-073", source=manifest.source, line=entry.line, path=entry.path, url=hole.url
        )
    return BAG.finding("BAG-030", source=manifest.source, line=entry.line, path=entry.path)


def _resolve(
    entry: ManifestEntry,
    listed: Callable[[str], str | None],
    context: _Context,
    plan: PayloadPlan,
) -> str | None:
    """The disk path *entry* names; ``""`` for a reported case duplicate; else None."""
    path = entry.path  # never a payload path exactly: those were matched while streaming
    index = context.index
    for other in index.same_key(path, nfc_key):
        code = "BAG-081" if listed(other) is not None else "BAG-082"
        plan.once(code, path, other)
        return other
    if not context.case_insensitive_origin:
        return None
    for other in index.same_key(path, casefold_key):
        if listed(other) == entry.digest:
            plan.once("BAG-080", path, other)
            return ""
    return None


def _unlisted(plan: PayloadPlan, *, strict: bool) -> None:
    """BAG-031 for payload files no manifest lists; in 1.0, BAG-032 per manifest missing one."""
    index = plan.index
    skip = index.unreadable_positions()
    readable = len(index) - len(skip)
    listings = sorted(plan.listings, key=lambda x: x.manifest.source)
    if listings and all(x.listed_count(skip) == readable for x in listings):
        return  # the common case, decided in C: every manifest lists every file
    never = set(skip)
    for i, path in enumerate(index.paths):
        if i in never:
            continue
        without = [x.manifest.source for x in listings if not x.lines[i]]
        if len(without) == len(listings):
            plan.added.append(path)
            plan.findings.append(BAG.finding("BAG-031", path=path))
        elif strict:
            plan.findings.extend(BAG.finding("BAG-032", path=path, source=s) for s in without)


def check_fetch(
    fetch: Sequence[FetchEntry], listed: Sequence[tuple[str, Container[str]]]
) -> list[Finding]:
    """fetch.txt paths: inside the bag, inside data/, and in every payload manifest.

    :param listed: each payload manifest's name and the paths it lists.
    """
    out = []
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
