"""Every fault the issue names, injected into real bags and found as what it is."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from preserve.audit.ledger import Ledger
from preserve.audit.result import BagOutcome
from preserve.audit.run import AuditOptions, run_audit
from preserve.audit.storage import Storage
from preserve.bags.verify.verify import verify_bag
from tests.unit.audit.bags import rewrite_manifests
from tests.unit.audit.conftest import SteppingClock


def _audit(store: Path, ledger: Ledger, clock: SteppingClock, **kw: Any) -> dict[str, BagOutcome]:
    clock.advance(days=1)
    report = run_audit([store], ledger=ledger, clock=clock, **kw)
    return {Path(b.bag).name: b for b in report.bags}


def _kinds(outcome: BagOutcome) -> list[tuple[str, str]]:
    check = outcome.check
    assert check is not None
    return [(c.kind, c.path) for c in check.changes]


def _flip_bit(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[3] ^= 0x01
    path.write_bytes(bytes(data))


FAULTS = [
    pytest.param(
        lambda b: _flip_bit(b / "data/sub/b.bin"), [("changed", "data/sub/b.bin")], id="bit-flip"
    ),
    pytest.param(
        lambda b: os.truncate(b / "data/sub/b.bin", 10),
        [("changed", "data/sub/b.bin")],
        id="truncate",
    ),
    pytest.param(lambda b: (b / "data/a.txt").unlink(), [("missing", "data/a.txt")], id="delete"),
    pytest.param(
        lambda b: (b / "data/extra.txt").write_text("new"), [("added", "data/extra.txt")], id="add"
    ),
    pytest.param(
        lambda b: (b / "data/a.txt").rename(b / "data/renamed.txt"),
        [("moved", "data/a.txt")],
        id="rename",
    ),
    pytest.param(
        lambda b: (b / "bag-info.txt").write_text("Contact-Name: Mallory\n"),
        [("tag_changed", "bag-info.txt")],
        id="bag-info",
    ),
]


@pytest.mark.parametrize(("fault", "expected"), FAULTS)
def test_fault_is_found_as_what_it_is(
    store: Path,
    ledger: Ledger,
    clock: SteppingClock,
    fault: Callable[[Path], object],
    expected: list[tuple[str, str]],
) -> None:
    first = _audit(store, ledger, clock)
    assert {b.outcome for b in first.values()} == {"passed"}
    fault(store / "shelf" / "b2")
    second = _audit(store, ledger, clock)
    assert second["b2"].outcome == "failed"
    assert _kinds(second["b2"]) == expected
    assert second["b1"].outcome == second["b3"].outcome == "passed"
    assert second["b2"].newly_failed
    assert ledger.verify().ok
    # preserve verify's engine agrees that the bag is no longer valid.
    assert not verify_bag(store / "shelf" / "b2").ok
    assert verify_bag(store / "shelf" / "b1").ok


def test_moved_file_names_where_it_went(store: Path, ledger: Ledger, clock: SteppingClock) -> None:
    bag = store / "shelf" / "b1"
    (bag / "data/a.txt").rename(bag / "data/sub/a-moved.txt")
    check = _audit(store, ledger, clock)["b1"].check
    assert check is not None
    change = check.changes[0]
    assert (change.kind, change.moved_to) == ("moved", "data/sub/a-moved.txt")
    assert change.found == change.expected


def test_manifest_rewritten_with_payload_is_caught_by_the_ledger(
    store: Path, ledger: Ledger, clock: SteppingClock
) -> None:
    _audit(store, ledger, clock)
    bag = store / "shelf" / "b3"
    (bag / "data/a.txt").write_text("forged\n")
    rewrite_manifests(bag)
    result = _audit(store, ledger, clock)["b3"]
    assert result.outcome == "failed"
    assert ("manifest_changed", "manifest-sha256.txt") in _kinds(result)
    assert ("manifest_changed", "tagmanifest-sha256.txt") in _kinds(result)
    # It keeps failing on later runs: the baseline is the last *passed* check...
    assert _audit(store, ledger, clock)["b3"].outcome == "failed"
    # ...until someone accepts the new manifests on purpose.
    accepted = _audit(store, ledger, clock, options=AuditOptions(accept_manifests=True))
    assert accepted["b3"].outcome == "passed"
    assert _audit(store, ledger, clock)["b3"].outcome == "passed"


class DenyingStorage(Storage):
    """Storage where everything under *denied* fails with EACCES, as on a revoked mount.

    Tests run as root, where chmod 000 blocks nothing; this fails for everyone.
    """

    def __init__(self, denied: Path) -> None:
        self.denied = str(denied)

    def _guard(self, path: Path) -> None:
        if str(path) == self.denied or str(path).startswith(self.denied + "/"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    def open(self, path: Path) -> BinaryIO:
        self._guard(path)
        return super().open(path)

    def scandir(self, path: Path) -> Iterator[os.DirEntry[str]]:
        self._guard(path)
        return super().scandir(path)


def test_unreadable_root_is_inaccessible_not_missing(
    store: Path, ledger: Ledger, clock: SteppingClock
) -> None:
    _audit(store, ledger, clock)
    shelf = store / "shelf"
    result = _audit(store, ledger, clock, storage=DenyingStorage(shelf))
    assert {b.outcome for b in result.values()} == {"inaccessible"}
    assert all(not _kinds(b) for b in result.values())
    records = ledger.last_checks()
    assert {r.check.outcome for r in records.values()} == {"inaccessible"}


def test_unreadable_file_is_not_missing(store: Path, ledger: Ledger, clock: SteppingClock) -> None:
    denied = store / "shelf" / "b1" / "data" / "a.txt"
    result = _audit(store, ledger, clock, storage=DenyingStorage(denied))
    assert result["b1"].outcome == "inaccessible"
    assert _kinds(result["b1"]) == [("unreadable", "data/a.txt")]


def test_unmounted_root_is_inaccessible(
    store: Path, ledger: Ledger, clock: SteppingClock, tmp_path: Path
) -> None:
    _audit(store, ledger, clock)
    store.rename(tmp_path / "elsewhere")
    store.mkdir()  # an empty mount point
    result = _audit(store, ledger, clock)
    assert {b.outcome for b in result.values()} == {"inaccessible"}
    store.rmdir()  # the mount point itself is gone
    result = _audit(store, ledger, clock)
    assert {b.outcome for b in result.values()} == {"inaccessible"}


def test_deleted_bag_fails(store: Path, ledger: Ledger, clock: SteppingClock) -> None:
    import shutil

    _audit(store, ledger, clock)
    shutil.rmtree(store / "shelf" / "b2")
    result = _audit(store, ledger, clock)
    assert result["b2"].outcome == "failed"
    assert result["b1"].outcome == "passed"
