"""Where bags are kept: a small protocol for listing, reading and writing objects (issue 14).

Start with :mod:`preserve.storage.base` (the :class:`ObjectStore` protocol and its
errors), then :mod:`preserve.storage.location` (``s3://BUCKET/PREFIX`` and folders
alike), :func:`preserve.storage.stores.open_store` (a store for either),
:mod:`preserve.storage.local` (a folder as a store) and
:mod:`preserve.storage.s3` (S3 and S3-compatible stores through boto3, the optional
``preserve-toolkit[s3]`` extra, imported only when an ``s3://`` location is opened).
"""
