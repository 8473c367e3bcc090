"""Identify a file's format in PRONOM, with FIDO used in-process (issue 16).

FIDO (the Open Preservation Foundation's ``opf-fido``) ships The National Archives'
PRONOM signatures and container signatures. Its command line prints results and exits on
errors, so preserve uses its matching code directly: the signatures are parsed once
(lazily, on the first file: about 0.3 s), the container signatures once too (FIDO's own
``identify_file`` re-reads them for every ZIP or OLE file), and nothing is printed.

FIDO's ``match_formats`` looks each of its ~2,600 regular expressions up in ``re``'s cache
for every file; there are more of them than the cache holds, so every file recompiled
them all (about 14 ms a file). :class:`_Matcher` compiles them once and applies them in
FIDO's order with FIDO's priority rule, giving the same matches; it also skips the formats
whose every signature must start with a byte the file does not start with.

A newer signature file (``formats-vNNN.xml``, FIDO's form of a PRONOM release) can be given
by path; see ``docs/how-to/pronom-signatures.md``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ElementTree

from defusedxml import ElementTree as SafeET

from preserve._types import StrPath
from preserve.errors import FormatIdentificationError
from preserve.formats.identify import (
    NOT_IDENTIFIED,
    FormatInfo,
    MagicIdentifier,
    MatchBasis,
    PronomMatch,
    ToolInfo,
)

_VERSION_IN_NAME = re.compile(r"v(\d+)", re.IGNORECASE)
_DATE_IN_NAME = re.compile(r"(\d{8})")


def _fido_dir() -> Path:
    import fido

    return Path(fido.CONFIG_DIR)


def fido_version() -> str:
    """The installed FIDO's version (``1.6.1``)."""
    import fido

    return str(fido.__version__)


@dataclass(frozen=True, slots=True)
class Signatures:
    """The signature files an identification uses.

    :param formats: FIDO's form of a PRONOM release (``formats-v109.xml``).
    :param containers: the PRONOM container signature file.
    """

    formats: Path
    containers: Path

    @property
    def version(self) -> str:
        """The PRONOM release, from the file name (``v109``), else the file name."""
        found = _VERSION_IN_NAME.search(self.formats.stem)
        return f"v{found.group(1)}" if found else self.formats.name

    @property
    def container_version(self) -> str:
        """The container signature file's date (``20200121``), else its name."""
        found = _DATE_IN_NAME.search(self.containers.stem)
        return found.group(1) if found else self.containers.name

    def describe(self) -> str:
        """A one-line account of the signatures, for ``--version`` and PREMIS."""
        return (
            f"PRONOM signatures {self.version} ({self.formats.name}), "
            f"container signatures {self.container_version} ({self.containers.name})"
        )


def bundled_signatures() -> Signatures:
    """The signature files shipped inside the installed FIDO (named in its versions.xml)."""
    conf = _fido_dir()
    root = _parse(conf / "versions.xml", "FIDO versions file")
    formats = root.findtext("pronomSignature") or "formats-v109.xml"
    containers = root.findtext("pronomContainerSignature") or "container-signature-20200121.xml"
    return Signatures(conf / formats, conf / containers)


def _parse(path: Path, what: str) -> Element:
    try:
        root: Element | None = SafeET.parse(path).getroot()
    except (OSError, SafeET.ParseError) as e:
        msg = f"cannot read the {what} {path}: {e}; give a readable FIDO/PRONOM XML file"
        raise FormatIdentificationError(msg) from e
    if root is None:  # pragma: no cover - a parsed document always has a root
        msg = f"the {what} {path} is empty; give a FIDO/PRONOM XML file"
        raise FormatIdentificationError(msg)
    return root


class PronomIdentifier:
    """Names a file's PRONOM format (PUID) with FIDO's matching code.

    :param signatures: FIDO's ``formats-vNNN.xml`` to use instead of the bundled one.
    :param container_signatures: a PRONOM container signature file to use instead.
    """

    def __init__(
        self,
        *,
        signatures: StrPath | None = None,
        container_signatures: StrPath | None = None,
    ) -> None:
        bundled = bundled_signatures()
        self.signatures = Signatures(
            Path(signatures) if signatures else bundled.formats,
            Path(container_signatures) if container_signatures else bundled.containers,
        )
        self._lock = threading.Lock()
        self._fido: Any = None
        self._containers: dict[str, Any] = {}
        self._matcher: _Matcher | None = None

    def tools(self) -> tuple[ToolInfo, ...]:
        """FIDO, with its version and the signature files."""
        return (ToolInfo("FIDO", fido_version(), self.signatures.describe()),)

    def load(self) -> None:
        """Parse the signature files now (otherwise on the first file).

        :raises FormatIdentificationError: when a signature file cannot be read.
        """
        with self._lock:
            self._load()

    def _load(self) -> Any:
        if self._fido is not None:
            return self._fido
        from fido.fido import Fido

        formats = _parse(self.signatures.formats, "PRONOM signature file")
        elements = formats.findall("./format")
        if not elements:
            msg = (
                f"the PRONOM signature file {self.signatures.formats} holds no <format> "
                "entries; give a FIDO formats-vNNN.xml file"
            )
            raise FormatIdentificationError(msg)
        # No format files through FIDO's loader: it exits the process on a parse error.
        fido = Fido(quiet=True, format_files=[], handle_matches=_ignore)
        for element in elements:
            fido.process_format_element(element)
        self._matcher = _Matcher(fido.formats, fido.puid_has_priority_over_map)
        containers = ElementTree(
            _parse(self.signatures.containers, "PRONOM container signature file")
        )
        self._containers = {
            kind: fido.extract_signatures(containers, signature_type=kind)
            for kind in ("ZIP", "OLE2")
        }
        self._fido = fido
        return fido

    def match(self, path: Path) -> PronomMatch:
        """The PRONOM format of *path* (:data:`NOT_IDENTIFIED` when nothing matches).

        :raises FormatIdentificationError: when the signatures cannot be read.
        :raises OSError: when the file cannot be read.
        """
        with self._lock:
            fido = self._load()
            size = path.stat().st_size
            if size == 0:
                return NOT_IDENTIFIED  # FIDO's signatures wrongly match empty files
            with path.open("rb") as f:
                fido.current_file = str(path)
                fido.current_filesize = size
                bof, eof, _ = fido.get_buffers(f, size, seekable=True)
            assert self._matcher is not None  # set by _load
            matches = self._matcher.match(bof, eof)
            basis: MatchBasis = "signature"
            container = self._container(fido, path, matches)
            if container:
                matches, basis = container, "container"
            elif not matches:
                matches, basis = fido.match_extensions(str(path)), "extension"
            return _result(matches, basis)

    def _container(self, fido: Any, path: Path, matches: list[Any]) -> list[Any]:
        from fido.package import OlePackage, ZipPackage

        kind = fido.container_type(matches)
        if kind not in ("zip", "ole"):
            return []
        package = ZipPackage if kind == "zip" else OlePackage
        signatures = self._containers["ZIP" if kind == "zip" else "OLE2"]
        puids = package(str(path), signatures).detect_formats()
        known = fido.puid_format_map
        return [(known[p], known[p].findtext("name")) for p in dict.fromkeys(puids) if p in known]


_Pattern = tuple[str, "re.Pattern[bytes]"]


class _Matcher:
    """FIDO's ``match_formats`` with its regular expressions compiled once."""

    def __init__(self, formats: list[Element], priority: dict[str, frozenset[str]]) -> None:
        self.priority = priority
        self.formats: list[tuple[Element, str, list[tuple[str, list[_Pattern]]]]] = []
        starts: list[set[int] | None] = []  # per format: the first bytes it can match
        for element in formats:
            signatures = []
            firsts: set[int] | None = set()
            for signature in element.findall("signature"):
                patterns = _compile(signature)
                if patterns is None:
                    continue
                signatures.append((signature.findtext("name") or "", patterns))
                first = _required_first_byte(patterns)
                firsts = None if first is None or firsts is None else firsts | {first}
            if signatures:
                self.formats.append((element, element.findtext("puid") or "", signatures))
                starts.append(firsts)
        anywhere = [i for i, f in enumerate(starts) if f is None]
        self.by_first_byte = [
            sorted(anywhere + [i for i, f in enumerate(starts) if f and b in f]) for b in range(256)
        ]
        self.anywhere = anywhere

    def _as_good_as_any(self, puid: str, found: list[tuple[Element, str, str]]) -> bool:
        return not any(
            puid in self.priority.get(other, ()) for _, other, _ in found if other != puid
        )

    def match(self, bof: bytes, eof: bytes) -> list[tuple[Element, str]]:
        """The (format, signature name) pairs that match, inferior ones removed."""
        found: list[tuple[Element, str, str]] = []
        candidates = self.by_first_byte[bof[0]] if bof else self.anywhere
        for index in candidates:
            element, puid, signatures = self.formats[index]
            if not self._as_good_as_any(puid, found):
                continue
            for name, patterns in signatures:
                if all(_applies(position, regex, bof, eof) for position, regex in patterns):
                    found.append((element, puid, name))
        return [(e, name) for e, puid, name in found if self._as_good_as_any(puid, found)]


def _compile(signature: Element) -> list[_Pattern] | None:
    """A signature's patterns, or None when one cannot be compiled (FIDO skips those)."""
    patterns = []
    for pattern in signature.findall("pattern"):
        try:
            regex = re.compile((pattern.findtext("regex") or "").encode("utf8"))
        except re.error:
            return None
        patterns.append((pattern.findtext("position") or "", regex))
    return patterns


_SPECIAL = frozenset(b".^$*+?{}[]()|\\")
_QUANTIFIERS = frozenset(b"*+?{")


def _required_first_byte(patterns: list[_Pattern]) -> int | None:
    """The byte a file must start with for these patterns to match, if one says so."""
    for position, regex in patterns:
        if position == "BOF":
            first = _first_byte(regex.pattern)
            if first is not None:
                return first
    return None


def _first_byte(pattern: bytes) -> int | None:
    """The literal first byte of a ``(?s)\\A…`` pattern, else None (when in doubt)."""
    head = b"(?s)\\A"
    if not pattern.startswith(head) or _top_level_alternation(pattern):
        return None
    rest = pattern[len(head) :]
    if rest[:2] == b"\\x" and len(rest) >= 4:
        try:
            value, after = int(rest[2:4], 16), rest[4:5]
        except ValueError:
            return None
    elif rest[:1] == b"\\" and len(rest) >= 2 and not chr(rest[1]).isalnum():
        value, after = rest[1], rest[2:3]
    elif rest and rest[0] not in _SPECIAL:
        value, after = rest[0], rest[1:2]
    else:
        return None
    return None if after and after[0] in _QUANTIFIERS else value


def _top_level_alternation(pattern: bytes) -> bool:
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        c = pattern[i : i + 1]
        if c == b"\\":
            i += 2
            continue
        if in_class:
            in_class = c != b"]"
        elif c == b"[":
            in_class = True
        elif c == b"(":
            depth += 1
        elif c == b")":
            depth -= 1
        elif c == b"|" and depth == 0:
            return True
        i += 1
    return False


def _applies(position: str, regex: re.Pattern[bytes], bof: bytes, eof: bytes) -> bool:
    if position == "BOF":
        return regex.match(bof) is not None
    if position == "EOF":
        return regex.search(eof) is not None
    if position in ("VAR", "IFB"):
        return regex.search(bof) is not None
    return True  # FIDO ignores positions it does not know


def _ignore(*_args: object) -> None:
    """FIDO's match handler; preserve reads the matches itself."""


def _result(matches: list[Any], basis: MatchBasis) -> PronomMatch:
    if not matches:
        return NOT_IDENTIFIED
    first = matches[0][0]
    others = tuple(dict.fromkeys(m[0].findtext("puid") for m in matches[1:]))
    return PronomMatch(
        puid=first.findtext("puid"),
        name=first.findtext("name") or None,
        version=first.findtext("version") or None,
        basis=basis,
        mime=first.findtext("mime") or None,
        extensions=tuple((e.text or "").lower() for e in first.findall("extension") if e.text),
        alternatives=tuple(p for p in others if p and p != first.findtext("puid")),
    )


class PronomMagicIdentifier:
    """libmagic and PRONOM together: the MIME type and description, and the PUID.

    :param magic: the libmagic identifier (default: a new one).
    :param pronom: the PRONOM identifier (default: the bundled signatures).
    """

    def __init__(
        self, *, magic: MagicIdentifier | None = None, pronom: PronomIdentifier | None = None
    ) -> None:
        self.magic = magic or MagicIdentifier()
        self.pronom = pronom or PronomIdentifier()

    def check(self) -> None:
        """Load libmagic and the PRONOM signatures, so that problems show before any work.

        :raises FormatIdentificationError: when either cannot be loaded.
        """
        self.magic.check()
        self.pronom.load()

    def tools(self) -> tuple[ToolInfo, ...]:
        """libmagic and FIDO, with versions and FIDO's signature files."""
        return self.magic.tools() + self.pronom.tools()

    def identify(self, path: Path) -> FormatInfo:
        """Identify *path* with both tools.

        :raises FormatIdentificationError: when a tool cannot run or the file cannot be read.
        """
        info = self.magic.identify(path)
        try:
            pronom = self.pronom.match(path)
        except OSError as e:
            msg = f"cannot identify the PRONOM format of {path}: {e}; check that it is readable"
            raise FormatIdentificationError(msg) from e
        return FormatInfo(info.mime, info.description, info.encoding, pronom)
