"""The result of verifying one bag: findings plus per-file detail for scripts and audits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

from preserve._types import JSONObject
from preserve.bags.codes import BAG
from preserve.findings import Finding, has_errors

Mode: TypeAlias = Literal["full", "fast", "completeness"]


@dataclass(frozen=True, slots=True)
class ChangedFile:
    """A file whose content does not match a manifest (bagit-python's ChecksumMismatch).

    :param path: the bag path (``data/…`` for payload, else a tag file).
    :param algorithm: the BagIt algorithm name (``sha256``).
    :param expected: the digest in the manifest.
    :param found: the digest computed now.
    """

    path: str
    algorithm: str
    expected: str
    found: str


def digest_mismatch(
    change: ChangedFile, *, tag: bool, source: str, line: int | None = None
) -> Finding:
    """BAG-040 (payload) or BAG-041 (*tag* file): *change*'s file does not have the digest
    listed for it in the manifest *source* (at *line*, when known)."""
    return BAG.finding(
        "BAG-041" if tag else "BAG-040",
        path=change.path,
        source=source,
        line=line,
        algorithm=change.algorithm,
        expected=change.expected,
        found=change.found,
    )


@dataclass(frozen=True, slots=True)
class BagResult:
    """What :func:`preserve.bags.verify.verify.verify_bag` found.

    The four detail tuples tell apart what an audit must not confuse: a ``missing``
    file is not in the bag at all; an ``unreadable`` one exists but could not be read
    (permissions, I/O error) and is never counted as missing; ``changed`` files were
    read and differ; ``added`` files are payload files no manifest lists.

    :param bag: the bag's path as given.
    :param mode: ``"full"``, ``"fast"`` or ``"completeness"``.
    :param findings: every finding, errors and warnings, in a stable order.
    :param version: BagIt-Version from bagit.txt, or ``None`` when unreadable.
    :param files: payload files found under data/.
    :param bytes: their total size in bytes.
    """

    bag: str
    mode: Mode
    findings: tuple[Finding, ...]
    version: str | None
    files: int
    bytes: int
    missing: tuple[str, ...] = ()
    changed: tuple[ChangedFile, ...] = ()
    added: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()

    @classmethod
    def unreadable_bag(cls, bag: str, mode: Mode, finding: Finding) -> BagResult:
        """The result for a bag that could not be listed at all (*finding* says why)."""
        return cls(
            bag=bag,
            mode=mode,
            findings=(finding,),
            version=None,
            files=0,
            bytes=0,
            unreadable=(".",),
        )

    @property
    def ok(self) -> bool:
        """True when no finding is an error (warnings allowed)."""
        return not has_errors(self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings that make the bag invalid."""
        return tuple(f for f in self.findings if f.is_error)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """The findings worth a look that do not make the bag invalid."""
        return tuple(f for f in self.findings if not f.is_error)

    def to_dict(self) -> JSONObject:
        """The result as JSON data (one entry of ``preserve verify --format json``)."""
        return {
            "bag": self.bag,
            "ok": self.ok,
            "valid": self.ok,
            "mode": self.mode,
            "bagit_version": self.version,
            "files": self.files,
            "bytes": self.bytes,
            "findings": [f.to_dict() for f in self.findings],
        }
