"""Identify a file's format with libmagic (python-magic).

The identifier is a collaborator (:class:`FormatIdentifier`): the library takes one as a
parameter, so tests can pass a fake and the real one is created only when needed. libmagic
is a system library; when it is missing, :class:`MagicIdentifier` raises
:class:`~preserve.errors.FormatIdentificationError` that names the package to install.
"""

from __future__ import annotations

import importlib.metadata
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from preserve._types import StrPath
from preserve.errors import FormatIdentificationError

MISSING_LIBMAGIC = (
    "format identification needs the system library libmagic, which cannot be loaded ({error}). "
    "Install it (Debian/Ubuntu: `apt-get install libmagic1`; macOS: `brew install libmagic`) "
    "and run preserve again."
)


MatchBasis = Literal["signature", "container", "extension", "none"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PronomMatch:
    """What PRONOM (through FIDO) says a file is.

    :param puid: the PRONOM unique identifier (``fmt/11``), or None: not identified.
    :param name: the PRONOM format name (``Portable Network Graphics``).
    :param version: the format version (``1.0``), when PRONOM gives one.
    :param basis: how it was matched: ``signature`` (byte sequences), ``container``
        (a container signature, e.g. the parts inside a DOCX), ``extension`` (the file name
        only: no signature matched), or ``none`` (not identified).
    :param mime: the MIME type PRONOM records for the format, if any.
    :param extensions: the extensions PRONOM records for the format (lower case, no dot).
    :param alternatives: other PUIDs that matched as well as this one.
    """

    puid: str | None
    name: str | None = None
    version: str | None = None
    basis: MatchBasis = "none"
    mime: str | None = None
    extensions: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()


NOT_IDENTIFIED = PronomMatch(puid=None)
"""The PRONOM result of a file FIDO cannot identify."""


@dataclass(frozen=True, slots=True)
class ToolInfo:
    """A program that identified formats, for the provenance (a PREMIS software agent).

    :param name: ``libmagic``, ``FIDO``.
    :param version: its version.
    :param note: what else matters for reproducing the result (the signature file).
    """

    name: str
    version: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class FormatInfo:
    """What libmagic (and, when asked, PRONOM) says a file is.

    :param mime: the MIME type, e.g. ``image/tiff`` (``application/octet-stream`` if unknown).
    :param description: libmagic's description, e.g. ``TIFF image data, little-endian``.
    :param encoding: the character encoding of a text file (``utf-8``, ``us-ascii``), else None.
    :param pronom: the PRONOM identification; None when PRONOM was not consulted.
    """

    mime: str
    description: str
    encoding: str | None = None
    pronom: PronomMatch | None = None

    @property
    def is_text(self) -> bool:
        """True for text formats (``text/*`` and the textual ``application`` types)."""
        return self.mime.startswith("text/") or self.mime in _TEXTUAL_APPLICATION_TYPES


_TEXTUAL_APPLICATION_TYPES = frozenset({"application/json", "application/xml"})
_NOT_AN_ENCODING = frozenset({"binary", "unknown-8bit", ""})


class FormatIdentifier(Protocol):
    """Anything that can say what format a file is in."""

    def identify(self, path: Path) -> FormatInfo:
        """Identify the file at *path*.

        :raises FormatIdentificationError: when identification cannot run at all.
        """


@runtime_checkable
class DescribedIdentifier(Protocol):
    """An identifier that can name the tools it uses (for the provenance)."""

    def tools(self) -> tuple[ToolInfo, ...]:
        """The programs (with versions) that identify formats."""


class MagicIdentifier:
    """A :class:`FormatIdentifier` backed by libmagic.

    libmagic handles are not thread-safe, so calls are serialised with a lock. The
    handles are opened on first use; a missing libmagic is reported then.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handles: tuple[Any, Any, Any] | None = None
        self._errors: tuple[type[Exception], ...] = (OSError, ValueError)

    def check(self) -> None:
        """Load libmagic now, so that a missing library is reported before any work.

        :raises FormatIdentificationError: when libmagic cannot be loaded.
        """
        with self._lock:
            self._open()

    def _open(self) -> tuple[Any, Any, Any]:
        if self._handles is None:
            try:
                # Imported here so that a missing libmagic is reported when it is needed.
                import magic

                self._handles = (
                    magic.Magic(mime=True),
                    magic.Magic(),
                    magic.Magic(mime_encoding=True),
                )
                self._errors = (OSError, ValueError, magic.MagicException)
            except (ImportError, OSError) as e:
                msg = MISSING_LIBMAGIC.format(error=e)
                raise FormatIdentificationError(msg) from e
        return self._handles

    def tools(self) -> tuple[ToolInfo, ...]:
        """libmagic, with its version (and python-magic's).

        :raises FormatIdentificationError: when libmagic cannot be loaded.
        """
        self.check()
        import magic

        number = int(magic.version()) if hasattr(magic, "version") else 0  # type: ignore[no-untyped-call]
        version = f"{number // 100}.{number % 100:02d}" if number else "unknown"
        binding = importlib.metadata.version("python-magic")
        return (ToolInfo("libmagic", version, f"through python-magic {binding}"),)

    def identify(self, path: Path) -> FormatInfo:
        """Identify *path* from its content (the name is not consulted).

        :raises FormatIdentificationError: when libmagic is missing or cannot read the file.
        """
        with self._lock:
            mime_handle, text_handle, encoding_handle = self._open()
            try:
                mime = str(mime_handle.from_file(str(path)))
                description = str(text_handle.from_file(str(path)))
                encoding = str(encoding_handle.from_file(str(path)))
            except self._errors as e:
                msg = f"cannot identify the format of {path}: {e}; check that it is readable"
                raise FormatIdentificationError(msg) from e
        info = FormatInfo(mime=mime, description=description)
        if info.is_text and encoding.lower() not in _NOT_AN_ENCODING:
            info = FormatInfo(mime=mime, description=description, encoding=encoding.lower())
        return info


def identify_file(path: StrPath, *, identifier: FormatIdentifier | None = None) -> FormatInfo:
    """Identify one file's format.

    :param path: the file.
    :param identifier: the identifier to use (default: a new :class:`MagicIdentifier`).
    :raises FormatIdentificationError: when libmagic is missing or the file cannot be read.
    """
    return (identifier or MagicIdentifier()).identify(Path(path))
