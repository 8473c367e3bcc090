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


def qname(name: str) -> str:
    """The PREMIS-namespaced tag ``{ns}name`` that lxml expects."""
    return f"{{{PREMIS_NS}}}{name}"


def sub_element(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    """A new PREMIS element *name* under *parent*, with *text* made safe for XML."""
    element = etree.SubElement(parent, qname(name))
    if text is not None:
        element.text = xml_text(text)
    return element


def _term(parent: etree._Element, name: str, term: Term) -> etree._Element:
    element = sub_element(parent, name, term.label)
    element.set("authority", term.scheme)
    element.set("authorityURI", term.authority_uri)
    element.set("valueURI", term.value_uri)
    return element


def _identifier(parent: etree._Element, prefix: str, kind: str, value: str) -> None:
    holder = sub_element(parent, f"{prefix}Identifier")
    sub_element(holder, f"{prefix}IdentifierType", kind)
    sub_element(holder, f"{prefix}IdentifierValue", value)


def build_premis(provenance: Provenance) -> etree._Element:
    """The ``premis:premis`` element for *provenance*.

    :param provenance: what to record.
    :returns: the root element; write it with :func:`preserve.provenance.serialize.to_bytes`.
    """
    root = etree.Element(qname("premis"), nsmap=_NSMAP)
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
    element = sub_element(root, "object")
    element.set(f"{{{XSI_NS}}}type", f"premis:{kind}")
    return element


def _entity(root: etree._Element, provenance: Provenance) -> None:
    entity = _object(root, "intellectualEntity")
    _identifier(entity, "object", LOCAL, provenance.entity_id)
    for kind, value in provenance.entity_identifiers:
        _identifier(entity, "object", kind, value)
    if provenance.title:
        props = sub_element(entity, "significantProperties")
        sub_element(props, "significantPropertiesType", "title")
        sub_element(props, "significantPropertiesValue", provenance.title)
    if provenance.objects:
        relationship = sub_element(entity, "relationship")
        _term(relationship, "relationshipType", RELATIONSHIP_TYPES["str"])
        sub_element(relationship, "relationshipSubType", "includes")
        for obj in provenance.objects:
            related = sub_element(relationship, "relatedObjectIdentifier")
            sub_element(related, "relatedObjectIdentifierType", LOCAL)
            sub_element(related, "relatedObjectIdentifierValue", provenance.object_id(obj.path))
    if provenance.rights is not None:
        _identifier(entity, "linkingRightsStatement", LOCAL, provenance.rights_id)


def _file_object(root: etree._Element, provenance: Provenance, obj: PayloadObject) -> None:
    element = _object(root, "file")
    _identifier(element, "object", LOCAL, provenance.object_id(obj.path))
    characteristics = sub_element(element, "objectCharacteristics")
    sub_element(characteristics, "compositionLevel", "0")
    for algorithm in sorted(obj.digests):
        fixity = sub_element(characteristics, "fixity")
        term = HASH_FUNCTIONS.get(algorithm)
        if term is None:
            sub_element(fixity, "messageDigestAlgorithm", algorithm)
        else:
            _term(fixity, "messageDigestAlgorithm", term)
        sub_element(fixity, "messageDigest", obj.digests[algorithm])
        sub_element(fixity, "messageDigestOriginator", "preserve")
    sub_element(characteristics, "size", str(obj.size))
    _format(characteristics, obj.format)
    sub_element(element, "originalName", obj.original_name)
    storage = sub_element(element, "storage")
    location = sub_element(storage, "contentLocation")
    sub_element(location, "contentLocationType", "BagIt payload path")
    sub_element(location, "contentLocationValue", obj.path)
    if provenance.rights is not None:
        _identifier(element, "linkingRightsStatement", LOCAL, provenance.rights_id)


PRONOM = "PRONOM"
"""The format registry PUIDs belong to (The National Archives, UK)."""
PRONOM_URI = "https://www.nationalarchives.gov.uk/PRONOM/"


def _pronom_format(parent: etree._Element, pronom: PronomMatch) -> None:
    """The PRONOM designation and registry entry of one file (issue 16)."""
    if pronom.puid is None:
        return
    fmt = sub_element(parent, "format")
    designation = sub_element(fmt, "formatDesignation")
    sub_element(designation, "formatName", pronom.name or pronom.puid)
    if pronom.version:
        sub_element(designation, "formatVersion", pronom.version)
    registry = sub_element(fmt, "formatRegistry")
    sub_element(registry, "formatRegistryName", PRONOM)
    key = sub_element(registry, "formatRegistryKey", pronom.puid)
    key.set("valueURI", f"{PRONOM_URI}{pronom.puid}")
    _term(registry, "formatRegistryRole", FORMAT_REGISTRY_ROLES["spe"])
    note = f"identified in PRONOM by FIDO: {pronom.basis} match"
    if pronom.alternatives:
        note += f"; also matched: {', '.join(pronom.alternatives)}"
    sub_element(fmt, "formatNote", note)


def _format(parent: etree._Element, info: FormatInfo | None) -> None:
    if info is not None and info.pronom is not None:
        _pronom_format(parent, info.pronom)
    fmt = sub_element(parent, "format")
    designation = sub_element(fmt, "formatDesignation")
    sub_element(designation, "formatName", info.mime if info else "application/octet-stream")
    version = _VERSION.search(info.description) if info else None
    if version:
        sub_element(designation, "formatVersion", version.group(1))
    if info is None:
        sub_element(fmt, "formatNote", "format not identified")
        return
    sub_element(fmt, "formatNote", info.description)
    if info.encoding:
        sub_element(fmt, "formatNote", f"character encoding: {info.encoding}")
    if info.pronom is not None and info.pronom.puid is None:
        sub_element(
            fmt, "formatNote", "PRONOM: not identified (FIDO found no signature or extension)"
        )


def _event(root: etree._Element, provenance: Provenance, event: Event, number: int) -> None:
    element = sub_element(root, "event")
    _identifier(element, "event", LOCAL, f"{provenance.identifier}/events/{number}-{event.type}")
    _term(element, "eventType", EVENT_TYPES[event.type])
    sub_element(element, "eventDateTime", isoformat_z(event.when))
    sub_element(sub_element(element, "eventDetailInformation"), "eventDetail", event.detail)
    outcome = sub_element(element, "eventOutcomeInformation")
    _term(outcome, "eventOutcome", OUTCOMES[event.outcome])
    for note in event.outcome_notes:
        sub_element(sub_element(outcome, "eventOutcomeDetail"), "eventOutcomeDetailNote", note)
    for agent_id, agent_role in event.agents:
        link = sub_element(element, "linkingAgentIdentifier")
        sub_element(link, "linkingAgentIdentifierType", LOCAL)
        sub_element(link, "linkingAgentIdentifierValue", agent_id)
        _term(link, "linkingAgentRole", AGENT_ROLES[agent_role])
    for object_id, role in event.objects:
        ids = (
            [provenance.object_id(o.path) for o in provenance.objects]
            if object_id == ALL_FILES
            else [object_id]
        )
        for value in ids:
            link = sub_element(element, "linkingObjectIdentifier")
            sub_element(link, "linkingObjectIdentifierType", LOCAL)
            sub_element(link, "linkingObjectIdentifierValue", value)
            _term(link, "linkingObjectRole", OBJECT_ROLES[role])


def _agent(root: etree._Element, agent: Agent) -> None:
    element = sub_element(root, "agent")
    _identifier(element, "agent", LOCAL, agent.identifier)
    sub_element(element, "agentName", agent.name)
    _term(element, "agentType", AGENT_TYPES[agent.type])
    if agent.version is not None:
        sub_element(element, "agentVersion", agent.version)
    if agent.note is not None:
        sub_element(element, "agentNote", agent.note)


def _rights(root: etree._Element, provenance: Provenance, rights: Rights) -> None:
    statement = sub_element(sub_element(root, "rights"), "rightsStatement")
    _identifier(statement, "rightsStatement", LOCAL, provenance.rights_id)
    _term(statement, "rightsBasis", RIGHTS_BASIS["cop"])
    info = sub_element(statement, "copyrightInformation")
    status = copyright_status(rights.uri)
    _term(info, "copyrightStatus", status)
    code, label = rights.jurisdiction or (
        _US_JURISDICTION if rights.uri and "/NoC-US/" in rights.uri else _UNKNOWN_JURISDICTION
    )
    jurisdiction = sub_element(info, "copyrightJurisdiction", code)
    jurisdiction.set("authority", "marccountry")
    jurisdiction.set("authorityURI", "http://id.loc.gov/vocabulary/countries")
    jurisdiction.set("valueURI", f"http://id.loc.gov/vocabulary/countries/{code}")
    note = rights.statement or f"see {rights.uri} (jurisdiction: {label})"
    sub_element(info, "copyrightNote", note)
    if rights.uri:
        doc = sub_element(info, "copyrightDocumentationIdentifier")
        sub_element(doc, "copyrightDocumentationIdentifierType", "URI")
        sub_element(doc, "copyrightDocumentationIdentifierValue", rights.uri)
        sub_element(doc, "copyrightDocumentationRole", "rights statement")
    link = sub_element(statement, "linkingObjectIdentifier")
    sub_element(link, "linkingObjectIdentifierType", LOCAL)
    sub_element(link, "linkingObjectIdentifierValue", provenance.entity_id)
