"""``preserve compare``: copies of one bag, file by file (issue 14)."""

from __future__ import annotations

import json
import sys

import click

from preserve.cli import main
from preserve.cli._errors import EXIT_FINDINGS, EXIT_OK, handle_errors
from preserve.cli._s3 import s3_options
from preserve.cli.options import format_option
from preserve.errors import UsageError
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
        result = compare_copies(stores, concurrency=s3.concurrency)
        names = [s.url for s in stores]
        if output_format == "json":
            json.dump(
                {
                    "version": 1,
                    "identical": result.ok,
                    "copies": [
                        {"copy": n, "valid": r.ok, "findings": [f.to_dict() for f in r.findings]}
                        for n, r in zip(names, result.copies, strict=True)
                    ],
                    "files": [
                        {
                            "path": f.path,
                            "states": dict(zip(names, f.states, strict=True)),
                            "agree": f.agree,
                            "odd_one_out": [names[i] for i in f.odd],
                        }
                        for f in result.files
                    ],
                },
                sys.stdout,
                indent=2,
            )
            sys.stdout.write("\n")
        else:
            for n, r in zip(names, result.copies, strict=True):
                click.echo(f"{'intact ' if r.ok else 'DAMAGED'} {n} ({len(r.errors)} errors)")
            for f in result.files:
                states = ", ".join(f"{n}: {s}" for n, s in zip(names, f.states, strict=True))
                odd = f"; odd one out: {', '.join(names[i] for i in f.odd)}" if f.odd else ""
                agree = "copies agree" if f.agree else "copies differ"
                click.echo(f"  {f.path}: {agree} ({states}){odd}")
            click.echo("all copies intact and identical" if result.ok else "copies differ")
    sys.exit(EXIT_OK if result.ok else EXIT_FINDINGS)
