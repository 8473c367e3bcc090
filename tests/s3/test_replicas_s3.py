"""``preserve compare`` and ``preserve repair`` across local and S3 copies (issue 14)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from preserve.audit.ledger import Ledger
from preserve.replicas.verify import verify_stored_bag
from preserve.storage.local import LocalStore
from preserve.storage.stores import open_store
from tests.s3.conftest import upload_folder

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

PRESERVE = [sys.executable, "-m", "preserve"]
PAYLOAD = "data/src/sub/b.bin"
PREMIS = "{http://www.loc.gov/premis/v3}"


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PRESERVE, *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[3] ^= 0xFF
    path.write_bytes(bytes(data))


def _flip_object(s3: S3Client, bucket: str, key: str) -> None:
    data = bytearray(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    data[3] ^= 0xFF
    s3.put_object(Bucket=bucket, Key=key, Body=bytes(data))


def test_identical_copies_compare_clean(
    s3_bag: tuple[str, str, Path], aws_env: dict[str, str]
) -> None:
    bucket, prefix, local = s3_bag
    done = run(aws_env, "compare", str(local), f"s3://{bucket}/{prefix}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all copies intact and identical" in done.stdout


def test_three_copies_name_the_odd_one_out(
    s3_bag: tuple[str, str, Path], s3: S3Client, aws_env: dict[str, str], tmp_path: Path
) -> None:
    bucket, prefix, local = s3_bag
    upload_folder(s3, local, bucket, f"{prefix}-b")
    _flip_object(s3, bucket, f"{prefix}-b/{PAYLOAD}")
    copies = [str(local), f"s3://{bucket}/{prefix}", f"s3://{bucket}/{prefix}-b"]
    done = run(aws_env, "compare", "--format", "json", *copies)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert [c["valid"] for c in report["copies"]] == [True, True, False]
    (row,) = report["files"]
    assert row["path"] == PAYLOAD
    assert row["agree"] is False
    assert row["odd_one_out"] == [copies[2]]
    assert row["states"][copies[2]] == "changed"


def test_repair_local_from_s3_writes_premis_and_ledger(
    s3_bag: tuple[str, str, Path], aws_env: dict[str, str], tmp_path: Path
) -> None:
    bucket, prefix, local = s3_bag
    manifests = {p.name: p.read_bytes() for p in local.glob("manifest-*.txt")}
    _flip(local / PAYLOAD)
    (local / "data/src/a.txt").unlink()
    ledger = tmp_path / "ledger.sqlite"
    done = run(
        aws_env, "repair", str(local), "--from", f"s3://{bucket}/{prefix}", "--ledger", str(ledger)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "repaired data/src/a.txt" in done.stdout
    assert verify_stored_bag(LocalStore(local)).ok
    assert {p.name: p.read_bytes() for p in local.glob("manifest-*.txt")} == manifests
    premis = etree.parse(str(local / "metadata" / "premis.xml"))
    types = [e.get("valueURI") for e in premis.iter(f"{PREMIS}eventType")]
    assert types[-2:] == [
        "http://id.loc.gov/vocabulary/preservation/eventType/rep",
        "http://id.loc.gov/vocabulary/preservation/eventType/fix",
    ]
    with Ledger.open(ledger, create=False) as book:
        (record,) = book.records()
        assert book.verify().ok
    assert record.check.outcome == "passed"
    assert PAYLOAD in record.check.note
    assert aws_env["AWS_SECRET_ACCESS_KEY"] not in record.check.note


def test_repair_s3_from_local(
    s3_bag: tuple[str, str, Path], s3: S3Client, aws_env: dict[str, str]
) -> None:
    bucket, prefix, local = s3_bag
    _flip_object(s3, bucket, f"{prefix}/{PAYLOAD}")
    done = run(aws_env, "repair", f"s3://{bucket}/{prefix}", "--from", str(local))
    assert done.returncode == 0, done.stdout + done.stderr
    store = open_store(f"s3://{bucket}/{prefix}")
    assert verify_stored_bag(store).ok
    assert b"eventType/rep" in store.read("metadata/premis.xml")


def test_repair_never_writes_a_file_that_does_not_match(
    s3_bag: tuple[str, str, Path], s3: S3Client, aws_env: dict[str, str], tmp_path: Path
) -> None:
    _, _, local = s3_bag
    other = tmp_path / "other"
    shutil.copytree(local, other)
    _flip(local / PAYLOAD)
    damaged = (local / PAYLOAD).read_bytes()
    (other / PAYLOAD).write_bytes(b"something else entirely")
    done = run(aws_env, "repair", str(local), "--from", str(other))
    assert done.returncode == 1
    assert f"NOT repaired {PAYLOAD}" in done.stdout
    assert (local / PAYLOAD).read_bytes() == damaged
    assert not (local / "metadata" / "premis.xml").exists()
