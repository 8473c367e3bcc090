"""Fixtures for the object-storage tests: one real SeaweedFS per test session (issue 14)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import pytest

from preserve.bags.build.build import build_bag
from tests.s3.server import ADMIN_KEY, ADMIN_SECRET, READER_BUCKET, SeaweedS3

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


def client_for(endpoint: str, key: str, secret: str) -> S3Client:
    """A boto3 client with explicit credentials (the tests' own, never preserve's)."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        region_name="us-east-1",
    )


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedS3]:
    """A running SeaweedFS with S3 on a free loopback port, stopped after the session."""
    server = SeaweedS3(tmp_path_factory.mktemp("seaweedfs"))
    server.start()
    try:
        server.ready_for_writes(client_for(server.endpoint, ADMIN_KEY, ADMIN_SECRET))
        admin = client_for(server.endpoint, ADMIN_KEY, ADMIN_SECRET)
        admin.create_bucket(Bucket=READER_BUCKET)
        admin.create_bucket(Bucket=BUCKET)
        yield server
    finally:
        server.stop()


@pytest.fixture
def s3(seaweed: SeaweedS3) -> S3Client:
    """An administrator's client on the session's server."""
    return client_for(seaweed.endpoint, ADMIN_KEY, ADMIN_SECRET)


BUCKET = "bags"


@pytest.fixture
def bucket(s3: S3Client) -> str:
    """The shared test bucket (tests keep apart by prefix: each bucket costs volumes)."""
    return BUCKET


@pytest.fixture
def prefix() -> str:
    """A fresh key prefix for one test."""
    return f"t-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def aws_env(seaweed: SeaweedS3, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """The standard AWS variables pointing at the server as the administrator.

    Set in this process (for in-process calls) and returned (for subprocess CLI runs);
    HOME is a temp folder so no real ~/.aws/ is read.
    """
    env = {
        "AWS_ENDPOINT_URL": seaweed.endpoint,
        "AWS_ACCESS_KEY_ID": ADMIN_KEY,
        "AWS_SECRET_ACCESS_KEY": ADMIN_SECRET,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp_path / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "aws-credentials"),
    }
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return {**os.environ, **env}


def make_local_bag(root: Path, files: dict[str, bytes]) -> Path:
    """A BagIt 1.0 bag (sha512 + sha256) of *files* built by preserve at root/bag."""
    src = root / "src"
    for name, data in files.items():
        target = src / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    bag = root / "bag"
    build_bag([src], bag)
    return bag


def upload_folder(s3: S3Client, folder: Path, bucket: str, prefix: str) -> None:
    """Copy every file of *folder* to s3://bucket/prefix/… (the test's own upload)."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        key = f"{prefix}/{path.relative_to(folder).as_posix()}"
        s3.put_object(Bucket=bucket, Key=key, Body=path.read_bytes())


@pytest.fixture
def s3_bag(s3: S3Client, bucket: str, prefix: str, tmp_path: Path) -> tuple[str, str, Path]:
    """A good bag uploaded to (bucket, PREFIX/deposits/bag1); also returns its local copy."""
    bag = make_local_bag(
        tmp_path,
        {"a.txt": b"alpha\n", "sub/b.bin": bytes(range(256)) * 10, "empty.txt": b""},
    )
    upload_folder(s3, bag, bucket, f"{prefix}/deposits/bag1")
    return bucket, f"{prefix}/deposits/bag1", bag
