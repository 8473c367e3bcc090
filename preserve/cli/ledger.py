"""``preserve ledger verify | head | events``: the audit ledger's own commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from preserve.audit.ledger import Ledger
from preserve.cli import main
from preserve.cli._errors import EXIT_FINDINGS, EXIT_OK, handle_errors
from preserve.cli.options import format_option, ledger_option, out_option, resolve_ledger
from preserve.reports import reporter
from preserve.reports.base import printable


@main.group("ledger")
def ledger_group() -> None:
    """Inspect the fixity ledger: check its hash chain, print its head, export events.

    Exit status: 0 clean, 1 the chain is broken (or a move recorded outside it is not
    backed by it), 3 the ledger cannot be read or is not a preserve ledger.
    """


@ledger_group.command("verify")
@ledger_option
@click.option(
    "--witness",
    metavar="HEX",
    help="A head printed earlier by 'preserve ledger head'; the chain must contain "
    "it (this also catches rows deleted from the end).",
)
@format_option
def ledger_verify(ledger_path: Path | None, witness: str | None, output_format: str) -> None:
    """Recompute the hash chain and name the first row edited, deleted or reordered.

    Also names each move recorded outside the chain (before ledger migration 5) that
    the chained checks do not back (AUD-013).
    """
    with handle_errors(), Ledger.open(resolve_ledger(ledger_path), read_only=True) as ledger:
        expanded = ledger.expand_witness(witness) if witness is not None else None
        report = ledger.verify(witness=expanded)
    reporter("ledger verify", output_format, sys.stdout).report(report)
    sys.exit(EXIT_OK if report.ok else EXIT_FINDINGS)


@ledger_group.command("head")
@ledger_option
def ledger_head(ledger_path: Path | None) -> None:
    """Print the chain head: write it down elsewhere (a witness value, as ACE publishes)."""
    with handle_errors(), Ledger.open(resolve_ledger(ledger_path), read_only=True) as ledger:
        click.echo(ledger.head())


@ledger_group.command("events")
@click.argument("bag", type=click.Path(path_type=str))
@ledger_option
@click.option("--premis", is_flag=True, help="Write a PREMIS 3 XML document (fixity-check events).")
@out_option("Write to FILE instead of stdout.")
def ledger_events(bag: str, ledger_path: Path | None, premis: bool, out: Path | None) -> None:
    """List every recorded check of BAG, or export them as PREMIS fixity-check events.

    BAG is the bag's path, or its folder name or External-Identifier when exactly one
    recorded bag has it. A BAG the ledger does not know exits 3, one that fits several
    bags exits 2.
    """
    with handle_errors(), Ledger.open(resolve_ledger(ledger_path), read_only=True) as ledger:
        path = ledger.resolve_bag(bag)
        records = ledger.records(path)
        if premis:
            from preserve.audit.ledger.premis_events import premis_fixity_events

            data = premis_fixity_events(records, bag=path)
        else:
            lines = [
                f"{r.checked_at}  {r.check.outcome:<12} row {r.seq}  {r.agent}" for r in records
            ]
            data = printable("\n".join(lines) + "\n" if lines else "").encode()
        if out is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            out.write_bytes(data)
