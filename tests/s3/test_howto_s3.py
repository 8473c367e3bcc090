"""The how-to on S3 bags runs as written, against the test server (docs are tested too)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tests.s3.conftest import upload_folder

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

HOWTO = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "audit-s3-replicas.md"
BLOCK = re.compile(r"```sh\n(.*?)```", re.DOTALL)


def test_howto_commands_run_against_seaweedfs(
    s3_bag: tuple[str, str, Path], s3: S3Client, aws_env: dict[str, str], tmp_path: Path
) -> None:
    _, prefix, local = s3_bag
    for name in ("archive", "offsite"):
        if name not in {b["Name"] for b in s3.list_buckets()["Buckets"]}:
            s3.create_bucket(Bucket=name)
    upload_folder(s3, local, "archive", f"{prefix}/2024-001")
    upload_folder(s3, local, "offsite", f"{prefix}/2024-001")
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "page1.tif").write_bytes(b"II*\x00" + bytes(100))
    commands = [c for b in BLOCK.findall(HOWTO.read_text(encoding="utf-8")) for c in b.splitlines()]
    preserve = [c for c in commands if c.startswith("preserve ")]
    assert [c.split()[1] for c in preserve] == [
        "verify",
        "verify",
        "bag",
        "compare",
        "repair",
        "audit",
        "audit",
    ]
    (tmp_path / "bags").mkdir()
    shutil.copytree(local, tmp_path / "bags" / "2024-001")
    substitutions = {
        "deposits/": f"{prefix}/",
        "/srv/bags/2024-001": str(local),
        "/srv/bags/": f"{tmp_path}/bags/",
        "scans/": str(scans),
        "audit.sqlite": str(tmp_path / "audit.sqlite"),
    }
    for command in preserve:
        for old, new in substitutions.items():
            command = command.replace(old, new)
        if " bag " in command:  # a new bag, kept apart from the copies audited below
            command = command.replace(f"{prefix}/2024-001", f"{prefix}-new/2024-001")
        args = [sys.executable, "-m", *shlex.split(command)]
        done = subprocess.run(
            args, env=aws_env, capture_output=True, text=True, timeout=180, check=False
        )
        assert done.returncode == 0, (command, done.stdout, done.stderr)
