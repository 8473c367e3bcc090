"""``preserve repair``: mend a damaged copy of a bag from a good one (issue 14)."""

from __future__ import annotations

import getpass
import socket
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import click

from preserve import __version__
from preserve.cli import main
from preserve.cli._errors import EXIT_FINDINGS, EXIT_OK, handle_errors, refuse_missing
from preserve.cli._s3 import s3_options
from preserve.cli.options import format_option
from preserve.clock import utc_now
from preserve.reports import reporter
from preserve.storage.location import S3Options
from preserve.storage.stores import open_store

if TYPE_CHECKING:
    from preserve.audit.ledger import Ledger
    from preserve.replicas.repair import RepairResult


@main.command("repair")
@click.argument("damaged")
@click.option("--from", "good", required=True, help="A good copy of the bag (folder or s3://).")
@click.option(
    "--ledger",
    "ledger_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also record the repair in this ledger (SQLite), as a check of the repaired copy.",
)
@s3_options
@format_option
def repair_cmd(
    damaged: str,
    good: str,
    ledger_path: Path | None,
    s3: S3Options,
    output_format: str,
) -> None:
    """Repair the DAMAGED copy of a bag from a good copy (--from).

    Only payload files whose checksums fail, or that are missing, are replaced, each
    with a file from the good copy that matches the damaged copy's own manifests
    (a file that does not match is never written; payload manifests are never
    changed). The repaired copy is verified again. The repair is written as PREMIS
    events (replication, then fixity check) in the bag's metadata/premis.xml, whose
    tag manifest lines are updated, and, with --ledger, as a row in the ledger.

    Exit status: 0 repaired and valid, 1 still damaged, or a copy that does not exist
    or cannot be read (nothing written), 2 usage error, 3 could not run.
    """
    from preserve.replicas.repair import repair_copy

    refuse_missing(
        [c for c in (damaged, good) if "://" not in c],
        what="copy",
        consequence="Nothing was repaired.",
    )

    from preserve.audit.ledger import Ledger

    # The ledger is opened first: one that cannot be used (not a preserve ledger, locked,
    # read-only) stops the command before anything is repaired.
    with (
        handle_errors(),
        Ledger.open(ledger_path) if ledger_path is not None else nullcontext() as ledger,
    ):
        result = repair_copy(
            open_store(damaged, s3=s3),
            open_store(good, s3=s3),
            clock=utc_now,
            concurrency=s3.concurrency,
        )
        if ledger is not None:
            _record(result, ledger)
        reporter("repair", output_format, sys.stdout).report(result)
    sys.exit(EXIT_OK if result.ok else EXIT_FINDINGS)


def _record(result: RepairResult, ledger: Ledger) -> None:
    from preserve.replicas.record import repair_check

    ledger.record(
        repair_check(result),
        checked_at=utc_now(),
        agent=f"{getpass.getuser()}@{socket.gethostname()}",
        preserve_version=__version__,
    )
