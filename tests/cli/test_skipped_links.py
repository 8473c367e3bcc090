"""A folder whose only entries are links leading out of it: every link is named, and the
run fails, since nothing of what the user gave was extracted or checked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "records"
PAGE = next(SAMPLE.glob("01*.txt"))


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "preserve", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


def _links_only(tmp_path: Path) -> Path:
    folder = tmp_path / "sl" / "in"
    folder.mkdir(parents=True)
    (folder / "out.txt").symlink_to(PAGE)
    (folder / "loop").symlink_to("..")
    return folder


def test_extract_names_each_link_and_fails_when_nothing_was_extracted(tmp_path: Path) -> None:
    _links_only(tmp_path)
    done = _run("extract", "sl/in", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stdout.strip() == "[]"
    assert "EXT-008 sl/in/out.txt" in done.stderr
    assert "EXT-008 sl/in/loop" in done.stderr
    assert "error EXT-010 sl/in:" in done.stderr
    assert "lead out of it" in done.stderr


def test_extract_with_a_readable_document_beside_the_links_succeeds(tmp_path: Path) -> None:
    folder = _links_only(tmp_path)
    (folder / "page.txt").write_bytes(PAGE.read_bytes())
    done = _run("extract", "sl/in", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "EXT-010" not in done.stderr
    assert "EXT-008 sl/in/loop" in done.stderr


def test_validate_names_the_folder_link_and_fails_when_nothing_was_checked(
    tmp_path: Path,
) -> None:
    _links_only(tmp_path)
    done = _run("validate", "sl/in", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    assert "sl/in/loop\n  warning REC-014" in out
    assert "sl/in/out.txt\n  warning REC-014" in out
    assert "error REC-061" in out
    assert "(INVALID)" in out
