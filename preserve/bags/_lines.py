"""Bounded reading of tag-file lines in a declared encoding (RFC 8493 §2.3).

Lines end in LF, CR or CRLF (and nothing else: ``str.splitlines`` would also split on
U+2028 and friends, which may appear in file names). No line is ever held beyond
``max_line`` characters, so a 10 MB line costs one block of memory, not ten.
Bytes that are not valid in the declared encoding are kept (``surrogateescape``,
as the file system does) and the line is flagged, so the caller can both report the
problem and still match the name against the disk.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO, Literal, NamedTuple

from preserve.bags.codes import BAG
from preserve.findings import Finding

BLOCK = 1 << 20
MAX_LINE = 65_536
"""Longest tag-file line read, in characters (a path is at most a few thousand)."""

_TERMINATOR = re.compile(r"\r\n|\r|\n")
_PROBE = "\r\n:az09 "


class TextLine(NamedTuple):
    """One line of a tag file, without its terminator.

    :param number: 1-based line number.
    :param text: the decoded text (``""`` when the line was too long to read).
    :param problem: ``"decode"`` (invalid bytes kept as surrogates), ``"too-long"``,
        or ``None``.
    """

    number: int
    text: str
    problem: Literal["decode", "too-long"] | None = None


def is_ascii_compatible(encoding: str) -> bool:
    """True when line ends and ASCII letters are single bytes in *encoding*."""
    try:
        return _PROBE.encode(encoding) == _PROBE.encode("ascii")
    except (LookupError, UnicodeError):
        return False


def iter_lines(raw: BinaryIO, encoding: str, *, max_line: int = MAX_LINE) -> Iterator[TextLine]:
    """Yield the lines of *raw* decoded from *encoding* (a valid codec name).

    :param raw: a binary stream opened by the caller.
    :param encoding: the declared tag-file encoding.
    :param max_line: longer lines are skipped and reported as ``"too-long"``.
    """
    if is_ascii_compatible(encoding):
        for number, data, too_long in _split_bytes(raw, max_line):
            yield _decode_line(number, data, too_long, encoding)
    else:
        decoded = _decoded_blocks(raw, encoding)
        bad_from: list[int] = []
        for number, text, too_long in _split(_flagging(decoded, bad_from), max_line):
            problem: Literal["decode", "too-long"] | None = "too-long" if too_long else None
            if bad_from and problem is None:
                problem = "decode"
                bad_from.clear()
            yield TextLine(number, "" if too_long else text, problem)


def _split_bytes(raw: BinaryIO, max_line: int) -> Iterator[tuple[int, bytes, bool]]:
    """Yield (number, bytes, too_long) per line of an ASCII-compatible stream.

    ``bytes.splitlines`` splits on exactly LF, CR and CRLF (unlike ``str.splitlines``),
    in C. A CR at the end of a block is held back: it may be half of a CRLF.
    """
    number = 0
    pending = b""
    skipping = False
    while True:
        block = raw.read(BLOCK)
        final = not block
        buf = pending + block
        if final:
            cut = len(buf)
        else:
            cr = buf.rfind(b"\r")
            if cr == len(buf) - 1:
                cr = buf.rfind(b"\r", 0, cr)
            cut = max(buf.rfind(b"\n"), cr) + 1
        for line in buf[:cut].splitlines():
            number += 1
            yield number, line, skipping or len(line) > max_line
            skipping = False
        pending = buf[cut:]
        if final:
            return
        if len(pending) > max_line + 1:
            skipping = True
            pending = pending[-1:] if pending.endswith(b"\r") else b""


def _decode_line(number: int, data: bytes, too_long: bool, encoding: str) -> TextLine:
    if too_long:
        return TextLine(number, "", "too-long")
    try:
        return TextLine(number, data.decode(encoding))
    except UnicodeDecodeError:
        return TextLine(number, data.decode(encoding, "surrogateescape"), "decode")


def _decoded_blocks(raw: BinaryIO, encoding: str) -> Iterator[tuple[str, bool]]:
    """Decode blocks strictly; after the first error, leniently (flagging that block).

    ``UnicodeError`` (not only ``UnicodeDecodeError``) is caught: UTF-16 without a
    byte order mark raises the former.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    strict = True
    while True:
        block = raw.read(BLOCK)
        final = not block
        try:
            yield decoder.decode(block, final), False
        except UnicodeError:
            if strict:
                strict = False
                decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
            yield _lenient(decoder, block, final), True
        if final:
            return


def _lenient(decoder: codecs.IncrementalDecoder, block: bytes, final: bool) -> str:
    try:
        text = decoder.decode(block, final)
    except UnicodeError:  # e.g. no byte order mark: keep the bytes visible, one per char
        text = block.decode("latin-1")
    # A truncated character at the very end was held by the strict decoder and is
    # gone with it: stand in for it, so the damaged last line is still reported.
    return text or ("\ufffd" if final else "")


def _flagging(blocks: Iterator[tuple[str, bool]], bad_from: list[int]) -> Iterator[str]:
    for text, bad in blocks:
        if bad:
            bad_from.append(1)
        yield text


def _split(chunks: Iterator[str], max_line: int) -> Iterator[tuple[int, str, bool]]:
    """Yield (number, text, too_long) for each line; bounded by *max_line*."""
    number = 0
    pending = ""
    skipping = False
    for chunk in chunks:
        buf = pending + chunk
        start = 0
        for match in _TERMINATOR.finditer(buf):
            if match.group() == "\r" and match.end() == len(buf):
                break  # may be the first half of a CRLF split across blocks
            number += 1
            line = buf[start : match.start()]
            yield number, line, skipping or len(line) > max_line
            skipping = False
            start = match.end()
        pending = buf[start:]
        if len(pending) > max_line + 1:
            skipping = True
            pending = pending[-1:] if pending.endswith("\r") else ""
    if pending.endswith("\r"):
        pending = pending[:-1]
    if pending or skipping:
        yield number + 1, pending, skipping or len(pending) > max_line


def checked_lines(
    lines: Iterable[TextLine], encoding: str, source: str, findings: list[Finding]
) -> Iterator[tuple[int, str]]:
    """``(number, text)`` for each readable line, reporting problems into *findings*.

    A BOM at the start is removed (BAG-064 when the encoding is UTF-8, which must not
    have one); over-long lines are skipped (BAG-062); lines with bytes invalid in the
    encoding are kept with those bytes as surrogates (BAG-063).
    """
    utf8 = codecs.lookup(encoding).name == "utf-8"
    for line in lines:
        text = line.text
        if line.number == 1 and text.startswith("\ufeff"):
            text = text[1:]
            if utf8:
                findings.append(BAG.finding("BAG-064", source=source, line=1))
        if line.problem == "too-long":
            findings.append(BAG.finding("BAG-062", source=source, line=line.number, limit=MAX_LINE))
            continue
        if line.problem == "decode":
            findings.append(
                BAG.finding("BAG-063", source=source, line=line.number, encoding=encoding)
            )
        yield line.number, text
