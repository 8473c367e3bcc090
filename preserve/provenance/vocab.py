"""Library of Congress preservation vocabularies used in PREMIS documents.

Each term is written with its label as text and ``authority``/``authorityURI``/``valueURI``
attributes, e.g. ``<eventType authority="eventType" authorityURI="http://id.loc.gov/
vocabulary/preservation/eventType" valueURI="…/eventType/val">validation</eventType>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

LOC_PRESERVATION = "http://id.loc.gov/vocabulary/preservation"

EventType: TypeAlias = Literal["cap", "mes", "for", "mee", "val", "ipc", "pac", "fix", "ing", "rep"]
Outcome: TypeAlias = Literal["suc", "war", "fai"]
AgentRole: TypeAlias = Literal["exe", "imp", "val", "aut"]
AgentType: TypeAlias = Literal["sof", "org", "per"]
ObjectRole: TypeAlias = Literal["sou", "out"]


@dataclass(frozen=True, slots=True)
class Term:
    """One term of a LoC vocabulary: its scheme, code and label."""

    scheme: str
    code: str
    label: str

    @property
    def authority_uri(self) -> str:
        """The vocabulary's URI."""
        return f"{LOC_PRESERVATION}/{self.scheme}"

    @property
    def value_uri(self) -> str:
        """The term's URI."""
        return f"{LOC_PRESERVATION}/{self.scheme}/{self.code}"


def _terms(scheme: str, labels: dict[str, str]) -> dict[str, Term]:
    return {code: Term(scheme, code, label) for code, label in labels.items()}


EVENT_TYPES = _terms(
    "eventType",
    {
        "cap": "capture",
        "mes": "message digest calculation",
        "for": "format identification",
        "mee": "metadata extraction",
        "val": "validation",
        "ipc": "information package creation",
        "pac": "packing",
        "fix": "fixity check",
        "ing": "ingestion",
        "rep": "replication",  # a damaged file replaced from a good copy (issue 14)
    },
)
OUTCOMES = _terms("eventOutcome", {"suc": "success", "war": "warning", "fai": "failure"})
AGENT_ROLES = _terms(
    "eventRelatedAgentRole",
    {"exe": "executing program", "imp": "implementer", "val": "validator", "aut": "authorizer"},
)
AGENT_TYPES = _terms("agentType", {"sof": "software", "org": "organization", "per": "person"})
OBJECT_ROLES = _terms("eventRelatedObjectRole", {"sou": "source", "out": "outcome"})
HASH_FUNCTIONS = _terms(
    "cryptographicHashFunctions",
    {"md5": "MD5", "sha1": "SHA-1", "sha256": "SHA-256", "sha384": "SHA-384", "sha512": "SHA-512"},
)
COPYRIGHT_STATUS = _terms(
    "copyrightStatus", {"cpr": "copyrighted", "pub": "public domain", "unk": "unknown"}
)
RIGHTS_BASIS = _terms("rightsBasis", {"cop": "Copyright"})
RELATIONSHIP_TYPES = _terms("relationshipType", {"str": "structural"})
FORMAT_REGISTRY_ROLES = _terms("formatRegistryRole", {"spe": "specification"})

# rightsstatements.org 1.0 statements and the PREMIS copyright status they imply:
# "In Copyright" statements say the item is in copyright; "No Copyright" ones that it is
# not (at least somewhere); the rest leave it undetermined.
RIGHTS_STATEMENT_STATUS = {
    "InC": "cpr",
    "InC-OW-EU": "cpr",
    "InC-EDU": "cpr",
    "InC-NC": "cpr",
    "InC-RUU": "cpr",
    "NoC-CR": "pub",
    "NoC-NC": "pub",
    "NoC-OKLR": "pub",
    "NoC-US": "pub",
    "CNE": "unk",
    "UND": "unk",
    "NKC": "unk",
}
RIGHTSSTATEMENTS_PREFIX = "http://rightsstatements.org/vocab/"


def copyright_status(uri: str | None) -> Term:
    """The PREMIS copyright status a rightsstatements.org URI implies (unknown if none)."""
    code = "unk"
    if uri and uri.startswith(RIGHTSSTATEMENTS_PREFIX):
        key = uri[len(RIGHTSSTATEMENTS_PREFIX) :].split("/", 1)[0]
        code = RIGHTS_STATEMENT_STATUS.get(key, "unk")
    return COPYRIGHT_STATUS[code]
