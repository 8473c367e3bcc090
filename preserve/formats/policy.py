"""The format policy: which formats a deposit may hold, and name/content agreement.

A policy is a list of allowed MIME types (``image/*`` allows every image type) and,
optionally, PRONOM formats (PUIDs) to accept, warn on or refuse. It comes from the BagIt
profile or from a policy file (JSON or TOML) such as::

    {"allowed": ["text/plain", "application/pdf", "image/tiff"], "check_extensions": true,
     "pronom": {"accept": ["fmt/353"], "warn": ["x-fmt/263"], "refuse": ["fmt/412"]}}

A file's PUID, when the policy names it, decides; otherwise its MIME type does.
:func:`check_formats` turns identified files into ``FMT-…`` findings: a format the policy
does not allow or refuses, a file whose content contradicts its extension (an HTML page
saved as ``.pdf``, a PNG saved as ``.tif``), libmagic and PRONOM disagreeing, a file
libmagic or PRONOM cannot identify, an empty file.
"""

from __future__ import annotations

import dataclasses
import json
import mimetypes
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from preserve._types import StrPath
from preserve.errors import UsageError
from preserve.findings import Finding
from preserve.formats.codes import FORMAT_RULES
from preserve.formats.identify import FormatInfo, PronomMatch

PuidDecision = Literal["accept", "warn", "refuse"]


@dataclass(frozen=True, slots=True)
class FormatPolicy:
    """Allowed formats of a deposit.

    :param allowed: MIME types (``type/subtype``, or ``type/*`` for every subtype).
    :param check_extensions: whether a file's content must agree with its extension.
    :param name: where the policy came from, for messages.
    :param pronom: what to do with a file of a PRONOM format (PUID), by PUID.
    """

    allowed: frozenset[str]
    check_extensions: bool = True
    name: str = "default"
    pronom: Mapping[str, PuidDecision] = dataclasses.field(default_factory=dict)

    def decides(self, puid: str | None) -> PuidDecision | None:
        """What the policy says about *puid*; None when it does not name it."""
        return self.pronom.get(puid) if puid else None

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
    for path, info, size in files:
        where: dict[str, Any] = {"path": path, "record": record, "mime": info.mime}
        where["description"] = info.description
        if size == 0 or info.mime in _EMPTY:
            findings.append(FORMAT_RULES.finding("FMT-004", **where))
            continue
        findings += _policy_findings(info, policy, where)
        expected = contradicts_extension(path, info) if policy.check_extensions else None
        if expected is not None:
            findings.append(FORMAT_RULES.finding("FMT-002", expected=expected, **where))
        if info.pronom is not None:
            findings += _pronom_findings(path, info, info.pronom, where, named=expected is None)
    return findings


def _pronom_where(pronom: PronomMatch, where: dict[str, Any]) -> dict[str, Any]:
    return {
        **where,
        "puid": pronom.puid,
        "pronom_name": " ".join(filter(None, (pronom.name, pronom.version))),
        "pronom_mime": pronom.mime or "no MIME type",
        "basis": pronom.basis,
        "extensions": ", ".join(f".{e}" for e in pronom.extensions) or "none",
    }


def _policy_findings(
    info: FormatInfo, policy: FormatPolicy, where: dict[str, Any]
) -> list[Finding]:
    """The policy's verdict: by PUID when the policy names the file's PUID, else by MIME."""
    pronom = info.pronom
    decision = policy.decides(pronom.puid if pronom else None)
    if pronom is not None and decision is not None:
        context = {**_pronom_where(pronom, where), "policy": policy.name}
        if decision == "refuse":
            return [FORMAT_RULES.finding("FMT-005", **context)]
        return [FORMAT_RULES.finding("FMT-006", **context)] if decision == "warn" else []
    if info.mime in _UNKNOWN:
        return [FORMAT_RULES.finding("FMT-003", **where)]
    if not policy.allows(info.mime):
        allowed = ", ".join(sorted(policy.allowed))
        return [FORMAT_RULES.finding("FMT-001", policy=policy.name, allowed=allowed, **where)]
    return []


def _pronom_findings(
    path: str, info: FormatInfo, pronom: PronomMatch, where: dict[str, Any], *, named: bool
) -> list[Finding]:
    """Extension against PUID (unless the MIME check already said so), libmagic against
    PRONOM, and a file PRONOM cannot name."""
    if pronom.puid is None:
        unknown = info.mime in _UNKNOWN
        return [] if unknown else [FORMAT_RULES.finding("FMT-009", **where)]
    context = _pronom_where(pronom, where)
    findings = []
    suffix = PurePosixPath(path).suffix.lower().lstrip(".")
    by_content = pronom.basis in ("signature", "container")
    if named and by_content and pronom.extensions and suffix not in pronom.extensions:
        findings.append(FORMAT_RULES.finding("FMT-007", **context))
    if named and _disagree(info, pronom):
        findings.append(FORMAT_RULES.finding("FMT-008", **context))
    return findings


# What libmagic calls the containers PRONOM looks inside (DOCX, ODT, EPUB; DOC, XLS).
_CONTAINER_MIMES = frozenset(
    {
        "application/zip",
        "application/x-ole-storage",
        "application/cdfv2",
        "application/vnd.ms-office",
    }
)


def _textual(mime: str) -> bool:
    return (
        mime.startswith("text/")
        or mime in {"application/json", "application/xml"}
        or (mime.startswith("application/") and mime.endswith("+xml"))
    )


def _disagree(info: FormatInfo, pronom: PronomMatch) -> bool:
    """True when libmagic and PRONOM name different formats (both having named one).

    Text is forgiving (libmagic only guesses text subtypes), and a container format
    agrees with libmagic's name for the container (a DOCX is a ZIP).
    """
    if not pronom.mime or info.mime in _UNKNOWN:
        return False
    theirs = {m.strip().lower() for m in pronom.mime.split(",") if m.strip()}
    mine = _equivalents(info.mime.lower())
    if theirs & mine or any(theirs & _equivalents(m) for m in mine):
        return False
    if pronom.basis == "container" and info.mime.lower() in _CONTAINER_MIMES:
        return False
    return not (_textual(info.mime) and any(_textual(m) for m in theirs))


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
        allowed=frozenset(m.strip().lower() for m in allowed),
        check_extensions=check,
        name=name,
        pronom=_puid_decisions(data.get("pronom", {}), name=name),
    )


_DECISIONS: tuple[PuidDecision, ...] = ("accept", "warn", "refuse")


def _puid_decisions(data: Any, *, name: str) -> dict[str, PuidDecision]:
    """``{"accept": [...], "warn": [...], "refuse": [...]}`` as a PUID -> decision map."""
    shape = (
        f"format policy {name}: 'pronom' must map accept, warn and refuse to lists of PUIDs "
        'such as ["fmt/11", "x-fmt/263"]; fix the policy'
    )
    if not isinstance(data, Mapping) or set(data) - set(_DECISIONS):
        raise UsageError(shape)
    decisions: dict[str, PuidDecision] = {}
    for decision in _DECISIONS:
        puids = data.get(decision, [])
        if not isinstance(puids, list) or not all(isinstance(p, str) and "/" in p for p in puids):
            raise UsageError(shape)
        for puid in puids:
            if decisions.setdefault(puid.strip(), decision) != decision:
                msg = (
                    f"format policy {name}: {puid} is under both {decisions[puid.strip()]} and "
                    f"{decision}; keep it under one"
                )
                raise UsageError(msg)
    return decisions


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
