"""Manifest and fetch.txt lines: parse, format, percent-encoding, algorithm names.

RFC 8493 §2.1.3: a manifest line is ``CHECKSUM <one or more spaces or tabs> PATH``;
in the path, CR, LF and ``%`` are written ``%0D``, ``%0A`` and ``%25`` and nothing
else is decoded; bags older than 1.0 write ``%`` literally (``rfc8493=False``: only
CR and LF are decoded). §2.4: the algorithm in ``manifest-ALG.txt`` is lowercased with
non-alphanumerics removed (``sha3-256`` is ``sha3256``), which is not hashlib's name
(``sha3_256``): :func:`hashlib_name` maps between the two.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from preserve._types import StrPath
from preserve.bags._lines import checked_lines, iter_lines
from preserve.bags.codes import BAG
from preserve.bags.hashing import HASHLIB_NAMES, algorithm_key
from preserve.findings import Finding

# BagIt names (RFC 8493 §2.4) to hashlib names: the engine's table, plus BagIt's
# normalized forms of the BLAKE2 full names.
_HASHLIB_NAMES = {**HASHLIB_NAMES, "blake2b512": "blake2b", "blake2s256": "blake2s"}
_ENGINE_ALIASES = {"blake2b512": "blake2b", "blake2s256": "blake2s"}
_MANIFEST_NAME = re.compile(r"^(tag)?manifest-(.+)\.txt$")
_DECODE = re.compile(r"%(25|0[Dd]|0[Aa])")
_DECODE_LEGACY = re.compile(r"%(0[Dd]|0[Aa])")
_ENCODE = re.compile(r"[%\r\n]")
_ENCODINGS = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_HEX = re.compile(r"[0-9A-Fa-f]+")
_WS = re.compile(r"[ \t]+")
# A line that needs no decoding or tolerance: hex, blanks, then a path that does not
# start with '*', '.' or a blank and holds no '%'.
_PLAIN_LINE = re.compile(r"([0-9A-Fa-f]+)[ \t]+([^*.%\s][^%]*)", re.DOTALL)
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One manifest line.

    :param path: the bag path, percent-decoded, without a leading ``./`` or ``*``.
    :param digest: the checksum in lower case.
    :param line: the 1-based line number in the manifest.
    """

    path: str
    digest: str
    line: int


@dataclass(frozen=True, slots=True)
class FetchEntry:
    """One fetch.txt line: where to get a payload file, and its expected length.

    :param length: octets, or ``None`` for ``-`` (unknown).
    """

    url: str
    length: int | None
    path: str
    line: int


@functools.lru_cache(maxsize=64)
def hashlib_name(algorithm: str) -> str | None:
    """The :mod:`hashlib` name for a BagIt algorithm name, or ``None`` if unsupported.

    >>> hashlib_name("sha3-256")
    'sha3_256'
    """
    name = _HASHLIB_NAMES.get(algorithm_key(algorithm))
    if name is None:
        return None
    try:
        hashlib.new(name)
    except ValueError:  # pragma: no cover - depends on the OpenSSL build
        return None
    return name


@functools.lru_cache(maxsize=64)
def engine_algorithm(algorithm: str) -> str | None:
    """The name :mod:`preserve.bags.hashing` computes *algorithm* under, or ``None``.

    The engine knows ``blake2b`` and ``blake2s`` by those names; BagIt's normalized
    forms of their full names (``blake2b512``, ``blake2s256``) are aliases.
    """
    name = algorithm_key(algorithm)
    name = _ENGINE_ALIASES.get(name, name)
    return name if name in HASHLIB_NAMES and hashlib_name(name) else None


@functools.lru_cache(maxsize=64)
def digest_hex_length(algorithm: str) -> int | None:
    """How many hex digits a checksum of *algorithm* has (``None`` if unsupported)."""
    name = hashlib_name(algorithm)
    return None if name is None else 2 * hashlib.new(name).digest_size


def algorithm_from_filename(filename: str) -> tuple[Literal["payload", "tag"], str] | None:
    """``("payload", "sha256")`` for ``manifest-sha256.txt``, ``("tag", "sha3256")`` for
    ``tagmanifest-SHA3-256.txt``; ``None`` for other names."""
    match = _MANIFEST_NAME.match(filename)
    if not match:
        return None
    algorithm = algorithm_key(match[2])
    if not algorithm:
        return None
    return ("tag" if match[1] else "payload"), algorithm


def manifest_filename(algorithm: str, *, tag: bool = False) -> str:
    """``manifest-sha512.txt`` (or ``tagmanifest-…``) for *algorithm* in BagIt's form."""
    return f"{'tag' if tag else ''}manifest-{algorithm_key(algorithm)}.txt"


def encode_path(path: str) -> str:
    """Percent-encode CR, LF and ``%`` (only those) for a manifest or fetch.txt line."""
    if "%" not in path and "\n" not in path and "\r" not in path:
        return path
    return _ENCODE.sub(lambda m: _ENCODINGS[m.group()], path)


def decode_path(path: str, *, rfc8493: bool = True) -> str:
    """Decode ``%0D``, ``%0A`` and ``%25`` (only those) in one left-to-right pass.

    :param rfc8493: ``False`` for bags older than BagIt 1.0, whose writers (bagit-python
        1.9, bagit-java 4, the 0.97 conformance bags) write ``%`` literally and encode
        only CR and LF: then ``%25`` is read as it is written (issue 13).
    """
    if "%" not in path:
        return path
    pattern = _DECODE if rfc8493 else _DECODE_LEGACY
    return pattern.sub(lambda m: chr(int(m[1], 16)), path)


def format_manifest_line(digest: str, path: str) -> str:
    """``"<digest>  <encoded path>\\n"``, the form sha256sum also reads."""
    if not _HEX.fullmatch(digest):
        msg = f"checksum {digest!r} is not hexadecimal"
        raise ValueError(msg)
    return f"{digest.lower()}  {encode_path(path)}\n"


def format_manifest(entries: Iterable[tuple[str, str]]) -> str:
    """Manifest text for ``(path, digest)`` pairs, in the order given."""
    return "".join(format_manifest_line(digest, path) for path, digest in entries)


def parse_manifest(
    lines: Iterable[tuple[int, str]], *, source: str, rfc8493: bool = True
) -> tuple[list[ManifestEntry], list[Finding]]:
    """Parse manifest lines (``(number, text)`` pairs without terminators).

    Tolerated with a warning: md5sum's ``*`` binary marker (BAG-021) and a leading
    ``./`` (BAG-022). Malformed lines are reported (BAG-020) and skipped. Blank lines
    are ignored. Path safety is not judged here (see :mod:`preserve.bags.paths`).
    Paths are percent-decoded as :func:`decode_path` says for *rfc8493*.
    """
    findings: list[Finding] = []
    entries = list(iter_entries(lines, source=source, findings=findings, rfc8493=rfc8493))
    return entries, findings


def iter_entries(
    lines: Iterable[tuple[int, str]],
    *,
    source: str,
    findings: list[Finding],
    rfc8493: bool = True,
) -> Iterator[ManifestEntry]:
    """:func:`parse_manifest` one entry at a time (findings go to *findings*), so a
    manifest of a million lines is never held in memory."""
    for number, text in lines:
        match = _PLAIN_LINE.fullmatch(text)
        if match is not None:  # the common case: no marker, no './', no '%'
            yield ManifestEntry(match[2], match[1].lower(), number)
        elif text.strip():
            entry = _unusual_line(number, text, source, findings, rfc8493=rfc8493)
            if entry is not None:
                yield entry


def _unusual_line(
    number: int, text: str, source: str, findings: list[Finding], *, rfc8493: bool
) -> ManifestEntry | None:
    parts = _WS.split(text, maxsplit=1)
    problem = _manifest_problem(parts)
    if problem:
        findings.append(BAG.finding("BAG-020", source=source, line=number, problem=problem))
        return None
    digest, written = parts
    if written.startswith("*"):
        findings.append(BAG.finding("BAG-021", source=source, line=number, path=written))
        written = written[1:]
    path = decode_path(written, rfc8493=rfc8493)
    if path.startswith("./"):
        stripped = path
        while stripped.startswith("./"):
            stripped = stripped[2:]
        findings.append(
            BAG.finding("BAG-022", source=source, line=number, path=path, normalized=stripped)
        )
        path = stripped
    return ManifestEntry(path, digest.lower(), number)


def _manifest_problem(parts: list[str]) -> str | None:
    if len(parts) < 2 or not parts[1]:
        return "no path after the checksum" if parts[0] else "it starts with whitespace"
    if not _HEX.fullmatch(parts[0]):
        return "the checksum is not hexadecimal"
    if parts[1] == "*":
        return "no path after the '*'"
    return None


def read_manifest(
    path: StrPath, *, encoding: str = "UTF-8", source: str | None = None, rfc8493: bool = True
) -> tuple[list[ManifestEntry], list[Finding]]:
    """Read and parse a manifest file in the bag's tag-file encoding (bounded lines).

    :raises OSError: when the file cannot be opened or read (the caller reports it).
    """
    findings: list[Finding] = []
    entries = list(
        iter_manifest(path, encoding=encoding, source=source, findings=findings, rfc8493=rfc8493)
    )
    return entries, findings


def iter_manifest(
    path: StrPath,
    *,
    encoding: str = "UTF-8",
    source: str | None = None,
    findings: list[Finding],
    rfc8493: bool = True,
) -> Iterator[ManifestEntry]:
    """:func:`read_manifest` one entry at a time; findings are appended to *findings*.

    :raises OSError: when the file cannot be opened or read (the caller reports it).
    """
    p = Path(path)
    name = source or p.name
    with p.open("rb") as raw:
        more: list[Finding] = []
        yield from iter_entries(
            checked_lines(iter_lines(raw, encoding), encoding, name, findings),
            source=name,
            findings=more,
            rfc8493=rfc8493,
        )
    findings.extend(more)


def parse_fetch(
    lines: Iterable[tuple[int, str]], *, source: str = "fetch.txt", rfc8493: bool = True
) -> tuple[list[FetchEntry], list[Finding]]:
    """Parse fetch.txt lines: ``URL LENGTH PATH`` (RFC 8493 §2.2.3); never fetches.

    The URL must be absolute (a scheme, no whitespace); LENGTH is digits or ``-``.
    Malformed lines are reported (BAG-070) and skipped. Path safety is judged by the
    caller.
    """
    entries: list[FetchEntry] = []
    findings: list[Finding] = []
    for number, text in lines:
        if not text.strip():
            continue
        parts = _WS.split(text, maxsplit=2)
        problem = None
        if len(parts) < 3 or not parts[2]:
            problem = "fewer than three fields"
        elif not _URI.fullmatch(parts[0]):
            problem = f"{parts[0][:80]!r} is not an absolute URL"
        elif not (parts[1] == "-" or (parts[1].isascii() and parts[1].isdigit())):
            problem = f"length {parts[1][:40]!r} is neither digits nor '-'"
        if problem:
            findings.append(BAG.finding("BAG-070", source=source, line=number, problem=problem))
            continue
        length = None if parts[1] == "-" else int(parts[1])
        path = decode_path(parts[2], rfc8493=rfc8493)
        entries.append(FetchEntry(parts[0], length, path, number))
    return entries, findings


def read_fetch(
    path: StrPath, *, encoding: str = "UTF-8", source: str = "fetch.txt", rfc8493: bool = True
) -> tuple[list[FetchEntry], list[Finding]]:
    """Read and parse fetch.txt (bounded lines). Nothing is downloaded.

    :raises OSError: when the file cannot be opened or read.
    """
    findings: list[Finding] = []
    with Path(path).open("rb") as raw:
        entries, more = parse_fetch(
            checked_lines(iter_lines(raw, encoding), encoding, source, findings),
            source=source,
            rfc8493=rfc8493,
        )
    return entries, findings + more


def format_fetch_line(url: str, length: int | None, path: str) -> str:
    """One fetch.txt line; whitespace in *url* must already be percent-encoded."""
    if not _URI.fullmatch(url):
        msg = f"fetch URL {url!r} must be absolute and contain no whitespace"
        raise ValueError(msg)
    size = "-" if length is None else str(int(length))
    return f"{url} {size} {encode_path(path)}\n"
