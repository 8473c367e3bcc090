"""Just enough tag-file reading for an audit: manifests, bagit.txt and one bag-info value."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

ALGORITHMS = {
    "md5": "md5",
    "sha1": "sha1",
    "sha224": "sha224",
    "sha256": "sha256",
    "sha384": "sha384",
    "sha512": "sha512",
    "sha3224": "sha3_224",
    "sha3256": "sha3_256",
    "sha3384": "sha3_384",
    "sha3512": "sha3_512",
    "blake2b": "blake2b",
    "blake2s": "blake2s",
}
"""RFC 8493 §2.4 algorithm names (lowercase, alphanumerics only) to hashlib names."""

STRENGTH = ("sha512", "sha3512", "sha384", "sha3384", "sha256", "sha3256", "blake2b")
"""Preferred algorithms, strongest first, for reporting a file's expected digest."""

_LINE = re.compile(r"^([0-9A-Fa-f]+)[ \t]+(.+)$")
_MANIFEST = re.compile(r"^(tag)?manifest-([a-z0-9]+)\.txt$")


class ManifestError(ValueError):
    """A manifest line that cannot be read or names a path outside the bag."""


def manifest_algorithm(name: str) -> tuple[bool, str] | None:
    """``(is_tag_manifest, algorithm)`` for a manifest file name, else None."""
    match = _MANIFEST.match(name)
    return (bool(match.group(1)), match.group(2)) if match else None


def new_hash(algorithm: str) -> hashlib._Hash:
    """A hashlib object for an RFC 8493 algorithm name."""
    return hashlib.new(ALGORITHMS[algorithm])


def decode_path(raw: str) -> str:
    """Undo the §2.1.3 percent-encoding of CR, LF and ``%``."""
    return re.sub(
        "%(0D|0A|25)",
        lambda m: {"0D": "\r", "0A": "\n", "25": "%"}[m.group(1).upper()],
        raw,
        flags=re.I,
    )


def parse_manifest(text: str, name: str) -> Iterator[tuple[str, str]]:
    """``(path, lowercase hex digest)`` per line; raises :class:`ManifestError`."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if not match:
            msg = f"{name} line {number} is not 'digest path'"
            raise ManifestError(msg)
        path = decode_path(match.group(2).strip())
        parts = path.split("/")
        if path.startswith(("/", "\\", "~")) or ".." in parts or ":" in parts[0]:
            msg = f"{name} line {number} names a path outside the bag: {path!r}"
            raise ManifestError(msg)
        yield path, match.group(1).lower()


def bag_info_value(text: str, label: str) -> str:
    """The first value of *label* (case-insensitive) in bag-info.txt text, or ``""``."""
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == label.lower():
            return value.strip()
    return ""
