"""The tag hook that writes ``metadata/premis.xml`` into a bag as it is built.

``build_bag`` calls each tag hook with the payload's
:class:`~preserve.bags.build.result.Inventory` after hashing it, and writes the files the hook
returns as tag files, so the tag manifests cover them. The PREMIS fixity values are taken
from that inventory, so they equal the payload manifests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from preserve.bags.build.result import Inventory
from preserve.clock import Clock
from preserve.findings import Finding
from preserve.formats.identify import FormatIdentifier, FormatInfo
from preserve.provenance.events import IngestFacts, package_provenance, payload_object
from preserve.provenance.serialize import premis_bytes

PREMIS_TAG_PATH = "metadata/premis.xml"
"""Where the PREMIS document goes in a bag."""


TagHook = Callable[[Inventory], Mapping[str, bytes]]


def premis_tag_hook(
    record: Mapping[str, Any],
    findings: Sequence[Finding],
    *,
    agent: str | None,
    clock: Clock,
    identifier: str,
    facts: IngestFacts | None = None,
    formats: Mapping[str, FormatInfo] | None = None,
    format_identifier: FormatIdentifier | None = None,
) -> TagHook:
    """A tag hook for ``build_bag`` that adds ``metadata/premis.xml``.

    :param record: the record's JSON data.
    :param findings: the findings about the record and its files.
    :param agent: the operator's name (from ``--agent`` or the environment), or None.
    :param clock: gives the time of the events.
    :param identifier: the package identifier (the bag's name).
    :param facts: further facts (schema, extraction source, organisation, ``--force``,
        serialization); ``identifier``, ``findings`` and ``agent`` override its fields.
    :param formats: formats already identified, by source path (as ``str``) or bag path.
    :param format_identifier: identifies files missing from *formats* (else they are
        recorded as not identified).
    """
    base = facts or IngestFacts(identifier=identifier)
    started = base.started or clock()
    facts = replace(
        base, identifier=identifier, findings=tuple(findings), operator=agent, started=started
    )
    known = dict(formats or {})

    def hook(inventory: Inventory) -> Mapping[str, bytes]:
        objects = []
        for entry in inventory.files:
            source = str(entry.source)
            if source not in known and entry.path not in known and format_identifier:
                known[source] = format_identifier.identify(Path(source))
            objects.append(
                payload_object(
                    path=entry.path,
                    source=source,
                    size=entry.size,
                    digests=entry.digests,
                    formats=known,
                )
            )
        provenance = package_provenance(record, facts, objects, now=clock())
        return {PREMIS_TAG_PATH: premis_bytes(provenance)}

    return hook
