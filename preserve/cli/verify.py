"""``preserve verify``: full RFC 8493 validation of one or more bags."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import click

from preserve.bags.codes import BAG
from preserve.bags.verify.result import BagResult, Mode
from preserve.checking import verify_bag_or_archive
from preserve.cli import main
from preserve.cli._errors import EXIT_FINDINGS, EXIT_OK, handle_errors
from preserve.cli._s3 import s3_options
from preserve.cli.options import output_options, processes_option
from preserve.progress import NO_PROGRESS, Progress
from preserve.reports import reporter
from preserve.storage.location import S3Options, is_s3

if TYPE_CHECKING:
    from preserve.cli._progress import RichBar
    from preserve.profiles.model import Profile


def run_verify(
    bags: Sequence[Path | str],
    *,
    mode: Mode,
    processes: int,
    quiet: bool,
    profile: Profile | None = None,
    strict: bool = False,
    s3: S3Options | None = None,
) -> list[BagResult]:
    """Verify every bag with a progress bar on a terminal (the command's whole work).

    Every path is checked first, so a typo in the last of many bags is reported
    before hours of hashing; a path that is not there, or cannot be read, is a finding
    (BAG-012) and the other bags are still verified (the exit-code contract in
    preserve.cli._errors).
    ``s3://`` bags are verified in place (issue 14).
    """
    absent = {
        bag: result
        for bag in bags
        if not isinstance(bag, str) and (result := _absent(bag, mode)) is not None
    }
    bar = _progress_bar(quiet)
    with bar if bar is not None else nullcontext():
        progress: Progress = bar if bar is not None else NO_PROGRESS
        return [
            verify_stored(
                b,
                mode=mode,
                s3=s3 or S3Options(),
                progress=progress,
                strict=strict,
                profile=profile,
            )
            if isinstance(b, str)
            else absent.get(b)
            or verify_bag_or_archive(
                b,
                profile=profile,
                mode=mode,
                processes=processes,
                progress=progress,
                strict=strict,
            )
            for b in bags
        ]


def _progress_bar(quiet: bool) -> RichBar | None:
    """The bar, importing rich only when one is drawn: a fifth of the start-up of a
    quiet or piped run, which every small bag paid (issue 15)."""
    if quiet or not sys.stderr.isatty():
        return None
    from preserve.cli._progress import progress_for

    return progress_for(quiet)


def _absent(bag: Path, mode: Mode) -> BagResult | None:
    """The result for a path that is neither a bag folder nor an archive; ``None`` for
    one that is, or that cannot be looked at (verifying it says why: BAG-012)."""
    try:
        kind = os.stat(bag).st_mode
    except (FileNotFoundError, NotADirectoryError):
        what = "it does not exist" if not os.path.lexists(bag) else "neither a folder nor a file"
    except OSError:
        return None
    else:
        if stat.S_ISDIR(kind) or stat.S_ISREG(kind):
            return None
        what = "neither a folder nor a file"
    finding = BAG.finding("BAG-012", reason=what)
    return BagResult(
        bag=str(bag),
        mode=mode,
        findings=(finding,),
        version=None,
        files=0,
        bytes=0,
        unreadable=(str(bag),),
    )


def verify_stored(
    location: str,
    *,
    mode: Mode,
    s3: S3Options,
    progress: Progress,
    strict: bool = False,
    profile: Profile | None = None,
) -> BagResult:
    """Verify the bag at an ``s3://`` location in place (a prefix, or an archive object)."""
    from preserve.replicas.located import verify_location

    return verify_location(
        location, s3=s3, mode=mode, strict=strict, profile=profile, progress=progress
    )


def bag_locations(bags: Sequence[str]) -> list[Path | str]:
    """``s3://`` locations as text, everything else as a path."""
    return [b if is_s3(b) else Path(b) for b in bags]


def _load_profile(source: str, allow_network: bool) -> Profile:
    from preserve.profiles.load import load_profile

    return load_profile(source, allow_network=allow_network)


@main.command("verify")
@click.argument("bags", nargs=-1, required=True)
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
@processes_option("Files hashed in parallel.")
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
@s3_options
@output_options
def verify_cmd(
    bags: tuple[str, ...],
    fast: bool,
    completeness_only: bool,
    processes: int,
    profile_source: str | None,
    allow_network: bool,
    strict: bool,
    output_format: str,
    quiet: bool,
    s3: S3Options,
) -> None:
    """Verify BagIt bags to the letter of RFC 8493 (BagIt 0.93-0.97 bags accepted).

    By default every checksum of every algorithm is recomputed, for payload and tag
    files; bagit.txt, bag-info.txt, manifests, tag manifests and fetch.txt are checked
    for form; paths leaving the bag are refused and never read; names that collide by
    case or Unicode normalization are reported. fetch.txt is never downloaded.

    A bag is read by the rules of the BagIt version it declares (paths are literal
    before 1.0); --strict asks for RFC 8493 to the letter.

    A BAG may be an s3://BUCKET/PREFIX/BAG location: its objects are hashed as they
    stream, in place (needs the s3 extra; endpoint and credentials from the AWS
    environment variables, ~/.aws/ or --endpoint-url).

    A BAG may also be a serialized bag (tar, tar.gz, tar.bz2, tar.xz, zip, recognised
    by content): it is unpacked safely into a private temporary folder and verified
    there; an archive refused as malformed or unsafe is a finding (SER) of that bag.
    With --profile the bags are also checked against a BagIt profile (PRO findings).

    Exit status: 0 all bags valid (warnings allowed), 1 any bag invalid, 2 usage error,
    3 could not run (a profile that cannot be loaded). A BAG that does not exist or
    cannot be read is reported (BAG-012) and the others are still verified.
    """
    if fast and completeness_only:
        msg = "--fast and --completeness-only exclude each other; choose one"
        raise click.UsageError(msg)
    mode: Mode = "fast" if fast else "completeness" if completeness_only else "full"
    with handle_errors():
        profile = _load_profile(profile_source, allow_network) if profile_source else None
        results = run_verify(
            bag_locations(bags),
            mode=mode,
            processes=processes,
            quiet=quiet,
            profile=profile,
            strict=strict,
            s3=s3,
        )
        reporter("verify", output_format, sys.stdout, verbosity=-1 if quiet else 0).report(results)
    sys.exit(EXIT_OK if all(r.ok for r in results) else EXIT_FINDINGS)
