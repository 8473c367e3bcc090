"""Serialized bags kept as S3 objects, and verify --strict / --profile on S3 (issue 14)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from preserve.bags.archive.write import serialize_bag
from preserve.profiles.load import load_profile
from preserve.replicas.archive import is_stored_archive
from preserve.replicas.located import verify_location
from preserve.storage.location import S3Options
from tests.s3.conftest import make_local_bag, upload_folder

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

PRESERVE = [sys.executable, "-m", "preserve"]


def run(env: dict[str, str], *args: str) -> tuple[int, Any]:
    done = subprocess.run(
        [*PRESERVE, *args, "--format", "json", "-q"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def _codes(report: Any) -> set[str]:
    bag = report["bags"][0] if "bags" in report else report
    return {f["code"] for f in bag["findings"]}


@pytest.fixture
def archives(s3: S3Client, bucket: str, prefix: str, tmp_path: Path) -> tuple[str, Path]:
    """s3://bags/PREFIX/shelf: a loose bag, bag1.zip, bag1.tar.gz and a damaged bad.zip."""
    bag = make_local_bag(tmp_path / "good", {"a.txt": b"alpha\n", "b.bin": bytes(range(256))})
    bag1 = bag.rename(bag.parent / "bag1")
    out = tmp_path / "out"
    out.mkdir()
    for fmt in ("zip", "tgz"):
        archive = serialize_bag(bag1, out, fmt=fmt)
        s3.put_object(
            Bucket=bucket, Key=f"{prefix}/shelf/{archive.name}", Body=archive.read_bytes()
        )
    upload_folder(s3, bag1, bucket, f"{prefix}/shelf/loose")
    bad = make_local_bag(tmp_path / "bad", {"a.txt": b"alpha\n"}).rename(tmp_path / "bad" / "bad")
    (bad / "data" / "src" / "a.txt").write_bytes(b"ALPHA\n")  # the manifest still says alpha
    archive = serialize_bag(bad, out, fmt="zip")
    s3.put_object(Bucket=bucket, Key=f"{prefix}/shelf/bad.zip", Body=archive.read_bytes())
    return f"s3://{bucket}/{prefix}/shelf", bag1


def test_verify_a_zip_and_a_tar_gz_on_s3(
    archives: tuple[str, Path], aws_env: dict[str, str]
) -> None:
    shelf, _ = archives
    for name in ("bag1.zip", "bag1.tar.gz"):
        code, report = run(aws_env, "verify", f"{shelf}/{name}")
        bag = report["bags"][0] if "bags" in report else report
        assert (code, bag["bag"], bag["valid"]) == (0, f"{shelf}/{name}", True)
    code, report = run(aws_env, "verify", f"{shelf}/bad.zip")
    assert (code, _codes(report)) == (1, {"BAG-040"})
    assert "preserve-s3-archive" not in json.dumps(report)
    code, report = run(aws_env, "verify", f"{shelf}/absent.zip")
    assert (code, _codes(report)) == (1, {"BAG-012"})


def test_audit_finds_and_checks_serialized_bags_under_a_prefix(
    archives: tuple[str, Path], aws_env: dict[str, str], tmp_path: Path
) -> None:
    shelf, _ = archives
    ledger = tmp_path / "ledger.sqlite"
    code, report = run(aws_env, "audit", shelf, "--ledger", str(ledger))
    assert code == 1
    assert {b["bag"]: b["outcome"] for b in report["bags"]} == {
        f"{shelf}/bag1.zip": "passed",
        f"{shelf}/bag1.tar.gz": "passed",
        f"{shelf}/loose": "passed",
        f"{shelf}/bad.zip": "failed",
    }
    assert aws_env["AWS_SECRET_ACCESS_KEY"] not in ledger.read_bytes().decode("latin-1")


def _declare_latin1(bag: Path) -> None:
    """bagit.txt declares ISO-8859-1 (BAG-007, a conformance warning); tag manifests follow."""
    (bag / "bagit.txt").write_text(
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: ISO-8859-1\n", encoding="ascii"
    )
    for manifest in bag.glob("tagmanifest-*.txt"):
        algorithm = manifest.name.removeprefix("tagmanifest-").removesuffix(".txt")
        digest = hashlib.new(algorithm, (bag / "bagit.txt").read_bytes()).hexdigest()
        lines = [
            f"{digest}  bagit.txt" if line.endswith(" bagit.txt") else line
            for line in manifest.read_text().splitlines()
        ]
        manifest.write_text("\n".join(lines) + "\n")


def test_strict_and_profile_on_s3_match_the_local_verdicts(
    s3: S3Client, bucket: str, prefix: str, aws_env: dict[str, str], tmp_path: Path
) -> None:
    bag = make_local_bag(tmp_path, {"a.txt": b"alpha\n"})
    _declare_latin1(bag)
    upload_folder(s3, bag, bucket, f"{prefix}/latin")
    remote = f"s3://{bucket}/{prefix}/latin"
    for extra in ([], ["--strict"], ["--profile", "preserve-deposit-v1"]):
        local_code, local = run(aws_env, "verify", *extra, str(bag))
        code, report = run(aws_env, "verify", *extra, remote)
        assert (code, _codes(report)) == (local_code, _codes(local)), extra
    code, report = run(aws_env, "verify", "--strict", remote)
    assert code == 1
    assert "BAG-007" in _codes(report)


def test_verify_location_in_process(archives: tuple[str, Path], aws_env: dict[str, str]) -> None:
    shelf, _ = archives
    options = S3Options()
    profile = load_profile("preserve-deposit-v1")
    zipped = verify_location(f"{shelf}/bag1.zip", s3=options, strict=True, profile=profile)
    loose = verify_location(f"{shelf}/loose", s3=options, strict=True, profile=profile)
    assert zipped.bag == f"{shelf}/bag1.zip"
    assert {f.code for f in zipped.findings} == {f.code for f in loose.findings}
    bad = verify_location(f"{shelf}/bad.zip", s3=options)
    assert {f.code for f in bad.errors} == {"BAG-040"}
    gone = verify_location(f"{shelf}/gone.tar", s3=options)
    assert (gone.unreadable, {f.code for f in gone.findings}) == (
        (f"{shelf}/gone.tar",),
        {"BAG-012"},
    )
    assert not is_stored_archive(f"{shelf}/loose")
