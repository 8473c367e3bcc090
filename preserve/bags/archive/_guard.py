"""Limits and the per-member guard of safe unpacking (see :mod:`preserve.bags.archive.read`)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, NoReturn

from preserve.bags.archive.codes import SERIALIZATION_RULES
from preserve.bags.paths import unsafe_reason
from preserve.errors import SerializationError
from preserve.findings import Finding


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """How much an archive may unpack to before it is refused.

    :param max_members: members (files and folders) in the archive.
    :param max_total_bytes: bytes of all files together, unpacked.
    :param max_ratio: unpacked bytes per byte of the archive file; applies once the
        unpacked size passes ``ratio_floor_bytes`` (tiny archives of tiny files have
        high ratios from headers alone). Deflate and gzip reach about 1000:1 on zeros,
        so the limit must be well below that to catch single-layer bombs.
    :param ratio_floor_bytes: unpacked size below which the ratio is not checked.
    """

    max_members: int = 200_000
    max_total_bytes: int = 1 << 40
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 1 << 20


DEFAULT_LIMITS = ArchiveLimits()


class ArchiveRefused(SerializationError):
    """An archive was refused as unsafe or unreadable; ``code`` is its ``SER`` rule.

    ``finding`` is the same refusal as a finding, for reports that list it beside the
    results of other bags (``preserve verify`` on a batch).
    """

    def __init__(self, message: str, *, code: str, finding: Finding) -> None:
        super().__init__(message)
        self.code = code
        self.finding = finding


def refuse(code: str, **context: Any) -> NoReturn:
    """Raise :class:`ArchiveRefused` with the catalog's message for *code*."""
    finding = SERIALIZATION_RULES.finding(code, **context)
    msg = f"{code}: {finding.message}"
    raise ArchiveRefused(msg, code=code, finding=finding)


class Guard:
    """Admits members one by one; refuses the first that breaks a rule."""

    def __init__(self, archive: str, packed: int, limits: ArchiveLimits) -> None:
        self.archive = archive
        self.packed = max(packed, 1)
        self.limits = limits
        self.kinds: dict[str, str] = {}  # name -> "file" | "dir" | "implied"
        self.folded: dict[str, str] = {}  # casefold/NFC key -> name
        self.top: str | None = None
        self.members = 0
        self.declared = 0
        self.made: set[str] = set()  # folders already created (and checked)

    def admit(self, raw: str, kind: str, size: int) -> str | None:
        """Check one member; return its clean name (``None`` for the root ``./``)."""
        name = self._clean(raw)
        if name is None:
            return None
        self.members += 1
        if self.members > self.limits.max_members:
            refuse("SER-007", archive=self.archive, limit=self.limits.max_members)
        self._place(name, kind)
        if kind == "file":
            self._count(size)
        return name

    def _clean(self, raw: str) -> str | None:
        reason = unsafe_reason(raw)
        if reason:
            refuse("SER-002", archive=self.archive, member=raw, reason=reason)
        parts = [p for p in raw.split("/") if p not in ("", ".")]
        return "/".join(parts) if parts else None

    def _place(self, name: str, kind: str) -> None:
        parts = name.split("/")
        top = parts[0]
        if self.top is None:
            self.top = top
        elif top != self.top:
            reason = f"members lie in both {self.top!r} and {top!r}"
            refuse("SER-011", archive=self.archive, reason=reason)
        if len(parts) == 1 and kind == "file":
            reason = f"{name!r} is a file at the top level"
            refuse("SER-011", archive=self.archive, reason=reason)
        for i in range(1, len(parts)):
            self._register("/".join(parts[:i]), "implied", raw=name)
        self._register(name, kind, raw=name)

    def _register(self, name: str, kind: str, *, raw: str) -> None:
        known = self.kinds.get(name)
        if known is not None:
            if kind == "implied" and known != "file":
                return
            if known == "implied" and kind == "dir":
                self.kinds[name] = kind
                return
            reason = "is used as a file and a folder" if "file" in (known, kind) else "occurs twice"
            refuse("SER-005", archive=self.archive, member=raw, reason=reason)
        key = unicodedata.normalize("NFC", unicodedata.normalize("NFD", name).casefold())
        other = self.folded.get(key)
        if other is not None and other != name:
            refuse("SER-006", archive=self.archive, member=name, other=other)
        self.folded[key] = name
        self.kinds[name] = kind

    def _count(self, size: int) -> None:
        self.declared += size
        if self.declared > self.limits.max_total_bytes:
            refuse("SER-008", archive=self.archive, limit=self.limits.max_total_bytes)
        ratio = self.declared / self.packed
        if self.declared > self.limits.ratio_floor_bytes and ratio > self.limits.max_ratio:
            refuse(
                "SER-009",
                archive=self.archive,
                size=self.declared,
                packed=self.packed,
                ratio=ratio,
                limit=self.limits.max_ratio,
            )

    def finish(self) -> str:
        """The top-level folder, once every member was admitted."""
        if self.top is None:
            refuse("SER-011", archive=self.archive, reason="the archive is empty")
        return self.top
