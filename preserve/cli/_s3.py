"""``--endpoint-url`` and friends: how commands that take ``s3://`` locations reach S3.

Credentials are never options: they come from the standard AWS environment variables
and ``~/.aws/`` profiles, so they do not show in shell history or process lists.
"""

from __future__ import annotations

import functools
from typing import Any

import click

from preserve.cli.options import F
from preserve.storage.location import S3Options


def s3_options(func: F) -> F:
    """Add the S3 options; the command receives one ``s3: S3Options`` argument."""

    @click.option(
        "--endpoint-url",
        metavar="URL",
        help="S3-compatible service for s3:// locations (default: AWS_ENDPOINT_URL, else AWS).",
    )
    @click.option(
        "--aws-profile", metavar="NAME", help="Profile in ~/.aws/ (default: AWS_PROFILE)."
    )
    @click.option(
        "--no-verify-tls",
        is_flag=True,
        help="Do not check the endpoint's TLS certificate (only for a store you trust).",
    )
    @click.option(
        "--s3-concurrency",
        type=click.IntRange(min=1, max=256),
        default=8,
        show_default=True,
        help="S3 requests in flight at once (objects, and ranges of large objects).",
    )
    @functools.wraps(func)
    def wrapper(
        *args: Any,
        endpoint_url: str | None,
        aws_profile: str | None,
        no_verify_tls: bool,
        s3_concurrency: int,
        **kwargs: Any,
    ) -> Any:
        s3 = S3Options(
            endpoint_url=endpoint_url,
            profile=aws_profile,
            verify_tls=not no_verify_tls,
            concurrency=s3_concurrency,
        )
        return func(*args, s3=s3, **kwargs)

    return wrapper  # type: ignore[return-value]
