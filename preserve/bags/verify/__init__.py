"""Verifying a bag: start at ``verify.verify_bag`` (completeness, fast or full).

- ``verify``: the entry point, one pass per mode; ``result``: ``BagResult``, ``ChangedFile``;
- ``_read``: reading the tag files; ``_inventory``, ``_payload``, ``_listing``: what
  the bag holds on disk and what its manifests list;
- ``_match``: matching the two; ``_checks``: completeness and Payload-Oxum;
  ``_hashcheck``: checking every checksum.
"""
