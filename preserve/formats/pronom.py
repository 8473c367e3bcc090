"""Identify a file's format in PRONOM, with FIDO used in-process (issue 16).

FIDO (the Open Preservation Foundation's ``opf-fido``) ships The National Archives'
PRONOM signatures and container signatures. Its command line prints results and exits on
errors, so preserve uses its matching code directly: the signatures are parsed once
(lazily, on the first file: about 0.1 s), the container signatures once too (FIDO's own
``identify_file`` re-reads them for every ZIP or OLE file), and nothing is printed.

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
            matches = fido.match_formats(bof, eof)
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
