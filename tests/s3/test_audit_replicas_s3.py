"""``preserve audit ROOT --replica ROOT``: copies of the same bags, local and on S3 (issue 14)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from preserve.audit.ledger import Ledger
from preserve.audit.run import run_audit
from preserve.errors import UsageError
from preserve.replicas.audit import StoredChecker, discover_roots
from preserve.storage.location import S3Options
from tests.s3.conftest import make_local_bag, upload_folder

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

PRESERVE = [sys.executable, "-m", "preserve"]


def audit(env: dict[str, str], *args: str) -> tuple[int, str]:
    done = subprocess.run(
        [*PRESERVE, "audit", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.stdout, done.stderr
    return done.returncode, done.stdout


@pytest.fixture
def copies(s3: S3Client, bucket: str, prefix: str, tmp_path: Path) -> tuple[Path, Path, str]:
    """Two bags (one, two) under a local root, a local replica root and an S3 replica root."""
    primary = tmp_path / "primary"
    for name, text in (("one", b"first\n"), ("two", b"second\n")):
        bag = make_local_bag(tmp_path / f"build-{name}", {"a.txt": text, "b.txt": b"b\n"})
        shutil.copytree(bag, primary / name)
    local = tmp_path / "replica"
    shutil.copytree(primary, local)
    for name in ("one", "two"):
        upload_folder(s3, primary / name, bucket, f"{prefix}/copies/{name}")
    return primary, local, f"s3://{bucket}/{prefix}/copies"


def _flip(s3: S3Client, bucket: str, key: str) -> None:
    data = bytearray(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    data[0] ^= 1
    s3.put_object(Bucket=bucket, Key=key, Body=bytes(data))


def test_identical_copies_agree_and_every_copy_is_recorded(
    copies: tuple[Path, Path, str], aws_env: dict[str, str], tmp_path: Path
) -> None:
    primary, local, remote = copies
    ledger = tmp_path / "ledger.sqlite"
    args = [str(primary), "--replica", str(local), "--replica", remote, "--ledger", str(ledger)]
    code, out = audit(aws_env, *args, "--format", "json", "-q")
    report = json.loads(out)
    assert (code, report["status"], report["disagreements"]) == (0, "passed", [])
    with Ledger.open(ledger, create=False) as book:
        recorded = {r.check.bag: r.check.outcome for r in book.records()}
    expected = {
        str(primary / "one"),
        str(primary / "two"),
        str(local / "one"),
        str(local / "two"),
        f"{remote}/one",
        f"{remote}/two",
    }
    assert recorded == dict.fromkeys(expected, "passed")


def test_a_flipped_byte_on_s3_is_a_disagreement_in_text_json_and_html(
    copies: tuple[Path, Path, str],
    s3: S3Client,
    bucket: str,
    aws_env: dict[str, str],
    tmp_path: Path,
) -> None:
    primary, _local, remote = copies
    _flip(s3, bucket, remote.removeprefix(f"s3://{bucket}/") + "/two/data/src/a.txt")
    ledger = tmp_path / "ledger.sqlite"
    html = tmp_path / "report.html"
    args = [str(primary), "--replica", remote, "--ledger", str(ledger)]
    code, out = audit(aws_env, *args, "--format", "json", "-q")
    report = json.loads(out)
    assert (code, report["status"]) == (1, "failed")
    [item] = report["disagreements"]
    assert (item["code"], item["bag"]) == ("AUD-012", "two")
    assert {c["path"]: c["outcome"] for c in item["copies"]} == {
        str(primary / "two"): "passed",
        f"{remote}/two": "failed",
    }
    code, out = audit(aws_env, *args, "--html", str(html))
    assert code == 1
    assert f"DISAGREE two\n  AUD-012 the copy at {remote}/two fails" in out
    assert f"  FAILED {remote}/two\n" in out
    page = html.read_text(encoding="utf-8")
    assert '<span id="n-disagree">1</span>' in page
    assert aws_env["AWS_SECRET_ACCESS_KEY"] not in out + page + ledger.read_bytes().decode(
        "latin-1"
    )


def test_a_replica_without_a_bag_and_differing_manifests_disagree(
    copies: tuple[Path, Path, str],
    s3: S3Client,
    bucket: str,
    aws_env: dict[str, str],
    tmp_path: Path,
) -> None:
    primary, local, remote = copies
    key = remote.removeprefix(f"s3://{bucket}/")
    for obj in s3.list_objects_v2(Bucket=bucket, Prefix=f"{key}/one/")["Contents"]:
        s3.delete_object(Bucket=bucket, Key=obj["Key"])
    # The local replica's "two" is rebuilt with other content: it passes, but it is not the
    # same bag as the primary's "two" (its manifests differ).
    shutil.rmtree(local / "two")
    other = make_local_bag(tmp_path / "other", {"a.txt": b"other\n", "b.txt": b"b\n"})
    shutil.copytree(other, local / "two")
    result = run_audit(
        [primary],
        ledger=tmp_path / "ledger.sqlite",
        replicas=[local, remote],
        check=StoredChecker(S3Options()),
        discovery=discover_roots([str(primary), str(local), remote]),
    )
    reasons = {d.bag: d.reason for d in result.disagreements}
    assert reasons == {
        "one": f"no copy under {remote}",
        "two": "copies that pass hold different manifests (their digests differ)",
    }
    (one,) = [d for d in result.disagreements if d.bag == "one"]
    assert [(c.outcome, c.path) for c in one.copies if c.root == remote] == [
        ("absent", f"{remote}/one")
    ]
    assert not result.ok


def test_replicas_take_one_root(tmp_path: Path, aws_env: dict[str, str]) -> None:
    with pytest.raises(UsageError, match="one ROOT"):
        run_audit([tmp_path, tmp_path], ledger=tmp_path / "l.sqlite", replicas=[tmp_path])
    done = subprocess.run(
        [*PRESERVE, "audit", str(tmp_path), str(tmp_path), "--replica", str(tmp_path)],
        env=aws_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "--replica takes copies of one ROOT" in done.stderr


def test_a_bag_moved_from_a_folder_to_a_bucket_keeps_its_history(
    copies: tuple[Path, Path, str], aws_env: dict[str, str], tmp_path: Path
) -> None:
    primary, _local, remote = copies
    ledger = tmp_path / "ledger.sqlite"
    code, _ = audit(aws_env, str(primary), "--ledger", str(ledger), "-q")
    assert code == 0
    shutil.rmtree(primary)  # the bags now live only in the bucket
    code, out = audit(aws_env, remote, "--ledger", str(ledger), "--format", "json", "-q")
    report = json.loads(out)
    assert code == 0
    assert {m["from"]: m["to"] for m in report["moves"]} == {
        str(primary / "one"): f"{remote}/one",
        str(primary / "two"): f"{remote}/two",
    }
    status = subprocess.run(
        [*PRESERVE, "audit", "status", "--ledger", str(ledger), "--format", "json"],
        env=aws_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert status.returncode == 0, status.stdout
    assert {b["bag"] for b in json.loads(status.stdout)["bags"]} == {
        f"{remote}/one",
        f"{remote}/two",
    }
