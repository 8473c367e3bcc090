"""``preserve audit ROOT...`` and ``preserve audit status``."""

from __future__ import annotations

import getpass
import os
import socket
import sys
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from preserve.audit.adapt import VerifyChecker
from preserve.audit.check import LocalChecker
from preserve.audit.ledger import Ledger
from preserve.audit.relocate import LocalProbe
from preserve.audit.result import overall_status
from preserve.audit.run import (
    AuditOptions,
    Checker,
    Executor,
    audit_status,
    local_executor,
    run_audit,
)
from preserve.audit.schedule import Budget
from preserve.cli import main
from preserve.cli._errors import EXIT_CANNOT_RUN, EXIT_FINDINGS, EXIT_OK, handle_errors
from preserve.cli._progress import NO_PROGRESS, progress_for
from preserve.cli._s3 import s3_options
from preserve.cli.options import (
    format_option,
    ledger_option,
    output_options_for,
    resolve_ledger,
    verbosity,
)
from preserve.errors import AuditError, UsageError
from preserve.reports import reporter
from preserve.reports.base import SafeStream
from preserve.storage.location import S3Options, is_s3
from preserve.units import parse_duration, parse_size

# An inaccessible bag or root is a finding like any input that cannot be read (the
# exit-code contract in preserve.cli._errors): the other roots were still checked. A
# cluster lost mid-run is the audit's own failure: could not run.
EXIT_FOR_STATUS = {
    "passed": EXIT_OK,
    "failed": EXIT_FINDINGS,
    "inaccessible": EXIT_FINDINGS,
    "could_not_run": EXIT_CANNOT_RUN,
}


class AuditGroup(click.Group):
    """``preserve audit ROOT...`` runs an audit; ``preserve audit status`` is a subcommand.

    Anything that is not a subcommand name is taken as the start of an audit's arguments
    (roots and options), so ``preserve audit /srv/bags --budget 2h`` works. A root that
    is literally named ``status`` must be written ``./status``.
    """

    default_command = "run"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = args[0] if args else None
        if first not in self.commands and first not in ctx.help_option_names:
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "ROOT... [OPTIONS] | status [OPTIONS]")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        command = self.commands[self.default_command]
        records = [
            r
            for p in command.get_params(ctx)
            if isinstance(p, click.Option) and (r := p.get_help_record(ctx))
        ]
        with formatter.section("Options of preserve audit ROOT..."):
            formatter.write_dl(records)


@dataclass(frozen=True, slots=True)
class _Probe:
    """Whether anything is still at a location the ledger knows, asked of the storage it
    is on, s3:// included, whatever the roots of this run are (the S3 code is loaded
    only for an s3:// location: most audits never need it)."""

    s3: S3Options

    def __call__(self, location: str) -> bool:
        if not is_s3(location):
            return LocalProbe()(location)
        from preserve.replicas.audit import StoredProbe

        return StoredProbe(self.s3)(location)


@main.group("audit", cls=AuditGroup, invoke_without_command=False)
def audit_group() -> None:
    """Check the bags under ROOT... for fixity and record every check in the ledger.

    \b
      preserve audit ROOT... [options]    audit (same as: preserve audit run ROOT...)
      preserve audit status [--ledger]    last check, outcome, overdue or never checked

    Bags whose last check is oldest go first (never-checked first); the run stops at
    --budget or --budget-bytes, and bags left over are "not run". Run it nightly and
    every bag is checked at least once per --max-age, or a warning says why not.
    Outcomes: passed; failed (a file changed, missing, added or moved, a tag file or a
    manifest changed); inaccessible (storage or a file could not be read: never reported
    as missing); not run. A root literally named "status" or "run" must be written as
    ./status or ./run. With --replica ROOT (repeatable), the same bags are copied
    under other roots: each copy is checked and recorded, and a bag whose copies
    disagree (one passes and one fails, their manifests differ, or a replica lacks it)
    fails the run (AUD-012).

    Exit status: 0 every bag checked passed, 1 any failed or inaccessible (a root that
    does not exist or cannot be read included), 2 usage error, 3 the audit could not
    run (the ledger, a lost cluster). Bags left "not run" by the budget do not change
    the exit status (a budget leaves some for later by design); overdue and
    never-checked bags show in the report and in "preserve audit status", which exits
    1 for them.
    """


def _parsed(parse: Callable[[str], Any]) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A click callback reading the option's text with *parse* (a duration, a size);
    its UsageError becomes click's message for that option."""

    def callback(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Any:
        if value is None:
            return None
        try:
            return parse(value)
        except UsageError as e:
            raise click.BadParameter(str(e)) from e

    return callback


_duration = _parsed(parse_duration)
_size = _parsed(parse_size)


def _max_age_option(help_text: str) -> Callable[[Any], Any]:
    """``--max-age DURATION`` (30 days unless given), with this command's own help."""
    return click.option(
        "--max-age",
        default="30d",
        show_default=True,
        callback=_duration,
        metavar="DURATION",
        help=help_text,
    )


@audit_group.command("run")
# readable=False: a ROOT that cannot be read is reported INACCESSIBLE by the audit, and
# the other roots are still audited (click would refuse the whole command line).
@click.argument("roots", nargs=-1, required=True, type=click.Path(path_type=str, readable=False))
@ledger_option
@_max_age_option("Every bag should be checked at least this often (30d, 2w, 36h).")
@click.option(
    "--budget",
    callback=_duration,
    metavar="DURATION",
    help="Stop starting new bags after this long (2h).",
)
@click.option(
    "--budget-bytes",
    callback=_size,
    metavar="SIZE",
    help="Check at most this much data per run (500G, 2T, 1.5TiB).",
)
@click.option(
    "--sample",
    type=click.IntRange(min=0),
    default=0,
    help="Also check N random bags beyond the budget.",
)
@click.option("--seed", type=int, default=None, help="Seed for --sample (reproducible).")
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a self-contained HTML report to FILE.",
)
@click.option(
    "--scheduler",
    metavar="URL",
    help="Run the checks on a Dask cluster (tcp://HOST:8786); needs preserve-toolkit[dask].",
)
@click.option(
    "--accept-manifests",
    is_flag=True,
    help="Take the manifests as they are now as the new baseline (after an "
    "intended rebuild) instead of reporting AUD-006.",
)
@click.option(
    "--engine",
    type=click.Choice(["audit", "verify"]),
    default="audit",
    show_default=True,
    help="audit: read what fixity needs, one pass per file; verify: preserve verify's full "
    "RFC 8493 verification (also fails malformed tag files, Payload-Oxum, unsafe names).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail bags that are not exactly RFC 8493: conformance warnings become errors "
    "(uses --engine verify).",
)
@click.option(
    "--replica",
    "replicas",
    multiple=True,
    metavar="ROOT",
    help="A copy of ROOT's bags elsewhere (a folder or s3://BUCKET/PREFIX), repeatable: "
    "every copy is checked and recorded, and a bag whose copies disagree fails (AUD-012).",
)
@s3_options
@output_options_for("audit")
@click.option(
    "--show-passed",
    is_flag=True,
    help="Also list the bags that passed (as -v does, which also shows the log).",
)
def audit_run(
    roots: tuple[str, ...],
    replicas: tuple[str, ...],
    ledger_path: Path | None,
    max_age: Any,
    budget: Any,
    budget_bytes: int | None,
    sample: int,
    seed: int | None,
    html_file: Path | None,
    scheduler: str | None,
    accept_manifests: bool,
    engine: str,
    strict: bool,
    output_format: str,
    quiet: bool,
    show_passed: bool,
    s3: S3Options,
) -> None:
    """Audit the bags under ROOT... (see ``preserve audit --help``)."""
    source = click.get_current_context().get_parameter_source("engine")
    if strict and engine != "verify" and source is click.core.ParameterSource.COMMANDLINE:
        msg = "--strict needs --engine verify (the audit engine reads fixity only)"
        raise click.UsageError(msg)
    if strict:
        engine = "verify"
    if replicas and len(roots) != 1:
        msg = f"--replica takes copies of one ROOT; {len(roots)} were given: audit one at a time"
        raise click.UsageError(msg)
    with handle_errors():
        options = AuditOptions(
            max_age=max_age,
            budget=Budget(seconds=budget.total_seconds() if budget else None, bytes=budget_bytes),
            sample=sample,
            seed=seed,
            accept_manifests=accept_manifests,
            agent=f"{getpass.getuser()}@{socket.gethostname()}",
        )
        ledger_file = resolve_ledger(ledger_path)
        _refuse_nothing_to_audit((*roots, *replicas), ledger_file)
        checker: Checker | None = VerifyChecker(strict=strict) if engine == "verify" else None
        discovery = None
        if any(is_s3(r) for r in (*roots, *replicas)):  # bags on S3 (issue 14)
            from preserve.replicas.audit import StoredChecker, discover_roots

            discovery = discover_roots((*roots, *replicas), s3=s3)
            checker = StoredChecker(s3, checker or LocalChecker())
        bar = progress_for(quiet)
        with (
            Ledger.open(ledger_file) as ledger,
            _executor(scheduler, budget) as run_on,
            bar or nullcontext(),
        ):
            report = run_audit(
                roots,
                ledger=ledger,
                options=options,
                executor=run_on,
                check=checker,
                progress=bar or NO_PROGRESS,
                discovery=discovery,
                replicas=replicas,
                probe=_Probe(s3),
            )
        if html_file is not None:
            from preserve.reports.audit_html import write_html

            write_html(report, html_file)
        shown = -1 if quiet else max(int(show_passed), verbosity())
        reporter("audit", output_format, sys.stdout, verbosity=shown).report(report)
    if report.stopped:
        counts = report.counts()
        checked = len(report.bags) - counts["not_run"]
        click.echo(
            f"Error: {report.stopped}; the {checked} bags checked are recorded in the ledger, "
            f"{counts['not_run']} not run: run again when the cluster is back",
            err=True,
        )
    sys.exit(EXIT_FOR_STATUS[overall_status(report)])


def _refuse_nothing_to_audit(roots: tuple[str, ...], ledger: Path) -> None:
    """No root exists and there is no ledger yet: say so, and create no ledger file.
    A root that cannot be looked at may exist: it is audited (and INACCESSIBLE)."""
    if ledger.exists() or any(is_s3(r) or _may_exist(r) for r in roots):
        return
    msg = (
        f"{', '.join(roots)}: no such file or folder (is the storage mounted?); nothing was "
        f"audited and no ledger was created at {ledger}"
    )
    raise AuditError(msg)


def _may_exist(path: str) -> bool:
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:  # permission denied on a folder above it: not known to be missing
        return True
    return True


def _executor(scheduler: str | None, budget: Any) -> Any:
    if scheduler is None:
        return nullcontext(local_executor)
    from preserve.audit.distributed import dask_executor, silence_dask_logs

    silence_dask_logs()
    return dask_executor(scheduler, budget_s=budget.total_seconds() if budget else None)


@audit_group.command("status")
@ledger_option
@_max_age_option("A bag not checked within this long is overdue.")
@format_option
def audit_status_cmd(ledger_path: Path | None, max_age: Any, output_format: str) -> None:
    """Per bag: its last check, that check's outcome, and whether it is overdue.

    Bags an audit found but never checked are listed as "never checked".

    Exit status: 0 every bag checked in time and passed; 1 some bag overdue, never
    checked, or its last check did not pass.
    """
    with handle_errors(), Ledger.open(resolve_ledger(ledger_path), read_only=True) as ledger:
        status = audit_status(ledger, max_age=max_age)
        reporter("audit status", output_format, SafeStream(sys.stdout)).report(status)  # type: ignore[arg-type]
    sys.exit(EXIT_OK if status.ok else EXIT_FINDINGS)


__all__ = ["Executor", "audit_group"]
