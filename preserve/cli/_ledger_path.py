"""Where the fixity ledger lives by default (the environment is read here, in the CLI only)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click


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
