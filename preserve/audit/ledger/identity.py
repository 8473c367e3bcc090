"""A bag's identity, which survives moves and copies, beside its location (issue 14).

The ledger keys each check by the bag's *location* (its absolute path or ``s3://`` URL:
a copy) and records the bag's ``External-Identifier`` and the sha256 of each manifest
and tag manifest, all inside the hash chain. The *identity* of the bag is derived from
those: its ``External-Identifier`` when bag-info.txt gives one (an archive's own name
for the package, unchanged by moves, copies and re-serialisation), else the sha256 of
its strongest tag manifest file, which pins every tag file and, through the manifests,
every payload byte. A bag with neither has no identity and is known by location only.

Because the identity is computed from chained fields, a ledger written before it
existed has identities for all its rows, and nothing in the chain changes.
"""

from __future__ import annotations

from collections.abc import Mapping

from preserve.audit.model import BagCheck

# Strongest first: a tag manifest of a stronger algorithm pins the bag more firmly.
_TAG_MANIFESTS = tuple(
    f"tagmanifest-{a}.txt" for a in ("sha512", "sha384", "sha256", "sha224", "sha1", "md5")
)


def identity_of(external_identifier: str, digests: Mapping[str, str]) -> str:
    """``External-Identifier``, else ``tagmanifest-ALG.txt sha256:HEX``, else ``""``."""
    if external_identifier.strip():
        return external_identifier.strip()
    for name in _TAG_MANIFESTS:
        if digests.get(name):
            return f"{name} sha256:{digests[name]}"
    return ""


def bag_identity(check: BagCheck) -> str:
    """The identity of the bag *check* read (see the module docstring)."""
    return identity_of(check.identity, check.digests)
