"""``preserve ingest``: from a folder of records to a deposit of verified bags.

For each record in SOURCE (see :mod:`preserve.ingestion.layout`): apply the collection
defaults, validate all records together (cross-record rules included), identify the
payload formats against the format policy, and package every record without errors
(or every record, with ``force``) as a profile-conforming bag with PREMIS provenance.
Records whose bag from an earlier run was built from the same input are left alone,
once that bag is found whole (:mod:`preserve.ingestion.kept`); a damaged one is
reported, never replaced.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from preserve._types import StrPath, not_accepted
from preserve.clock import Clock, isoformat_z, utc_now
from preserve.errors import BagError, UsageError
from preserve.findings import Finding
from preserve.formats.identify import (
    DescribedIdentifier,
    FormatIdentifier,
    FormatInfo,
    ToolInfo,
)
from preserve.formats.policy import FormatPolicy, check_formats
from preserve.formats.pronom import PronomIdentifier, PronomMagicIdentifier
from preserve.ingestion.codes import INGEST_RULES
from preserve.ingestion.digest import input_digest
from preserve.ingestion.kept import damage, find_kept, serialize_kept
from preserve.ingestion.layout import RecordInput, discover
from preserve.ingestion.package import (
    ARCHIVE_SUFFIX,
    ArchiveFormat,
    PackageJob,
    build_package,
)
from preserve.ingestion.policy import profile_policy
from preserve.ingestion.prepare import INPUT_DIGEST_LABEL, Prepared, prepare, stored_digest
from preserve.ingestion.report import (
    IngestResult,
    RecordOutcome,
    previous_digests,
    previous_keys,
    to_report,
    write_report,
)
from preserve.profiles import Profile
from preserve.profiles.load import as_profile
from preserve.progress import NO_PROGRESS, Progress
from preserve.provenance.events import IngestFacts, SchemaRef
from preserve.records.validate.loaders import Extractor
from preserve.records.validate.schema import SCHEMA_FILE, SCHEMA_VERSION

DEFAULT_PROFILE = "preserve-deposit-v1"
RECORD_FILE_POLICY = FormatPolicy(
    allowed=frozenset({"text/*", "application/json", "application/xml"}), name="record files"
)

log = logging.getLogger(__name__)
# --force packages a record despite its findings, never without its files.
_NEVER_FORCED = frozenset({"ING-010", "ING-013"})


def _logged(outcome: RecordOutcome) -> RecordOutcome:
    log.info("%s: %s%s", outcome.label, outcome.status, f" as {outcome.bag}" if outcome.bag else "")
    return outcome


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class IngestOptions:
    """How to ingest (the CLI's options).

    :param defaults: collection defaults (JSON/TOML file or mapping) for absent fields.
    :param force: package records with errors too, recording the findings.
    :param serialize: also write each bag as a ``tar``/``tgz``/``zip`` archive (and keep
        only the archive); a bag kept from an earlier run gets the archive too.
    :param agent: the operator's name, recorded as a PREMIS agent.
    :param organisation: the depositing organisation (bag-info Source-Organization);
        required when the profile requires Source-Organization, as the shipped one does.
    :param profile: a :class:`~preserve.Profile`, a BagIt profile file or a shipped
        name (default ``preserve-deposit-v1``).
    :param format_policy: overrides the profile's format policy.
    :param processes: files hashed in parallel.
    :param pronom_signatures: a FIDO ``formats-vNNN.xml`` to use instead of the bundled
        PRONOM signatures (see ``docs/how-to/pronom-signatures.md``).
    :param pronom_container_signatures: a PRONOM container signature file to use instead.
    """

    defaults: StrPath | Mapping[str, Any] | None = None
    force: bool = False
    serialize: ArchiveFormat | None = None
    agent: str | None = None
    organisation: str | None = None
    profile: Profile | StrPath | None = None
    format_policy: FormatPolicy | None = None
    processes: int = 2
    pronom_signatures: StrPath | None = None
    pronom_container_signatures: StrPath | None = None


def ingest(
    source: StrPath,
    out: StrPath,
    *,
    options: IngestOptions = IngestOptions(),
    clock: Clock = utc_now,
    progress: Progress = NO_PROGRESS,
    identifier: FormatIdentifier | None = None,
    extractor: Extractor | None = None,
) -> IngestResult:
    """Ingest every record in *source* into the deposit folder *out*.

    :param source: a folder laid out as in :mod:`preserve.ingestion.layout`, or one record file.
    :param out: the deposit folder (created if absent); bags go directly inside it, with
        ``ingest-report.json``.
    :param options: see :class:`IngestOptions`.
    :param clock: gives the time of events and of the report.
    :param progress: receives progress while bags are built.
    :param identifier: identifies formats (default: libmagic and PRONOM, with FIDO).
    :param extractor: turns record documents into records (default: preserve's).
    :raises UsageError: when SOURCE does not exist, DEPOSIT lies where records are read,
        the profile requires a Source-Organization and no organisation is given, or
        *options* is not an :class:`IngestOptions`.
    :raises ProfileError: when the profile cannot be loaded.
    :raises FormatIdentificationError: when libmagic is missing or the PRONOM signatures
        cannot be read.
    :raises DefaultsError: when the defaults file cannot be read.
    """
    _check_options(options)
    src, deposit = Path(source), Path(out)
    if not src.exists():
        msg = f"SOURCE {src} does not exist; give the folder holding records/ (and files/)"
        raise UsageError(msg)
    _check_deposit_place(src, deposit)
    if identifier is None:
        identifier = _default_identifier(options)
    started = isoformat_z(clock())
    runner = _Runner(deposit, options, identifier, clock=clock, progress=progress)
    profile = runner.profile
    _check_organisation(profile, options.organisation)
    records, input_findings = discover(src, extractor=extractor, exclude=[deposit])
    if not records and not input_findings:
        input_findings.append(INGEST_RULES.finding("ING-009", source=str(src)))
    prepared = prepare(records, defaults=options.defaults)
    deposit.mkdir(parents=True, exist_ok=True)
    outcomes = tuple(_logged(runner.run(item)) for item in prepared.items)
    result = IngestResult(
        source=str(src),
        deposit=str(deposit),
        profile=profile.info.identifier,
        outcomes=outcomes,
        findings=tuple(input_findings) + prepared.unplaced,
        started_at=started,
        finished_at=isoformat_z(clock()),
    )
    write_report(deposit, to_report(result))
    return result


def _default_identifier(options: IngestOptions) -> FormatIdentifier:
    """libmagic and PRONOM (FIDO); a missing libmagic or bad signatures stop the run here,
    before any work."""
    pronom = PronomIdentifier(
        signatures=options.pronom_signatures,
        container_signatures=options.pronom_container_signatures,
    )
    both = PronomMagicIdentifier(pronom=pronom)
    both.check()
    return both


@dataclasses.dataclass
class _Runner:
    """Builds each record's bag in *deposit*; what it needs besides comes from *options*
    (the profile and its format policy), *identifier* (its tools, named in PREMIS) and
    the deposit's previous report (the input digests of the bags already there)."""

    deposit: Path
    options: IngestOptions
    identifier: FormatIdentifier
    clock: Clock
    progress: Progress
    profile: Profile = dataclasses.field(init=False)
    policy: FormatPolicy = dataclasses.field(init=False)
    tools: tuple[ToolInfo, ...] = dataclasses.field(init=False)
    previous: dict[str, str] = dataclasses.field(init=False)
    previous_keys: dict[str, str] = dataclasses.field(init=False)
    claimed: dict[str, str] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        self.profile = as_profile(self.options.profile or DEFAULT_PROFILE)
        self.policy = self.options.format_policy or profile_policy(self.profile)
        ident = self.identifier
        self.tools = ident.tools() if isinstance(ident, DescribedIdentifier) else ()
        self.previous = previous_digests(self.deposit)
        self.previous_keys = previous_keys(self.deposit)

    def run(self, item: Prepared) -> RecordOutcome:
        rec = item.input
        findings = list(item.findings)
        try:
            formats, sizes = self._identify(rec)
            digest = input_digest(item.record, rec.payload, options=_options_key(self.profile))
        except OSError as e:
            reason = f"{e.filename}: {e.strerror or e}; check that the file is readable"
            failure = INGEST_RULES.finding("ING-007", record=item.label, reason=reason)
            return RecordOutcome(
                key=rec.key, label=item.label, status="refused", findings=(*findings, failure)
            )
        item = self._named(item, digest)
        for p in rec.payload:
            # The record's own document is text by nature (a page, its HTML, JSON):
            # the deposit's policy governs the files supplied with it.
            own = str(p.source) == rec.loaded.source
            found = check_formats(
                [(f"data/{p.name}", formats[str(p.source)], sizes[str(p.source)])],
                RECORD_FILE_POLICY if own else self.policy,
                record=item.label,
            )
            findings += [dataclasses.replace(f, source=str(p.source)) for f in found]
        base = RecordOutcome(
            key=rec.key,
            label=item.label,
            status="refused",
            bag=item.bag,
            files=len(rec.payload),
            size=sum(sizes.values()),
        )
        if item.bag in self.claimed:
            clash = INGEST_RULES.finding(
                "ING-005", record=item.label, bag=item.bag, other=self.claimed[item.bag]
            )
            return dataclasses.replace(base, bag=None, findings=(*findings, clash))
        self.claimed[item.bag] = rec.key
        base = dataclasses.replace(base, input_digest=digest)
        existing = find_kept(self.deposit, item.bag, self.options.serialize)
        if existing is not None:
            if self._recorded_digest(item.bag, existing) == digest:
                return self._keep(item, base, findings, existing)
            clash = INGEST_RULES.finding("ING-006", record=item.label, bag=existing.name)
            return dataclasses.replace(base, findings=(*findings, clash))
        errors = sorted({f.code for f in findings if f.is_error})
        if errors and (not self.options.force or _NEVER_FORCED & set(errors)):
            refusal = INGEST_RULES.finding("ING-001", record=item.label, codes=", ".join(errors))
            return dataclasses.replace(base, findings=(*findings, refusal))
        if errors:
            findings.append(
                INGEST_RULES.finding("ING-002", record=item.label, codes=", ".join(errors))
            )
        return self._package(item, base, findings, formats, digest)

    def _identify(self, rec: RecordInput) -> tuple[dict[str, FormatInfo], dict[str, int]]:
        """Formats and sizes of the payload; an unreadable file raises OSError (the
        record fails, not the run), a missing libmagic FormatIdentificationError."""
        formats: dict[str, FormatInfo] = {}
        sizes: dict[str, int] = {}
        for p in rec.payload:
            with p.source.open("rb") as f:  # readable? (libmagic's own error is vaguer)
                sizes[str(p.source)] = os.fstat(f.fileno()).st_size
            formats[str(p.source)] = self.identifier.identify(p.source)
            # The bag's inventory names sources by absolute path; premis_tag_hook
            # looks formats up in that form, so a relative SOURCE keeps its formats.
        return formats, sizes

    def _package(
        self,
        item: Prepared,
        base: RecordOutcome,
        findings: list[Finding],
        formats: dict[str, FormatInfo],
        digest: str,
    ) -> RecordOutcome:
        rec = item.input
        facts = IngestFacts(
            identifier=item.bag,
            findings=tuple(findings),
            schema=SchemaRef(name=SCHEMA_FILE, version=SCHEMA_VERSION),
            extracted_from=Path(rec.loaded.source).name if rec.extracted else None,
            operator=self.options.agent,
            organisation=self.options.organisation,
            forced=self.options.force,
            serialization=self.options.serialize,
            started=self.clock(),
            format_tools=self.tools,
        )
        with tempfile.TemporaryDirectory(prefix=".preserve-ingest-", dir=self.deposit) as tmp:
            sources = list(rec.sources) or [
                _record_as_payload(item.record, Path(tmp), formats, self.identifier)
            ]
            job = PackageJob(
                bag=self.deposit / item.bag,
                record=item.record,
                sources=sources,
                findings=findings,
                facts=facts,
                formats=formats,
                bag_info=self._bag_info(item, digest),
            )
            try:
                archive, problems = build_package(
                    job,
                    profile=self.profile,
                    serialize=self.options.serialize,
                    clock=self.clock,
                    progress=_Labelled(self.progress, item.bag),
                    processes=self.options.processes,
                )
            except (BagError, UsageError, OSError) as e:
                reason = f"{e.strerror or e} ({e.filename})" if isinstance(e, OSError) else str(e)
                failure = INGEST_RULES.finding("ING-007", record=item.label, reason=reason)
                return dataclasses.replace(base, findings=(*findings, failure))
        if problems:
            return dataclasses.replace(base, findings=(*findings, *problems))
        return dataclasses.replace(
            base, status="packaged", archive=archive, findings=tuple(findings)
        )

    def _bag_info(self, item: Prepared, digest: str) -> dict[str, str]:
        record = item.record
        info = {
            # The organisation transferring the content (BagIt 2.2.2): given, never guessed.
            "Source-Organization": self.options.organisation or "",
            "External-Identifier": _citation(record) or item.input.key,
            "External-Description": str(record.get("title") or "")[:500],
            "Bagging-Date": isoformat_z(self.clock())[:10],
            "BagIt-Profile-Identifier": self.profile.info.identifier,
            INPUT_DIGEST_LABEL: digest,
        }
        if self.options.agent:
            info["Contact-Name"] = self.options.agent
        return {k: _one_line(v) for k, v in info.items() if _one_line(v)}

    def _named(self, item: Prepared, digest: str) -> Prepared:
        """*item* under the name an earlier preserve gave its bag (Cyrillic and en
        dashes dropped), when that bag is there and is this record's: built from the
        same input, or listed for the same record file in the previous report. So an
        existing deposit's bags keep their names."""
        old = item.legacy_bag
        if not old or old == item.bag or old in self.claimed:
            return item
        kept = find_kept(self.deposit, old, None)
        if kept is None:
            return item
        if (
            self._recorded_digest(old, kept) == digest
            or self.previous_keys.get(old) == item.input.key
        ):
            return dataclasses.replace(item, bag=old)
        return item

    def _keep(
        self, item: Prepared, base: RecordOutcome, findings: list[Finding], kept: Path
    ) -> RecordOutcome:
        """The bag an earlier run built from this input: unchanged when it is whole (and
        is, or is made into, the archive ``--serialize`` asks for); else ING-011."""
        problem = damage(kept, item.bag)
        fmt = self.options.serialize
        archive = kept.name if kept.name != item.bag else None
        if problem is None and fmt is not None and kept.name != item.bag + ARCHIVE_SUFFIX[fmt]:
            try:
                problem = serialize_kept(kept, item.bag, fmt, processes=self.options.processes)
            except BagError as e:
                failure = INGEST_RULES.finding("ING-007", record=item.label, reason=str(e))
                return dataclasses.replace(base, findings=(*findings, failure))
            if problem is None:
                made = item.bag + ARCHIVE_SUFFIX[fmt]
                return dataclasses.replace(
                    base, status="packaged", archive=made, findings=tuple(findings)
                )
        if problem is not None:
            damaged = INGEST_RULES.finding(
                "ING-011", record=item.label, bag=kept.name, reason=problem, source=str(kept)
            )
            return dataclasses.replace(base, findings=(*findings, damaged))
        return dataclasses.replace(
            base, status="unchanged", archive=archive, findings=tuple(findings)
        )

    def _recorded_digest(self, bag: str, existing: Path) -> str | None:
        if bag in self.previous:
            return self.previous[bag]
        return stored_digest(existing) if existing.is_dir() else None


@dataclasses.dataclass(frozen=True)
class _Labelled:
    """Progress of one bag's build, its steps named after the bag."""

    inner: Progress
    label: str

    def start(self, description: str, *, total_bytes: int | None, total_files: int | None) -> None:
        self.inner.start(
            f"{self.label}: {description}", total_bytes=total_bytes, total_files=total_files
        )

    def advance(self, *, nbytes: int = 0, files: int = 0) -> None:
        self.inner.advance(nbytes=nbytes, files=files)

    def finish(self) -> None:
        self.inner.finish()


def _check_options(options: IngestOptions) -> None:
    if not isinstance(options, IngestOptions):
        takes = "a preserve.IngestOptions (for a mapping m: IngestOptions(**m))"
        raise not_accepted(options, argument="options", accepts=takes)
    if isinstance(options.processes, bool) or not isinstance(options.processes, int):
        msg = f"IngestOptions processes is {options.processes!r}; it takes a whole number"
        raise UsageError(msg)
    if options.processes < 1:
        msg = f"IngestOptions processes must be at least 1, not {options.processes}"
        raise UsageError(msg)
    if options.serialize is not None and options.serialize not in ("tar", "tgz", "zip"):
        msg = f"IngestOptions serialize is {options.serialize!r}; it takes 'tar', 'tgz' or 'zip'"
        raise UsageError(msg)


def _check_deposit_place(source: Path, deposit: Path) -> None:
    """DEPOSIT may sit directly in SOURCE (it is then skipped), but not deeper, where the
    bags' own data/ files would be read as records on the next run."""
    src, dep = source.resolve(), deposit.resolve()
    if not source.is_dir() or not dep.is_relative_to(src):
        return
    if dep == src or dep.parent != src or dep.name in {"records", "files"}:
        msg = (
            f"the deposit {deposit} is inside SOURCE {source}, where its bags would be read "
            "as records; choose an --out folder outside SOURCE"
        )
        raise UsageError(msg)


def _one_line(value: str) -> str:
    """A bag-info value from record text: one line, no control characters (a title may
    hold line breaks; BagIt values cannot)."""
    return " ".join("".join(c if c.isprintable() else " " for c in value).split())


def _options_key(profile: Profile) -> str:
    return f"profile={profile.info.identifier}"


def _citation(record: Mapping[str, Any]) -> str | None:
    ref = record.get("archive_reference")
    value = ref.get("citation") if isinstance(ref, dict) else None
    return value if isinstance(value, str) else None


def _check_organisation(profile: Profile, organisation: str | None) -> None:
    """Refuse to start when the profile needs a Source-Organization and none is given.

    Source-Organization is the organisation transferring the content (BagIt 2.2.2),
    not the archive holding the originals: it is never taken from the record.
    """
    if organisation and organisation.strip():
        return
    if any(r.label.lower() == "source-organization" and r.required for r in profile.bag_info):
        msg = (
            f"the profile {profile.info.identifier} requires Source-Organization, the "
            "organisation depositing the bags: give it (--organisation NAME or "
            "PRESERVE_ORGANISATION on the command line, IngestOptions(organisation=NAME) "
            "in Python); it is never guessed from the records"
        )
        raise UsageError(msg)


def _record_as_payload(
    record: Mapping[str, Any],
    folder: Path,
    formats: dict[str, FormatInfo],
    identifier: FormatIdentifier,
) -> Path:
    """A record read from a multi-record file with no files/ folder: its JSON is the payload
    (identified like any other payload file, so its PREMIS names its PRONOM format too)."""
    path = folder / "record.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    formats[str(path)] = identifier.identify(path)
    return path
