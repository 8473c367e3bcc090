"""``preserve verify s3://…`` against a real SeaweedFS: a good bag and each fault (issue 14)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from preserve.replicas.verify import verify_stored_bag
from preserve.storage.location import S3Options
from preserve.storage.stores import open_store
from tests.s3.conftest import client_for, upload_folder
from tests.s3.server import READER_BUCKET, READER_KEY, READER_SECRET, SeaweedS3

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

PRESERVE = [sys.executable, "-m", "preserve"]


def _codes(result_findings: object) -> set[str]:
    return {f.code for f in result_findings}  # type: ignore[attr-defined]


def verify_cli(location: str, env: dict[str, str], *extra: str) -> tuple[int, dict[str, object]]:
    done = subprocess.run(
        [*PRESERVE, "verify", "--format", "json", "-q", *extra, location],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    return done.returncode, report["bags"][0] if "bags" in report else report


def test_good_bag_on_s3_verifies(s3_bag: tuple[str, str, Path], aws_env: dict[str, str]) -> None:
    bucket, prefix, _ = s3_bag
    code, report = verify_cli(f"s3://{bucket}/{prefix}", aws_env)
    assert code == 0, report
    assert report["valid"] is True
    assert report["files"] == 3


def test_flipped_byte_is_a_checksum_mismatch(
    s3_bag: tuple[str, str, Path], s3: S3Client, aws_env: dict[str, str]
) -> None:
    bucket, prefix, _ = s3_bag
    key = f"{prefix}/data/src/sub/b.bin"
    data = bytearray(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    data[100] ^= 0x01
    s3.put_object(Bucket=bucket, Key=key, Body=bytes(data))
    result = verify_stored_bag(open_store(f"s3://{bucket}/{prefix}"))
    assert not result.ok
    assert _codes(result.findings) == {"BAG-040"}
    assert {c.path for c in result.changed} == {"data/src/sub/b.bin"}
    assert {c.algorithm for c in result.changed} == {"sha256", "sha512"}
    assert result.missing == ()
    assert result.unreadable == ()


def test_deleted_object_is_missing(
    s3_bag: tuple[str, str, Path], s3: S3Client, aws_env: dict[str, str]
) -> None:
    bucket, prefix, _ = s3_bag
    s3.delete_object(Bucket=bucket, Key=f"{prefix}/data/src/a.txt")
    result = verify_stored_bag(open_store(f"s3://{bucket}/{prefix}"))
    assert "BAG-030" in _codes(result.findings)
    assert result.missing == ("data/src/a.txt",)
    assert result.unreadable == ()


def test_added_object_is_reported(
    s3_bag: tuple[str, str, Path], s3: S3Client, aws_env: dict[str, str]
) -> None:
    bucket, prefix, _ = s3_bag
    s3.put_object(Bucket=bucket, Key=f"{prefix}/data/intruder.txt", Body=b"x")
    result = verify_stored_bag(open_store(f"s3://{bucket}/{prefix}"))
    assert "BAG-031" in _codes(result.findings)
    assert result.added == ("data/intruder.txt",)


def test_wrong_key_is_inaccessible_not_missing(
    s3_bag: tuple[str, str, Path], aws_env: dict[str, str]
) -> None:
    bucket, prefix, _ = s3_bag
    env = {**aws_env, "AWS_SECRET_ACCESS_KEY": "wrong-secret-value"}
    code, report = verify_cli(f"s3://{bucket}/{prefix}", env)
    assert code == 1
    codes = {f["code"] for f in report["findings"]}  # type: ignore[attr-defined]
    assert codes == {"BAG-012"}
    assert "wrong-secret-value" not in json.dumps(report)


def test_no_read_permission_is_inaccessible(
    seaweed: SeaweedS3,
    s3_bag: tuple[str, str, Path],
    aws_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bucket, prefix, _ = s3_bag  # the reader may read READER_BUCKET only
    monkeypatch.delenv("AWS_ENDPOINT_URL")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", READER_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", READER_SECRET)
    options = S3Options(endpoint_url=seaweed.endpoint)  # the --endpoint-url path
    result = verify_stored_bag(open_store(f"s3://{bucket}/{prefix}", s3=options))
    assert _codes(result.findings) == {"BAG-012"}
    assert result.missing == ()
    assert result.unreadable == (".",)


def test_reader_can_verify_its_bucket(
    seaweed: SeaweedS3,
    s3: S3Client,
    tmp_path: Path,
    s3_bag: tuple[str, str, Path],
    aws_env: dict[str, str],
) -> None:
    _, _, local = s3_bag
    upload_folder(s3, local, READER_BUCKET, "ro/bag")
    env = {**aws_env, "AWS_ACCESS_KEY_ID": READER_KEY, "AWS_SECRET_ACCESS_KEY": READER_SECRET}
    code, report = verify_cli(f"s3://{READER_BUCKET}/ro/bag", env)
    assert code == 0, report
    assert READER_SECRET not in json.dumps(report)
    reader = client_for(seaweed.endpoint, READER_KEY, READER_SECRET)
    assert reader.list_objects_v2(Bucket=READER_BUCKET, Prefix="ro/bag/")["KeyCount"] > 0
