"""PREMIS documents are read safely: no DTD, no entities, no network."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from preserve.errors import ProvenanceError
from preserve.provenance.model import Provenance
from preserve.provenance.serialize import parse_premis, premis_bytes, read_premis

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<premis xmlns="http://www.loc.gov/premis/v3" version="3.0">&lol3;</premis>
"""
XXE_FILE = b"""<?xml version="1.0"?>
<!DOCTYPE premis [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<premis xmlns="http://www.loc.gov/premis/v3" version="3.0">&xxe;</premis>
"""
XXE_NETWORK = b"""<?xml version="1.0"?>
<!DOCTYPE premis SYSTEM "http://example.invalid/evil.dtd">
<premis xmlns="http://www.loc.gov/premis/v3" version="3.0"/>
"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE premis [<!ENTITY % remote SYSTEM "http://example.invalid/x"> %remote;]>
<premis xmlns="http://www.loc.gov/premis/v3" version="3.0"/>
"""


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(BILLION_LAUGHS, id="entity-expansion"),
        pytest.param(XXE_FILE, id="xxe-file"),
        pytest.param(XXE_NETWORK, id="external-dtd"),
        pytest.param(PARAMETER_ENTITY, id="parameter-entity"),
    ],
)
def test_hostile_documents_are_refused(data: bytes) -> None:
    with pytest.raises(ProvenanceError, match=r"DTD or entities"):
        parse_premis(data, source="evil.xml")


def test_damaged_document_is_an_error_naming_it() -> None:
    with pytest.raises(ProvenanceError, match=r"bag/metadata/premis\.xml.*not well-formed"):
        parse_premis(b"<premis><object></premis>", source="bag/metadata/premis.xml")


def test_oversized_document_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("preserve.provenance.serialize.MAX_DOCUMENT_BYTES", 10)
    with pytest.raises(ProvenanceError, match="larger than"):
        parse_premis(b"<premis>" + b" " * 20 + b"</premis>")


def test_round_trip_through_a_file(tmp_path: Path, fixed_clock: Callable[[], datetime]) -> None:
    data = premis_bytes(Provenance(identifier="pkg-1", title="Запись ✓"))
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    path = tmp_path / "premis.xml"
    path.write_bytes(data)
    root = read_premis(path)
    assert root.get("version") == "3.0"
    values = root.xpath("//*[local-name()='significantPropertiesValue']/text()")
    assert isinstance(values, list)
    assert "Запись ✓" in [str(v) for v in values]


def test_missing_file_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ProvenanceError, match=r"premis\.xml"):
        read_premis(tmp_path / "premis.xml")
