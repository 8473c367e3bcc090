"""A rich progress bar implementing :class:`preserve.progress.Progress` for the CLI."""

from __future__ import annotations

import sys
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.progress import Progress as RichProgress

from preserve.progress import NO_PROGRESS, Progress
from preserve.reports.base import one_line


class RichBar:
    """Bytes, files and rate on stderr. Use as a context manager."""

    def __init__(self) -> None:
        self._bar = RichProgress(
            TextColumn("{task.description}", markup=False),  # names are text, not markup
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TextColumn("{task.fields[files]} files"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task: TaskID | None = None
        self._files = 0

    def __enter__(self) -> RichBar:
        self._bar.start()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._bar.stop()

    def start(self, description: str, *, total_bytes: int | None, total_files: int | None) -> None:
        self._files = 0
        self._task = self._bar.add_task(one_line(description), total=total_bytes, files=0)

    def advance(self, *, nbytes: int = 0, files: int = 0) -> None:
        if self._task is not None:
            self._files += files
            self._bar.update(self._task, advance=nbytes, files=self._files)

    def finish(self) -> None:
        if self._task is not None:
            self._bar.remove_task(self._task)
            self._task = None


def wants_progress(quiet: bool) -> bool:
    """Show a bar only on a terminal and when not ``--quiet``."""
    return not quiet and sys.stderr.isatty()


def progress_for(quiet: bool) -> RichBar | None:
    """A RichBar to use as a context manager, or None (then pass NO_PROGRESS)."""
    return RichBar() if wants_progress(quiet) else None


__all__ = ["NO_PROGRESS", "Progress", "RichBar", "progress_for", "wants_progress"]
