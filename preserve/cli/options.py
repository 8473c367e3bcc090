"""Options shared by several commands, as decorators (STYLE.md §2)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def format_option(func: F) -> F:
    """Add ``--format text|json`` to a command."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Output for people (text) or for scripts (json, versioned).",
    )(func)


def output_options(func: F) -> F:
    """Add ``--format text|json`` and ``--quiet`` to a command."""
    func = format_option(func)
    func = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        help="No progress bar and only the summary line (text output).",
    )(func)
    return func


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
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="The ledger (SQLite) [default: $XDG_STATE_HOME/preserve/ledger.sqlite, "
        "else ~/.local/state/preserve/ledger.sqlite].",
    )(func)


def resolve_ledger(path: Path | None) -> Path:
    """The ledger path given, or the default one."""
    return path if path is not None else default_ledger()
