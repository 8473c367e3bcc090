"""Compose the provenance of one package from what preserve did to it.

:func:`package_provenance` turns a record, its findings and the bag's payload inventory
into a :class:`~.model.Provenance`: the record as intellectual entity, an object per file,
the events (metadata extraction, validation, format identification, message digest
calculation, information package creation, packing) and the agents that took part.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from preserve import __version__
from preserve.findings import Finding
from preserve.formats.identify import FormatInfo, ToolInfo
from preserve.provenance.model import ALL_FILES, Agent, Event, PayloadObject, Provenance, Rights
from preserve.provenance.vocab import HASH_FUNCTIONS, AgentRole, EventType, ObjectRole, Outcome


@dataclass(frozen=True, slots=True, kw_only=True)
class SchemaRef:
    """The schema records were validated against: its file name and version."""

    name: str = "record.schema.json"
    version: str = "1"


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestFacts:
    """What happened to a record before its package was built.

    :param identifier: the package identifier (the bag's name).
    :param findings: every finding about the record and its files (``FMT-…`` ones are
        recorded with format identification, the rest with validation).
    :param schema: the schema the record was validated against.
    :param extracted_from: the document the record was extracted from, if it was.
    :param operator: the person who ran preserve (``--agent`` or the environment).
    :param organisation: the organisation depositing (Source-Organization); when None the
        record's repository is named, as the holder of the originals.
    :param forced: whether the package was built despite errors (``--force``).
    :param serialization: ``tar``, ``tgz`` or ``zip`` when the bag is packed into an archive.
    :param started: when extraction and validation ran.
    :param software_version: preserve's version, recorded with the software agent.
    :param format_tools: the programs that identified the payload formats (libmagic, FIDO
        with its PRONOM signature files), recorded as agents of format identification.
    """

    identifier: str
    findings: Sequence[Finding] = ()
    schema: SchemaRef = SchemaRef()
    extracted_from: str | None = None
    operator: str | None = None
    organisation: str | None = None
    forced: bool = False
    serialization: str | None = None
    started: datetime | None = None
    software_version: str = __version__
    format_tools: tuple[ToolInfo, ...] = ()


def tool_agent(tool: ToolInfo) -> Agent:
    """The PREMIS software agent for a format identification tool."""
    return Agent(
        identifier=f"software/{tool.name}/{tool.version}",
        name=tool.name,
        type="sof",
        version=tool.version,
        note=tool.note,
    )


def _get(record: Mapping[str, Any], *keys: str) -> Any:
    value: Any = record
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def entity_identifiers(record: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """(type, value) identifiers of a record: archive reference, source record id, URL."""
    pairs = (
        ("archive reference", _text(_get(record, "archive_reference", "citation"))),
        ("source record id", _text(_get(record, "source", "record_id"))),
        ("URI", _text(_get(record, "source", "url"))),
    )
    return tuple((kind, value) for kind, value in pairs if value is not None)


def record_rights(record: Mapping[str, Any]) -> Rights | None:
    """The record's rights statement (URI and/or text), or None when it has neither."""
    uri = _text(_get(record, "rights", "uri"))
    statement = _text(_get(record, "rights", "statement"))
    if uri is None and statement is None:
        return None
    return Rights(uri=uri, statement=statement)


def _outcome(findings: Sequence[Finding]) -> Outcome:
    if any(f.is_error for f in findings):
        return "fai"
    return "war" if findings else "suc"


def _notes(findings: Sequence[Finding]) -> tuple[str, ...]:
    notes = []
    for f in findings:
        where = f.field or f.path or ""
        notes.append(f"{f.code} ({f.severity}){' ' + where if where else ''}: {f.message}")
    return tuple(notes)


def _agents(record: Mapping[str, Any], facts: IngestFacts) -> tuple[tuple[Agent, ...], str]:
    software = Agent(
        identifier=f"preserve/{facts.software_version}",
        name="preserve",
        type="sof",
        version=facts.software_version,
        note="digital preservation toolkit: record checks, BagIt packages, PREMIS provenance",
    )
    agents = [software, *(tool_agent(t) for t in facts.format_tools)]
    org_name = facts.organisation or _text(_get(record, "archive_reference", "repository"))
    if org_name:
        note = None if facts.organisation else "the archive that holds the original"
        agents.append(
            Agent(identifier=f"organization/{org_name}", name=org_name, type="org", note=note)
        )
    if facts.operator:
        agents.append(Agent(identifier=f"person/{facts.operator}", name=facts.operator, type="per"))
    return tuple(agents), software.identifier


_STRENGTH = {"sha512": 0, "sha384": 1, "sha256": 2, "sha224": 3, "sha1": 4, "md5": 5}


def _strongest_first(algorithm: str) -> tuple[int, str]:
    return (_STRENGTH.get(algorithm, 9), algorithm)


_Objects = tuple[tuple[str, ObjectRole], ...]
_Judged = tuple[Outcome, tuple[str, ...]]


def _judged(findings: Sequence[Finding], *extra: str) -> _Judged:
    """An event's outcome and notes from the findings it recorded (plus *extra* notes)."""
    return _outcome(findings), _notes(findings) + extra


@dataclass(frozen=True, slots=True)
class _Context:
    facts: IngestFacts
    agents: tuple[Agent, ...]
    software: str
    entity: str

    def links(
        self, role: AgentRole, *, authoriser: bool = False
    ) -> tuple[tuple[str, AgentRole], ...]:
        """preserve in *role*, the operator as implementer, and the depositing organisation
        as authoriser when *authoriser* and it was given (not taken from the record)."""
        authorises = authoriser and self.facts.organisation is not None
        links: list[tuple[str, AgentRole]] = [(self.software, role)]
        for agent in self.agents:
            if agent.type == "per":
                links.append((agent.identifier, "imp"))
            elif agent.type == "org" and authorises:
                links.append((agent.identifier, "aut"))
        return tuple(links)

    def event(
        self,
        kind: EventType,
        when: datetime,
        detail: str,
        *,
        on: _Objects,
        judged: _Judged = ("suc", ()),
        role: AgentRole = "exe",
        authoriser: bool = False,
        tools: Sequence[ToolInfo] = (),
    ) -> Event:
        """An event of preserve's (with *tools* as further executing agents)."""
        agents = self.links(role, authoriser=authoriser)
        agents += tuple((tool_agent(t).identifier, "exe") for t in tools)
        outcome, notes = judged
        return Event(
            type=kind,
            when=when,
            agents=agents,
            objects=on,
            detail=detail,
            outcome=outcome,
            outcome_notes=notes,
        )


def _checks(record: Mapping[str, Any], ctx: _Context, when: datetime) -> list[Event]:
    """Extraction, validation and format identification: before the bag is built."""
    facts = ctx.facts
    format_findings = [f for f in facts.findings if f.code.startswith("FMT-")]
    record_findings = [f for f in facts.findings if not f.code.startswith(("FMT-", "ING-"))]
    events: list[Event] = []
    if facts.extracted_from:
        inferred = [p for p in _get(record, "extraction", "inferred") or [] if isinstance(p, str)]
        guessed = tuple(f"inferred, not read: {p}" for p in inferred)
        said = f"record metadata extracted from {facts.extracted_from}"
        made: _Objects = ((ctx.entity, "out"),)
        judged: _Judged = ("war" if inferred else "suc", guessed)
        events.append(ctx.event("mee", when, said, on=made, judged=judged))
    forced = facts.forced and any(f.is_error for f in facts.findings)
    despite = ("packaged despite errors at the operator's request (--force)",) if forced else ()
    said = (
        f"record validated against JSON Schema {facts.schema.name} version "
        f"{facts.schema.version} and preserve {facts.software_version}'s record rules"
    )
    judged = _judged(record_findings, *despite)
    events.append(
        ctx.event("val", when, said, on=((ctx.entity, "sou"),), judged=judged, role="val")
    )
    tools = facts.format_tools
    named = " and ".join(
        f"{t.name} {t.version}" + (f" ({t.note})" if t.note else "") for t in tools
    )
    said = (
        f"payload file formats identified from their content with {named or 'libmagic'} "
        "and checked against the format policy"
    )
    judged = _judged(format_findings)
    events.append(
        ctx.event("for", when, said, on=((ALL_FILES, "sou"),), judged=judged, tools=tools)
    )
    return events


def _packaging(ctx: _Context, algorithms: Sequence[str], when: datetime) -> list[Event]:
    """Digests, package creation and packing: while the bag is built."""
    facts, entity = ctx.facts, ctx.entity
    packaging = [f for f in facts.findings if f.code.startswith("ING-")]
    names = " and ".join(HASH_FUNCTIONS[a].label if a in HASH_FUNCTIONS else a for a in algorithms)
    digested = (
        f"{names or 'no'} digests calculated for every payload file in one pass; "
        "they are the values in the bag's payload manifests"
    )
    created = (
        f"BagIt 1.0 package {facts.identifier} created, with this document in "
        "metadata/premis.xml covered by the tag manifests"
    )
    # Packaging problems (ING-...) do not stop a package that exists: a warning.
    judged: _Judged = ("war" if packaging else "suc", _notes(packaging))
    made: _Objects = ((entity, "out"), (ALL_FILES, "out"))
    events = [
        ctx.event("mes", when, digested, on=((ALL_FILES, "sou"),)),
        ctx.event("ipc", when, created, on=made, judged=judged, authoriser=True),
    ]
    if facts.serialization:
        packed = f"bag {facts.identifier} packed into a {facts.serialization} archive"
        events.append(ctx.event("pac", when, packed, on=((entity, "sou"),)))
    return events


def package_provenance(
    record: Mapping[str, Any],
    facts: IngestFacts,
    objects: Sequence[PayloadObject],
    *,
    now: datetime,
) -> Provenance:
    """The provenance of one package.

    :param record: the record (JSON data with the core fields of ``spec/records.md``).
    :param facts: what happened before the package was built.
    :param objects: the payload files, with the digests written to the manifests.
    :param now: when the package was built (from the injected clock).
    """
    agents, software = _agents(record, facts)
    ctx = _Context(facts, agents, software, facts.identifier)
    algorithms = sorted({a for o in objects for a in o.digests}, key=_strongest_first)
    events = _checks(record, ctx, facts.started or now) + _packaging(ctx, algorithms, now)
    return Provenance(
        identifier=facts.identifier,
        entity_identifiers=entity_identifiers(record),
        title=_text(record.get("title")),
        objects=tuple(objects),
        events=tuple(events),
        agents=agents,
        rights=record_rights(record),
    )


def payload_object(
    *,
    path: str,
    source: str,
    size: int,
    digests: Mapping[str, str],
    formats: Mapping[str, FormatInfo],
) -> PayloadObject:
    """A :class:`PayloadObject`, with its format looked up by source path (or by bag path)."""
    info = formats.get(source) or formats.get(path)
    return PayloadObject(
        path=path, original_name=source, size=size, digests=dict(digests), format=info
    )
