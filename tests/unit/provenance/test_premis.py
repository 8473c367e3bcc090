"""PREMIS 3.0 documents: schema-valid, faithful to the manifests, vocabulary URIs."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import preserve
from preserve.bags.build.result import Inventory, InventoryFile
from preserve.findings import Finding
from preserve.formats import FormatInfo
from preserve.provenance.events import IngestFacts, SchemaRef
from preserve.provenance.hook import PREMIS_TAG_PATH, premis_tag_hook
from preserve.provenance.serialize import parse_premis

NS = {"p": "http://www.loc.gov/premis/v3"}
LOC = "http://id.loc.gov/vocabulary/preservation"
ISO_UTC = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$"
)
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SHA512 = "a" * 128
SHA256 = "b" * 64

RECORD: dict[str, Any] = {
    "title": "From the Journal of A.I. Alekseyev, 'Record of a Conversation'",
    "archive_reference": {
        "citation": "AVP RF, f. 0104, op. 19, p. 124, d. 3, ll. 97-99",
        "repository": "AVP RF",
    },
    "rights": {
        "statement": "The History and Public Policy Program welcomes reuse of this document.",
        "uri": "http://rightsstatements.org/vocab/UND/1.0/",
    },
    "source": {"record_id": "177827", "url": "https://example.org/document/177827"},
    "extraction": {"inferred": ["/author"]},
}


def texts(node: etree._Element, path: str) -> list[str]:
    """The strings an XPath returns (text nodes or attribute values)."""
    found = node.xpath(path, namespaces={**NS, "xsi": XSI})
    assert isinstance(found, list)
    return [str(item) for item in found]


def nodes(node: etree._Element, path: str) -> list[etree._Element]:
    """The elements an XPath returns."""
    found = node.xpath(path, namespaces={**NS, "xsi": XSI})
    assert isinstance(found, list)
    return [item for item in found if isinstance(item, etree._Element)]


def one(node: etree._Element, path: str) -> etree._Element:
    """The single element at *path* (ElementPath syntax)."""
    found = node.find(path, NS)
    assert found is not None, path
    return found


def text(node: etree._Element, path: str) -> str:
    """The text of the element at *path*, '' when absent."""
    return node.findtext(path, default="", namespaces=NS) or ""


def code(node: etree._Element, path: str) -> str:
    """The vocabulary code at the end of the valueURI of the element at *path*."""
    return (one(node, path).get("valueURI") or "").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Entry:
    path: str
    source: str
    size: int
    digests: Mapping[str, str] = field(default_factory=dict)


ENTRIES = [
    Entry("data/scan.tif", "/in/files/rec/scan.tif", 138, {"sha512": SHA512, "sha256": SHA256}),
    Entry("data/note.txt", "/in/files/rec/note.txt", 39, {"sha512": "c" * 128, "sha256": "d" * 64}),
]
FORMATS = {
    "/in/files/rec/scan.tif": FormatInfo("image/tiff", "TIFF image data, little-endian"),
    "/in/files/rec/note.txt": FormatInfo("text/plain", "Unicode text, UTF-8 text", "utf-8"),
}


def _document(
    clock: Callable[[], datetime],
    record: Mapping[str, Any] = RECORD,
    findings: tuple[Finding, ...] = (),
    *,
    entries: list[Entry] = ENTRIES,
    agent: str | None = "Ada Archivist",
    formats: Mapping[str, FormatInfo] = FORMATS,
    **facts: Any,
) -> etree._Element:
    hook = premis_tag_hook(
        record,
        findings,
        agent=agent,
        clock=clock,
        identifier="avp-rf-f0104-op19-p124-d3-ll97-99",
        facts=IngestFacts(identifier="ignored", **facts),
        formats=formats,
    )
    inventory = Inventory(
        bag=Path("/staging"),
        target=Path("/deposit/bag"),
        algorithms=("sha512", "sha256"),
        files=tuple(
            InventoryFile(path=e.path, source=e.source, size=e.size, digests=e.digests)
            for e in entries
        ),
        octets=sum(e.size for e in entries),
        record=None,
        started="2026-01-02T03:04:05Z",
        agent="preserve 0.1.0",
    )
    files = hook(inventory)
    assert set(files) == {PREMIS_TAG_PATH}
    return parse_premis(files[PREMIS_TAG_PATH])


def _events(doc: etree._Element) -> dict[str, etree._Element]:
    return {text(e, "p:eventType"): e for e in doc.iterfind("p:event", NS)}


def test_document_is_valid_premis_3(
    premis_schema: etree.XMLSchema, fixed_clock: Callable[[], datetime]
) -> None:
    doc = _document(
        fixed_clock, extracted_from="000.txt", organisation="Example Archive", serialization="tgz"
    )
    assert premis_schema.validate(doc), premis_schema.error_log
    assert doc.tag == "{http://www.loc.gov/premis/v3}premis"
    assert doc.get("version") == "3.0"


def test_minimal_document_is_valid(
    premis_schema: etree.XMLSchema, fixed_clock: Callable[[], datetime]
) -> None:
    doc = _document(fixed_clock, {}, entries=[], agent=None)
    assert premis_schema.validate(doc), premis_schema.error_log
    assert doc.find("p:rights", NS) is None


def test_dates_are_iso_8601_utc_from_the_clock(fixed_clock: Callable[[], datetime]) -> None:
    doc = _document(fixed_clock, extracted_from="000.txt")
    dates = texts(doc, "//p:eventDateTime/text()")
    assert dates
    for date in dates:
        assert ISO_UTC.match(date), date
        assert datetime.fromisoformat(date) == fixed_clock()


def test_times_are_converted_to_utc() -> None:
    from datetime import timedelta, timezone

    local = datetime(2026, 1, 2, 5, 4, 5, tzinfo=timezone(timedelta(hours=2)))
    doc = _document(lambda: local)
    assert set(texts(doc, "//p:eventDateTime/text()")) == {"2026-01-02T03:04:05Z"}


def test_fixity_equals_the_given_digests(fixed_clock: Callable[[], datetime]) -> None:
    doc = _document(fixed_clock)
    files = nodes(doc, "p:object[@xsi:type='premis:file']")
    assert len(files) == len(ENTRIES)
    for obj, entry in zip(files, ENTRIES, strict=True):
        digests = {
            code(fx, "p:messageDigestAlgorithm"): text(fx, "p:messageDigest")
            for fx in obj.iterfind("p:objectCharacteristics/p:fixity", NS)
        }
        assert digests == dict(entry.digests)
        assert text(obj, "p:objectCharacteristics/p:size") == str(entry.size)
        assert text(obj, "p:originalName") == entry.source
        location = "p:storage/p:contentLocation/p:contentLocationValue"
        assert text(obj, location) == entry.path


def test_formats_are_recorded(fixed_clock: Callable[[], datetime]) -> None:
    doc = _document(fixed_clock)
    names = texts(doc, "//p:formatDesignation/p:formatName/text()")
    assert names == ["image/tiff", "text/plain"]
    notes = texts(doc, "//p:formatNote/text()")
    assert "TIFF image data, little-endian" in notes
    assert "character encoding: utf-8" in notes


def test_format_version_from_libmagic(
    premis_schema: etree.XMLSchema, fixed_clock: Callable[[], datetime]
) -> None:
    entries = [Entry("data/a.pdf", "/in/a.pdf", 9, {"sha256": SHA256})]
    pdf = {"/in/a.pdf": FormatInfo("application/pdf", "PDF document, version 1.4")}
    doc = _document(fixed_clock, entries=entries, formats=pdf)
    assert premis_schema.validate(doc), premis_schema.error_log
    assert texts(doc, "//p:formatDesignation/p:formatVersion/text()") == ["1.4"]


def test_unidentified_file_is_recorded_as_such(
    premis_schema: etree.XMLSchema, fixed_clock: Callable[[], datetime]
) -> None:
    doc = _document(fixed_clock, entries=[Entry("data/x.bin", "/elsewhere/x.bin", 1)])
    assert premis_schema.validate(doc), premis_schema.error_log
    assert texts(doc, "//p:formatName/text()") == ["application/octet-stream"]


def test_events_use_loc_vocabulary(fixed_clock: Callable[[], datetime]) -> None:
    doc = _document(
        fixed_clock, extracted_from="000.txt", serialization="zip", organisation="Example Archive"
    )
    uris = [e.get("valueURI") for e in doc.iterfind("p:event/p:eventType", NS)]
    assert uris == [f"{LOC}/eventType/{c}" for c in ("mee", "val", "for", "mes", "ipc", "pac")]
    for element in doc.iterfind("p:event/p:eventType", NS):
        assert element.get("authorityURI") == f"{LOC}/eventType"
    outcomes = texts(doc, "//p:eventOutcome/@valueURI")
    assert set(outcomes) <= {f"{LOC}/eventOutcome/{c}" for c in ("suc", "war", "fai")}
    roles = set(texts(doc, "//p:linkingAgentRole/@valueURI"))
    assert roles == {f"{LOC}/eventRelatedAgentRole/{c}" for c in ("exe", "imp", "val", "aut")}


def test_no_extraction_and_no_packing_when_they_did_not_happen(
    fixed_clock: Callable[[], datetime],
) -> None:
    assert list(_events(_document(fixed_clock))) == [
        "validation",
        "format identification",
        "message digest calculation",
        "information package creation",
    ]


def test_validation_names_schema_and_finding_codes(fixed_clock: Callable[[], datetime]) -> None:
    findings = (
        Finding(code="REC-031", severity="error", message="no rights", field="/rights"),
        Finding(code="FMT-002", severity="error", message="html as pdf", path="data/a.pdf"),
        Finding(code="REC-040", severity="warning", message="order"),
    )
    doc = _document(
        fixed_clock, findings=findings, forced=True, schema=SchemaRef(name="s.json", version="7")
    )
    validation = _events(doc)["validation"]
    assert "s.json version 7" in (text(validation, "p:eventDetailInformation/p:eventDetail"))
    assert code(validation, "p:eventOutcomeInformation/p:eventOutcome") == "fai"
    notes = texts(validation, ".//p:eventOutcomeDetailNote/text()")
    assert [n.split(" ")[0] for n in notes[:2]] == ["REC-031", "REC-040"]
    assert any("--force" in n for n in notes)
    identification = _events(doc)["format identification"]
    assert texts(identification, ".//p:eventOutcomeDetailNote/text()")[0].startswith("FMT-002")


def test_packaging_findings_go_with_package_creation(fixed_clock: Callable[[], datetime]) -> None:
    findings = (
        Finding(code="REC-041", severity="error", message="no rights", field="/rights"),
        Finding(code="ING-002", severity="warning", message="packaged despite errors"),
    )
    events = _events(_document(fixed_clock, findings=findings, forced=True))
    validation_notes = texts(events["validation"], ".//p:eventOutcomeDetailNote/text()")
    assert [n.split(" ")[0] for n in validation_notes] == ["REC-041", "packaged"]
    creation = events["information package creation"]
    assert code(creation, "p:eventOutcomeInformation/p:eventOutcome") == "war"
    notes = texts(creation, ".//p:eventOutcomeDetailNote/text()")
    assert [n.split(" ")[0] for n in notes] == ["ING-002"]


def test_warnings_give_a_warning_outcome(fixed_clock: Callable[[], datetime]) -> None:
    findings = (Finding(code="REC-040", severity="warning", message="order"),)
    validation = _events(_document(fixed_clock, findings=findings))["validation"]
    assert code(validation, "p:eventOutcomeInformation/p:eventOutcome") == "war"


def test_agents(fixed_clock: Callable[[], datetime]) -> None:
    doc = _document(fixed_clock, organisation="Example Archive")
    agents = {
        text(a, "p:agentName"): (
            code(a, "p:agentType"),
            text(a, "p:agentVersion") or None,
        )
        for a in doc.iterfind("p:agent", NS)
    }
    assert agents == {
        "preserve": ("sof", preserve.__version__),
        "Example Archive": ("org", None),
        "Ada Archivist": ("per", None),
    }


def test_repository_is_the_organisation_when_none_is_given(
    fixed_clock: Callable[[], datetime],
) -> None:
    doc = _document(fixed_clock, agent=None)
    names = texts(doc, "//p:agent/p:agentName/text()")
    assert names == ["preserve", "AVP RF"]


def test_entity_carries_the_record_identifiers(fixed_clock: Callable[[], datetime]) -> None:
    doc = _document(fixed_clock)
    (entity,) = nodes(doc, "p:object[@xsi:type='premis:intellectualEntity']")
    pairs = [
        (
            text(i, "p:objectIdentifierType"),
            text(i, "p:objectIdentifierValue"),
        )
        for i in entity.iterfind("p:objectIdentifier", NS)
    ]
    assert ("archive reference", RECORD["archive_reference"]["citation"]) in pairs
    assert ("source record id", "177827") in pairs
    assert ("URI", "https://example.org/document/177827") in pairs


@pytest.mark.parametrize(
    ("uri", "status"),
    [
        pytest.param("http://rightsstatements.org/vocab/UND/1.0/", "unk", id="undetermined"),
        pytest.param("http://rightsstatements.org/vocab/InC/1.0/", "cpr", id="in-copyright"),
        pytest.param("http://rightsstatements.org/vocab/NoC-US/1.0/", "pub", id="no-copyright-us"),
        pytest.param(None, "unk", id="text-only"),
    ],
)
def test_rights_statement(
    premis_schema: etree.XMLSchema,
    fixed_clock: Callable[[], datetime],
    uri: str | None,
    status: str,
) -> None:
    rights = {"statement": "Reuse welcome."} | ({"uri": uri} if uri else {})
    doc = _document(fixed_clock, {**RECORD, "rights": rights})
    assert premis_schema.validate(doc), premis_schema.error_log
    info = one(doc, "p:rights/p:rightsStatement/p:copyrightInformation")
    assert code(info, "p:copyrightStatus") == status
    assert one(info, "p:copyrightStatus").get("authorityURI") == f"{LOC}/copyrightStatus"
    assert text(info, "p:copyrightNote") == "Reuse welcome."
    assert text(info, ".//p:copyrightDocumentationIdentifierValue") == (uri or "")


def test_same_input_same_document(fixed_clock: Callable[[], datetime]) -> None:
    first = etree.tostring(_document(fixed_clock, extracted_from="a.txt"))
    assert etree.tostring(_document(fixed_clock, extracted_from="a.txt")) == first


@settings(max_examples=40, deadline=None)
@given(
    title=st.text(max_size=40),
    name=st.text(st.characters(exclude_categories=()), min_size=1, max_size=30),
    operator=st.text(min_size=1, max_size=20),
)
def test_any_text_gives_a_valid_document(
    premis_schema: etree.XMLSchema, title: str, name: str, operator: str
) -> None:
    # Control characters and lone surrogates (undecodable file names) included.
    doc = _document(
        lambda: datetime(2026, 1, 2, tzinfo=UTC),
        {**RECORD, "title": title},
        entries=[Entry(f"data/{name}", f"/in/{name}", 1, {"sha256": SHA256})],
        agent=operator,
    )
    assert premis_schema.validate(doc), premis_schema.error_log


def test_digest_event_names_the_algorithms_of_the_bag(fixed_clock: Callable[[], datetime]) -> None:
    doc = _document(fixed_clock)
    detail = text(_events(doc)["message digest calculation"], ".//p:eventDetail")
    assert detail.startswith("SHA-512 and SHA-256 digests")
    only_256 = [Entry("data/a", "/a", 1, {"sha256": SHA256})]
    detail = text(
        _events(_document(fixed_clock, entries=only_256))["message digest calculation"],
        ".//p:eventDetail",
    )
    assert detail.startswith("SHA-256 digests")
