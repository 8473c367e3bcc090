"""Append a repair's PREMIS events to a bag's ``metadata/premis.xml`` in any store.

Two events from the Library of Congress eventType vocabulary: *replication* (``rep``:
the files copied in from the good copy, linked as outcome objects) and *fixity
check* (``fix``: the repaired copy verified afterwards). The document is parsed
safely (:func:`preserve.provenance.serialize.parse_premis`); a bag without one gets
a new document holding just these events. The tag manifests' lines for the file are
then rewritten with its new digests; no other manifest line changes.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from preserve import __version__
from preserve.bags.manifests import (
    algorithm_from_filename,
    format_manifest_line,
    hashlib_name,
    parse_manifest,
)
from preserve.clock import isoformat_z
from preserve.provenance.premis import (
    LOCAL,
    PREMIS_NS,
    PREMIS_SCHEMA_LOCATION,
    XSI_NS,
    qname,
    sub_element,
)
from preserve.provenance.serialize import parse_premis, to_bytes
from preserve.provenance.vocab import AGENT_ROLES, AGENT_TYPES, EVENT_TYPES, OUTCOMES, Term
from preserve.storage.base import ObjectMissingError, ObjectStore

PREMIS_PATH = "metadata/premis.xml"
_AGENT = f"preserve/{__version__}"


@dataclass(frozen=True, slots=True)
class RepairEvent:
    """What a repair did, for its PREMIS events (locations never carry credentials)."""

    when: datetime
    checked: datetime
    damaged: str
    source: str
    repaired: tuple[str, ...]
    refused: tuple[tuple[str, str], ...]
    verified: bool


def _term(parent: etree._Element, name: str, term: Term) -> None:
    element = sub_element(parent, name, term.label)
    element.set("authority", term.scheme)
    element.set("authorityURI", term.authority_uri)
    element.set("valueURI", term.value_uri)


def _pair(parent: etree._Element, prefix: str, value: str) -> etree._Element:
    holder = sub_element(parent, prefix)
    sub_element(holder, f"{prefix}Type", LOCAL)
    sub_element(holder, f"{prefix}Value", value)
    return holder


def _event(
    root: etree._Element, ident: str, code: str, when: datetime, detail: str
) -> etree._Element:
    event = etree.Element(qname("event"))
    root.append(event)
    _pair(event, "eventIdentifier", ident)
    _term(event, "eventType", EVENT_TYPES[code])
    sub_element(event, "eventDateTime", isoformat_z(when))
    sub_element(sub_element(event, "eventDetailInformation"), "eventDetail", detail)
    return event


def _outcome(event: etree._Element, code: str, notes: list[str]) -> None:
    outcome = sub_element(event, "eventOutcomeInformation")
    _term(outcome, "eventOutcome", OUTCOMES[code])
    for note in notes:
        sub_element(sub_element(outcome, "eventOutcomeDetail"), "eventOutcomeDetailNote", note)
    link = _pair(event, "linkingAgentIdentifier", _AGENT)
    _term(link, "linkingAgentRole", AGENT_ROLES["exe"])


def _new_document() -> etree._Element:
    root = etree.Element(qname("premis"), nsmap={"premis": PREMIS_NS, "xsi": XSI_NS})
    root.set("version", "3.0")
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{PREMIS_NS} {PREMIS_SCHEMA_LOCATION}")
    return root


def _place(root: etree._Element, elements: list[etree._Element]) -> None:
    """Put the events after the last object or event, as PREMIS orders them."""
    before = [e for e in root if e.tag in (qname("object"), qname("event"))]
    index = root.index(before[-1]) + 1 if before else 0
    for offset, element in enumerate(elements):
        root.insert(index + offset, element)


def _ensure_agent(root: etree._Element) -> None:
    for value in root.iter(qname("agentIdentifierValue")):
        if value.text == _AGENT:
            return
    agent = etree.Element(qname("agent"))
    rights = [e for e in root if e.tag == qname("rights")]
    if rights:
        rights[0].addprevious(agent)
    else:
        root.append(agent)
    _pair(agent, "agentIdentifier", _AGENT)
    sub_element(agent, "agentName", "preserve")
    _term(agent, "agentType", AGENT_TYPES["sof"])
    sub_element(agent, "agentVersion", __version__)


def repair_events(root: etree._Element, event: RepairEvent) -> None:
    """Add the replication and fixity-check events of *event* to a PREMIS document."""
    stamp = isoformat_z(event.when)
    detail = f"replaced {len(event.repaired)} damaged or missing file(s) in {event.damaged} "
    rep = _event(
        root=root,
        ident=f"repair/{stamp}/replication",
        code="rep",
        when=event.when,
        detail=detail + f"from {event.source}",
    )
    notes = [f"replaced {p}" for p in event.repaired]
    notes += [f"not repaired {p}: {why}" for p, why in event.refused]
    _outcome(rep, "war" if event.refused else "suc", notes)
    for path in event.repaired:
        link = _pair(rep, "linkingObjectIdentifier", path)
        _term(link, "linkingObjectRole", Term("eventRelatedObjectRole", "out", "outcome"))
    fix = _event(
        root=root,
        ident=f"repair/{stamp}/fixity",
        code="fix",
        when=event.checked,
        detail=f"verified {event.damaged} after the repair",
    )
    _outcome(fix, "suc" if event.verified else "fai", [])
    root.remove(rep)
    root.remove(fix)
    _place(root, [rep, fix])
    _ensure_agent(root)


def append_repair_events(store: ObjectStore, event: RepairEvent) -> None:
    """Write the events into the stored bag's premis.xml and update its tag manifest lines."""
    try:
        root = parse_premis(store.read(PREMIS_PATH), source=f"{store.url}/{PREMIS_PATH}")
    except ObjectMissingError:
        root = _new_document()
    repair_events(root, event)
    data = to_bytes(root)
    store.write(PREMIS_PATH, io.BytesIO(data), len(data))
    _update_tag_manifests(store, data)


def _update_tag_manifests(store: ObjectStore, data: bytes) -> None:
    # Tag manifests sit at the top: a folder deeper in that cannot be listed is no reason
    # to leave premis.xml written and its tag manifest lines stale.
    for obj in list(store.list(gaps={})):
        kind = algorithm_from_filename(obj.key) if "/" not in obj.key else None
        name = hashlib_name(kind[1]) if kind and kind[0] == "tag" else None
        if name is None:
            continue
        digest = hashlib.new(name, data).hexdigest()
        text = store.read(obj.key).decode("utf-8")
        lines = text.splitlines()
        entries, _ = parse_manifest(enumerate(lines, 1), source=obj.key)
        numbers = {e.line for e in entries if e.path == PREMIS_PATH}
        kept = [line for n, line in enumerate(lines, 1) if n not in numbers]
        new = "".join(f"{line}\n" for line in kept) + format_manifest_line(digest, PREMIS_PATH)
        body = new.encode("utf-8")
        store.write(obj.key, io.BytesIO(body), len(body))
