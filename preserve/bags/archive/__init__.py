"""Serialized bags (tar, tar.gz, zip).

- ``write``: ``serialize_bag``, one reproducible archive from a bag folder;
- ``read``: ``safe_extract`` and ``unpacked_bag``, unpacking hostile archives safely,
  with ``_guard`` (the checks on each member) and ``_unpack`` (the writing);
- ``codes``: the archive finding codes (their rules are on the profiles page).
"""
