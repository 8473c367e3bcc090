"""Read a bag's tag files (bagit.txt, manifests, bag-info, fetch.txt) from its inventory.

Only files the scan found (regular files, or links to regular files inside the bag)
are opened; a read failure becomes BAG-033 and the file counts as unreadable.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TypeVar

from preserve.bags.codes import BAG
from preserve.bags.manifests import (
    FetchEntry,
    ManifestEntry,
    algorithm_from_filename,
    read_fetch,
    read_manifest,
)
from preserve.bags.tagfiles import (
    BagInfoEntry,
    BagitDeclaration,
    parse_bagit_txt,
    read_bag_info,
    repeated_reserved,
)
from preserve.bags.verify._inventory import Inventory, describe_os_error
from preserve.bags.verify._listing import Manifest
from preserve.findings import Finding

KNOWN_VERSIONS = frozenset({(0, 93), (0, 94), (0, 95), (0, 96), (0, 97), (1, 0)})
_MAX_BAGIT_TXT = 4096
T = TypeVar("T")


@dataclass(slots=True)
class TagData:
    """Everything read from the tag files, with what went wrong reading them."""

    declaration: BagitDeclaration | None = None
    encoding: str = "UTF-8"
    strict: bool = True
    """The bag declares BagIt 1.0 (or no known version): RFC 8493's rules, percent-encoding
    included. Older bags are read by the rules of their version (issue 13)."""
    tags_in_payload: bool = False
    """BagIt before 0.97: a payload manifest may also list tag files (with a warning)."""
    payload_manifests: list[Manifest] = field(default_factory=list)
    tag_manifests: list[Manifest] = field(default_factory=list)
    bag_info: tuple[BagInfoEntry, ...] = ()
    fetch: list[FetchEntry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def read_tags(inv: Inventory) -> TagData:
    """Read every tag file the verifier needs from *inv*."""
    tags = TagData()
    _read_bagit(inv, tags)
    for name in sorted(inv.files):
        kind = algorithm_from_filename(name)
        if kind is None or "/" in name:
            continue
        if kind[0] == "payload":  # streamed later, never held whole (issue 3: memory)
            real = _guarded(inv, tags, name, _openable)
            if real is not None:
                manifest = Manifest(name, kind[1], "payload", (), real=real)
                if manifest.engine is None:
                    tags.findings.append(BAG.finding("BAG-027", source=name, algorithm=kind[1]))
                tags.payload_manifests.append(manifest)
            continue
        read = partial(_manifest, encoding=tags.encoding, source=name, rfc8493=tags.strict)
        found = _guarded(inv, tags, name, read)
        if found is None:
            continue
        entries, findings = found
        tags.findings.extend(findings)
        manifest = Manifest(name, kind[1], kind[0], tuple(entries))
        if manifest.engine is None:
            tags.findings.append(BAG.finding("BAG-027", source=name, algorithm=kind[1]))
        tags.tag_manifests.append(manifest)
    _read_bag_info(inv, tags)
    if "fetch.txt" in inv.files:
        fetched = _guarded(
            inv,
            tags,
            "fetch.txt",
            lambda real: read_fetch(real, encoding=tags.encoding, rfc8493=tags.strict),
        )
        if fetched is not None:
            tags.fetch, findings = fetched
            tags.findings.extend(findings)
    return tags


def _manifest(
    real: str, *, encoding: str, source: str, rfc8493: bool
) -> tuple[list[ManifestEntry], list[Finding]]:
    return read_manifest(real, encoding=encoding, source=source, rfc8493=rfc8493)


def _openable(real: str) -> str:
    with open(real, "rb"):
        return real


def _readable(inv: Inventory, name: str) -> str | None:
    disk = inv.files.get(name)
    return disk.real if disk is not None and disk.kind in ("file", "link") else None


def _guarded(inv: Inventory, tags: TagData, name: str, read: Callable[[str], T]) -> T | None:
    real = _readable(inv, name)
    if real is None:
        return None
    try:
        return read(real)
    except OSError as e:
        tags.unreadable.append(name)
        tags.findings.append(BAG.finding("BAG-033", path=name, reason=describe_os_error(e)))
        return None


def _read_bagit(inv: Inventory, tags: TagData) -> None:
    if "bagit.txt" not in inv.files:
        tags.findings.append(BAG.finding("BAG-001"))
        return

    def read(real: str) -> bytes:
        with open(real, "rb") as f:
            return f.read(_MAX_BAGIT_TXT + 1)

    data = _guarded(inv, tags, "bagit.txt", read)
    if data is None:
        return
    if len(data) > _MAX_BAGIT_TXT:
        tags.findings.append(BAG.finding("BAG-002", problem="is far too large", source="bagit.txt"))
        return
    decl, findings = parse_bagit_txt(data)
    tags.findings.extend(_located(f) for f in findings)
    tags.declaration = decl
    if decl is None:
        return
    version = decl.version_tuple
    if version is not None and version not in KNOWN_VERSIONS:
        tags.findings.append(BAG.finding("BAG-005", version=decl.version, source="bagit.txt"))
    tags.strict = version is None or version >= (1, 0)
    tags.tags_in_payload = version is not None and version < (0, 97)
    try:
        codec = codecs.lookup(decl.encoding)
        "".encode(decl.encoding)  # refuses bytes-to-bytes codecs such as rot13 or zlib
    except LookupError:
        tags.findings.append(BAG.finding("BAG-006", encoding=decl.encoding, source="bagit.txt"))
        return
    tags.encoding = decl.encoding
    if codec.name != "utf-8" and tags.strict:
        tags.findings.append(BAG.finding("BAG-007", encoding=decl.encoding, source="bagit.txt"))


def _located(finding: Finding) -> Finding:
    if finding.source is not None:
        return finding
    return replace(finding, source="bagit.txt")


def _read_bag_info(inv: Inventory, tags: TagData) -> None:
    name = "bag-info.txt"
    old = tags.declaration is not None and (tags.declaration.version_tuple or (1, 0)) < (0, 96)
    if name not in inv.files and old and "package-info.txt" in inv.files:
        name = "package-info.txt"  # the element file's name before BagIt 0.96
    if name not in inv.files:
        return
    found = _guarded(
        inv,
        tags,
        name,
        lambda real: read_bag_info(real, encoding=tags.encoding, strict=tags.strict, source=name),
    )
    if found is None:
        return
    tags.bag_info, findings = found
    tags.findings.extend(findings)
    tags.findings.extend(repeated_reserved(tags.bag_info, source=name))
