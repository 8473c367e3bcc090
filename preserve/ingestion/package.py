"""Package one record: build its bag with provenance, verify it, check the profile, serialize.

The bag is built by :func:`preserve.bags.build.build.build_bag` (in a staging folder, renamed
into place when complete); ``metadata/premis.xml`` comes from the PREMIS tag hook. A bag
that fails verification or the profile is removed again: it is preserve's own output from
this run, never the user's data.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from preserve.bags.archive.write import serialize_bag
from preserve.bags.build.build import build_bag
from preserve.bags.verify.verify import verify_bag
from preserve.clock import Clock
from preserve.findings import Finding
from preserve.formats.identify import FormatInfo
from preserve.ingestion.codes import INGEST_RULES
from preserve.profiles import Profile, check_profile
from preserve.progress import Progress
from preserve.provenance.events import IngestFacts
from preserve.provenance.hook import premis_tag_hook

ArchiveFormat = Literal["tar", "tgz", "zip"]
ARCHIVE_SUFFIX = {"tar": ".tar", "tgz": ".tar.gz", "zip": ".zip"}


@dataclass(frozen=True, slots=True, kw_only=True)
class PackageJob:
    """Everything needed to package one record.

    :param bag: the bag folder to create (must not exist).
    :param record: the record's JSON data (with defaults applied).
    :param sources: what ``build_bag`` copies under ``data/`` (files and folders).
    :param findings: the record's findings (recorded in the provenance).
    :param facts: provenance facts (schema, extraction source, operator, ...).
    :param formats: identified formats by source path.
    :param bag_info: bag-info.txt entries.
    """

    bag: Path
    record: Mapping[str, Any]
    sources: Sequence[Path]
    findings: Sequence[Finding]
    facts: IngestFacts
    formats: Mapping[str, FormatInfo]
    bag_info: Mapping[str, str]


def build_package(
    job: PackageJob,
    *,
    profile: Profile,
    serialize: ArchiveFormat | None,
    clock: Clock,
    progress: Progress,
    processes: int = 2,
) -> tuple[str | None, list[Finding]]:
    """Build, verify, check and (optionally) serialize one bag.

    :returns: the archive's file name (when serialized) and findings; an error finding
        means the bag was removed again.
    """
    hook = premis_tag_hook(
        job.record,
        job.findings,
        agent=job.facts.operator,
        clock=clock,
        identifier=job.bag.name,
        facts=job.facts,
        formats=job.formats,
    )
    build_bag(
        list(job.sources),
        job.bag,
        record=job.record,
        bag_info=dict(job.bag_info),
        tag_hooks=(hook,),
        processes=processes,
        progress=progress,
        clock=clock,
    )
    problems = _check(job.bag, profile, processes=processes)
    if problems:
        shutil.rmtree(job.bag, ignore_errors=True)
        return None, problems
    if serialize is None:
        return None, []
    archive = job.bag.with_name(job.bag.name + ARCHIVE_SUFFIX[serialize])
    serialize_bag(job.bag, archive, fmt=serialize)
    # The archive is the deliverable; the verified folder it was made from goes.
    shutil.rmtree(job.bag)
    return archive.name, []


def _check(bag: Path, profile: Profile, *, processes: int) -> list[Finding]:
    verified = verify_bag(bag, mode="full", processes=processes)
    if not verified.ok:
        codes = ", ".join(sorted({f.code for f in verified.errors}))
        return [INGEST_RULES.finding("ING-003", bag=bag.name, codes=codes), *verified.errors]
    conformance = [f for f in check_profile(bag, profile) if f.is_error]
    if conformance:
        codes = ", ".join(sorted({f.code for f in conformance}))
        finding = INGEST_RULES.finding(
            "ING-004", bag=bag.name, profile=profile.info.identifier, codes=codes
        )
        return [finding, *conformance]
    return []
