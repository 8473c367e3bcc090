"""Reading and writing BagIt tag files: bagit.txt, bag-info.txt, manifests, fetch.txt.

Parsers never raise for bad content: they return what they could read plus
:class:`~preserve.findings.Finding` objects with ``BAG`` codes (see
:mod:`preserve.bags.codes`), each naming the tag file (``source``) and line.
Writers produce exactly the form RFC 8493 asks for and raise :class:`ValueError`
for values that cannot be written (a label with a colon, a value with a newline).
Manifests and fetch.txt are in :mod:`preserve.bags.manifests`; this module
re-exports them so callers need one import.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from preserve._types import StrPath
from preserve.bags._lines import MAX_LINE, checked_lines, iter_lines
from preserve.bags.codes import BAG
from preserve.bags.manifests import (
    FetchEntry,
    ManifestEntry,
    algorithm_from_filename,
    decode_path,
    encode_path,
    format_fetch_line,
    format_manifest,
    format_manifest_line,
    hashlib_name,
    manifest_filename,
    parse_fetch,
    parse_manifest,
    read_fetch,
    read_manifest,
)
from preserve.findings import Finding

MAX_BAG_INFO = 4 << 20
"""bag-info.txt larger than this (bytes) is refused rather than parsed."""

_VERSION = re.compile(r"^(\d+)\.(\d+)$")
_BAGIT_LABELS = ("BagIt-Version", "Tag-File-Character-Encoding")
_RESERVED_ONCE = ("Bagging-Date", "Bag-Size", "Bag-Group-Identifier", "Bag-Count")
_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class BagitDeclaration:
    """The content of bagit.txt.

    :param version: ``BagIt-Version`` as written (``"1.0"``, ``"0.97"``).
    :param encoding: ``Tag-File-Character-Encoding`` as written (``"UTF-8"``).
    """

    version: str
    encoding: str

    @property
    def version_tuple(self) -> tuple[int, int] | None:
        """``(1, 0)`` for ``"1.0"``; ``None`` when the version is not M.N."""
        match = _VERSION.match(self.version)
        return (int(match[1]), int(match[2])) if match else None


@dataclass(frozen=True, slots=True)
class BagInfoEntry:
    """One bag-info element: the label as written, the unfolded value, its first line."""

    label: str
    value: str
    line: int


def parse_bagit_txt(data: bytes) -> tuple[BagitDeclaration | None, list[Finding]]:
    """Parse the bytes of bagit.txt, checking its exact form (RFC 8493 §2.1.1).

    Lenient where it can be: a declaration is returned whenever both values can be
    found, even when the form is wrong (the finding makes the bag invalid), so that
    the rest of the bag can still be checked.

    :returns: the declaration (or ``None`` when unreadable) and the findings.
    """
    findings: list[Finding] = []
    if data.startswith(_UTF8_BOM):
        findings.append(BAG.finding("BAG-003", problem="starts with a byte order mark"))
        data = data[len(_UTF8_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        findings.append(BAG.finding("BAG-003", problem=f"is not UTF-8 (byte {e.start})"))
        text = data.decode("utf-8", "replace")
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    values: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        label, value = _bagit_line(line, number, findings)
        if label is not None:
            values[label] = value
    if [label for label in values] != list(_BAGIT_LABELS) or len(lines) != 2:
        findings.append(
            BAG.finding("BAG-002", problem=f"has {len(lines)} lines {list(values)} instead")
        )
    version = values.get("BagIt-Version")
    if version is None:
        return None, findings
    if not _VERSION.match(version):
        findings.append(BAG.finding("BAG-004", version=version, source="bagit.txt"))
    return BagitDeclaration(version, values.get("Tag-File-Character-Encoding", "UTF-8")), findings


def _bagit_line(line: str, number: int, findings: list[Finding]) -> tuple[str | None, str]:
    label, colon, value = line.partition(":")
    canonical = next((x for x in _BAGIT_LABELS if x.lower() == label.strip().lower()), None)
    if not colon or canonical is None:
        findings.append(
            BAG.finding("BAG-002", problem=f"has an unexpected line {number}: {line[:80]!r}")
        )
        return None, ""
    if label != canonical or not value.startswith(" ") or value[1:2].isspace():
        findings.append(BAG.finding("BAG-002", problem=f"line {number} is {line[:80]!r}"))
    elif value != value.rstrip():
        findings.append(BAG.finding("BAG-002", problem=f"line {number} has trailing spaces"))
    return canonical, value.strip()


def format_bagit_txt(version: str = "1.0", encoding: str = "UTF-8") -> bytes:
    """The bytes of bagit.txt: two LF-terminated lines, UTF-8, no BOM."""
    if not _VERSION.match(version):
        msg = f"BagIt-Version must be M.N, not {version!r}"
        raise ValueError(msg)
    codecs.lookup(encoding)
    text = f"BagIt-Version: {version}\nTag-File-Character-Encoding: {encoding}\n"
    return text.encode("utf-8")


def write_bagit_txt(path: StrPath, version: str = "1.0", encoding: str = "UTF-8") -> None:
    """Write bagit.txt to *path* (see :func:`format_bagit_txt`)."""
    Path(path).write_bytes(format_bagit_txt(version, encoding))


def read_bag_info(
    path: StrPath,
    *,
    encoding: str = "UTF-8",
    strict: bool = True,
    source: str = "bag-info.txt",
) -> tuple[tuple[BagInfoEntry, ...], list[Finding]]:
    """Read bag-info.txt (bounded: see :data:`MAX_BAG_INFO` and ``MAX_LINE``).

    :param path: the file.
    :param encoding: the bag's Tag-File-Character-Encoding (a valid codec name).
    :param strict: BagIt 1.0 whitespace rules (``False`` for older bags, which may
        pad around the colon).
    :param source: the name used in findings.
    :raises OSError: when the file cannot be opened (the caller reports it).
    """
    p = Path(path)
    if p.stat().st_size > MAX_BAG_INFO:
        return (), [BAG.finding("BAG-065", source=source, limit=MAX_BAG_INFO)]
    findings: list[Finding] = []
    with p.open("rb") as raw:
        lines = list(checked_lines(iter_lines(raw, encoding), encoding, source, findings))
    entries = parse_bag_info(lines, strict=strict, source=source)
    return entries[0], findings + entries[1]


def parse_bag_info(
    lines: Iterable[tuple[int, str]], *, strict: bool = True, source: str = "bag-info.txt"
) -> tuple[tuple[BagInfoEntry, ...], list[Finding]]:
    """Parse bag-info lines into ordered (label, value) entries (RFC 8493 §2.2.2).

    Continuation lines (starting with a space or tab) are joined to the value with one
    space. Order and repeated labels are kept. Blank lines are ignored.

    :param lines: ``(line number, text)`` pairs without line terminators.
    :param strict: apply BagIt 1.0's whitespace rules (BAG-061).
    """
    entries: list[BagInfoEntry] = []
    findings: list[Finding] = []
    for number, text in lines:
        if not text.strip():
            continue
        if text[0] in " \t":
            if not entries:
                findings.append(
                    BAG.finding("BAG-060", source=source, line=number, problem="starts indented")
                )
                continue
            last = entries[-1]
            more = text.strip(" \t")
            value = f"{last.value} {more}" if last.value else more
            entries[-1] = BagInfoEntry(last.label, value, last.line)
            continue
        label, colon, value = text.partition(":")
        if not colon or not label.strip():
            problem = "no colon" if not colon else "no label before the colon"
            findings.append(BAG.finding("BAG-060", source=source, line=number, problem=problem))
            continue
        if strict:
            _strict_whitespace(
                label=label, value=value, number=number, source=source, findings=findings
            )
        entries.append(BagInfoEntry(label.strip(" \t"), value.strip(" \t"), number))
    return tuple(entries), findings


def _strict_whitespace(
    label: str, value: str, number: int, source: str, findings: list[Finding]
) -> None:
    problem = None
    if label != label.strip(" \t"):
        problem = "has whitespace around its label"
    elif value and (value[0] not in " \t" or value[1:2] in (" ", "\t")):
        problem = "is not followed by exactly one space after the colon"
    if problem:
        findings.append(
            BAG.finding("BAG-061", source=source, line=number, label=label.strip(), problem=problem)
        )


def bag_info_values(entries: Iterable[BagInfoEntry], label: str) -> list[str]:
    """The values of *label* in order; labels compare case-insensitively."""
    wanted = label.lower()
    return [e.value for e in entries if e.label.lower() == wanted]


def repeated_reserved(entries: Sequence[BagInfoEntry], *, source: str) -> list[Finding]:
    """BAG-044 for reserved elements that should appear at most once (not Payload-Oxum)."""
    out = []
    for label in _RESERVED_ONCE:
        count = len(bag_info_values(entries, label))
        if count > 1:
            out.append(BAG.finding("BAG-044", source=source, label=label, count=count))
    return out


def format_bag_info(items: Iterable[tuple[str, str]], *, width: int = 79) -> str:
    """bag-info.txt text for *items* in order, folding values longer than *width*.

    Values are folded only at a single space between two non-space characters, and
    continuation lines are indented by two spaces, so :func:`parse_bag_info` gives
    the value back unchanged.

    :raises ValueError: for a label with a colon, a line break or surrounding
        whitespace, or a value with a line break.
    """
    out = []
    for label, value in items:
        if not label or ":" in label or label != label.strip() or re.search(r"[\r\n]", label):
            msg = f"bag-info label {label!r} cannot be written (colon, line break or padding)"
            raise ValueError(msg)
        if re.search(r"[\r\n]", value):
            msg = f"bag-info value of {label} contains a line break; BagIt values are one line"
            raise ValueError(msg)
        out.append(_fold(f"{label}: {value}", width))
    return "".join(out)


def _fold(line: str, width: int) -> str:
    parts: list[str] = []
    while len(line) > width:
        cut = _fold_point(line, width)
        if cut is None:
            break
        parts.append(line[:cut])
        line = "  " + line[cut + 1 :]
    parts.append(line)
    return "".join(p + "\n" for p in parts)


def _fold_point(line: str, width: int) -> int | None:
    """The index of a lone space to break at, preferring the last before *width*."""
    candidates = [
        m.start()
        for m in re.finditer(r"(?<=\S) (?=\S)", line)
        if m.start() > line.find(": ") + 1 and line[: m.start()].strip()
    ]
    if not candidates:
        return None
    before = [c for c in candidates if c <= width]
    return before[-1] if before else candidates[0]


def payload_oxum(octets: int, files: int) -> str:
    """The Payload-Oxum value ``OCTETS.FILES`` (RFC 8493 §2.2.2)."""
    if octets < 0 or files < 0:
        msg = "Payload-Oxum counts cannot be negative"
        raise ValueError(msg)
    return f"{octets}.{files}"


def parse_payload_oxum(value: str) -> tuple[int, int] | None:
    """``(octets, files)`` from a Payload-Oxum value, or ``None`` when malformed."""
    match = re.fullmatch(r"(\d+)\.(\d+)", value.strip())
    return (int(match[1]), int(match[2])) if match else None


__all__ = [
    "MAX_BAG_INFO",
    "MAX_LINE",
    "BagInfoEntry",
    "BagitDeclaration",
    "FetchEntry",
    "ManifestEntry",
    "algorithm_from_filename",
    "bag_info_values",
    "decode_path",
    "encode_path",
    "format_bag_info",
    "format_bagit_txt",
    "format_fetch_line",
    "format_manifest",
    "format_manifest_line",
    "hashlib_name",
    "manifest_filename",
    "parse_bag_info",
    "parse_bagit_txt",
    "parse_fetch",
    "parse_manifest",
    "parse_payload_oxum",
    "read_bag_info",
    "read_fetch",
    "read_manifest",
    "repeated_reserved",
    "write_bagit_txt",
]
