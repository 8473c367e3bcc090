"""Generate docs/reference/cli.md from the click commands (checked by a test).

Run ``python -m preserve.cli._reference > docs/reference/cli.md`` after changing a
command's options or help; ``tests/test_docs.py`` fails while the file is stale.
"""

from __future__ import annotations

from collections.abc import Iterator

import click

from preserve.cli import main
from preserve.cli._errors import exit_code_table

HELP_OPTIONS = ["-h", "--help"]  # as CONTEXT_SETTINGS in preserve/cli/__init__.py

EXIT_BY_COMMAND: dict[str, tuple[str, str, int, str]] = {
    "preserve audit run": (
        "every bag checked passed",
        "a bag failed or is inaccessible",
        1,
        "a ROOT that is not there or cannot be read is INACCESSIBLE; the others are still audited",
    ),
    "preserve audit status": (
        "every bag checked in time and passed",
        "a bag overdue, never checked, or whose last check did not pass",
        3,
        "a ledger that is not there cannot be opened",
    ),
    "preserve bag": (
        "built",
        "a SOURCE or --record that is not there or cannot be read, or a SOURCE holding "
        "what a bag cannot (a link, a FIFO, a name BagIt cannot write)",
        1,
        "named, and nothing is built",
    ),
    "preserve compare": (
        "every copy intact and identical",
        "copies differ, or a copy is damaged or not there",
        1,
        "that copy is BAG-012 (all of it missing, or all of it unreadable); the others are "
        "still compared",
    ),
    "preserve extract": (
        "every file gave a record",
        "a file gave no record",
        1,
        "named; the others are still extracted",
    ),
    "preserve ingest": (
        "every record packaged or unchanged",
        "a record refused, or an input that could not be read",
        1,
        "named, and nothing is packaged",
    ),
    "preserve ledger events": (
        "the bag's events printed",
        "(not used)",
        3,
        "a ledger that is not there, or a bag it never checked, cannot be shown",
    ),
    "preserve ledger head": (
        "the head printed",
        "(not used)",
        3,
        "a ledger that is not there cannot be opened",
    ),
    "preserve ledger verify": (
        "the chain is intact",
        "the chain is broken (tampering)",
        3,
        "a ledger that is not there cannot be opened",
    ),
    "preserve repair": (
        "repaired and valid",
        "still damaged, or a copy that is not there or cannot be read",
        1,
        "named, and nothing is written",
    ),
    "preserve validate": (
        "no errors (warnings allowed)",
        "errors found",
        1,
        "named (REC-001); the others are still checked",
    ),
    "preserve verify": (
        "every bag valid",
        "a bag invalid",
        1,
        "BAG-012 (not there, or cannot be read); the others are still verified",
    ),
}
"""For every command that runs (not a group): when it exits 0, when 1, and the exit
status of an input that is not there, with what happens to the rest. Rendered into
docs/reference/cli.md; ``tests/e2e/test_exit_table.py`` runs every row."""


def exit_by_command_table() -> str:
    """:data:`EXIT_BY_COMMAND` as a Markdown table."""
    rows = ["| Command | 0 | 1 | An input that is not there |", "|---|---|---|---|"]
    rows += [
        f"| `{name}` | {ok} | {bad} | {code}: {what} |"
        for name, (ok, bad, code, what) in EXIT_BY_COMMAND.items()
    ]
    return "\n".join(rows)


def _walk(command: click.Command, path: list[str]) -> Iterator[tuple[list[str], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                yield from _walk(sub, [*path, name])


def render() -> str:
    """The CLI reference as Markdown: each command's usage and full help."""
    out = [
        "# CLI reference",
        "",
        "Generated from the commands' own help by `python -m preserve.cli._reference`;",
        "a test keeps it current.",
        "",
        "## Exit status",
        "",
        "Every command follows one contract (`preserve.cli._errors.EXIT_CODES`; a test",
        "runs every command against it). An input that does not exist or cannot be read",
        "(a file, or a folder at any depth) is a finding with its path, never a quiet",
        "omission: commands that check a batch (`validate`, `extract`, `verify`, `audit`,",
        "the records of `ingest`) still check the rest, and report everything (`--format",
        "json` complete); `bag` and `ingest` build nothing from a SOURCE that is not there,",
        "and `bag` nothing from a SOURCE it cannot read in full.",
        "A run that checked nothing of what it was given is never a success.",
        "",
        exit_code_table(),
        "",
        "Every command exits 2 for a usage error and 3 when it could not run; the rest,",
        "command by command:",
        "",
        exit_by_command_table(),
        "",
        "## Output, findings and the log",
        "",
        "Every command shows a finding the same way: `SEVERITY CODE WHERE: MESSAGE` in",
        "text (WHERE is the file, then record, line, row, column, field or bag path, as",
        "far as they apply), and with the keys of `Finding.to_dict()` in `--format json`,",
        "which prints exactly the result's `to_dict()` (see the API reference).",
        "When `preserve bag --format json` fails before it has a result, stdout still",
        "gets one JSON document, with the keys every result has and the `Error:` lines of",
        'stderr: `{"version": 1, "ok": false, "exit": 3, "errors": ["…"], "findings": []}`.',
        "`-v` (`-vv` for debug detail) shows what preserve reads, writes and decides on",
        "stderr, never on stdout; it is accepted before and after the command. Files a",
        "command writes are named with `--out` (`-o`).",
        "",
    ]
    for path, command in _walk(main, ["preserve"]):
        name = " ".join(path)
        # The CLI's own help options (-h, --help): click caches a command's help option
        # from the first context it sees, so a different setting here made the output
        # depend on which test ran first.
        with click.Context(
            command,
            info_name=name,
            terminal_width=100,
            help_option_names=HELP_OPTIONS,
        ) as ctx:
            help_text = command.get_help(ctx)
        out += [f"## `{name}`", "", "```text", help_text.rstrip(), "```", ""]
    return "\n".join(out)


def commands() -> list[str]:
    """Every command's full name, e.g. ``preserve ledger verify``."""
    return [" ".join(path) for path, _ in _walk(main, ["preserve"])]


if __name__ == "__main__":
    click.echo(render(), nl=False)
