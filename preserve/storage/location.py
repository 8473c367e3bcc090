"""Locations: ``s3://BUCKET/PREFIX`` or a local folder, and how to open either as a store.

A URL with credentials in it (``s3://KEY:SECRET@bucket/…``, an endpoint
``https://user:pw@host``) is refused, and the refusal shows it redacted: credentials
come from the standard AWS environment variables and profiles only, so they never
reach a report, the ledger, PREMIS or an error message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from preserve.storage.base import StorageError

S3_SCHEME = "s3://"
_USERINFO = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/]*@")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


def is_s3(location: str) -> bool:
    """True for an ``s3://`` location (case-insensitive scheme)."""
    return location[:5].lower() == S3_SCHEME


def redact(url: str) -> str:
    """*url* with any ``user:password@`` part replaced by ``***@``."""
    return _USERINFO.sub(r"\1***@", url)


@dataclass(frozen=True, slots=True)
class S3Location:
    """A bucket and a key prefix (no leading or trailing ``/``; may be empty)."""

    bucket: str
    prefix: str

    @property
    def url(self) -> str:
        """``s3://bucket/prefix``."""
        return f"{S3_SCHEME}{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"

    def child(self, name: str) -> S3Location:
        """The location *name* below this one."""
        return S3Location(self.bucket, f"{self.prefix}/{name}" if self.prefix else name)


def parse_s3(location: str) -> S3Location:
    """Parse ``s3://BUCKET[/PREFIX]``.

    :raises StorageError: for credentials in the URL or a bucket name S3 does not allow.
    """
    rest = location[len(S3_SCHEME) :]
    bucket, _, prefix = rest.partition("/")
    if "@" in bucket:
        msg = (
            f"{redact(location)}: credentials in an s3:// URL are refused; give them in "
            "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile in ~/.aws/ instead"
        )
        raise StorageError(msg)
    if not _BUCKET.match(bucket):
        msg = (
            f"{location}: {bucket!r} is not an S3 bucket name (3-63 lower-case letters, "
            "digits, dots and hyphens); write s3://BUCKET/PREFIX"
        )
        raise StorageError(msg)
    return S3Location(bucket, prefix.strip("/"))


def check_endpoint(endpoint_url: str) -> str:
    """Refuse an endpoint URL with credentials in it or without http(s); return it.

    :raises StorageError: naming the URL redacted.
    """
    parts = urlsplit(endpoint_url)
    if parts.username is not None or parts.password is not None:
        msg = (
            f"--endpoint-url {redact(endpoint_url)}: credentials in the endpoint URL are "
            "refused; give them in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or ~/.aws/"
        )
        raise StorageError(msg)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        msg = f"--endpoint-url {endpoint_url}: give an http:// or https:// URL of the S3 service"
        raise StorageError(msg)
    return endpoint_url


@dataclass(frozen=True, slots=True)
class S3Options:
    """How to reach S3; ``None`` fields fall back to the AWS environment and ~/.aws.

    :param endpoint_url: an S3-compatible service (``--endpoint-url``); else
        ``AWS_ENDPOINT_URL`` or AWS itself.
    :param profile: a profile in ``~/.aws/``; else ``AWS_PROFILE`` or the default.
    :param verify_tls: ``False`` only when the user turned certificate checks off.
    :param concurrency: requests in flight at once (objects and ranges).
    """

    endpoint_url: str | None = None
    profile: str | None = None
    verify_tls: bool = True
    concurrency: int = 8
