"""``preserve verify``: full RFC 8493 validation of one or more bags."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path

import click

from preserve.bags.verify.result import BagResult, Mode
from preserve.checking import verify_bag_or_archive
from preserve.cli import main
from preserve.cli._errors import EXIT_FINDINGS, EXIT_OK, handle_errors
from preserve.cli._progress import progress_for
from preserve.cli.options import output_options
from preserve.errors import BagError
from preserve.profiles.load import load_profile
from preserve.profiles.model import Profile
from preserve.progress import NO_PROGRESS, Progress
from preserve.reports.bags import reporter


def run_verify(
    bags: Sequence[Path],
    *,
    mode: Mode,
    processes: int,
    quiet: bool,
    profile: Profile | None = None,
    strict: bool = False,
) -> list[BagResult]:
    """Verify every bag with a progress bar on a terminal (the command's whole work).

    Every path is checked first, so a typo in the last of many bags is reported
    before hours of hashing.
    """
    for bag in bags:
        if not bag.is_dir() and not bag.is_file():
            what = "does not exist" if not bag.exists() else "is not a directory"
            msg = (
                f"{bag}: {what}; give the top folder of a bag (the one with bagit.txt) "
                "or a serialized bag (tar, tar.gz, tar.bz2, tar.xz, zip)"
            )
            raise BagError(msg)
    bar = progress_for(quiet)
    with bar if bar is not None else nullcontext():
        progress: Progress = bar if bar is not None else NO_PROGRESS
        return [
            verify_bag_or_archive(
                b,
                profile=profile,
                mode=mode,
                processes=processes,
                progress=progress,
                strict=strict,
            )
            for b in bags
        ]


@main.command("verify")
@click.argument("bags", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--fast",
    is_flag=True,
    help="Check completeness and Payload-Oxum only (sizes, no checksums).",
)
@click.option(
    "--completeness-only",
    is_flag=True,
    help="Check only that every listed file is present and every payload file listed.",
)
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Files hashed in parallel.",
)
@click.option(
    "--profile",
    "profile_source",
    metavar="PROFILE",
    help="Also check the bags against this BagIt profile: a JSON file, a shipped "
    "profile name (preserve-deposit-v1), or a URL with --allow-network.",
)
@click.option(
    "--allow-network", is_flag=True, help="Allow --profile to fetch a profile from a URL."
)
@click.option(
    "--strict",
    is_flag=True,
    help="The bag must be exactly RFC 8493: warnings about conformance (older versions' "
    "rules, SHOULDs) become errors.",
)
@output_options
def verify_cmd(
    bags: tuple[Path, ...],
    fast: bool,
    completeness_only: bool,
    processes: int,
    profile_source: str | None,
    allow_network: bool,
    strict: bool,
    output_format: str,
    quiet: bool,
) -> None:
    """Verify BagIt bags to the letter of RFC 8493 (BagIt 0.93-0.97 bags accepted).

    By default every checksum of every algorithm is recomputed, for payload and tag
    files; bagit.txt, bag-info.txt, manifests, tag manifests and fetch.txt are checked
    for form; paths leaving the bag are refused and never read; names that collide by
    case or Unicode normalization are reported. fetch.txt is never downloaded.

    A bag is read by the rules of the BagIt version it declares (paths are literal
    before 1.0); --strict asks for RFC 8493 to the letter.

    A BAG may also be a serialized bag (tar, tar.gz, tar.bz2, tar.xz, zip, recognised
    by content): it is unpacked safely into a private temporary folder and verified
    there; an archive refused as malformed or unsafe is a finding (SER) of that bag.
    With --profile the bags are also checked against a BagIt profile (PRO findings).

    Exit status: 0 all bags valid (warnings allowed), 1 any bag invalid, 2 usage error,
    3 could not run (a bag path that does not exist).
    """
    if fast and completeness_only:
        msg = "--fast and --completeness-only exclude each other; choose one"
        raise click.UsageError(msg)
    mode: Mode = "fast" if fast else "completeness" if completeness_only else "full"
    with handle_errors():
        profile = (
            load_profile(profile_source, allow_network=allow_network) if profile_source else None
        )
        results = run_verify(
            list(bags),
            mode=mode,
            processes=processes,
            quiet=quiet,
            profile=profile,
            strict=strict,
        )
        reporter(output_format, sys.stdout, quiet=quiet).report(results)
    sys.exit(EXIT_OK if all(r.ok for r in results) else EXIT_FINDINGS)
