"""Issue 11, item 14: audits on a Dask cluster that breaks, with real scheduler and worker
processes that the tests kill (SIGKILL), and the real CLI in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from preserve import __version__
from preserve.audit.distributed import dask_executor
from preserve.errors import AuditError
from tests.unit.audit.bags import make_test_bag

DASK = str(Path(sys.executable).parent / "dask")
SLOW = """
import time
import preserve.audit.check as check
# Dask may import a preload twice: wrap the original once.
check.unslowed = getattr(check, "unslowed", check.check_bag)
def _slow(*args, **kwargs):
    time.sleep({seconds})
    return check.unslowed(*args, **kwargs)
check.check_bag = _slow
"""


def _preload(tmp_path: Path, name: str, code: str) -> str:
    script = tmp_path / f"{name}.py"
    script.write_text(code)
    return str(script)


class Cluster:
    """A `dask scheduler` process and `dask worker` processes (no nanny: killed is dead)."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.file = tmp_path / "scheduler.json"
        self.logs: list[BinaryIO] = []
        self.scheduler = self._start(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"],
            "--scheduler-file",
            str(self.file),
        )
        deadline = time.monotonic() + 60
        while not self.file.is_file() or not self.file.read_text().strip():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        self.address = str(json.loads(self.file.read_text())["address"])
        self.workers: list[subprocess.Popen[bytes]] = []

    def _start(self, argv: list[str], *more: str) -> subprocess.Popen[bytes]:
        log = (self.tmp_path / f"{len(self.logs)}.log").open("wb")
        self.logs.append(log)
        return subprocess.Popen([*argv, *more], stdout=log, stderr=subprocess.STDOUT)

    def add_worker(self, *preloads: str) -> subprocess.Popen[bytes]:
        argv = [DASK, "worker", self.address, "--nthreads", "1", "--no-nanny"]
        argv += ["--no-dashboard"]
        for preload in preloads:
            argv += ["--preload", preload]
        worker = self._start(argv)
        self.workers.append(worker)
        return worker

    def stop(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)
        for log in self.logs:
            log.close()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    started = Cluster(tmp_path)
    try:
        yield started
    finally:
        started.stop()


def _store(tmp_path: Path, n: int) -> Path:
    root = tmp_path / "store"
    for i in range(n):
        make_test_bag(root, f"b{i:02d}")
    return root


def _rows(ledger: Path) -> int:
    if not ledger.is_file():
        return 0
    try:
        with sqlite3.connect(f"file:{ledger}?mode=ro", uri=True) as db:
            return int(db.execute("SELECT count(*) FROM checks").fetchone()[0])
    except sqlite3.Error:
        return 0


def _audit(cluster: Cluster, store: Path, ledger: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "preserve", "audit", str(store), "--ledger", str(ledger)),
            *("--scheduler", cluster.address, "--format", "json", *args),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_rows(ledger: Path, n: int, run: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while _rows(ledger) < n:
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline, "no bag was checked"
        time.sleep(0.1)


def _assert_lost(run: subprocess.Popen[str], ledger: Path, total: int) -> None:
    out, err = run.communicate(timeout=120)
    assert run.returncode == 3, (out, err)
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("Error: the Dask cluster at tcp://127.0.0.1:")
    assert "was lost" in lines[0]
    assert "Traceback" not in err
    report = json.loads(out)
    assert report["status"] == "could_not_run"
    counts = report["counts"]
    assert isinstance(counts, dict)
    assert counts["passed"] == _rows(ledger) >= 2
    assert counts["not_run"] >= 1
    assert counts["passed"] + counts["not_run"] == total
    verify = subprocess.run(
        [sys.executable, "-m", "preserve", "ledger", "verify", "--ledger", str(ledger)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert verify.returncode == 0, verify.stdout


def test_the_only_worker_dies_mid_run(cluster: Cluster, tmp_path: Path) -> None:
    worker = cluster.add_worker(_preload(tmp_path, "slow", SLOW.format(seconds=0.4)))
    store, ledger = _store(tmp_path, 16), tmp_path / "l.sqlite"
    started = time.monotonic()
    run = _audit(cluster, store, ledger)
    _wait_for_rows(ledger, 2, run)
    os.kill(worker.pid, signal.SIGKILL)
    _assert_lost(run, ledger, 16)
    assert time.monotonic() - started < 90  # never "waits for ever"


def test_the_scheduler_dies_mid_run(cluster: Cluster, tmp_path: Path) -> None:
    cluster.add_worker(_preload(tmp_path, "slow", SLOW.format(seconds=0.4)))
    store, ledger = _store(tmp_path, 16), tmp_path / "l.sqlite"
    run = _audit(cluster, store, ledger)
    _wait_for_rows(ledger, 2, run)
    os.kill(cluster.scheduler.pid, signal.SIGKILL)
    _assert_lost(run, ledger, 16)


def test_the_budget_is_honoured_while_waiting(cluster: Cluster, tmp_path: Path) -> None:
    cluster.add_worker(_preload(tmp_path, "stuck", SLOW.format(seconds=120)))
    store, ledger = _store(tmp_path, 6), tmp_path / "l.sqlite"
    started = time.monotonic()
    run = _audit(cluster, store, ledger, "--budget", "3s")
    out, err = run.communicate(timeout=110)  # a run that waits for the first bag takes 120 s
    elapsed = time.monotonic() - started
    assert run.returncode == 0, (out, err)
    counts = json.loads(out)["counts"]
    assert (counts["passed"], counts["not_run"]) == (0, 6)
    assert _rows(ledger) == 0
    assert elapsed < 60


def test_a_scheduler_without_workers_is_refused(cluster: Cluster) -> None:
    with (
        pytest.raises(AuditError, match="has no workers"),
        dask_executor(cluster.address, timeout_s=2),
    ):
        pass


def test_workers_without_preserve_are_refused(cluster: Cluster, tmp_path: Path) -> None:
    cluster.add_worker(_preload(tmp_path, "hide", "import sys\nsys.modules['preserve'] = None\n"))
    with (
        pytest.raises(AuditError, match="cannot run preserve"),
        dask_executor(cluster.address, timeout_s=60),
    ):
        pass


def test_workers_with_another_version_are_refused(cluster: Cluster, tmp_path: Path) -> None:
    code = "import preserve, preserve.audit.distributed as d\nd.__version__ = '0.0.1'\n"
    cluster.add_worker(_preload(tmp_path, "old", code))
    with (
        pytest.raises(AuditError, match=f"has 0.0.1; this is {__version__}") as caught,
        dask_executor(cluster.address, timeout_s=60),
    ):
        pass
    assert "install the same version" in str(caught.value)
