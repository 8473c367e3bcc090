"""Options shared by several commands, as decorators (STYLE.md §2)."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from preserve.reports.base import printable

F = TypeVar("F", bound=Callable[..., Any])


_FORMAT_MEANS = {
    "text": "for people (text)",
    "json": "for scripts (json, versioned)",
    "html": "as a web page (html)",
}


def format_choice(
    choices: Sequence[str], *, default: str = "text", help_text: str | None = None
) -> Callable[[F], F]:
    """``--format`` with *choices*; unless *help_text* is given, its help says what each
    of them is for."""
    if help_text is None:
        means = [_FORMAT_MEANS[c] for c in choices]
        listed = " or ".join(means)
        if len(means) > 2:
            listed = ", ".join(means[:-1]) + ", or " + means[-1]
        help_text = f"Output {listed}."
    kind = click.Choice(list(choices))
    return click.option(
        "--format", "output_format", type=kind, default=default, show_default=True, help=help_text
    )


def format_option(func: F) -> F:
    """Add ``--format text|json`` to a command."""
    return format_choice(("text", "json"))(func)


def quiet_option(func: F) -> F:
    """Add ``-q/--quiet`` (no progress bar, only the summary line)."""
    quiet = "No progress bar and only the summary line (text output)."
    return click.option("-q", "--quiet", is_flag=True, help=quiet)(func)


def output_options_for(command: str) -> Callable[[F], F]:
    """``--format`` with every format the reporters registry has for *command*, and
    ``--quiet`` (as :func:`output_options`)."""
    from preserve.reports import REPORTERS

    choices = [name for name in REPORTERS[command] if name != "table"]

    def add(func: F) -> F:
        return quiet_option(format_choice(choices)(func))

    return add


def output_options(func: F) -> F:
    """Add ``--format text|json`` and ``--quiet`` to a command."""
    return quiet_option(format_option(func))


def defaults_option(func: F) -> F:
    """Add ``--defaults FILE`` (collection defaults, JSON or TOML)."""
    return click.option(
        "--defaults",
        "defaults_file",
        type=click.Path(exists=True, dir_okay=False, path_type=str),
        help="JSON or TOML file of values for the whole batch (rights, repository, "
        "obtained-by). Fills only fields a record lacks and marks them as supplied.",
    )(func)


# Where the fixity ledger lives by default (the environment is read here, in the CLI only).
def default_ledger() -> Path:
    """``$XDG_STATE_HOME/preserve/ledger.sqlite``, else under ``~/.local/state``."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "preserve" / "ledger.sqlite"


def ledger_option(func: Any) -> Any:
    """Add ``--ledger PATH`` (default: :func:`default_ledger`)."""
    return click.option(
        "--ledger",
        "ledger_path",
        # Not readable=True: a ledger that cannot be read is "could not run" (exit 3,
        # with what to do), as every other input is, not a usage error.
        type=click.Path(dir_okay=False, readable=False, path_type=Path),
        default=None,
        help="The ledger (SQLite) [default: $XDG_STATE_HOME/preserve/ledger.sqlite, "
        "else ~/.local/state/preserve/ledger.sqlite].",
    )(func)


def resolve_ledger(path: Path | None) -> Path:
    """The ledger path given, or the default one."""
    return path if path is not None else default_ledger()


# -v and -vv: the library's log (the ``preserve`` logger) on stderr, never on stdout
# (where --format json goes). Accepted before the command and after it, on every
# command; the counts add up (``preserve -v verify -v BAG`` is -vv).
_VERBOSITY = "preserve.verbosity"


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time (a test runner swaps it), with
    the values made printable (log lines name files, and file names can be hostile)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(printable(self.format(record)) + "\n")
        except Exception:  # pragma: no cover - logging's own convention
            self.handleError(record)


def set_verbosity(level: int) -> None:
    """Show the library's log on stderr: warnings always, ``INFO`` at 1, ``DEBUG`` at 2."""
    logger = logging.getLogger("preserve")
    if not any(isinstance(h, _StderrHandler) for h in logger.handlers):
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(
        logging.WARNING if level <= 0 else logging.INFO if level == 1 else logging.DEBUG
    )


def verbosity(ctx: click.Context | None = None) -> int:
    """How many -v were given, before and after the command."""
    ctx = ctx or click.get_current_context(silent=True)
    return int(ctx.find_root().meta.get(_VERBOSITY, 0)) if ctx is not None else 0


def count_verbose(ctx: click.Context, _param: click.Parameter, value: int) -> None:
    if ctx.resilient_parsing:
        return
    root = ctx.find_root()
    root.meta[_VERBOSITY] = root.meta.get(_VERBOSITY, 0) + (value or 0)
    set_verbosity(root.meta[_VERBOSITY])


def verbose_option() -> click.Option:
    """``-v/--verbose`` for one command (the CLI adds it to every command)."""
    return click.Option(
        ["-v", "--verbose"],
        count=True,
        expose_value=False,
        callback=count_verbose,
        help="Show what is read, written and decided on stderr (-vv: debug detail).",
    )


def add_verbose(command: click.Command) -> click.Command:
    """*command* (and every sub-command of a group) with ``-v/--verbose``."""
    if not any(p.name == "verbose" for p in command.params):
        command.params.append(verbose_option())
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_verbose(sub)
    return command


class _DeprecatedNames(click.Option):
    """An option with old spellings that still work but are not shown in the help."""

    def __init__(self, *args: Any, old_names: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.old_names = old_names

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        shown = self.opts
        self.opts = [o for o in shown if o not in self.old_names]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = shown


def out_option(help_text: str) -> Callable[[F], F]:
    """``-o/--out FILE``, the name every command gives the file it writes (``--output``,
    the old name on ``extract`` and ``ledger events``, still works, unlisted)."""
    return click.option(
        "-o",
        "--out",
        "--output",
        "out",
        cls=_DeprecatedNames,
        old_names=("--output",),
        type=click.Path(dir_okay=False, writable=True, path_type=Path),
        callback=_out_folder_exists,
        help=help_text,
    )


def _out_folder_exists(
    ctx: click.Context, param: click.Parameter, value: Path | None
) -> Path | None:
    """Refuse --out in a folder that does not exist before any work is done (the file
    is written at the end, atomically, beside where it goes)."""
    if value is not None and not value.absolute().parent.is_dir():
        msg = f"the folder {value.absolute().parent} does not exist; create it first"
        raise click.BadParameter(msg, ctx=ctx, param=param)
    return value


def processes_option(help_text: str) -> Callable[[F], F]:
    """``--processes N`` (at least 1, 2 unless given), with this command's own help."""
    return click.option(
        "--processes",
        type=click.IntRange(min=1),
        default=2,
        show_default=True,
        help=help_text,
    )


def input_file_option(name: str, help_text: str) -> Callable[[F], F]:
    """An option naming a file that must exist (a policy, a signature file): a path."""
    return click.option(
        name,
        name.lstrip("-").replace("-", "_"),
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help=help_text,
    )
