"""Docs are tested too: the CLI reference is current and every command is documented."""

from __future__ import annotations

from pathlib import Path

import click

from preserve.cli import _reference, main

REPO = Path(__file__).resolve().parent.parent
CLI_MD = REPO / "docs" / "reference" / "cli.md"


def test_cli_reference_is_current() -> None:
    assert CLI_MD.read_text(encoding="utf-8") == _reference.render(), (
        "docs/reference/cli.md is stale: run "
        "'python -m preserve.cli._reference > docs/reference/cli.md'"
    )


def test_every_command_has_help_text() -> None:
    for path, cmd in _reference._walk(main, ["preserve"]):
        name = " ".join(path)
        assert (cmd.help or "").strip(), f"{name} has no help text"
        for param in cmd.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert (param.help or "").strip(), f"{name} {param.opts[0]} has no help text"


def test_every_command_appears_in_the_narrative_docs() -> None:
    narrative = "\n".join(
        p.read_text(encoding="utf-8") for p in (REPO / "docs").rglob("*.md") if p != CLI_MD
    ) + (REPO / "README.md").read_text(encoding="utf-8")
    missing = [c for c in _reference.commands()[1:] if f"`{c}" not in narrative]
    assert not missing, f"commands not mentioned in docs/ or README: {missing}"
