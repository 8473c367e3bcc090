"""Bags wherever they are kept, and their copies (issue 14).

:mod:`preserve.replicas.verify` verifies a bag in any
:class:`~preserve.storage.base.ObjectStore` (an S3 prefix or a folder) by streaming
its objects through every manifest algorithm at once; :mod:`preserve.replicas.stream`
is the hashing (parallel objects, large objects by parallel ranges). This package sits
above :mod:`preserve.bags` (codes, parsers) and :mod:`preserve.storage` (I/O).
"""
