"""BagIt bags (RFC 8493): the core shared by building, verifying and archives.

At this level: ``paths`` (safe payload names), ``manifests`` and ``tagfiles`` (reading
and formatting tag files, with ``_lines``), ``hashing`` (one file, every algorithm in
one pass) and ``hashpool`` (many files on both cores), ``codes`` (finding codes;
:mod:`preserve.rules_doc` writes their catalogue).

Beside it, by job: ``build/`` makes a bag (start at ``build.build.build_bag``),
``verify/`` checks one (``verify.verify.verify_bag``), ``archive/`` writes and safely
unpacks serialized bags (``archive.write.serialize_bag``, ``archive.read.safe_extract``).
Verifying a bag *or* an archive against a profile is ``preserve.checking``.
"""
