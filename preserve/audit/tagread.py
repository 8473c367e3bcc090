"""Tag-file reading for an audit, on top of :mod:`preserve.bags.manifests` (one parser).

The audit needs less than verification: the manifests' entries (paths decoded, unsafe
paths refused), which algorithms it can compute, and one bag-info value.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping

from preserve.bags.manifests import algorithm_from_filename, hashlib_name, parse_manifest
from preserve.bags.paths import unsafe_reason

STRENGTH = (
    "sha512",
    "sha3512",
    "sha384",
    "sha3384",
    "sha256",
    "sha3256",
    "blake2b",
    "sha224",
    "sha1",
    "md5",
)
"""Preferred algorithms, strongest first, for reporting a file's expected digest."""

_LINE_END = re.compile(r"\r\n|\r|\n")  # RFC 8493 §2.3: LF, CR or CRLF, nothing else
_VERSION = re.compile(rb"BagIt-Version *: *(\d+)\.(\d+)")


def declares_rfc8493(bagit_txt: bytes) -> bool:
    """False when bagit.txt declares a version before 1.0, whose manifests write '%'
    literally (see :func:`preserve.bags.manifests.decode_path`); True otherwise."""
    match = _VERSION.search(bagit_txt)
    return match is None or (int(match[1]), int(match[2])) >= (1, 0)


class ManifestError(ValueError):
    """A manifest line that cannot be read or names a path outside the bag."""


def manifest_algorithm(name: str) -> tuple[bool, str] | None:
    """``(is_tag_manifest, algorithm)`` for a manifest file name, else None."""
    found = algorithm_from_filename(name)
    return (found[0] == "tag", found[1]) if found else None


def supported(algorithm: str) -> bool:
    """True when this Python can compute *algorithm* (RFC 8493 §2.4 name)."""
    return hashlib_name(algorithm) is not None


def new_hash(algorithm: str) -> hashlib._Hash:
    """A hashlib object for a supported RFC 8493 algorithm name."""
    return hashlib.new(hashlib_name(algorithm) or algorithm)


def manifest_entries(text: str, name: str, *, rfc8493: bool = True) -> Iterator[tuple[str, str]]:
    """``(path, lowercase hex digest)`` per entry; raises :class:`ManifestError`.

    :param rfc8493: ``False`` for bags before BagIt 1.0 (paths read literally).
    """
    lines = enumerate(_LINE_END.split(text), 1)
    entries, findings = parse_manifest(lines, source=name, rfc8493=rfc8493)
    errors = [f for f in findings if f.is_error]
    if errors:
        msg = f"{name} line {errors[0].line}: {errors[0].message}"
        raise ManifestError(msg)
    for entry in entries:
        reason = unsafe_reason(entry.path)
        if reason:
            msg = (
                f"{name} line {entry.line} names a path outside the bag: {entry.path!r} ({reason})"
            )
            raise ManifestError(msg)
        yield entry.path, entry.digest


Manifests = dict[str, dict[str, str]]  # algorithm -> path -> digest


def read_manifests(
    texts: Mapping[str, bytes], *, rfc8493: bool = True
) -> tuple[Manifests, Manifests]:
    """The payload and tag manifests among *texts* (tag files by name), by algorithm.

    Files that are not manifests, and manifests of algorithms this Python cannot compute,
    are left out.

    :raises ManifestError: when a manifest cannot be parsed.
    """
    payload: Manifests = {}
    tags: Manifests = {}
    for name, data in texts.items():
        kind = manifest_algorithm(name)
        if kind is None or not supported(kind[1]):
            continue
        target = tags if kind[0] else payload
        text = data.decode("utf-8", "replace")
        target[kind[1]] = dict(manifest_entries(text, name, rfc8493=rfc8493))
    return payload, tags


def bag_info_value(text: str, label: str) -> str:
    """The first value of *label* (case-insensitive) in bag-info.txt text, or ``""``."""
    for line in _LINE_END.split(text):
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == label.lower():
            return value.strip()
    return ""
