"""S3 and S3-compatible stores (Ceph, MinIO, SeaweedFS) through boto3: the ``s3`` extra.

Why boto3 (issue 14): it reads credentials and endpoints exactly as the AWS tools do
(``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_ENDPOINT_URL``,
``AWS_DEFAULT_REGION``, ``AWS_PROFILE`` and ``~/.aws/config``/``credentials``), it
retries throttling with the standard back-off, and ranged GETs stream. Its cost is
start-up time, which is why it is imported only when an ``s3://`` location is opened
(docs/explanation/object-storage.md).

Errors: a 404 (``NoSuchKey``) is :class:`ObjectMissingError`; everything else (403,
a wrong key, a refused connection, a stopped server, throttling after retries) is
:class:`ObjectInaccessibleError`. Messages never carry credentials.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from preserve.storage.base import (
    ObjectInaccessibleError,
    ObjectInfo,
    ObjectMissingError,
    StorageError,
)
from preserve.storage.location import S3Location, S3Options, check_endpoint

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

_MISSING = {"NoSuchKey", "404", "NotFound"}
_INSTALL = "reading s3:// locations needs the s3 extra: pip install 'preserve-toolkit[s3]' (boto3)"


def make_client(options: S3Options) -> S3Client:
    """A boto3 S3 client for *options* (endpoint, profile, TLS), retries on.

    :raises StorageError: when boto3 is not installed or the profile is unknown.
    """
    try:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError
    except ImportError as e:
        raise StorageError(_INSTALL) from e
    endpoint = check_endpoint(options.endpoint_url) if options.endpoint_url else None
    config = Config(
        retries={"max_attempts": 4, "mode": "standard"},
        max_pool_connections=max(10, options.concurrency * 2),
        connect_timeout=5,
        read_timeout=30,
        s3={"addressing_style": "path"} if endpoint else None,
    )
    try:
        session = boto3.session.Session(profile_name=options.profile)
        return session.client("s3", endpoint_url=endpoint, verify=options.verify_tls, config=config)
    except BotoCoreError as e:
        msg = f"cannot set up the S3 client: {e}; check the profile and AWS_* settings"
        raise StorageError(msg) from e


class S3Store:
    """The objects under one bucket and prefix."""

    def __init__(self, location: S3Location, options: S3Options) -> None:
        self.location = location
        self.options = options
        # Made now, so a missing extra or a bad profile fails at once. One client for
        # every thread: boto3 clients are thread-safe (sessions are not, and this one is
        # used here only). A client per thread cost each new thread ~0.1 s of CPU under
        # the GIL (loading the service model) and ~15 MiB: half of a 256 MiB verify's
        # time on 2 cores, and 130 MiB of its peak RSS (docs/performance.md, S3).
        self.client: S3Client = make_client(options)

    @property
    def url(self) -> str:
        """``s3://bucket/prefix``."""
        return self.location.url

    def _key(self, key: str) -> str:
        return f"{self.location.prefix}/{key}" if self.location.prefix else key

    def _fail(self, key: str, e: Exception) -> StorageError:
        where = f"{self.location.child(key).url}" if key else self.url
        code = _code(e)
        if code in _MISSING:
            return ObjectMissingError(f"{where}: not there")
        return ObjectInaccessibleError(f"{where}: cannot be read ({_describe(e, code)})")

    def list(self, gaps: dict[str, str] | None = None) -> Iterator[ObjectInfo]:
        """Every object under the prefix (paginated). A listing fails as a whole, so
        *gaps* stays empty: an error raises."""
        prefix = f"{self.location.prefix}/" if self.location.prefix else ""
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.location.bucket, Prefix=prefix
            )
            for page in pages:
                for obj in page.get("Contents", []):
                    key = obj["Key"][len(prefix) :]
                    if key and not key.endswith("/"):
                        yield ObjectInfo(key, obj.get("Size", 0))
        except Exception as e:
            if _code(e) == "NoSuchBucket":
                msg = f"{self.url}: the bucket {self.location.bucket!r} does not exist"
                raise ObjectMissingError(msg) from e
            msg = f"{self.url}: cannot be listed ({_describe(e, _code(e))})"
            raise ObjectInaccessibleError(msg) from e

    def size(self, key: str) -> int:
        """The object's size (HEAD)."""
        try:
            return self.client.head_object(Bucket=self.location.bucket, Key=self._key(key))[
                "ContentLength"
            ]
        except Exception as e:
            raise self._fail(key, e) from e

    def read(self, key: str) -> bytes:
        """The whole object."""
        try:
            body = self.client.get_object(Bucket=self.location.bucket, Key=self._key(key))
            return body["Body"].read()
        except Exception as e:
            raise self._fail(key, e) from e

    def read_range(self, key: str, start: int, length: int) -> bytes:
        """One ranged GET."""
        end = start + length - 1
        try:
            got = self.client.get_object(
                Bucket=self.location.bucket, Key=self._key(key), Range=f"bytes={start}-{end}"
            )
            return got["Body"].read()
        except Exception as e:
            raise self._fail(key, e) from e

    def iter_chunks(self, key: str, chunk: int) -> Iterator[bytes]:
        """One streamed GET, in pieces of about *chunk* bytes."""
        try:
            got = self.client.get_object(Bucket=self.location.bucket, Key=self._key(key))
            yield from got["Body"].iter_chunks(chunk)
        except Exception as e:
            raise self._fail(key, e) from e

    def write(self, key: str, data: BinaryIO, size: int) -> None:
        """Upload (multipart above 8 MiB, by boto3's transfer manager)."""
        try:
            self.client.upload_fileobj(data, self.location.bucket, self._key(key))
        except Exception as e:
            msg = f"{self.location.child(key).url}: cannot be written ({_describe(e, _code(e))})"
            raise ObjectInaccessibleError(msg) from e

    def delete(self, key: str) -> None:
        """DELETE (S3 answers 204 for an absent key too)."""
        try:
            self.client.delete_object(Bucket=self.location.bucket, Key=self._key(key))
        except Exception as e:
            raise self._fail(key, e) from e


def _code(e: Exception) -> str:
    response: Any = getattr(e, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def _describe(e: Exception, code: str) -> str:
    """A short reason without request details (which could carry signed headers)."""
    if code in ("AccessDenied", "403"):
        return "access denied: check the key's permissions on this bucket"
    if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch"):
        return f"{code}: the access key or secret is wrong"
    if code:
        return code
    return type(e).__name__ + (": " + str(e).split("\n")[0][:200] if str(e) else "")
