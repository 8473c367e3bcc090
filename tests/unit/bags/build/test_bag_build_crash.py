"""Atomic builds: killed, interrupted or failing builds leave no bag (or the old one)."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

from preserve.bags.build.build import build_bag
from preserve.bags.build.result import Inventory
from preserve.bags.build.staging import clean_stale
from preserve.bags.verify.verify import verify_bag
from preserve.errors import BagError
from tests.unit.bags.bagtools import make_tree, snapshot

_BUILD = """
import sys
from preserve.bags.build.build import build_bag
if __name__ == "__main__":
    build_bag([sys.argv[1]], sys.argv[2], replace=sys.argv[3] == "replace", processes=2)
"""


def _payload(root: Path, seed: int) -> Path:
    rnd = random.Random(seed)
    files = {f"d{i % 9}/f{i}.bin": rnd.randbytes(rnd.randint(0, 4000)) for i in range(560)}
    files.update({f"big{i}.bin": rnd.randbytes(400_000) for i in range(3)})
    return make_tree(root, files)


def _start(src: Path, out: Path, mode: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", _BUILD, str(src), str(out), mode],
        start_new_session=True,  # so the whole group (worker processes too) can be killed
        stderr=subprocess.DEVNULL,
    )


def _assert_bag_matches(bag: Path, src: Path) -> None:
    result = verify_bag(bag)
    assert result.ok, [f.code for f in result.findings]
    copied = {k: v[0] for k, v in snapshot(bag / "data" / src.name).items()}
    assert copied == {k: v[0] for k, v in snapshot(src).items()}


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["new", "replace"])
def test_killed_builds_never_leave_a_wrong_bag(tmp_path: Path, mode: str) -> None:
    src = _payload(tmp_path / "src", seed=1)
    before = snapshot(src)
    out = tmp_path / "BAG"
    if mode == "replace":
        old = make_tree(tmp_path / "old" / "src", {"old.txt": b"previous bag"})
        build_bag([old], out)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", _BUILD, str(src), str(out), "replace"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    duration = time.monotonic() - started
    rnd = random.Random(7)
    outcomes = set()
    for _ in range(10):
        if mode == "new" and out.exists():
            _remove(out)
        elif mode == "replace":
            build_bag([old], out, replace=True)
        proc = _start(src, out, mode)
        time.sleep(rnd.uniform(0.0, duration))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        if not out.exists():
            assert mode == "new"
            outcomes.add("none")
        elif (out / "data" / "src" / "old.txt").exists():
            assert verify_bag(out).ok
            outcomes.add("old")
        else:
            _assert_bag_matches(out, src)
            outcomes.add("new")
        assert snapshot(src) == before
        leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".BAG.")]
        assert all("preserve-staging" in p.name for p in leftovers)
        assert not any((p / "bagit.txt").exists() for p in leftovers)
    # The next run for the same target removes what the killed ones left.
    time.sleep(0.5)  # let killed worker processes finish dying
    clean_stale(out)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".BAG.")]
    assert outcomes  # at least one kind of outcome was seen


def _remove(path: Path) -> None:
    import shutil

    shutil.rmtree(path)


@pytest.mark.slow
def test_sigint_cleans_up(tmp_path: Path) -> None:
    src = _payload(tmp_path / "src", seed=2)
    before = snapshot(src)
    proc = _start(src, tmp_path / "BAG", "new")
    time.sleep(0.8)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=120)
    if proc.returncode != 0:  # interrupted (not already finished)
        assert not (tmp_path / "BAG").exists()
    else:
        _assert_bag_matches(tmp_path / "BAG", src)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".BAG.")]
    assert snapshot(src) == before


class _InterruptAfter:
    """A progress sink that presses Ctrl-C after *n* files."""

    def __init__(self, n: int) -> None:
        self.n = n

    def start(self, description: str, *, total_bytes: int | None, total_files: int | None) -> None:
        pass

    def advance(self, *, nbytes: int = 0, files: int = 0) -> None:
        self.n -= files
        if self.n <= 0:
            raise KeyboardInterrupt

    def finish(self) -> None:
        pass


@pytest.mark.parametrize("after", [1, 600])
def test_ctrl_c_while_copying_removes_the_staging_folder(tmp_path: Path, after: int) -> None:
    src = _payload(tmp_path / "src", seed=3)
    with pytest.raises(KeyboardInterrupt):
        build_bag([src], tmp_path / "BAG", progress=_InterruptAfter(after))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_failing_hook_leaves_the_previous_bag(tmp_path: Path) -> None:
    old = make_tree(tmp_path / "a" / "src", {"old.txt": b"previous"})
    new = make_tree(tmp_path / "b" / "src", {"new.txt": b"next"})
    build_bag([old], tmp_path / "BAG")

    def hook(inventory: Inventory) -> Mapping[str, bytes]:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_bag([new], tmp_path / "BAG", replace=True, tag_hooks=[hook])
    assert (tmp_path / "BAG/data/src/old.txt").read_bytes() == b"previous"
    assert verify_bag(tmp_path / "BAG").ok
    assert sorted(p.name for p in tmp_path.iterdir()) == ["BAG", "a", "b"]


def test_full_disk_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = make_tree(tmp_path / "src", {"a": b"x" * 5000})
    from preserve.bags import hashing

    def full(fd: int, chunk: memoryview) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(hashing, "_write_all", full)
    with pytest.raises(BagError, match="disk is full"):
        build_bag([src], tmp_path / "BAG", processes=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_stale_staging_of_a_live_process_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "BAG"
    mine = tmp_path / ".BAG.preserve-staging-live"
    mine.mkdir()
    (mine / "PRESERVE-STAGING").write_text(
        json.dumps({"host": socket.gethostname(), "pid": os.getpid()}), "utf-8"
    )
    dead = tmp_path / ".BAG.preserve-staging-dead"
    dead.mkdir()
    (dead / "PRESERVE-STAGING").write_text(
        json.dumps({"host": socket.gethostname(), "pid": 999_999_999}), "utf-8"
    )
    other = tmp_path / ".OTHER.preserve-staging-dead"
    other.mkdir()
    assert clean_stale(target) == [dead]
    assert mine.exists()
    assert other.exists()
