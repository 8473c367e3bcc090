"""atomic_writer: the new file appears whole, or the old one stays and nothing is left over."""

from __future__ import annotations

from pathlib import Path

import pytest

from preserve._atomic import atomic_writer


def test_clean_exit_replaces_the_target(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(b"old")
    with atomic_writer(target) as f:
        f.write(b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_an_exception_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_bytes(b"old")

    def write_half() -> None:
        with atomic_writer(target) as f:
            f.write(b"half")
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_half()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_the_new_file_gets_the_umask_mode_not_0600(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with atomic_writer(target) as f:
        f.write(b"x")
    assert target.stat().st_mode & 0o044  # group/other can read, as with open()
