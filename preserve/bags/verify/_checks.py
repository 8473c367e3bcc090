"""Checks that need no hashing: tag manifests' coverage, names, Payload-Oxum."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from preserve.bags.codes import BAG
from preserve.bags.manifests import ManifestEntry, algorithm_from_filename, digest_hex_length
from preserve.bags.paths import (
    MAX_PORTABLE_PATH,
    case_collisions,
    normalization_collisions,
    system_file_kind,
    unsafe_reason,
    windows_problem,
)
from preserve.bags.tagfiles import BagInfoEntry, bag_info_values, parse_payload_oxum
from preserve.bags.verify._inventory import Inventory
from preserve.bags.verify._listing import Check, Manifest
from preserve.bags.verify._match import Plan, duplicates
from preserve.bags.verify._payload import DiskFile
from preserve.findings import Finding


def match_tags(
    tag_manifests: Sequence[Manifest],
    payload_manifests: Sequence[Manifest],
    inv: Inventory,
    *,
    strict: bool,
) -> Plan:
    """Tag manifests (RFC 8493 §2.2.1): what they list exists, is a tag file, and is
    hashed; they list every payload manifest, and should list every tag file."""
    plan = Plan()
    tags = {f.path: f for f in inv.tag_files()}
    for manifest in tag_manifests:
        plan.findings.extend(duplicates(manifest, strict=strict))
        for entry in manifest.entries:
            _tag_entry(entry=entry, manifest=manifest, inv=inv, tags=tags, plan=plan)
        plan.findings.extend(_coverage(manifest, payload_manifests, tags, strict=strict))
    plan.findings.extend(_agreement(tag_manifests))
    plan.missing = sorted(set(plan.missing))
    return plan


def _tag_entry(
    entry: ManifestEntry, manifest: Manifest, inv: Inventory, tags: dict[str, DiskFile], plan: Plan
) -> None:
    where: dict[str, Any] = {"source": manifest.source, "line": entry.line, "path": entry.path}
    length = digest_hex_length(manifest.algorithm)
    problem = _tag_entry_problem(entry.path)
    if problem is not None:
        plan.findings.append(BAG.finding(problem[0], reason=problem[1], **where))
    elif length is not None and len(entry.digest) != length:
        plan.findings.append(
            BAG.finding(
                "BAG-026",
                found=len(entry.digest),
                expected=length,
                algorithm=manifest.algorithm,
                **where,
            )
        )
    elif entry.path in tags:
        plan.checks[entry.path].append(
            Check(manifest.algorithm, entry.digest, manifest.source, entry.line)
        )
    elif entry.path in inv.dirs:
        plan.findings.append(BAG.finding("BAG-028", **where))
    elif inv.hidden(entry.path):
        plan.unreadable.append(entry.path)
    else:
        plan.missing.append(entry.path)
        plan.findings.append(BAG.finding("BAG-066", **where))


def _tag_entry_problem(path: str) -> tuple[str, str] | None:
    reason = unsafe_reason(path)
    if reason:
        return "BAG-024", reason
    if path.startswith("data/"):
        return "BAG-050", "it is a payload file and tag manifests list tag files only"
    kind = algorithm_from_filename(path)
    if kind is not None and kind[0] == "tag":
        return "BAG-050", "tag manifests must not list tag manifests"
    return None


def _coverage(
    manifest: Manifest,
    payload_manifests: Sequence[Manifest],
    tags: dict[str, DiskFile],
    *,
    strict: bool,
) -> list[Finding]:
    listed = {e.path for e in manifest.entries}
    out = [
        BAG.finding(
            "BAG-051", severity=None if strict else "warning", source=manifest.source, path=m.source
        )
        for m in payload_manifests
        if m.source not in listed
    ]
    payload_names = {m.source for m in payload_manifests}
    for path in sorted(tags):
        kind = algorithm_from_filename(path)
        if path in listed or path in payload_names or (kind is not None and kind[0] == "tag"):
            continue
        out.append(BAG.finding("BAG-052", source=manifest.source, path=path))
    return out


def _agreement(tag_manifests: Sequence[Manifest]) -> list[Finding]:
    out: list[Finding] = []
    sets = [(m.source, {e.path for e in m.entries}) for m in tag_manifests]
    for source, paths in sets:
        for other, other_paths in sets:
            out.extend(
                BAG.finding("BAG-053", source=source, path=p, other=other)
                for p in sorted(paths - other_paths)
            )
    return out


def name_findings(paths: Sequence[str]) -> list[Finding]:
    """Collisions (BAG-080, BAG-081) and portability (BAG-083..085) of disk names."""
    out = []
    if not all(p.isascii() for p in paths):  # ASCII names are their own NFC form
        for group in normalization_collisions(paths):
            out.append(BAG.finding("BAG-081", path=group[0], other=group[1]))
    for group in case_collisions(paths):
        out.append(BAG.finding("BAG-080", path=group[0], other=group[1]))
    for path in paths:
        problem = windows_problem(path)
        if problem:
            out.append(BAG.finding("BAG-083", path=path, reason=problem))
        if len(path) > MAX_PORTABLE_PATH:
            out.append(BAG.finding("BAG-084", path=path, length=len(path)))
        kind = system_file_kind(path)
        if kind:
            out.append(BAG.finding("BAG-085", path=path, kind=kind))
    return out


def check_oxum(
    entries: Sequence[BagInfoEntry],
    files: int,
    octets: int,
    *,
    comparable: bool = True,
    fast: bool = False,
) -> list[Finding]:
    """Payload-Oxum: at most once (BAG-045), well formed (BAG-043), matching (BAG-042).

    :param comparable: ``False`` when part of data/ could not be listed: the payload's
        size is then unknown, and a mismatch would be a false alarm (BAG-033 says why).
    :param fast: the Oxum is the only size check made (fast mode): without one, say
        that the sizes were not checked (BAG-046) rather than let "complete" imply it.
    """
    values = bag_info_values(entries, "Payload-Oxum")
    out: list[Finding] = []
    if fast and not values:
        out.append(BAG.finding("BAG-046", source="bag-info.txt"))
    if len(values) > 1:
        out.append(BAG.finding("BAG-045", source="bag-info.txt", count=len(values)))
    for value in values:
        parsed = parse_payload_oxum(value)
        if parsed is None:
            out.append(BAG.finding("BAG-043", source="bag-info.txt", value=value))
        elif comparable and parsed != (octets, files):
            out.append(
                BAG.finding(
                    "BAG-042", source="bag-info.txt", declared=value, actual=f"{octets}.{files}"
                )
            )
    return out
