"""Write PREMIS documents, and read them back safely.

Writing goes through lxml (UTF-8, XML declaration). Reading refuses what untrusted XML
can do: no DTD is loaded, no entity is expanded, nothing is fetched from the network,
and a document that declares a DTD (where entity bombs and XXE live) is refused
outright (:mod:`defusedxml` checks, then a hardened lxml parser builds the tree).
"""

from __future__ import annotations

from pathlib import Path

import defusedxml.ElementTree
from defusedxml import DefusedXmlException
from lxml import etree

from preserve._types import StrPath
from preserve.errors import ProvenanceError
from preserve.provenance.model import Provenance
from preserve.provenance.premis import build_premis

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
"""A PREMIS document larger than this is refused when read (64 MiB)."""


def to_bytes(root: etree._Element) -> bytes:
    """Serialise a PREMIS element as pretty-printed UTF-8 XML with a declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def premis_bytes(provenance: Provenance) -> bytes:
    """Build and serialise the PREMIS document for *provenance*."""
    return to_bytes(build_premis(provenance))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse_premis(data: bytes, *, source: str = "<bytes>") -> etree._Element:
    """Parse a PREMIS document from *data*, refusing DTDs, entities and network access.

    :param data: the document.
    :param source: where it came from, for messages.
    :raises ProvenanceError: when the document is unsafe, too large or not well-formed.
    """
    if len(data) > MAX_DOCUMENT_BYTES:
        msg = f"{source} is larger than {MAX_DOCUMENT_BYTES} bytes; refusing to parse it"
        raise ProvenanceError(msg)
    try:
        # defusedxml raises on any DTD, entity declaration or external reference.
        defusedxml.ElementTree.fromstring(data, forbid_dtd=True)
        return etree.fromstring(data, parser=_parser())
    except DefusedXmlException as e:
        msg = (
            f"{source} declares a DTD or entities ({type(e).__name__}), which a PREMIS "
            "document never needs; refusing to read it. Check where the file came from"
        )
        raise ProvenanceError(msg) from e
    except (etree.XMLSyntaxError, SyntaxError) as e:
        msg = f"{source} is not well-formed XML ({e}); the PREMIS document is damaged"
        raise ProvenanceError(msg) from e


def read_premis(path: StrPath) -> etree._Element:
    """Read and parse a PREMIS file safely (see :func:`parse_premis`).

    :raises ProvenanceError: when the file cannot be read or is unsafe or damaged.
    """
    p = Path(path)
    try:
        with p.open("rb") as f:
            data = f.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as e:
        msg = f"cannot read {p}: {e.strerror or e}"
        raise ProvenanceError(msg) from e
    return parse_premis(data, source=str(p))
