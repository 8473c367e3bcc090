"""The Reporter base class shared by every command's output."""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, Generic, TextIO, TypeVar

if TYPE_CHECKING:
    from preserve.findings import Finding

T = TypeVar("T")

# What a terminal would act on rather than show: C0 and C1 control characters (ESC
# starts an escape sequence; CR overwrites a line), bidirectional and zero-width
# formatting characters (U+202E turns a line around), line and paragraph separators,
# and lone surrogates (a file name's undecodable bytes). A newline stays a newline.
_UNPRINTABLE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def printable(text: str) -> str:
    """*text* as it should reach a terminal: every character a terminal would act on
    (see ``_UNPRINTABLE``) shown as ``\\uXXXX``, which is also a valid JSON escape, so
    JSON output stays valid and decodes to the original value."""
    return _UNPRINTABLE.sub(_escape, text)


def one_line(text: str) -> str:
    """*text* printable and on one line (a value inside a table cell or a line)."""
    return printable(text.replace("\n", "\\n"))


class SafeStream:
    """A text stream that passes everything through :func:`printable` (the reporters'
    values come from records, bags, file names and profiles: never let them drive the
    terminal)."""

    def __init__(self, stream: TextIO) -> None:
        self.raw = stream

    def write(self, text: str) -> int:
        return self.raw.write(printable(text))

    def flush(self) -> None:
        self.raw.flush()

    def isatty(self) -> bool:
        return self.raw.isatty()


class Reporter(ABC, Generic[T]):
    """Render one kind of result to a stream.

    :param stream: where to write (the CLI passes stdout).
    :param verbosity: 0 normal, higher shows more detail; -1 quiet.
    """

    def __init__(self, stream: TextIO, *, verbosity: int = 0) -> None:
        #: for a reporter that drives a terminal itself (rich): it must make every value
        #: it prints a plain ``rich.text.Text`` of :func:`one_line`
        self.terminal = stream
        self.stream: TextIO = SafeStream(stream)  # type: ignore[assignment]
        self.verbosity = verbosity

    @abstractmethod
    def report(self, result: T) -> None:
        """Write *result* to the stream."""


def write_json(stream: TextIO, data: Any) -> None:
    """Write *data* as indented JSON with a trailing newline (JSON output is API)."""
    json.dump(data, stream, indent=2, ensure_ascii=False, sort_keys=False)
    stream.write("\n")


def counted(number: int, noun: str) -> str:
    """``1 record``, ``2 records``: *number* and *noun*, plural unless it is one."""
    return f"{number} {noun}{'s' * (number != 1)}"


def finding_line(finding: Finding, *, source: bool = True) -> str:
    """One finding as every command shows it: ``SEVERITY CODE WHERE: MESSAGE`` (the
    same fields as the JSON form, :meth:`~preserve.findings.Finding.to_dict`)."""
    at = finding.where(source=source)
    # One line each, whatever a file name holds: scripts read findings line by line.
    return one_line(f"{finding.severity} {finding.code}{' ' + at if at else ''}: {finding.message}")


class JsonReporter(Reporter[Any]):
    """The result's own ``to_dict()``, as indented JSON (what ``--format json`` prints
    for a command whose result has nothing else to say)."""

    def report(self, result: Any) -> None:
        write_json(self.stream, result.to_dict())
