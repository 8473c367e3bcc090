"""``preserve ingest``: the main job, from a folder of records to a deposit of bags."""

from __future__ import annotations

import getpass
import os
import sys
from contextlib import nullcontext
from pathlib import Path

import click

from preserve.cli import main
from preserve.cli._errors import EXIT_FINDINGS, EXIT_OK, handle_errors, refuse_missing
from preserve.cli._progress import progress_for
from preserve.cli.options import (
    defaults_option,
    input_file_option,
    output_options,
    processes_option,
)
from preserve.formats.policy import load_policy
from preserve.ingestion import IngestOptions, ingest
from preserve.ingestion.package import ArchiveFormat
from preserve.progress import NO_PROGRESS, Progress
from preserve.reports import reporter

AGENT_ENV = "PRESERVE_AGENT"
ORGANISATION_ENV = "PRESERVE_ORGANISATION"


def operator_name(agent: str | None) -> str | None:
    """``--agent``, else ``$PRESERVE_AGENT``, else the login name (None if unknown).

    The environment is read here, in the CLI, never inside the library.
    """
    if agent:
        return agent
    if os.environ.get(AGENT_ENV):
        return os.environ[AGENT_ENV]
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return None


@main.command("ingest")
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The deposit folder: one bag per record, and ingest-report.json.",
)
@defaults_option
@click.option(
    "--force",
    is_flag=True,
    help="Package records with errors too; their findings are recorded in the provenance.",
)
@click.option(
    "--serialize",
    type=click.Choice(["tar", "tgz", "zip"]),
    help="Write each bag as an archive of this kind (instead of a folder).",
)
@click.option(
    "--agent",
    metavar="NAME",
    help=f"The operator recorded in the PREMIS provenance (default: ${AGENT_ENV}, "
    "else your login name).",
)
@click.option(
    "--organisation",
    "--organization",
    "organisation",
    metavar="NAME",
    envvar=ORGANISATION_ENV,
    help="The depositing organisation (bag-info Source-Organization and a PREMIS agent); "
    f"default: ${ORGANISATION_ENV}. Required by the default profile; never taken from "
    "the records (their repository holds the originals, it does not deposit them).",
)
@click.option(
    "--profile",
    metavar="PROFILE",
    help="BagIt profile file or shipped name the bags must conform to "
    "(default: preserve-deposit-v1).",
)
@input_file_option(
    "--format-policy",
    "JSON or TOML file of allowed MIME types and PRONOM PUIDs to accept, warn on or "
    "refuse (default: the profile's, else text, PDF, TIFF, JPEG 2000, PNG, JPEG, JSON, XML).",
)
@processes_option("Files hashed in parallel while building and verifying each bag.")
@input_file_option(
    "--pronom-signatures",
    "A newer PRONOM signature file (FIDO's formats-vNNN.xml) to identify with instead "
    "of the one FIDO ships; see docs/how-to/pronom-signatures.md.",
)
@input_file_option(
    "--pronom-container-signatures",
    "A newer PRONOM container signature file (container-signature-YYYYMMDD.xml).",
)
@output_options
def ingest_cmd(
    source: Path,
    out: Path,
    defaults_file: str | None,
    force: bool,
    serialize: ArchiveFormat | None,
    agent: str | None,
    organisation: str | None,
    profile: str | None,
    format_policy: Path | None,
    processes: int,
    pronom_signatures: Path | None,
    pronom_container_signatures: Path | None,
    output_format: str,
    quiet: bool,
) -> None:
    """Check every record in SOURCE and package each valid one as a verified bag (--out).

    \b
    SOURCE layout (see docs/tutorial/first-ingest.md):
      SOURCE/records/<stem>.<ext>   record documents (.txt .md .html) or files (.json .jsonl .csv)
      SOURCE/files/<stem>/          the record's payload files (scans, transcripts)
    Without records/, every record file in SOURCE is read. A record without files/
    gets its own document as payload.

    Records with errors are listed and not packaged (warnings do not stop a record);
    --force packages them anyway. Each bag carries metadata/premis.xml (PREMIS 3),
    conforms to the profile and is verified after it is written. Re-running skips
    records already packaged from the same input whose bag is still whole (a damaged
    one is reported, never replaced), and makes the archive --serialize asks for.
    Entries of files/ that no record uses are reported.

    Exit status: 0 every record packaged or unchanged, 1 a record was refused or input
    could not be read (a SOURCE that does not exist included), 2 usage error, 3 could not run.
    """
    refuse_missing([source], what="SOURCE", consequence="Nothing was ingested.")
    with handle_errors():
        options = IngestOptions(
            defaults=defaults_file,
            force=force,
            serialize=serialize,
            agent=operator_name(agent),
            organisation=organisation,
            profile=profile,
            format_policy=load_policy(format_policy) if format_policy else None,
            processes=processes,
            pronom_signatures=pronom_signatures,
            pronom_container_signatures=pronom_container_signatures,
        )
        bar = progress_for(quiet)
        with bar if bar is not None else nullcontext():
            progress: Progress = bar if bar is not None else NO_PROGRESS
            result = ingest(source, out, options=options, progress=progress)
        reporter("ingest", output_format, sys.stdout, verbosity=-1 if quiet else 0).report(result)
    sys.exit(EXIT_OK if result.ok else EXIT_FINDINGS)
