"""The exit-code contract, and turning exceptions into output, in one place (STYLE.md §3).

``EXIT_CODES`` is the contract every command follows; ``docs/reference/cli.md`` prints
it as a table (generated from here) and ``tests/e2e`` walks every command against it.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import NoReturn

import click

from preserve._types import StrPath
from preserve.errors import PreserveError, UnreadableInputError, UsageError
from preserve.reports.base import printable

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_CANNOT_RUN = 3
EXIT_CLOSED_PIPE = 141
EXIT_INTERRUPTED = 130

EXIT_CODES: tuple[tuple[int, str, str], ...] = (
    (
        EXIT_OK,
        "clean",
        "everything given was checked (or built) and nothing is wrong; warnings allowed",
    ),
    (
        EXIT_FINDINGS,
        "findings",
        "something given is wrong or could not be read: an invalid "
        "record or bag, a fixity failure, a missing or unreadable input among the others "
        "(reported with its path; the rest is still checked), or nothing checkable at all",
    ),
    (
        EXIT_USAGE,
        "usage",
        "the command line itself is wrong (unknown option, bad value); nothing was done",
    ),
    (
        EXIT_CANNOT_RUN,
        "could not run",
        "the command could not do its job: an output it "
        "cannot write, a ledger it cannot open, a profile or defaults file it cannot load, "
        "or an internal error (a short message says where the details went)",
    ),
    (EXIT_INTERRUPTED, "interrupted", "Ctrl-C; nothing was left half-written"),
    (
        EXIT_CLOSED_PIPE,
        "closed pipe",
        "the reader of the output went away (`preserve … \\| head`); quiet, as other Unix tools",
    ),
)
"""(code, name, meaning) for every exit status of every command."""

log = logging.getLogger(__name__)


def exit_code_table() -> str:
    """``EXIT_CODES`` as a Markdown table (for docs/reference/cli.md)."""
    rows = ["| Exit | Meaning | When |", "|---|---|---|"]
    rows += [f"| {code} | {name} | {when} |" for code, name, when in EXIT_CODES]
    return "\n".join(rows)


@contextmanager
def handle_errors() -> Iterator[None]:
    """Print ``Error: …`` on stderr and exit 2 (usage) or 3 (could not run).

    Ctrl-C exits 130 with a short note rather than a traceback; library code
    cleans up its own staging areas before the interrupt reaches here.
    """
    try:
        yield
    except UsageError as e:
        click.echo(f"Error: {printable(str(e))}", err=True)
        sys.exit(EXIT_USAGE)
    except UnreadableInputError as e:  # an input, not the command, is at fault: a finding
        click.echo(f"Error: {printable(str(e))}", err=True)
        sys.exit(EXIT_FINDINGS)
    except PreserveError as e:
        click.echo(f"Error: {printable(str(e))}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    except KeyboardInterrupt:
        click.echo("Interrupted: nothing was left half-written.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        closed_pipe()
    except OSError as e:
        # The last line of defence: an OS failure the library did not wrap.
        where = f" ({e.filename})" if e.filename else ""
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            folder = f" in {os.path.dirname(str(e.filename))}" if e.filename else ""
            msg = f"Error: the disk is full{where}: free space{folder} and run again"
            click.echo(printable(msg), err=True)
        else:
            click.echo(printable(f"Error: {e.strerror or e}{where}"), err=True)
        sys.exit(EXIT_CANNOT_RUN)


def closed_pipe() -> NoReturn:
    """The reader went away (``preserve … | head``): stop quietly, as Unix tools do.

    stdout is pointed at /dev/null so Python's own flush at exit cannot complain.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (a test runner's buffer)
        pass
    finally:
        os.close(devnull)
    sys.exit(EXIT_CLOSED_PIPE)


def internal_error(error: BaseException, *, verbose: bool) -> NoReturn:
    """An exception nobody expected: a short message, the traceback in a log file
    (and on stderr with ``-v``), exit 3, never a traceback on its own and never exit 1."""
    details = "".join(traceback.format_exception(error))
    fd, name = tempfile.mkstemp(prefix="preserve-error-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"preserve {' '.join(sys.argv[1:])}\n{details}")
    if verbose:
        click.echo(details, err=True, nl=False)
    click.echo(
        f"Error: internal error ({type(error).__name__}: {error}); this is a bug in "
        f"preserve. The details are in {name}; please report them.",
        err=True,
    )
    sys.exit(EXIT_CANNOT_RUN)


def refuse_missing(paths: Iterable[StrPath | None], *, what: str, consequence: str) -> None:
    """For a command that makes one thing from all its inputs (``bag``, ``ingest``,
    ``repair``): a missing input is a finding like anywhere else (exit 1), reported with
    its path, and nothing is made from the rest. An input that cannot be looked at (a
    folder above it denies access) is said to be unreadable, never to be missing."""
    refused = False
    for path in (os.fspath(p) for p in paths if p is not None):
        problem = _not_there(path)
        if problem is not None:
            click.echo(printable(f"Error: {what} {path} {problem}. {consequence}"), err=True)
            refused = True
    if refused:
        sys.exit(EXIT_FINDINGS)


def _not_there(path: str) -> str | None:
    """Why *path* cannot be used as an input (``None`` when it is there)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return "does not exist; check the path"
    except OSError as e:
        reason = (e.strerror or str(e)).lower()
        return f"cannot be read ({reason}); check the permissions of it and of its folders"
    return None
