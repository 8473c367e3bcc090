"""Discovery: bags under roots, never inside a bag's data/, never through symlinks; archives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from preserve.audit.discover import discover
from preserve.audit.ledger import Ledger
from preserve.audit.run import run_audit
from preserve.bags.archive.read import ArchiveFormat
from preserve.bags.archive.write import serialize_bag
from tests.unit.audit.bags import make_test_bag
from tests.unit.audit.conftest import SteppingClock


def test_finds_bags_but_not_inside_them_nor_through_symlinks(tmp_path: Path) -> None:
    root = tmp_path / "root"
    outer = make_test_bag(root / "a", "outer")
    make_test_bag(outer / "data", "inner-looking")  # payload that happens to be a bag
    elsewhere = make_test_bag(tmp_path / "outside", "far")
    os.symlink(elsewhere, root / "link-to-outside")
    os.symlink(tmp_path / "outside", root / "a" / "dir-link")
    found = discover([root, root / "a"])  # overlapping roots find each bag once
    assert [Path(b.path).name for b in found.bags] == ["outer"]
    assert found.bags[0].size > 0
    assert found.unreadable == ()


def test_missing_root_is_recorded_as_unreadable(tmp_path: Path) -> None:
    found = discover([tmp_path / "gone"])
    assert found.bags == ()
    assert found.unreadable[0][0] == str(tmp_path / "gone")


def test_odd_names_are_audited(tmp_path: Path, ledger: Ledger, clock: SteppingClock) -> None:
    names = {"caf\u00e9 100%.txt": b"nfc", "cafe\u0301.txt": b"nfd", "sp ace/\u4e2d.bin": b"x"}
    make_test_bag(tmp_path / "root", "odd bag", names)
    report = run_audit([tmp_path / "root"], ledger=ledger, clock=clock)
    assert [b.outcome for b in report.bags] == ["passed"]


@pytest.mark.parametrize("fmt", ["tar", "tgz", "zip"])
def test_serialized_bags_are_audited(
    tmp_path: Path, ledger: Ledger, clock: SteppingClock, fmt: ArchiveFormat
) -> None:
    store = tmp_path / "store"
    store.mkdir()
    good = make_test_bag(tmp_path / "src", "good")
    bad = make_test_bag(tmp_path / "src", "bad")
    (bad / "data" / "a.txt").write_text("rotted\n")
    suffix = {"tar": ".tar", "tgz": ".tar.gz", "zip": ".zip"}[fmt]
    serialize_bag(good, store / f"good{suffix}", fmt=fmt)
    serialize_bag(bad, store / f"bad{suffix}", fmt=fmt)
    (store / f"broken{suffix}").write_bytes(b"not an archive at all")
    report = run_audit([store], ledger=ledger, clock=clock)
    outcomes = {Path(b.bag).name: b.outcome for b in report.bags}
    assert outcomes == {
        f"good{suffix}": "passed",
        f"bad{suffix}": "failed",
        f"broken{suffix}": "failed",
    }
    (bad_check,) = [b.check for b in report.bags if b.bag.endswith(f"bad{suffix}")]
    assert bad_check is not None
    assert [(c.kind, c.path) for c in bad_check.changes] == [("changed", "data/a.txt")]


def test_a_root_may_be_a_serialized_bag(tmp_path: Path) -> None:
    archive = serialize_bag(make_test_bag(tmp_path, "b"), tmp_path / "b.zip", fmt="zip")
    (tmp_path / "plain.txt").write_text("x")
    found = discover([archive, tmp_path / "plain.txt"])
    assert [b.path for b in found.bags] == [str(archive)]
    assert found.unreadable[0][0] == str(tmp_path / "plain.txt")
