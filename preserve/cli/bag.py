"""``preserve bag``: build a BagIt 1.0 bag from files and folders."""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import click

from preserve._types import JSONValue
from preserve.bags.archive.read import ArchiveFormat
from preserve.bags.build.build import build_bag
from preserve.bags.build.result import BuildResult
from preserve.cli import main
from preserve.cli._errors import EXIT_OK, handle_errors, refuse_missing
from preserve.cli._progress import progress_for
from preserve.cli._s3 import s3_options
from preserve.cli.ingest import ORGANISATION_ENV
from preserve.cli.options import output_options, processes_option
from preserve.errors import BagError, UsageError
from preserve.profiles.build import ProfileSettings, profile_options
from preserve.progress import NO_PROGRESS, Progress
from preserve.reports import reporter
from preserve.storage.location import S3Options, is_s3
from preserve.storage.stores import open_store


def parse_info(values: tuple[str, ...]) -> list[tuple[str, str]]:
    """``LABEL=VALUE`` options as bag-info pairs, in order.

    Without a ``Source-Organization`` among them, ``$PRESERVE_ORGANISATION`` (the
    user's configured organisation, as for ``preserve ingest``) gives it, if set.
    """
    pairs = []
    for value in values:
        label, sep, text = value.partition("=")
        if not sep or not label.strip():
            msg = f"--info {value!r} is not LABEL=VALUE (for example Contact-Name=Edna Smith)"
            raise UsageError(msg)
        pairs.append((label.strip(), text.strip()))
    configured = os.environ.get(ORGANISATION_ENV, "").strip()
    if configured and all(label.lower() != "source-organization" for label, _ in pairs):
        pairs.insert(0, ("Source-Organization", configured))
    return pairs


def record_for_bag(record: Path | None) -> Path | Mapping[str, JSONValue] | None:
    """The ``--record`` option as :func:`build_bag` takes it: a record document
    (.txt .md .html) is extracted here, so that building a bag never imports extraction.
    """
    from preserve.records.extract.run import extract_file, is_record_document
    from preserve.records.types import record_json

    if record is None or not is_record_document(record):
        return record
    extracted = extract_file(record)
    if not extracted.ok or extracted.record is None:
        errors = [f.message for f in extracted.findings if f.severity == "error"]
        msg = f"cannot take a record from {record}: {errors[0] if errors else 'no record'}"
        raise BagError(msg)
    return record_json(extracted.record)


@dataclass(frozen=True, slots=True)
class BagOptions:
    """What ``preserve bag`` passes to :func:`build_bag` besides sources, out and progress.

    :param settings: algorithms, bag-info and final check (see :func:`profile_options`).
    :param record: the ``--record`` option, as :func:`record_for_bag` gives it.
    :param replace: ``--replace``.
    :param processes: ``--processes``.
    :param serialize: ``--serialize``.
    """

    settings: ProfileSettings
    record: Path | Mapping[str, JSONValue] | None = None
    replace: bool = False
    processes: int = 2
    serialize: ArchiveFormat | None = None


def run_bag(
    sources: tuple[Path, ...],
    out: Path | None,
    *,
    quiet: bool,
    in_place: bool,
    options: BagOptions,
) -> BuildResult:
    """Build the bag with a progress bar on a terminal (the command's whole work)."""
    if out is None:
        if not in_place:
            msg = "--out is required: name the bag folder to create"
            raise UsageError(msg)
        out = sources[0] if len(sources) == 1 else None
        if out is None:
            msg = "--in-place converts exactly one folder: give one source"
            raise UsageError(msg)
    bar = progress_for(quiet)
    with bar if bar is not None else nullcontext():
        progress: Progress = bar if bar is not None else NO_PROGRESS
        return build_bag(
            list(sources),
            out,
            in_place=in_place,
            progress=progress,
            record=options.record,
            algorithms=options.settings.algorithms,
            bag_info=options.settings.bag_info,
            check=options.settings.check,
            replace=options.replace,
            serialize=options.serialize,
            processes=options.processes,
        )


def run_bag_to_store(
    sources: tuple[Path, ...],
    out: str,
    *,
    s3: S3Options,
    quiet: bool,
    options: BagOptions,
) -> BuildResult:
    """Build the bag in a temporary folder, then upload it to *out* (bagit.txt last)."""
    from preserve.replicas.upload import upload_bag

    store = open_store(out, s3=s3)  # a malformed URL fails before any hashing
    with tempfile.TemporaryDirectory(prefix="preserve-bag-") as tmp:
        built = run_bag(sources, Path(tmp) / "bag", quiet=quiet, in_place=False, options=options)
        done = upload_bag(built.bag, store, replace=options.replace, concurrency=s3.concurrency)
    return dataclasses.replace(built, location=done.location, replaced=done.replaced)


@main.command("bag")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    help="The bag folder to create (must not exist unless --replace), or an "
    "s3://BUCKET/PREFIX/BAG location (bagit.txt is uploaded last).",
)
@click.option(
    "--record",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A record (JSON, or a record document to extract): stored as "
    "metadata/record.json and used to fill bag-info.txt.",
)
@click.option(
    "--algorithm",
    "algorithms",
    multiple=True,
    help="Manifest algorithm, repeatable (default: sha512 and sha256).",
)
@click.option(
    "--info",
    "info",
    multiple=True,
    metavar="LABEL=VALUE",
    help="An extra bag-info.txt element, repeatable; overrides what the record gives. "
    "Source-Organization defaults to $PRESERVE_ORGANISATION (never the record's repository).",
)
@click.option(
    "--in-place",
    is_flag=True,
    help="Convert the one source folder itself into the bag (moves its contents to data/).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Replace an existing bag at --out atomically (and its archive with --serialize). "
    "Anything that is not a bag, or a bag holding files no manifest lists, is refused.",
)
@click.option(
    "--profile",
    "profile_source",
    metavar="PROFILE",
    help="Build to this BagIt profile (a JSON file, a shipped name such as "
    "preserve-deposit-v1, or a URL with --allow-network): adds BagIt-Profile-Identifier "
    "and refuses to finish a bag that would not conform.",
)
@click.option("--allow-network", is_flag=True, help="Allow --profile to fetch a URL.")
@click.option(
    "--serialize",
    type=click.Choice(["tar", "tgz", "zip"]),
    help="Also write the bag as one reproducible archive beside it (BAG.tar, BAG.tar.gz "
    "or BAG.zip) with a sha256sum sidecar (BAG.zip.sha256).",
)
@processes_option("CPU cores to hash on.")
@s3_options
@output_options
def bag_cmd(
    sources: tuple[Path, ...],
    out: str | None,
    record: Path | None,
    algorithms: tuple[str, ...],
    info: tuple[str, ...],
    in_place: bool,
    replace: bool,
    profile_source: str | None,
    allow_network: bool,
    serialize: ArchiveFormat | None,
    processes: int,
    output_format: str,
    quiet: bool,
    s3: S3Options,
) -> None:
    """Build a BagIt 1.0 bag whose payload (data/) is a copy of SOURCES.

    Each source keeps its name under data/. Sources are never moved or changed:
    files are copied and hashed in one read, the copy is read back and checked,
    and the bag is renamed into place only when complete, so an interruption
    leaves no bag (or the previous one with --replace). Symbolic links in the
    sources are refused. Manifests and tag manifests use sha512 and sha256
    unless --algorithm is given.

    With --profile the bag is built to a BagIt profile and checked against it before
    it is renamed into place; a bag that would not conform is not made, and every
    reason is listed. With --serialize the finished bag is also written as one
    archive beside it.

    With --out s3://BUCKET/PREFIX/BAG the bag is built in a temporary folder and
    uploaded with bagit.txt last, so an interrupted upload never leaves a bag that
    looks complete; running the command again resumes it (objects already there and
    matching are kept, others removed).

    Exit status: 0 built, 1 a SOURCE or --record (or a file or folder in a SOURCE)
    that does not exist, cannot be read, or cannot go in a bag (a symbolic link, a FIFO,
    a name BagIt cannot write; nothing built), 2 usage error, 3 could not build
    (nothing left at --out).
    """
    json_output = output_format == "json"
    refuse_missing(
        [*sources, record],
        what="input",
        consequence="Nothing was built (nothing at --out).",
        json_output=json_output,
    )
    with handle_errors(json_output=json_output):
        settings = profile_options(
            profile_source,
            allow_network=allow_network,
            serialize=serialize,
            algorithms=algorithms,
            bag_info=parse_info(info),
        )
        if out is not None and is_s3(out):
            if in_place or serialize:
                msg = "--in-place and --serialize cannot be used with an s3:// --out"
                raise UsageError(msg)
            options = BagOptions(settings, record, replace=replace, processes=processes)
            result = run_bag_to_store(sources, out, s3=s3, quiet=quiet, options=options)
            reporter("bag", output_format, sys.stdout, verbosity=-1 if quiet else 0).report(result)
            sys.exit(EXIT_OK)
        options = BagOptions(
            settings,
            record_for_bag(record),
            replace=replace,
            processes=processes,
            serialize=serialize,
        )
        result = run_bag(
            sources,
            Path(out) if out is not None else None,
            quiet=quiet,
            in_place=in_place,
            options=options,
        )
        reporter("bag", output_format, sys.stdout, verbosity=-1 if quiet else 0).report(result)
        if result.archive is not None and not quiet:
            archive = result.archive
            click.echo(f"Serialized {archive} (sha256 in {archive.name}.sha256)", err=True)
    sys.exit(EXIT_OK)
