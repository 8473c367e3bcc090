"""Verifying a bag: start at ``verify.verify_bag`` (completeness, fast or full).

- ``verify``: the entry point, one pass per mode; ``result``: ``BagResult``, ``ChangedFile``;
- ``_read``: reading the tag files; ``_inventory``, ``_payload``, ``_listing``: what
  the bag holds on disk and what its manifests list;
- ``_match``: matching the two; ``_checks``: completeness and Payload-Oxum;
  ``_hashcheck``: checking every checksum.

Verifying a bag stored elsewhere (:mod:`preserve.replicas`) shares the known BagIt
versions and the Payload-Oxum check, exported here.
"""

from preserve.bags.verify._checks import check_oxum
from preserve.bags.verify._read import KNOWN_VERSIONS

__all__ = ["KNOWN_VERSIONS", "check_oxum"]
