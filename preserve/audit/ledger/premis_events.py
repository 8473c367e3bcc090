"""PREMIS 3 fixity-check events for a bag, from its checks in the ledger.

Reuses the provenance helper's PREMIS writer (:mod:`preserve.provenance`): one
``fix`` event (http://id.loc.gov/vocabulary/preservation/eventType/fix) per check,
outcome ``suc`` for passed and ``fai`` otherwise, with each finding as an outcome note
and the ledger row (and its chain hash) named so the event can be traced back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from preserve.audit.ledger.db import CheckRecord
from preserve.audit.result import finding_for
from preserve.errors import LedgerError
from preserve.provenance.model import Agent, Event, Provenance
from preserve.provenance.serialize import premis_bytes


def fixity_event(record: CheckRecord, *, entity: str) -> Event:
    """The PREMIS event for one ledger check of the bag *entity*."""
    check = record.check
    notes = [f"outcome: {check.outcome}"]
    if check.note:
        notes.append(check.note)
    notes += [
        f"{f.code} {f.path}: {f.message}"
        for f in (finding_for(c, check.bag) for c in check.changes)
    ]
    notes.append(f"ledger row {record.seq}, check {record.check_id}, row hash {record.row_hash}")
    return Event(
        type="fix",
        when=datetime.fromisoformat(record.checked_at.replace("Z", "+00:00")),
        detail=(
            f"fixity audit of {check.bag}: {check.files_checked} files, "
            f"{check.bytes_checked} bytes read and hashed"
        ),
        outcome="suc" if check.outcome == "passed" else "fai",
        outcome_notes=tuple(notes),
        agents=((f"preserve/{record.preserve_version}", "exe"), (record.agent, "imp")),
        objects=((entity, "sou"),),
    )


def premis_fixity_events(records: Sequence[CheckRecord], *, bag: str) -> bytes:
    """A PREMIS 3 document (UTF-8 XML) with one fixity-check event per record of *bag*.

    :raises LedgerError: when the ledger holds no check of *bag*.
    """
    if not records:
        msg = f"the ledger holds no check of {bag}; give the bag's path as it was audited"
        raise LedgerError(msg)
    entity = records[-1].check.identity or bag
    versions = sorted({r.preserve_version for r in records})
    people = sorted({r.agent for r in records})
    agents = tuple(
        Agent(identifier=f"preserve/{v}", name="preserve", type="sof", version=v) for v in versions
    ) + tuple(
        Agent(identifier=p, name=p, type="per", note="account that ran the audit") for p in people
    )
    provenance = Provenance(
        identifier=entity,
        entity_identifiers=(("bag path", bag),),
        events=tuple(fixity_event(r, entity=entity) for r in records),
        agents=agents,
    )
    return premis_bytes(provenance)
