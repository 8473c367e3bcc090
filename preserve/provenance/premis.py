"""Build a PREMIS 3.0 document (``premis:premis``) from a :class:`~.model.Provenance`.

The document holds, in the order the schema requires: the intellectual entity (the
record) and one ``file`` object per payload file, then the events, the agents and the
rights statement. Controlled values carry LoC vocabulary URIs (see :mod:`.vocab`).
"""

from __future__ import annotations

import re

from lxml import etree

from preserve.clock import isoformat_z
from preserve.formats.identify import FormatInfo, PronomMatch
from preserve.provenance.model import ALL_FILES, Agent, Event, PayloadObject, Provenance, Rights
from preserve.provenance.vocab import (
    AGENT_ROLES,
    AGENT_TYPES,
    EVENT_TYPES,
    FORMAT_REGISTRY_ROLES,
    HASH_FUNCTIONS,
    OBJECT_ROLES,
    OUTCOMES,
    RELATIONSHIP_TYPES,
    RIGHTS_BASIS,
    Term,
    copyright_status,
)

PREMIS_NS = "http://www.loc.gov/premis/v3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
PREMIS_SCHEMA_LOCATION = "https://www.loc.gov/standards/premis/v3/premis-v3-0.xsd"
LOCAL = "local"
_NSMAP = {"premis": PREMIS_NS, "xsi": XSI_NS}

# MARC country codes for the copyright jurisdiction (the schema requires one).
_UNKNOWN_JURISDICTION = ("xx", "No place, unknown, or undetermined")
_US_JURISDICTION = ("xxu", "United States")


# XML 1.0 allows tab, LF, CR and these ranges; anything else (control characters, lone
# surrogates from undecodable file names) is written as a visible \uXXXX escape instead.
_XML_UNSAFE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


# libmagic names versions as "PDF document, version 1.4" or "XML 1.0 document".
_VERSION = re.compile(r"(?:version |^XML )(\d+(?:\.\d+)*)\b")


def xml_text(text: str) -> str:
    """*text* with characters XML 1.0 cannot hold replaced by ``\\uXXXX`` escapes."""
    return _XML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _q(name: str) -> str:
    return f"{{{PREMIS_NS}}}{name}"


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _q(name))
    if text is not None:
        element.text = xml_text(text)
    return element


def _term(parent: etree._Element, name: str, term: Term) -> etree._Element:
    element = _sub(parent, name, term.label)
    element.set("authority", term.scheme)
    element.set("authorityURI", term.authority_uri)
    element.set("valueURI", term.value_uri)
    return element


def _identifier(parent: etree._Element, prefix: str, kind: str, value: str) -> None:
    holder = _sub(parent, f"{prefix}Identifier")
    _sub(holder, f"{prefix}IdentifierType", kind)
    _sub(holder, f"{prefix}IdentifierValue", value)


def build_premis(provenance: Provenance) -> etree._Element:
    """The ``premis:premis`` element for *provenance*.

    :param provenance: what to record.
    :returns: the root element; write it with :func:`preserve.provenance.serialize.to_bytes`.
    """
    root = etree.Element(_q("premis"), nsmap=_NSMAP)
    root.set("version", "3.0")
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{PREMIS_NS} {PREMIS_SCHEMA_LOCATION}")
    _entity(root, provenance)
    for obj in provenance.objects:
        _file_object(root, provenance, obj)
    for number, event in enumerate(provenance.events, start=1):
        _event(root, provenance, event, number)
    for agent in provenance.agents:
        _agent(root, agent)
    if provenance.rights is not None:
        _rights(root, provenance, provenance.rights)
    return root


def _object(root: etree._Element, kind: str) -> etree._Element:
    element = _sub(root, "object")
    element.set(f"{{{XSI_NS}}}type", f"premis:{kind}")
    return element


def _entity(root: etree._Element, provenance: Provenance) -> None:
    entity = _object(root, "intellectualEntity")
    _identifier(entity, "object", LOCAL, provenance.entity_id)
    for kind, value in provenance.entity_identifiers:
        _identifier(entity, "object", kind, value)
    if provenance.title:
        props = _sub(entity, "significantProperties")
        _sub(props, "significantPropertiesType", "title")
        _sub(props, "significantPropertiesValue", provenance.title)
    if provenance.objects:
        relationship = _sub(entity, "relationship")
        _term(relationship, "relationshipType", RELATIONSHIP_TYPES["str"])
        _sub(relationship, "relationshipSubType", "includes")
        for obj in provenance.objects:
            related = _sub(relationship, "relatedObjectIdentifier")
            _sub(related, "relatedObjectIdentifierType", LOCAL)
            _sub(related, "relatedObjectIdentifierValue", provenance.object_id(obj.path))
    if provenance.rights is not None:
        _identifier(entity, "linkingRightsStatement", LOCAL, provenance.rights_id)


def _file_object(root: etree._Element, provenance: Provenance, obj: PayloadObject) -> None:
    element = _object(root, "file")
    _identifier(element, "object", LOCAL, provenance.object_id(obj.path))
    characteristics = _sub(element, "objectCharacteristics")
    _sub(characteristics, "compositionLevel", "0")
    for algorithm in sorted(obj.digests):
        fixity = _sub(characteristics, "fixity")
        term = HASH_FUNCTIONS.get(algorithm)
        if term is None:
            _sub(fixity, "messageDigestAlgorithm", algorithm)
        else:
            _term(fixity, "messageDigestAlgorithm", term)
        _sub(fixity, "messageDigest", obj.digests[algorithm])
        _sub(fixity, "messageDigestOriginator", "preserve")
    _sub(characteristics, "size", str(obj.size))
    _format(characteristics, obj.format)
    _sub(element, "originalName", obj.original_name)
    storage = _sub(element, "storage")
    location = _sub(storage, "contentLocation")
    _sub(location, "contentLocationType", "BagIt payload path")
    _sub(location, "contentLocationValue", obj.path)
    if provenance.rights is not None:
        _identifier(element, "linkingRightsStatement", LOCAL, provenance.rights_id)


PRONOM = "PRONOM"
"""The format registry PUIDs belong to (The National Archives, UK)."""
PRONOM_URI = "https://www.nationalarchives.gov.uk/PRONOM/"


def _pronom_format(parent: etree._Element, pronom: PronomMatch) -> None:
    """The PRONOM designation and registry entry of one file (issue 16)."""
    if pronom.puid is None:
        return
    fmt = _sub(parent, "format")
    designation = _sub(fmt, "formatDesignation")
    _sub(designation, "formatName", pronom.name or pronom.puid)
    if pronom.version:
        _sub(designation, "formatVersion", pronom.version)
    registry = _sub(fmt, "formatRegistry")
    _sub(registry, "formatRegistryName", PRONOM)
    key = _sub(registry, "formatRegistryKey", pronom.puid)
    key.set("valueURI", f"{PRONOM_URI}{pronom.puid}")
    _term(registry, "formatRegistryRole", FORMAT_REGISTRY_ROLES["spe"])
    note = f"identified in PRONOM by FIDO: {pronom.basis} match"
    if pronom.alternatives:
        note += f"; also matched: {', '.join(pronom.alternatives)}"
    _sub(fmt, "formatNote", note)


def _format(parent: etree._Element, info: FormatInfo | None) -> None:
    if info is not None and info.pronom is not None:
        _pronom_format(parent, info.pronom)
    fmt = _sub(parent, "format")
    designation = _sub(fmt, "formatDesignation")
    _sub(designation, "formatName", info.mime if info else "application/octet-stream")
    version = _VERSION.search(info.description) if info else None
    if version:
        _sub(designation, "formatVersion", version.group(1))
    if info is None:
        _sub(fmt, "formatNote", "format not identified")
        return
    _sub(fmt, "formatNote", info.description)
    if info.encoding:
        _sub(fmt, "formatNote", f"character encoding: {info.encoding}")
    if info.pronom is not None and info.pronom.puid is None:
        _sub(fmt, "formatNote", "PRONOM: not identified (FIDO found no signature or extension)")


def _event(root: etree._Element, provenance: Provenance, event: Event, number: int) -> None:
    element = _sub(root, "event")
    _identifier(element, "event", LOCAL, f"{provenance.identifier}/events/{number}-{event.type}")
    _term(element, "eventType", EVENT_TYPES[event.type])
    _sub(element, "eventDateTime", isoformat_z(event.when))
    _sub(_sub(element, "eventDetailInformation"), "eventDetail", event.detail)
    outcome = _sub(element, "eventOutcomeInformation")
    _term(outcome, "eventOutcome", OUTCOMES[event.outcome])
    for note in event.outcome_notes:
        _sub(_sub(outcome, "eventOutcomeDetail"), "eventOutcomeDetailNote", note)
    for agent_id, agent_role in event.agents:
        link = _sub(element, "linkingAgentIdentifier")
        _sub(link, "linkingAgentIdentifierType", LOCAL)
        _sub(link, "linkingAgentIdentifierValue", agent_id)
        _term(link, "linkingAgentRole", AGENT_ROLES[agent_role])
    for object_id, role in event.objects:
        ids = (
            [provenance.object_id(o.path) for o in provenance.objects]
            if object_id == ALL_FILES
            else [object_id]
        )
        for value in ids:
            link = _sub(element, "linkingObjectIdentifier")
            _sub(link, "linkingObjectIdentifierType", LOCAL)
            _sub(link, "linkingObjectIdentifierValue", value)
            _term(link, "linkingObjectRole", OBJECT_ROLES[role])


def _agent(root: etree._Element, agent: Agent) -> None:
    element = _sub(root, "agent")
    _identifier(element, "agent", LOCAL, agent.identifier)
    _sub(element, "agentName", agent.name)
    _term(element, "agentType", AGENT_TYPES[agent.type])
    if agent.version is not None:
        _sub(element, "agentVersion", agent.version)
    if agent.note is not None:
        _sub(element, "agentNote", agent.note)


def _rights(root: etree._Element, provenance: Provenance, rights: Rights) -> None:
    statement = _sub(_sub(root, "rights"), "rightsStatement")
    _identifier(statement, "rightsStatement", LOCAL, provenance.rights_id)
    _term(statement, "rightsBasis", RIGHTS_BASIS["cop"])
    info = _sub(statement, "copyrightInformation")
    status = copyright_status(rights.uri)
    _term(info, "copyrightStatus", status)
    code, label = rights.jurisdiction or (
        _US_JURISDICTION if rights.uri and "/NoC-US/" in rights.uri else _UNKNOWN_JURISDICTION
    )
    jurisdiction = _sub(info, "copyrightJurisdiction", code)
    jurisdiction.set("authority", "marccountry")
    jurisdiction.set("authorityURI", "http://id.loc.gov/vocabulary/countries")
    jurisdiction.set("valueURI", f"http://id.loc.gov/vocabulary/countries/{code}")
    note = rights.statement or f"see {rights.uri} (jurisdiction: {label})"
    _sub(info, "copyrightNote", note)
    if rights.uri:
        doc = _sub(info, "copyrightDocumentationIdentifier")
        _sub(doc, "copyrightDocumentationIdentifierType", "URI")
        _sub(doc, "copyrightDocumentationIdentifierValue", rights.uri)
        _sub(doc, "copyrightDocumentationRole", "rights statement")
    link = _sub(statement, "linkingObjectIdentifier")
    _sub(link, "linkingObjectIdentifierType", LOCAL)
    _sub(link, "linkingObjectIdentifierValue", provenance.entity_id)
