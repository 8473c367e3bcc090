"""The format policy: which formats a deposit may hold, and name/content agreement.

A policy is a list of allowed MIME types (``image/*`` allows every image type). It comes
from the BagIt profile or from a policy file (JSON or TOML) such as::

    {"allowed": ["text/plain", "application/pdf", "image/tiff"], "check_extensions": true}

:func:`check_formats` turns identified files into ``FMT-…`` findings: a format the policy
does not allow, a file whose content contradicts its extension (an HTML page saved as
``.pdf``), a file libmagic cannot identify, an empty file.
"""

from __future__ import annotations

import json
import mimetypes
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from preserve._types import StrPath
from preserve.errors import UsageError
from preserve.findings import Finding
from preserve.formats.codes import FORMAT_RULES
from preserve.formats.identify import FormatInfo


@dataclass(frozen=True, slots=True)
class FormatPolicy:
    """Allowed formats of a deposit.

    :param allowed: MIME types (``type/subtype``, or ``type/*`` for every subtype).
    :param check_extensions: whether a file's content must agree with its extension.
    :param name: where the policy came from, for messages.
    """

    allowed: frozenset[str]
    check_extensions: bool = True
    name: str = "default"

    def allows(self, mime: str) -> bool:
        """True when *mime* (or an equivalent type) is allowed."""
        for candidate in _equivalents(mime):
            major = candidate.split("/", 1)[0]
            if candidate in self.allowed or f"{major}/*" in self.allowed:
                return True
        return False


DEFAULT_POLICY = FormatPolicy(
    allowed=frozenset(
        {
            "text/plain",
            "text/markdown",
            "text/csv",
            "application/pdf",
            "image/tiff",
            "image/jp2",
            "image/png",
            "image/jpeg",
            "application/json",
            "application/xml",
            "text/xml",
        }
    ),
    name="default",
)
"""Text, PDF, TIFF, JPEG 2000, PNG, JPEG, JSON and XML."""

# Types that name the same format (libmagic and the extension tables disagree on these).
_EQUIVALENT_GROUPS = (
    frozenset({"application/xml", "text/xml"}),
    frozenset({"image/jp2", "image/jpx", "image/jpm"}),
    frozenset({"application/x-pdf", "application/pdf"}),
    frozenset({"image/tif", "image/tiff", "image/x-tiff"}),
)
_UNKNOWN = frozenset({"application/octet-stream", "data"})
_EMPTY = frozenset({"application/x-empty", "inode/x-empty"})
# Extensions the standard table lacks (or maps differently on some systems).
_EXTRA_TYPES = {
    ".jp2": "image/jp2",
    ".jpf": "image/jpx",
    ".jpx": "image/jpx",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".xml": "application/xml",
    ".json": "application/json",
    ".csv": "text/csv",
}


def _equivalents(mime: str) -> frozenset[str]:
    for group in _EQUIVALENT_GROUPS:
        if mime in group:
            return group
    return frozenset({mime})


def _table() -> mimetypes.MimeTypes:
    # A private table from Python's built-in defaults only, so the answer does not
    # depend on the machine's /etc/mime.types.
    table = mimetypes.MimeTypes()
    for ext, mime in _EXTRA_TYPES.items():
        table.add_type(mime, ext)
    return table


_TABLE = _table()


def expected_mime(name: str) -> str | None:
    """The MIME type a file name's extension promises, or None for an unknown extension."""
    suffix = PurePosixPath(name).suffix.lower()
    if not suffix:
        return None
    mime, _ = _TABLE.guess_type(f"x{suffix}", strict=False)
    return mime


def contradicts_extension(name: str, info: FormatInfo) -> str | None:
    """The type *name*'s extension promises when *info* contradicts it, else None.

    Text is forgiving: any text content agrees with a text extension (``.md`` read as
    ``text/plain``, JSON or XML in a ``.txt``), since libmagic only guesses text subtypes.
    Unidentified or empty content contradicts nothing (other rules report it).
    """
    expected = expected_mime(name)
    if expected is None or info.mime in _UNKNOWN or info.mime in _EMPTY:
        return None
    if info.mime in _equivalents(expected):
        return None
    expected_text = expected.startswith("text/") or expected in {
        "application/json",
        "application/xml",
    }
    if expected_text and info.is_text and info.mime != "text/html":
        return None
    if expected == "text/html" and info.mime in {"text/html", "text/plain"}:
        return None
    return expected


def check_formats(
    files: Iterable[tuple[str, FormatInfo, int]],
    policy: FormatPolicy = DEFAULT_POLICY,
    *,
    record: str | None = None,
) -> list[Finding]:
    """Findings for files outside *policy* or whose content contradicts their names.

    :param files: ``(path, format, size)`` for each file; *path* names the file in messages.
    :param policy: the allowed formats.
    :param record: the record the files belong to, for the findings.
    """
    findings: list[Finding] = []
    allowed = ", ".join(sorted(policy.allowed))
    for path, info, size in files:
        where: dict[str, Any] = {"path": path, "record": record, "mime": info.mime}
        where["description"] = info.description
        if size == 0 or info.mime in _EMPTY:
            findings.append(FORMAT_RULES.finding("FMT-004", **where))
            continue
        if info.mime in _UNKNOWN:
            findings.append(FORMAT_RULES.finding("FMT-003", **where))
        elif not policy.allows(info.mime):
            findings.append(
                FORMAT_RULES.finding("FMT-001", policy=policy.name, allowed=allowed, **where)
            )
        expected = contradicts_extension(path, info) if policy.check_extensions else None
        if expected is not None:
            findings.append(FORMAT_RULES.finding("FMT-002", expected=expected, **where))
    return findings


def policy_from_mapping(data: Mapping[str, Any], *, name: str) -> FormatPolicy:
    """A policy from ``{"allowed": [...], "check_extensions": bool}``.

    :raises UsageError: when the mapping does not have that shape.
    """
    allowed = data.get("allowed")
    check = data.get("check_extensions", True)
    if (
        not isinstance(allowed, list)
        or not allowed
        or not all(isinstance(m, str) and "/" in m for m in allowed)
    ):
        msg = (
            f"format policy {name}: 'allowed' must be a non-empty list of MIME types such as "
            '["text/plain", "image/tiff"]; fix the policy'
        )
        raise UsageError(msg)
    if not isinstance(check, bool):
        msg = f"format policy {name}: 'check_extensions' must be true or false; fix the policy"
        raise UsageError(msg)
    return FormatPolicy(
        allowed=frozenset(m.strip().lower() for m in allowed), check_extensions=check, name=name
    )


def load_policy(path: StrPath) -> FormatPolicy:
    """Read a policy file (``.json`` or ``.toml``).

    :raises UsageError: when the file cannot be read or is not a policy.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
        data = tomllib.loads(text) if p.suffix.lower() == ".toml" else json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        msg = f"cannot read format policy {p}: {e}; give a JSON or TOML file"
        raise UsageError(msg) from e
    if not isinstance(data, dict):
        msg = f"format policy {p} must be a JSON object or TOML table with 'allowed'"
        raise UsageError(msg)
    return policy_from_mapping(data, name=str(p))
