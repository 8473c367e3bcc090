"""``preserve compare``: copies of one bag, file by file (issue 14)."""

from __future__ import annotations

import os
import sys

import click

from preserve.cli import main
from preserve.cli._errors import EXIT_FINDINGS, EXIT_OK, handle_errors
from preserve.cli._s3 import s3_options
from preserve.cli.options import format_option
from preserve.errors import UsageError
from preserve.reports import reporter
from preserve.storage.location import S3Options
from preserve.storage.stores import open_store


@main.command("compare")
@click.argument("copies", nargs=-1, required=True)
@s3_options
@format_option
def compare_cmd(copies: tuple[str, ...], s3: S3Options, output_format: str) -> None:
    """Compare two or more COPIES of one bag (folders or s3:// prefixes, in any mix).

    Every copy is verified in full; then, file by file, says which copies agree with
    their manifests and with each other, and with three or more copies which copy is
    the odd one out.

    Exit status: 0 every copy intact and identical, 1 otherwise, 2 usage error,
    3 could not run.
    """
    from preserve.replicas.compare import compare_copies

    with handle_errors():
        if len(copies) < 2:
            msg = "give at least two copies of the bag to compare"
            raise UsageError(msg)
        stores = [open_store(c, s3=s3) for c in copies]
        seen: dict[str, str] = {}
        for given, store in zip(copies, stores, strict=True):
            where = os.path.realpath(store.url) if "://" not in store.url else store.url
            if where in seen:
                msg = f"{seen[where]} and {given} are the same copy; give different copies"
                raise UsageError(msg)
            seen[where] = given
        result = compare_copies(stores, concurrency=s3.concurrency)
        reporter("compare", output_format, sys.stdout).report(result)
    sys.exit(EXIT_OK if result.ok else EXIT_FINDINGS)
