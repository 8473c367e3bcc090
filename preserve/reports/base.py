"""The Reporter base class shared by every command's output."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import Any, Generic, TextIO, TypeVar

T = TypeVar("T")


class Reporter(ABC, Generic[T]):
    """Render one kind of result to a stream.

    :param stream: where to write (the CLI passes stdout).
    :param verbosity: 0 normal, higher shows more detail; -1 quiet.
    """

    def __init__(self, stream: TextIO, *, verbosity: int = 0) -> None:
        self.stream = stream
        self.verbosity = verbosity

    @abstractmethod
    def report(self, result: T) -> None:
        """Write *result* to the stream."""


def write_json(stream: TextIO, data: Any) -> None:
    """Write *data* as indented JSON with a trailing newline (JSON output is API)."""
    json.dump(data, stream, indent=2, ensure_ascii=False, sort_keys=False)
    stream.write("\n")
