"""Progress reporting as an injected collaborator.

The library reports progress through a :class:`Progress` it is given; it never
draws anything itself. The CLI passes a rich progress bar on a terminal and
:data:`NO_PROGRESS` otherwise (or with ``--quiet``).
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives progress of a long task: bytes and files done out of totals."""

    def start(self, description: str, *, total_bytes: int | None, total_files: int | None) -> None:
        """A task begins; totals are ``None`` when unknown."""

    def advance(self, *, nbytes: int = 0, files: int = 0) -> None:
        """Some more work was done."""

    def finish(self) -> None:
        """The task ended (successfully or not)."""


class _NoProgress:
    def start(self, description: str, *, total_bytes: int | None, total_files: int | None) -> None:
        pass

    def advance(self, *, nbytes: int = 0, files: int = 0) -> None:
        pass

    def finish(self) -> None:
        pass


NO_PROGRESS: Progress = _NoProgress()
"""A progress sink that ignores everything."""
