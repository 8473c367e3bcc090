"""The exit-code contract, and turning exceptions into output, in one place (STYLE.md §3).

``EXIT_CODES`` is the contract every command follows; ``docs/reference/cli.md`` prints
it as a table (generated from here) and ``tests/e2e`` walks every command against it.
"""

from __future__ import annotations

import errno
import io
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import NoReturn, TypedDict

import click

from preserve._types import JSONObject, StrPath
from preserve.errors import InputError, PreserveError, UsageError
from preserve.reports.base import printable, write_json

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


class ErrorDocument(TypedDict):
    """What ``--format json`` prints on stdout when a command fails without a result:
    the keys every result has (``version``, ``ok``, ``findings``), the exit status and
    the error messages (the same as the ``Error: …`` lines on stderr)."""

    version: int
    ok: bool
    exit: int
    errors: list[str]
    findings: list[JSONObject]


def error_document(messages: list[str], code: int) -> ErrorDocument:
    """The JSON error document for *messages* and exit status *code*."""
    return {"version": 1, "ok": False, "exit": code, "errors": messages, "findings": []}


def fail(messages: list[str], code: int, *, json_output: bool) -> NoReturn:
    """``Error: …`` on stderr for each message (and the JSON error document on stdout
    with *json_output*), then exit *code*."""
    for message in messages:
        click.echo(f"Error: {printable(message)}", err=True)
    if json_output:
        text = io.StringIO()
        write_json(text, error_document(messages, code))
        try:
            # printable after encoding: an escape it writes is JSON's, decoding to the name
            click.echo(printable(text.getvalue()), nl=False)
            sys.stdout.flush()
        except BrokenPipeError:
            closed_pipe()
    sys.exit(code)


@contextmanager
def handle_errors(*, json_output: bool = False) -> Iterator[None]:
    """Print ``Error: …`` on stderr and exit 1 (an input at fault), 2 (usage) or 3
    (could not run); with *json_output* (``--format json``) also print the JSON error
    document (:func:`error_document`) on stdout, so a script always gets JSON.

    Ctrl-C exits 130 with a short note rather than a traceback; library code
    cleans up its own staging areas before the interrupt reaches here.
    """
    try:
        yield
    except UsageError as e:
        fail([str(e)], EXIT_USAGE, json_output=json_output)
    except InputError as e:  # an input, not the command, is at fault: a finding
        fail([str(e)], EXIT_FINDINGS, json_output=json_output)
    except PreserveError as e:
        fail([str(e)], EXIT_CANNOT_RUN, json_output=json_output)
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


def refuse_missing(
    paths: Iterable[StrPath | None], *, what: str, consequence: str, json_output: bool = False
) -> None:
    """For a command that makes one thing from all its inputs (``bag``, ``ingest``,
    ``repair``): a missing input is a finding like anywhere else (exit 1), reported with
    its path, and nothing is made from the rest (with *json_output*, see
    :func:`handle_errors`). An input that cannot be looked at (a folder above it denies
    access) is said to be unreadable, never to be missing."""
    problems = [
        (os.fspath(p), problem)
        for p in paths
        if p is not None and (problem := _not_there(os.fspath(p))) is not None
    ]
    if problems:
        messages = [f"{what} {p} {problem}. {consequence}" for p, problem in problems]
        fail(messages, EXIT_FINDINGS, json_output=json_output)


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
