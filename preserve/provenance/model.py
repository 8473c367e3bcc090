"""What a PREMIS document says, as frozen dataclasses (built into XML by :mod:`.premis`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from preserve.formats.identify import FormatInfo
from preserve.provenance.vocab import AgentRole, AgentType, EventType, ObjectRole, Outcome


@dataclass(frozen=True, slots=True, kw_only=True)
class Agent:
    """Who or what took part in events.

    :param identifier: a stable local identifier (``preserve/0.1.0``, ``org/AVP RF``).
    :param name: the agent's name.
    :param type: ``sof`` software, ``org`` organisation, ``per`` person.
    :param version: the software's version (software agents).
    :param note: anything else worth saying.
    """

    identifier: str
    name: str
    type: AgentType
    version: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PayloadObject:
    """One payload file of the package.

    :param path: the path in the bag, as in the manifests (``data/scan.tif``).
    :param original_name: where the file came from (the source path).
    :param size: its size in bytes.
    :param digests: hex digests by algorithm (``sha512``, ``sha256``), equal to the manifests.
    :param format: what libmagic says it is; None when it was not identified.
    """

    path: str
    original_name: str
    size: int
    digests: Mapping[str, str]
    format: FormatInfo | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Something preserve did.

    :param type: the LoC event type code (``val``, ``mes``, ...).
    :param when: when it happened (an aware datetime; written in UTC).
    :param detail: what exactly was done, in words.
    :param outcome: ``suc``, ``war`` or ``fai``.
    :param outcome_notes: details of the outcome, one note each (e.g. finding codes).
    :param agents: (agent identifier, role) pairs.
    :param objects: (object identifier, role) pairs; :data:`ALL_FILES` stands for every file.
    """

    type: EventType
    when: datetime
    detail: str
    outcome: Outcome = "suc"
    outcome_notes: tuple[str, ...] = ()
    agents: tuple[tuple[str, AgentRole], ...] = ()
    objects: tuple[tuple[str, ObjectRole], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Rights:
    """The rights statement of the record.

    :param uri: a rightsstatements.org URI (gives the copyright status).
    :param statement: the statement text as printed.
    :param jurisdiction: MARC country code and label; None lets the URI decide.
    """

    uri: str | None = None
    statement: str | None = None
    jurisdiction: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Provenance:
    """Everything one PREMIS document records about one package.

    :param identifier: the package's identifier; object, event and rights identifiers
        are derived from it, so a document is reproducible from the same input.
    :param entity_identifiers: (type, value) identifiers of the record (archive reference,
        source record id, source URL).
    :param title: the record's title.
    :param objects: the payload files.
    :param events: what was done, in order.
    :param agents: who or what did it.
    :param rights: the rights statement, or None when the record has none.
    """

    identifier: str
    entity_identifiers: tuple[tuple[str, str], ...] = ()
    title: str | None = None
    objects: tuple[PayloadObject, ...] = ()
    events: tuple[Event, ...] = ()
    agents: tuple[Agent, ...] = ()
    rights: Rights | None = None

    @property
    def entity_id(self) -> str:
        """The local identifier of the intellectual entity (the record)."""
        return self.identifier

    def object_id(self, path: str) -> str:
        """The local identifier of the payload file at *path*."""
        return f"{self.identifier}/{path}"

    @property
    def rights_id(self) -> str:
        """The local identifier of the rights statement."""
        return f"{self.identifier}/rights/1"


ALL_FILES = "*"
"""In :attr:`Event.objects`, stands for every payload file."""
