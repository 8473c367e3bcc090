"""A rich progress bar implementing :class:`preserve.progress.Progress` for the CLI.

Sizes and rates use :func:`preserve.units.human_size`, the same units as every
summary. The rate is the average since the task started (bytes / elapsed), which
stays sane when bytes arrive in bursts; the ETA follows from it when the total is
known. Nothing is drawn unless stderr is a terminal.
"""

from __future__ import annotations

import sys
import threading
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, ProgressColumn, Task, TaskID, TextColumn
from rich.progress import Progress as RichProgress
from rich.text import Text

from preserve.progress import NO_PROGRESS, Progress
from preserve.reports.base import one_line
from preserve.units import human_rate, human_size


class _Bytes(ProgressColumn):
    """``0.4/1.6 GB`` (or ``0.4 GB`` while the total is unknown)."""

    def render(self, task: Task) -> Text:
        done = human_size(int(task.completed))
        if task.total is None:
            return Text(done)
        return Text(f"{done} of {human_size(int(task.total))}")


class _Rate(ProgressColumn):
    """Average bytes per second since the task started."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed
        if not elapsed or elapsed < 0.5 or not task.completed:
            return Text("")
        return Text(human_rate(task.completed / elapsed))


class _Eta(ProgressColumn):
    """Time left at the average rate, when the total is known."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed
        if task.total is None or not elapsed or elapsed < 0.5 or not task.completed:
            return Text("")
        left = max(task.total - task.completed, 0) * elapsed / task.completed
        minutes, seconds = divmod(round(left), 60)
        hours, minutes = divmod(minutes, 60)
        return Text(f"{hours}:{minutes:02d}:{seconds:02d} left")


class RichBar:
    """Bytes, files, rate and time left on stderr. Use as a context manager.

    :param console: where to draw (default: stderr); tests pass a recording console.
    """

    def __init__(self, console: Console | None = None) -> None:
        self._bar = RichProgress(
            TextColumn("{task.description}", markup=False),  # names are text, not markup
            BarColumn(),
            _Bytes(),
            _Rate(),
            TextColumn("{task.fields[files]} files"),
            _Eta(),
            console=console or Console(stderr=True),
            transient=True,
        )
        self._task: TaskID | None = None
        self._files = 0
        self._lock = threading.Lock()  # advance() comes from hashing threads too

    def __enter__(self) -> RichBar:
        self._bar.start()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._bar.stop()

    @property
    def task(self) -> Task | None:
        """The current task (its ``total`` and ``completed`` bytes), if one is running."""
        with self._lock:
            return next((t for t in self._bar.tasks if t.id == self._task), None)

    def start(self, description: str, *, total_bytes: int | None, total_files: int | None) -> None:
        with self._lock:
            self._files = 0
            self._task = self._bar.add_task(one_line(description), total=total_bytes, files=0)

    def advance(self, *, nbytes: int = 0, files: int = 0) -> None:
        with self._lock:
            if self._task is not None:
                self._files += files
                self._bar.update(self._task, advance=nbytes, files=self._files)

    def finish(self) -> None:
        with self._lock:
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
