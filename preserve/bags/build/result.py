"""What a build hands to tag hooks, and what it returns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from preserve._types import JSONObject, JSONValue
from preserve.findings import Finding, has_errors

JSON_VERSION = 2
"""2: the findings are listed once, under ``findings`` (version 1 repeated them under
``warnings``, their old name)."""


class BuildReport(TypedDict):
    """The shape of ``preserve bag --format json``."""

    version: int
    ok: bool
    bag: str
    files: int
    bytes: int
    algorithms: list[str]
    bag_info: list[list[str]]
    tag_files: list[str]
    replaced: bool
    in_place: bool
    findings: list[JSONObject]


@dataclass(frozen=True, slots=True)
class InventoryFile:
    """One payload file as it went into the bag.

    :param path: its path in the bag, ``data/...`` with ``/`` separators (not
        percent-encoded).
    :param source: the absolute path of the original it was copied from (in
        place: where it was before it moved under ``data/``).
    :param size: its size in bytes.
    :param digests: lowercase hex digest by RFC 8493 algorithm name, for every
        algorithm of the bag.
    """

    path: str
    source: str
    size: int
    digests: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Inventory:
    """The payload of a bag being built, given to each tag hook.

    :param bag: the folder the tag files are written into while the bag is built
        (a staging folder): hooks must not write there. Read payload bytes from
        each file's ``source``, which exists in both modes when hooks run.
    :param target: where the bag will be when finished.
    :param algorithms: the bag's algorithms (RFC 8493 names), in manifest order.
    :param files: every payload file, in manifest order.
    :param octets: the total payload size in bytes.
    :param record: the record given to the build, or ``None``.
    :param started: when the build started (ISO 8601 UTC with ``Z``).
    :param agent: the software that builds the bag (``preserve 0.1.0``).
    """

    bag: Path
    target: Path
    algorithms: tuple[str, ...]
    files: tuple[InventoryFile, ...]
    octets: int
    record: Mapping[str, JSONValue] | None
    started: str
    agent: str


TagHook = Callable[[Inventory], Mapping[str, bytes]]
"""``hook(inventory) -> {"metadata/premis.xml": b"..."}``: extra tag files to add.

Called after the payload is hashed and before tag manifests are written; names are
``/``-separated paths relative to the bag, outside ``data/``.
"""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """A finished bag.

    :param bag: the bag's folder.
    :param files: number of payload files.
    :param bytes: payload size in bytes.
    :param algorithms: manifest algorithms, in order.
    :param bag_info: the bag-info.txt elements written, in order.
    :param tag_files: every tag file written besides tag manifests.
    :param findings: warnings found while building (such as BAG-080 case-only
        name collisions); errors are raised instead.
    :param replaced: an existing bag at *bag* was replaced.
    :param in_place: the source folder was converted in place.
    :param stale_removed: staging folders of killed earlier runs that were removed.
    :param location: where the bag was put when that is not *bag* (an ``s3://``
        URL, issue 14); reports show it instead of the path.
    :param archive: the archive written beside the bag (``serialize``), or ``None``.
    """

    bag: Path
    files: int
    bytes: int
    algorithms: tuple[str, ...]
    bag_info: tuple[tuple[str, str], ...]
    tag_files: tuple[str, ...]
    findings: tuple[Finding, ...] = ()
    replaced: bool = False
    in_place: bool = False
    stale_removed: tuple[Path, ...] = field(default=())
    location: str | None = None
    archive: Path | None = None

    @property
    def shown(self) -> str:
        """The bag's location as reports show it."""
        return self.location or str(self.bag)

    @property
    def path(self) -> Path:
        """The bag's folder: the old name of :attr:`bag` (read-only, kept for scripts)."""
        return self.bag

    @property
    def octets(self) -> int:
        """The payload size: the old name of :attr:`bytes` (read-only, kept for scripts)."""
        return self.bytes

    @property
    def ok(self) -> bool:
        """True when no finding is an error (a built bag has only warnings)."""
        return not has_errors(self.findings)

    def to_dict(self) -> BuildReport:
        """What ``preserve bag --format json`` prints (``"version": 2``)."""

        return {
            "version": JSON_VERSION,
            "ok": self.ok,
            "bag": self.shown,
            "files": self.files,
            "bytes": self.bytes,
            "algorithms": list(self.algorithms),
            "bag_info": [[label, value] for label, value in self.bag_info],
            "tag_files": list(self.tag_files),
            "replaced": self.replaced,
            "in_place": self.in_place,
            "findings": [f.to_dict() for f in self.findings],
        }
