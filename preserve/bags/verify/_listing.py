"""A parsed manifest, and what one payload manifest says about each payload file.

A manifest of a million lines is streamed (:func:`preserve.bags.manifests.iter_manifest`)
and never held as entry objects: for each payload file, by its position in the
:class:`~preserve.bags.verify._payload.PayloadIndex`, a :class:`Listing` keeps the line
number of its entry (0: not listed) and the expected digest as raw bytes (32 bytes
for sha256 rather than an 113-byte ``str``). Only what is rare keeps objects: a
second entry for one file, and entries that do not name a payload file exactly
(missing, unsafe, differently normalized, wrong digest length), which are resolved
after the whole manifest has been read.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from preserve.bags.manifests import ManifestEntry, digest_hex_length, engine_algorithm


@dataclass(frozen=True, slots=True)
class Manifest:
    """A parsed manifest file: its name, algorithm (BagIt form) and entries."""

    source: str
    algorithm: str
    kind: Literal["payload", "tag"]
    entries: tuple[ManifestEntry, ...]
    real: str | None = None
    """Where to stream a payload manifest from (its entries are not held)."""

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
class Listing:
    """One payload manifest's entries by payload position.

    :param lines: the line of the first entry naming each file (0: none).
    :param digests: raw expected digests, ``width`` bytes each, for an algorithm
        of known digest length; empty otherwise (then :attr:`hexes` holds them).
    """

    manifest: Manifest
    lines: array[int]
    width: int
    digests: bytearray
    hexes: dict[int, str] = field(default_factory=dict)
    extra: dict[int, list[Check]] = field(default_factory=dict)
    unusual: list[ManifestEntry] = field(default_factory=list)
    repeated: bool = False  # an exact path was listed twice (BAG-025 to report)
    later: dict[str, tuple[int, str]] = field(default_factory=dict)

    @classmethod
    def empty(cls, manifest: Manifest, files: int) -> Listing:
        """A listing of *files* positions with nothing listed yet."""
        length = digest_hex_length(manifest.algorithm)
        width = 0 if length is None else length // 2
        return cls(manifest, array("I", bytes(4 * files)), width, bytearray(width * files))

    def put(self, i: int, digest: str, line: int) -> None:
        """Record the first entry for position *i* (hex *digest* of the right length)."""
        self.lines[i] = line
        if self.width:
            self.digests[i * self.width : (i + 1) * self.width] = bytes.fromhex(digest)
        else:
            self.hexes[i] = digest

    def add(self, i: int, digest: str, line: int) -> None:
        """Record an entry resolved to position *i*, the first or a further one."""
        if not self.lines[i]:
            self.put(i, digest, line)
            return
        m = self.manifest
        self.extra.setdefault(i, []).append(Check(m.algorithm, digest, m.source, line))

    def again(self, i: int, path: str, digest: str, line: int) -> None:
        """Record a further entry with exactly the path of listed position *i*."""
        self.repeated = True
        self.add(i, digest, line)
        self.later[path] = (line, digest)  # lines only grow: the last entry wins

    def digest(self, i: int) -> str:
        """The hex digest of the first entry for position *i* (which must be listed)."""
        if self.width:
            return self.digests[i * self.width : (i + 1) * self.width].hex()
        return self.hexes[i]

    def checks(self, i: int) -> list[Check]:
        """Every expected digest for position *i* (empty when not listed)."""
        line = self.lines[i]
        if not line:
            return []
        m = self.manifest
        first = Check(m.algorithm, self.digest(i), m.source, line)
        more = self.extra.get(i)
        return [first, *more] if more else [first]

    def listed_count(self, skip: list[int]) -> int:
        """How many positions are listed, not counting those in *skip*."""
        return len(self.lines) - self.lines.count(0) - sum(1 for i in skip if self.lines[i])
