"""Issue 11, item 11: the ledger on a REAL read-only file system and a REAL full one.

Each test mounts a small tmpfs of its own (root only; CI runs the suite as root) and
runs the real CLI in subprocesses, as cron would.
"""

from __future__ import annotations

import errno
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.unit.audit.bags import make_test_bag


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs mounted for this test only."""
    mount_point = tmp_path / "mnt"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root; CI runs as root): {done.stderr}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _preserve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "preserve", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _store(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    for name in ("one", "two"):
        make_test_bag(root, name)
    return root


def _fill(folder: Path) -> None:
    """Write files until the file system is full (big blocks, then small ones)."""
    for size in (65536, 512):
        with (folder / f"filler-{size}").open("wb", buffering=0) as handle:
            try:
                while True:
                    handle.write(b"\0" * size)
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise


def test_reading_a_ledger_on_a_read_only_mount(tmpfs: Path, tmp_path: Path) -> None:
    store = _store(tmp_path)
    ledger = str(tmpfs / "ledger.sqlite")
    assert _preserve("audit", str(store), "--ledger", ledger).returncode == 0
    head = _preserve("ledger", "head", "--ledger", ledger).stdout.strip()
    before = sorted(p.name for p in tmpfs.iterdir())
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)

    done = _preserve("ledger", "verify", "--ledger", ledger, "--witness", head)
    assert (done.returncode, done.stdout.split(":")[0]) == (0, "OK"), done.stderr
    done = _preserve("ledger", "head", "--ledger", ledger)
    assert (done.returncode, done.stdout.strip()) == (0, head), done.stderr
    done = _preserve("audit", "status", "--ledger", ledger)
    assert (done.returncode, done.stdout.splitlines()[-1]) == (
        0,
        "2 bags: 2 passed, 0 failed, 0 inaccessible, 0 overdue, 0 never checked",
    ), done.stderr
    done = _preserve("ledger", "events", "one", "--ledger", ledger)
    assert done.returncode == 0, done.stderr
    assert "passed" in done.stdout
    assert sorted(p.name for p in tmpfs.iterdir()) == before

    # Writing is refused with what happened, not "is it a preserve ledger?".
    done = _preserve("audit", str(store), "--ledger", ledger)
    assert done.returncode == 3, done.stderr
    assert "read-only" in done.stderr
    assert "is it a preserve ledger" not in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_a_full_disk_says_so_in_the_audit(tmpfs: Path, tmp_path: Path) -> None:
    store = _store(tmp_path)
    ledger = str(tmpfs / "ledger.sqlite")
    assert _preserve("audit", str(store), "--ledger", ledger).returncode == 0
    rows = _preserve("ledger", "verify", "--ledger", ledger).stdout
    _fill(tmpfs)
    for _ in range(3):  # until the ledger's pages are used up too
        done = _preserve("audit", str(store), "--ledger", ledger)
        if done.returncode != 0:
            break
    assert done.returncode == 3, (done.stdout, done.stderr)
    assert "the disk is full" in done.stderr
    assert f"free space in {tmpfs}" in done.stderr
    assert "run again" in done.stderr
    assert "disk I/O error" not in done.stderr
    assert "Traceback" not in done.stderr
    # What was recorded before is intact and still readable on the full disk.
    after = _preserve("ledger", "verify", "--ledger", ledger)
    assert after.returncode == 0, after.stderr
    assert rows.startswith("OK:")


def test_a_full_disk_says_so_for_the_html_report(tmpfs: Path, tmp_path: Path) -> None:
    store = _store(tmp_path)
    _fill(tmpfs)
    page = tmpfs / "www" / "report.html"
    done = _preserve(
        "audit", str(store), "--ledger", str(tmp_path / "l.sqlite"), "--html", str(page)
    )
    assert done.returncode == 3, done.stderr
    assert "the disk is full" in done.stderr
    assert "free space in" in done.stderr
    assert "Traceback" not in done.stderr
