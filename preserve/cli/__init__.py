"""The ``preserve`` command line: a click group; one module per command group.

Commands parse options, call one library function, render the result with a
reporter and exit with a code (0 clean, 1 findings, 2 usage, 3 could not run).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from preserve import __version__
from preserve.cli.options import add_verbose, count_verbose, verbosity

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _LazyGroup(click.Group):
    """A group whose commands live in modules imported on first use."""

    #: each command is defined in the module of the same name under preserve.cli
    MODULES: tuple[str, ...] = (
        "audit",
        "bag",
        "compare",
        "extract",
        "ingest",
        "ledger",
        "repair",
        "validate",
        "verify",
    )

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.MODULES))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.MODULES:
            importlib.import_module(f"preserve.cli.{cmd_name}")
        command = super().get_command(ctx, cmd_name)
        return add_verbose(command) if command is not None else None

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command under the exit-code contract (preserve.cli._errors): a closed
        pipe is quiet, an unexpected exception is exit 3 with where its details went."""
        from preserve.cli import _errors

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            _errors.closed_pipe()
        except KeyboardInterrupt:
            click.echo("Interrupted: nothing was left half-written.", err=True)
            sys.exit(_errors.EXIT_INTERRUPTED)
        except Exception as e:
            _errors.internal_error(e, verbose=verbosity(ctx) > 0)


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """preserve's version, and FIDO's with the PRONOM signatures it identifies with."""
    if not value or ctx.resilient_parsing:
        return
    from preserve.formats.pronom import bundled_signatures, fido_version

    click.echo(f"preserve, version {__version__}")
    click.echo(f"FIDO {fido_version()}, {bundled_signatures().describe()}")
    ctx.exit()


@click.group(cls=_LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version (and the PRONOM signatures in use) and exit.",
)
@click.option(
    "-v",
    "--verbose",
    count=True,
    expose_value=False,
    callback=count_verbose,
    help="Show what is read, written and decided on stderr (-vv: debug detail); "
    "also accepted after the command.",
)
def main() -> None:
    """Check records, build and verify BagIt deposit packages, audit fixity.

    \b
    Typical use:
      preserve validate samples/          check record documents and files
      preserve extract page.txt           turn a record document into JSON
      preserve bag scans/ --record r.json --out BAG
      preserve verify BAG                 full RFC 8493 validation
      preserve ingest samples/ --out deposit/ --organisation "Your Archive"
      preserve compare COPY COPY...       do copies of a bag agree?
      preserve repair DAMAGED --from GOOD

    Exit status: 0 clean, 1 findings (invalid records, fixity failures),
    2 usage error, 3 could not run.
    """


# Command modules register themselves on `main` when imported, and are imported only
# when their command is asked for: `preserve verify` need not load jsonschema, lxml or
# the ingest pipeline first (start-up time counts when a cron job runs many commands).
