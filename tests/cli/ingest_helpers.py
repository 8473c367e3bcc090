"""Checks shared by the ingest tests: a bag verifies and its PREMIS agrees with it."""

from __future__ import annotations

import dataclasses
import hashlib
from functools import cache
from pathlib import Path
from typing import Any

import bagit
from lxml import etree

from preserve import ingestion
from preserve._types import StrPath
from preserve.bags.verify.verify import verify_bag
from preserve.ingestion import IngestOptions, IngestResult
from preserve.provenance.serialize import read_premis
from tests.conftest import SHARED

NS = {"p": "http://www.loc.gov/premis/v3"}
#: The depositing organisation the tests name (the default profile requires one).
ORGANISATION = "Test Deposit Service"


def ingest(
    source: StrPath, out: StrPath, *, options: IngestOptions | None = None, **kwargs: Any
) -> IngestResult:
    """:func:`preserve.ingestion.ingest`, naming :data:`ORGANISATION` unless *options* do."""
    options = options or IngestOptions()
    if options.organisation is None:
        options = dataclasses.replace(options, organisation=ORGANISATION)
    return ingestion.ingest(source, out, options=options, **kwargs)


@cache
def premis_schema() -> etree.XMLSchema:
    """The PREMIS 3.0 XSD from ../shared, compiled once."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(SHARED / "standards" / "premis-v3.0.xsd"), parser))


def manifest(bag: Path, algorithm: str) -> dict[str, str]:
    """path → digest from ``manifest-<algorithm>.txt``."""
    out = {}
    for line in (bag / f"manifest-{algorithm}.txt").read_text(encoding="utf-8").splitlines():
        digest, path = line.split(maxsplit=1)
        out[path] = digest
    return out


def premis_fixity(bag: Path) -> dict[str, dict[str, str]]:
    """bag path → {algorithm: digest} from ``metadata/premis.xml``."""
    root = read_premis(bag / "metadata" / "premis.xml")
    out: dict[str, dict[str, str]] = {}
    for obj in root.iterfind("p:object", NS):
        path = obj.findtext("p:storage/p:contentLocation/p:contentLocationValue", namespaces=NS)
        if path is None:
            continue
        digests = {}
        for fixity in obj.iterfind("p:objectCharacteristics/p:fixity", NS):
            algorithm = fixity.find("p:messageDigestAlgorithm", NS)
            assert algorithm is not None
            code = (algorithm.get("valueURI") or "").rsplit("/", 1)[-1]
            digests[code] = fixity.findtext("p:messageDigest", default="", namespaces=NS)
        out[path] = digests
    return out


def assert_good_bag(bag: Path) -> None:
    """The bag verifies (preserve and bagit-python), its PREMIS is valid and agrees."""
    result = verify_bag(bag)
    assert result.ok, [f.to_dict() for f in result.findings]
    bagit.Bag(str(bag)).validate()  # raises BagValidationError when invalid
    premis = bag / "metadata" / "premis.xml"
    schema = premis_schema()
    assert schema.validate(etree.parse(str(premis))), schema.error_log
    fixity = premis_fixity(bag)
    assert set(fixity) == set(manifest(bag, "sha512"))
    for algorithm in ("sha512", "sha256"):
        for path, digest in manifest(bag, algorithm).items():
            assert fixity[path][algorithm] == digest
            assert hashlib.new(algorithm, (bag / path).read_bytes()).hexdigest() == digest
    tags = (bag / "tagmanifest-sha512.txt").read_text(encoding="utf-8")
    assert "metadata/premis.xml" in tags


def tree_digest(root: Path) -> str:
    """One digest over every file's path and bytes under *root* (to prove nothing changed)."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()
