"""The ``preserve`` command line: a click group; one module per command group.

Commands parse options, call one library function, render the result with a
reporter and exit with a code (0 clean, 1 findings, 2 usage, 3 could not run).
"""

from __future__ import annotations

import logging

import click

from preserve import __version__

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="preserve")
@click.option("-v", "--verbose", count=True, help="Log more detail to stderr (repeatable).")
def main(verbose: int) -> None:
    """Check records, build and verify BagIt deposit packages, audit fixity.

    \b
    Typical use:
      preserve validate samples/          check record documents and files
      preserve extract page.txt           turn a record document into JSON
      preserve bag scans/ --record r.json --out BAG
      preserve verify BAG                 full RFC 8493 validation
      preserve ingest samples/ --out deposit/

    Exit status: 0 clean, 1 findings (invalid records, fixity failures),
    2 usage error, 3 could not run.
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s: %(message)s")


# Command modules register themselves on `main` when imported. Keep one line per
# command group here, in alphabetical order, so parallel work merges cleanly.
from preserve.cli import audit  # noqa: E402,F401,I001
from preserve.cli import bag  # noqa: E402,F401
from preserve.cli import extract  # noqa: E402,F401
from preserve.cli import ingest  # noqa: E402,F401
from preserve.cli import ledger  # noqa: E402,F401
from preserve.cli import validate  # noqa: E402,F401
from preserve.cli import verify  # noqa: E402,F401
