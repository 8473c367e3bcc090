"""``preserve audit s3://…``: bags found under a prefix, checked in place, recorded (issue 14)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from preserve.audit.ledger import Ledger
from preserve.audit.relocate import CannotTell
from preserve.audit.run import run_audit
from preserve.replicas.audit import StoredChecker, StoredProbe, discover_roots
from preserve.storage.location import S3Options
from tests.s3.conftest import upload_folder

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

PRESERVE = [sys.executable, "-m", "preserve"]


def audit(env: dict[str, str], ledger: Path, *roots: str) -> tuple[int, dict[str, object]]:
    done = subprocess.run(
        [*PRESERVE, "audit", *roots, "--ledger", str(ledger), "--format", "json", "-q"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def _outcomes(report: dict[str, object]) -> dict[str, str]:
    return {b["bag"]: b["outcome"] for b in report["bags"]}  # type: ignore[attr-defined]


@pytest.fixture
def shelf(s3_bag: tuple[str, str, Path], s3: S3Client) -> tuple[str, str]:
    """Two bags under s3://bags/PREFIX/shelf (one also holds a bagit.txt in its payload)."""
    bucket, prefix, local = s3_bag
    (local / "data" / "bagit.txt").write_text("not a bag: payload\n")
    root = f"{prefix}-shelf"
    upload_folder(s3, local, bucket, f"{root}/one")
    (local / "data" / "bagit.txt").unlink()
    upload_folder(s3, local, bucket, f"{root}/two")
    s3.delete_object(Bucket=bucket, Key=f"{root}/one/data/bagit.txt")
    return bucket, root


def test_audit_s3_root_records_each_bag(
    shelf: tuple[str, str], s3: S3Client, aws_env: dict[str, str], tmp_path: Path
) -> None:
    bucket, root = shelf
    url = f"s3://{bucket}/{root}"
    data = bytearray(s3.get_object(Bucket=bucket, Key=f"{root}/two/data/src/a.txt")["Body"].read())
    data[0] ^= 1
    s3.put_object(Bucket=bucket, Key=f"{root}/two/data/src/a.txt", Body=bytes(data))
    ledger = tmp_path / "ledger.sqlite"
    code, report = audit(aws_env, ledger, url)
    assert code == 1
    assert _outcomes(report) == {f"{url}/one": "passed", f"{url}/two": "failed"}
    with Ledger.open(ledger, create=False) as book:
        rows = {r.check.bag: r.check for r in book.records()}
    changes = rows[f"{url}/two"].changes
    assert {(c.kind, c.path, c.algorithm) for c in changes} == {
        ("changed", "data/src/a.txt", "sha256"),
        ("changed", "data/src/a.txt", "sha512"),
    }
    assert set(rows[f"{url}/one"].digests) >= {"manifest-sha256.txt", "tagmanifest-sha256.txt"}
    assert aws_env["AWS_SECRET_ACCESS_KEY"] not in ledger.read_bytes().decode("latin-1")


def test_wrong_key_makes_known_bags_inaccessible_not_failed(
    shelf: tuple[str, str], aws_env: dict[str, str], tmp_path: Path
) -> None:
    bucket, root = shelf
    url = f"s3://{bucket}/{root}"
    ledger = tmp_path / "ledger.sqlite"
    code, _ = audit(aws_env, ledger, url)
    assert code == 0
    code, report = audit({**aws_env, "AWS_SECRET_ACCESS_KEY": "not-the-secret"}, ledger, url)
    assert code == 1  # inaccessible bags are findings (the exit-code contract), not exit 3
    assert _outcomes(report) == {f"{url}/one": "inaccessible", f"{url}/two": "inaccessible"}


def test_dask_workers_read_s3_directly(
    shelf: tuple[str, str], aws_env: dict[str, str], tmp_path: Path
) -> None:
    from distributed import LocalCluster

    from preserve.audit.distributed import dask_executor

    bucket, root = shelf
    url = f"s3://{bucket}/{root}"
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",  # a free port: 8787 may be taken by another run
        ) as cluster,
        dask_executor(cluster.scheduler_address) as on_dask,
        Ledger.open(tmp_path / "dask.sqlite") as ledger,
    ):
        report = run_audit(
            [url],
            ledger=ledger,
            executor=on_dask,
            check=StoredChecker(S3Options()),
            discovery=discover_roots([url]),
        )
    assert {b.bag: b.outcome for b in report.bags} == {
        f"{url}/one": "passed",
        f"{url}/two": "passed",
    }


def test_a_local_copy_of_an_s3_bag_is_a_move_only_once_the_s3_bag_is_gone(
    s3_bag: tuple[str, str, Path], s3: S3Client, aws_env: dict[str, str], tmp_path: Path
) -> None:
    """Whether the old location still holds the bag is asked of S3, though the run's root is
    local: a copy while the objects are there, a move once they are deleted."""
    bucket, prefix, local = s3_bag
    url = f"s3://{bucket}/{prefix}"
    ledger = tmp_path / "ledger.sqlite"
    assert audit(aws_env, ledger, url)[0] == 0
    copy = tmp_path / "restored" / "bag"
    copy.parent.mkdir()
    shutil.copytree(local, copy)

    code, report = audit(aws_env, ledger, str(copy.parent))
    assert (code, report["moves"]) == (0, [])
    with Ledger.open(ledger, create=False) as book:
        assert set(book.last_checks()) == {url, str(copy)}

    for key in [
        o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=f"{prefix}/")["Contents"]
    ]:
        s3.delete_object(Bucket=bucket, Key=key)
    moved = tmp_path / "moved" / "bag"
    moved.parent.mkdir()
    shutil.copytree(local, moved)
    code, report = audit(aws_env, ledger, str(moved.parent))
    assert (code, report["moves"]) == (0, [{"from": url, "to": str(moved)}])


def test_whether_anything_is_left_at_an_s3_location_is_asked_of_its_bucket(
    s3_bag: tuple[str, str, Path], s3: S3Client, aws_env: dict[str, str]
) -> None:
    bucket, prefix, local = s3_bag
    probe = StoredProbe(S3Options())
    s3.put_object(Bucket=bucket, Key=f"{prefix}-archives/b.tar", Body=b"an archive\n")

    assert probe(f"s3://{bucket}/{prefix}") is True
    assert probe(f"s3://{bucket}/{prefix}-elsewhere") is False
    assert probe(f"s3://{bucket}/{prefix}-archives/b.tar") is True
    assert probe(f"s3://{bucket}/{prefix}-archives/c.tar") is False
    assert probe(f"s3://no-such-bucket-{prefix}/bag") is False
    assert probe(str(local)) is True
    assert probe(str(local) + "-gone") is False
    unreachable = StoredProbe(S3Options(endpoint_url="http://127.0.0.1:9"))
    with pytest.raises(CannotTell, match=f"s3://{bucket}/{prefix}"):
        unreachable(f"s3://{bucket}/{prefix}")
