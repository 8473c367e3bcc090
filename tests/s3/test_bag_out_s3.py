"""``preserve bag … --out s3://…``: bagit.txt last, killed uploads, resuming (issue 14)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from preserve.errors import BagError
from preserve.replicas.upload import MARKER, upload_bag
from preserve.replicas.verify import verify_stored_bag
from preserve.storage.stores import open_store
from tests.s3.conftest import make_local_bag
from tests.s3.test_verify_s3 import verify_cli

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

PRESERVE = [sys.executable, "-m", "preserve"]


def _keys(s3: S3Client, bucket: str, prefix: str) -> set[str]:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{prefix}/")
    return {o["Key"][len(prefix) + 1 :] for page in pages for o in page.get("Contents", [])}


def _sources(root: Path, count: int, size: int) -> Path:
    src = root / "deposit"
    src.mkdir()
    for i in range(count):
        (src / f"file{i:04}.bin").write_bytes(os.urandom(size))
    return src


def test_bag_out_s3_builds_a_bag_that_verifies(
    tmp_path: Path, bucket: str, prefix: str, aws_env: dict[str, str], s3: S3Client
) -> None:
    src = _sources(tmp_path, 5, 1000)
    target = f"s3://{bucket}/{prefix}/bag"
    done = subprocess.run(
        [*PRESERVE, "bag", str(src), "--out", target, "--format", "json", "-q"],
        env=aws_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["bag"] == target
    assert "bagit.txt" in _keys(s3, bucket, f"{prefix}/bag")
    code, report = verify_cli(target, aws_env)
    assert code == 0, report
    assert report["files"] == 5
    assert list(src.iterdir())  # the sources are untouched
    again = subprocess.run(
        [*PRESERVE, "bag", str(src), "--out", target, "-q"],
        env=aws_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 3
    assert "--replace" in again.stderr


def test_killed_upload_leaves_no_bagit_txt_and_the_next_run_completes(
    tmp_path: Path, bucket: str, prefix: str, aws_env: dict[str, str], s3: S3Client
) -> None:
    src = _sources(tmp_path, 400, 2000)
    target = f"s3://{bucket}/{prefix}/bag"
    args = [*PRESERVE, "bag", str(src), "--out", target, "-q", "--s3-concurrency", "1"]
    proc = subprocess.Popen(args, env=aws_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if len(_keys(s3, bucket, f"{prefix}/bag")) >= 20:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the upload finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.stderr is not None
    proc.stderr.close()
    left = _keys(s3, bucket, f"{prefix}/bag")
    assert len(left) >= 20
    assert "bagit.txt" not in left
    code, report = verify_cli(target, aws_env, "--completeness-only")
    assert code == 1
    assert "BAG-001" in {f["code"] for f in report["findings"]}  # type: ignore[attr-defined]
    rerun = subprocess.run(
        args, env=aws_env, capture_output=True, text=True, timeout=300, check=False
    )
    assert rerun.returncode == 0, rerun.stderr
    code, report = verify_cli(target, aws_env)
    assert code == 0, report
    assert report["files"] == 400


def test_upload_resumes_matching_leftovers_and_removes_the_rest(
    tmp_path: Path, bucket: str, prefix: str, aws_env: dict[str, str], s3: S3Client
) -> None:
    bag = make_local_bag(tmp_path, {"a.txt": b"alpha", "b.txt": b"beta", "c.txt": b"gamma"})
    store = open_store(f"s3://{bucket}/{prefix}/bag")
    first = upload_bag(bag, store)
    assert first.uploaded == len([p for p in bag.rglob("*") if p.is_file()])
    # Make it look like an interrupted run: its marker, no bagit.txt, a damaged object, a
    # stray one.
    s3.delete_object(Bucket=bucket, Key=f"{prefix}/bag/bagit.txt")
    s3.put_object(Bucket=bucket, Key=f"{prefix}/bag/{MARKER}", Body=b"x")
    s3.put_object(Bucket=bucket, Key=f"{prefix}/bag/data/src/b.txt", Body=b"bet")
    s3.put_object(Bucket=bucket, Key=f"{prefix}/bag/data/stray.txt", Body=b"?")
    second = upload_bag(bag, store)
    assert second.removed == 2  # the damaged one and the stray one
    assert second.uploaded == 2  # the damaged one again, and bagit.txt
    assert second.resumed == first.uploaded - 2
    assert verify_stored_bag(store).ok
    with pytest.raises(BagError, match="--replace"):
        upload_bag(bag, store)
    assert upload_bag(bag, store, replace=True).replaced
