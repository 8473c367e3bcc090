"""Verify a BagIt bag to the letter of RFC 8493 (and the BagIt 0.93-0.97 drafts).

Modes:

``completeness``
    bagit.txt, the tag files' syntax, path safety, names, and that every listed file
    is present and every payload file listed (RFC 8493 §3 "complete").
``fast``
    completeness plus Payload-Oxum (sizes and counts, no reading of file content).
``full`` (default)
    everything: every checksum of every algorithm, payload and tag files (§3 "valid").

A bag that does not exist, or is not a directory, raises :class:`BagError` (nothing
can be checked: the CLI exits 3). A bag directory that exists but cannot be listed,
or cannot even be looked at (a folder above it denies access), gives a result with
the single error BAG-012, so an audit records it as inaccessible and a batch goes on
rather than failing to run. Everything else is a finding.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from preserve._types import StrPath
from preserve.bags.codes import BAG, CONFORMANCE_WARNINGS
from preserve.bags.manifests import ManifestEntry
from preserve.bags.tagfiles import BagInfoEntry, bag_info_values, parse_payload_oxum
from preserve.bags.verify._checks import check_oxum, match_tags, name_findings
from preserve.bags.verify._hashcheck import Hashed as _Hashed
from preserve.bags.verify._hashcheck import hash_and_compare
from preserve.bags.verify._inventory import Inventory, describe_os_error, scan
from preserve.bags.verify._listing import Check, Manifest
from preserve.bags.verify._match import Plan, match_payload
from preserve.bags.verify._read import read_tags
from preserve.bags.verify.result import BagResult, Mode
from preserve.errors import BagError, UsageError
from preserve.findings import Finding
from preserve.progress import NO_PROGRESS, Progress

log = logging.getLogger(__name__)

_MODES = ("full", "fast", "completeness")


def verify_bag(
    path: StrPath,
    *,
    mode: Mode = "full",
    processes: int = 2,
    progress: Progress = NO_PROGRESS,
    strict: bool = False,
) -> BagResult:
    """Verify the bag at *path* and return every finding (never raises for bad content).

    A bag is read by the rules of the BagIt version it declares (issue 13): before 1.0,
    manifest paths are literal (only CR and LF are percent-decoded, as bagit-python and
    bagit-java write them), a path listed twice with one checksum and a payload file
    missing from one of several manifests are tolerated, and before 0.97 a payload
    manifest may list tag files (BAG-029); each with a warning where a later version
    forbids it.

    :param path: the bag's top folder.
    :param mode: ``"full"``, ``"fast"`` or ``"completeness"`` (see the module doc).
    :param processes: workers hashing in parallel (threads for large files, processes
        for batches of small ones: see :mod:`preserve.bags.hashing`).
    :param progress: receives bytes and files hashed (full mode).
    :param strict: the bag must be exactly RFC 8493: every warning in
        :data:`~preserve.bags.codes.CONFORMANCE_WARNINGS` becomes an error.
    :raises UsageError: for an unknown *mode* or *processes* below 1.
    :raises BagError: when *path* does not exist or is not a directory (one that
        cannot be examined at all is BAG-012).
    """
    if mode not in _MODES:
        msg = f"unknown verification mode {mode!r}; use one of {', '.join(_MODES)}"
        raise UsageError(msg)
    if processes < 1:
        msg = f"--processes must be at least 1, not {processes}"
        raise UsageError(msg)
    shown = os.fspath(path)
    try:
        root = _root(path)
        inv = scan(root)
    except OSError as e:
        finding = BAG.finding("BAG-012", reason=describe_os_error(e))
        return BagResult.unreadable_bag(shown, mode, finding)
    tags = read_tags(inv)
    findings = [*inv.findings, *tags.findings]
    if "data" not in inv.dirs:
        findings.append(BAG.finding("BAG-010"))
    index = inv.payload
    # Names first: their key sets are the largest transient structure, so they are
    # built before the manifests' arrays exist (issue 3: peak memory).
    findings += name_findings(index.paths)
    payload = match_payload(
        tags.payload_manifests,
        inv,
        tags.fetch,
        strict=tags.strict,
        encoding=tags.encoding,
        tags_in_payload=tags.tags_in_payload,
        case_insensitive_origin=_oxum_counts(tags.bag_info, index.readable_count()),
    )
    tag_plan = match_tags(tags.tag_manifests, tags.payload_manifests, inv, strict=tags.strict)
    findings += payload.findings + tag_plan.findings
    version = tags.declaration.version if tags.declaration else "?"
    findings += _tags_in_payload(payload.tag_entries, inv, tag_plan, version)
    if not any(m.engine for m in tags.payload_manifests):
        findings.append(BAG.finding("BAG-011"))
    files, octets = index.readable_count(), sum(index.sizes)
    if mode != "completeness":
        comparable = not inv.payload_hidden()
        findings += check_oxum(
            tags.bag_info, files, octets, comparable=comparable, fast=mode == "fast"
        )
    hashed = _Hashed()
    if mode == "full":
        hashed = hash_and_compare(inv, payload, tag_plan, processes=processes, progress=progress)
        findings += hashed.findings
    if strict:
        findings = [_strict(f) for f in findings]
    log.info("%s: %s check of %d payload files (%d bytes)", shown, mode, files, octets)
    return BagResult(
        bag=shown,
        mode=mode,
        findings=tuple(sorted(findings, key=_order)),
        version=tags.declaration.version if tags.declaration else None,
        files=files,
        bytes=octets,
        missing=tuple(sorted({*payload.missing, *tag_plan.missing, *hashed.missing})),
        changed=tuple(sorted(hashed.changed, key=lambda c: (c.path, c.algorithm))),
        added=tuple(payload.added),
        unreadable=tuple(
            sorted(
                {
                    *inv.unreadable,
                    *tags.unreadable,
                    *payload.unreadable,
                    *tag_plan.unreadable,
                    *hashed.unreadable,
                }
            )
        ),
    )


def _root(path: StrPath) -> str:
    """The bag folder's real path.

    :raises BagError: *path* is not there, or is not a folder.
    :raises OSError: it cannot be looked at (permission denied on a folder above it):
        it may well be a bag, so that is BAG-012, not "no such bag".
    """
    p = Path(path)
    try:
        st = os.stat(p)
    except (FileNotFoundError, NotADirectoryError) as e:
        msg = f"{p}: no such bag (the folder does not exist); check the path"
        raise BagError(msg) from e
    if not stat.S_ISDIR(st.st_mode):
        msg = f"{p}: not a bag folder (a bag is a directory; serialized bags are not read here)"
        raise BagError(msg)
    return os.path.realpath(p)


def _oxum_counts(bag_info: Sequence[BagInfoEntry], files: int) -> bool:
    """Whether the bag's one Payload-Oxum counts *files* payload files: the bagger saw
    what is on disk now (the evidence a case-only match needs, see ``_match``)."""
    values = bag_info_values(bag_info, "Payload-Oxum")
    parsed = parse_payload_oxum(values[0]) if len(values) == 1 else None
    return parsed is not None and parsed[1] == files


def _strict(finding: Finding) -> Finding:
    if finding.severity == "warning" and finding.code in CONFORMANCE_WARNINGS:
        return replace(finding, severity="error")
    return finding


def _tags_in_payload(
    entries: list[tuple[Manifest, ManifestEntry]], inv: Inventory, plan: Plan, version: str
) -> list[Finding]:
    """BagIt before 0.97: a payload manifest entry naming a tag file is checked as one
    (BAG-029, a warning); any other entry outside data/ is still BAG-023."""
    tag_files = {f.path for f in inv.tag_files()}
    out = []
    for manifest, entry in entries:
        where: dict[str, Any] = {"source": manifest.source, "line": entry.line, "path": entry.path}
        if entry.path not in tag_files:
            out.append(BAG.finding("BAG-023", **where))
            continue
        out.append(BAG.finding("BAG-029", version=version, **where))
        if manifest.engine is not None:
            check = Check(manifest.algorithm, entry.digest, manifest.source, entry.line)
            plan.checks[entry.path].append(check)
    return out


def _order(f: Finding) -> tuple[str, str, str, int]:
    return (f.code, f.path or "", f.source or "", f.line or 0)
