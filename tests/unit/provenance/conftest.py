"""The PREMIS 3.0 schema from ../shared (never copied into the project)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree


@pytest.fixture(scope="session")
def premis_schema(shared: Path) -> etree.XMLSchema:
    """The LoC PREMIS 3.0 XSD, compiled once per session."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(shared / "standards" / "premis-v3.0.xsd"), parser))
