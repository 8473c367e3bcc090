"""The progress bar shows progress: a known total, bytes growing within a large file,
and the same units as the summaries; piped output carries no bar at all."""

from __future__ import annotations

import io
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rich.console import Console

from preserve import build_bag
from preserve.audit.ledger import Ledger
from preserve.audit.run import run_audit
from preserve.bags.hashing import CHUNK
from preserve.bags.verify.verify import verify_bag
from preserve.cli._progress import RichBar
from preserve.units import human_size
from tests.conftest import REPO

BIG = 12 * CHUNK  # one file read in twelve chunks


@dataclass
class Watched:
    """A real RichBar drawing into a forced terminal, sampled at every advance."""

    bar: RichBar
    console: Console
    starts: list[tuple[str, int | None]] = field(default_factory=list)
    # (task, completed bytes, files) after each advance
    samples: list[tuple[str, float, int]] = field(default_factory=list)
    _files: int = 0

    def start(self, description: str, *, total_bytes: int | None, total_files: int | None) -> None:
        self.bar.start(description, total_bytes=total_bytes, total_files=total_files)
        self.starts.append((description, total_bytes))
        self._files = 0

    def advance(self, *, nbytes: int = 0, files: int = 0) -> None:
        self.bar.advance(nbytes=nbytes, files=files)
        self._files += files
        task = self.bar.task
        assert task is not None
        self.samples.append((task.description, task.completed, self._files))
        self.console.print(self.bar._bar)  # draw it, as the live display does

    def finish(self) -> None:
        self.bar.finish()

    def within_first_file(self, description: str) -> list[float]:
        """Completed bytes seen before the first file was done."""
        return [done for d, done, files in self.samples if d == description and files == 0]


@pytest.fixture
def watched() -> Watched:
    console = Console(file=io.StringIO(), force_terminal=True, width=120)
    return Watched(RichBar(console=console), console)


def _big(folder: Path) -> Path:
    folder.mkdir()
    (folder / "scan.tif").write_bytes(os.urandom(BIG))
    return folder


def _grows_within_the_file(values: list[float]) -> bool:
    return len(values) >= 4 and values == sorted(values) and 0 < values[0] < values[-1] <= BIG


def test_copy_mode_bag_knows_its_total_and_grows_within_a_file(
    tmp_path: Path, watched: Watched
) -> None:
    build_bag([_big(tmp_path / "scans")], tmp_path / "BAG", processes=2, progress=watched)
    assert ("Copying and hashing", BIG) in watched.starts
    assert ("Checking the copy", BIG) in watched.starts
    assert _grows_within_the_file(watched.within_first_file("Copying and hashing"))
    assert "of 12.6 MB" in watched.console.file.getvalue()  # type: ignore[attr-defined]


def test_in_place_bag_knows_its_total(tmp_path: Path, watched: Watched) -> None:
    folder = _big(tmp_path / "scans")
    build_bag([folder], folder, in_place=True, progress=watched)
    assert ("Hashing", BIG) in watched.starts
    assert _grows_within_the_file(watched.within_first_file("Hashing"))


def test_verify_advances_within_a_large_file(tmp_path: Path, watched: Watched) -> None:
    bag = build_bag([_big(tmp_path / "scans")], tmp_path / "BAG").bag
    verify_bag(bag, processes=2, progress=watched)
    (description, total) = watched.starts[0]
    assert total is not None
    assert total >= BIG
    assert _grows_within_the_file(watched.within_first_file(description))


def test_audit_advances_within_a_bag(tmp_path: Path, watched: Watched) -> None:
    (tmp_path / "bags").mkdir()
    build_bag([_big(tmp_path / "scans")], tmp_path / "bags" / "BAG")
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        run_audit([tmp_path / "bags"], ledger=ledger, progress=watched)
    (_description, total) = watched.starts[0]
    assert total is not None
    assert total >= BIG
    within = [done for _, done, files in watched.samples if files == 0]
    assert len(within) >= 4
    assert 0 < within[0] < within[-1]


def test_one_unit_system_for_bars_and_summaries(tmp_path: Path) -> None:
    # The bar, Bag-Size and the verify summary show the same bytes the same way.
    assert human_size(1_500_000_000) == "1.5 GB"
    bag = build_bag([_big(tmp_path / "scans")], tmp_path / "BAG").bag
    info = (bag / "bag-info.txt").read_text("utf-8")
    assert f"Bag-Size: {human_size(BIG)}" in info
    done = subprocess.run(
        [str(REPO / ".venv" / "bin" / "preserve"), "verify", str(bag)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert human_size(BIG) in done.stdout
    assert "MiB" not in done.stdout
    assert "GiB" not in done.stdout
    # Piped, as here: no bar, no escape codes, on either stream.
    assert "\x1b[" not in done.stdout + done.stderr


def test_audit_with_the_verify_engine_advances_within_a_bag(
    tmp_path: Path, watched: Watched
) -> None:
    from preserve.audit.adapt import VerifyChecker

    (tmp_path / "bags").mkdir()
    build_bag([_big(tmp_path / "scans")], tmp_path / "bags" / "BAG")
    with Ledger.open(tmp_path / "ledger.sqlite") as ledger:
        run_audit([tmp_path / "bags"], ledger=ledger, check=VerifyChecker(2), progress=watched)
    assert [d for d, _ in watched.starts] == ["Auditing"]  # verify's own task is not shown
    within = [done for _, done, files in watched.samples if files == 0]
    assert len(within) >= 4
    assert 0 < within[0] < within[-1]
