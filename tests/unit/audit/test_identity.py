"""A bag's identity survives moves: its history continues at the new location (issue 14)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from preserve.audit.ledger import Ledger
from preserve.audit.ledger.identity import bag_identity, identity_of
from preserve.audit.model import BagCheck
from preserve.audit.run import AuditOptions, audit_status, run_audit
from preserve.audit.storage import Storage
from tests.unit.audit.bags import make_test_bag, rewrite_manifests
from tests.unit.audit.conftest import SteppingClock


def test_identity_is_the_external_identifier_else_the_tag_manifest_digest() -> None:
    digests = {"tagmanifest-sha256.txt": "aa", "tagmanifest-sha512.txt": "bb"}
    assert identity_of(" id-1 ", digests) == "id-1"
    assert identity_of("", digests) == "tagmanifest-sha512.txt sha256:bb"
    assert identity_of("", {"manifest-sha256.txt": "cc"}) == ""


def _drop_identifier(bag: Path) -> None:
    info = bag / "bag-info.txt"
    lines = info.read_text().splitlines(keepends=True)
    info.write_text("".join(x for x in lines if not x.startswith("External-Identifier")))
    rewrite_manifests(bag)


def test_a_moved_bag_keeps_its_history_and_is_not_overdue(
    tmp_path: Path, ledger: Ledger, clock: SteppingClock
) -> None:
    old_root, new_root = tmp_path / "old-mount", tmp_path / "new-mount"
    bag = make_test_bag(old_root, "b1")
    _drop_identifier(bag)  # the tag manifest's digest is then its identity
    first = run_audit([old_root], ledger=ledger, clock=clock)
    assert first.ok
    clock.advance(days=40)
    new_root.mkdir()
    shutil.move(bag, new_root / "b1")
    report = run_audit([new_root], ledger=ledger, clock=clock)
    moved = str(new_root / "b1")
    assert report.moves == ((str(bag), moved),)
    assert [(b.bag, b.outcome, b.overdue) for b in report.bags] == [(moved, "passed", False)]
    status = audit_status(ledger, max_age=timedelta(days=30), clock=clock)
    assert [(r.bag, r.overdue) for r in status.rows] == [(moved, False)]
    history = ledger.records(moved)
    assert [r.check.bag for r in history] == [str(bag), moved]
    assert bag_identity(history[0].check) == bag_identity(history[1].check)
    assert ledger.verify().ok


def test_a_bag_moved_within_its_root_is_not_reported_gone(
    store: Path, ledger: Ledger, clock: SteppingClock
) -> None:
    run_audit([store], ledger=ledger, clock=clock)
    shutil.move(store / "shelf" / "b2", store / "b2-renamed")
    clock.advance(days=1)
    report = run_audit([store], ledger=ledger, clock=clock)
    assert report.ok
    assert report.moves == ((str(store / "shelf" / "b2"), str(store / "b2-renamed")),)
    assert str(store / "shelf" / "b2") not in {b.bag for b in report.bags}


def test_a_moved_bag_is_checked_against_its_baseline_from_before_the_move(
    tmp_path: Path, ledger: Ledger, clock: SteppingClock
) -> None:
    bag = make_test_bag(tmp_path / "a", "b1")  # External-Identifier: id-b1
    run_audit([tmp_path / "a"], ledger=ledger, clock=clock)
    (tmp_path / "b").mkdir()
    moved = tmp_path / "b" / "b1"
    shutil.move(bag, moved)
    (moved / "data" / "a.txt").write_bytes(b"edited, with the manifests rewritten\n")
    rewrite_manifests(moved)
    clock.advance(days=1)
    report = run_audit([tmp_path / "b"], ledger=ledger, clock=clock)
    assert report.moves == ((str(bag), str(moved)),)
    [outcome] = report.bags
    assert outcome.outcome == "failed"
    assert {f.code for f in outcome.findings()} == {"AUD-006"}


def test_copies_found_together_are_not_moves(
    tmp_path: Path, ledger: Ledger, clock: SteppingClock
) -> None:
    bag = make_test_bag(tmp_path / "a", "b1")
    run_audit([tmp_path / "a"], ledger=ledger, clock=clock)
    shutil.copytree(bag, tmp_path / "b" / "b1")
    report = run_audit([tmp_path / "a"], ledger=ledger, replicas=[tmp_path / "b"], clock=clock)
    assert (report.ok, report.moves, report.disagreements) == (True, (), ())


def test_a_ledger_written_before_the_migration_still_verifies(
    store: Path, tmp_path: Path, clock: SteppingClock
) -> None:
    path = tmp_path / "old.sqlite"
    with Ledger.open(path) as book:
        run_audit([store], ledger=book, options=AuditOptions(), clock=clock)
        head = book.head()
    # Make it the ledger an earlier preserve wrote: no bag_moves table, no moved_from
    # column, migrations 4 and 5 not run.
    db = sqlite3.connect(path)
    db.executescript(
        "DROP TABLE bag_moves; DROP INDEX checks_moved; ALTER TABLE checks DROP COLUMN moved_from; "
        "DELETE FROM migrations WHERE number >= 4; VACUUM;"
    )
    db.close()
    with Ledger.open(path, read_only=True) as old:
        assert old.moves() == []
        assert len(old.last_checks()) == 3
    verify = [sys.executable, "-m", "preserve", "ledger", "verify", "--ledger", str(path)]
    done = subprocess.run([*verify, "--witness", head], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    with Ledger.open(path) as migrated:  # opening it for writing applies migrations 4, 5
        assert [m[0] for m in migrated.migrations()] == [1, 2, 3, 4, 5]
        assert migrated.head() == head
        assert migrated.verify().ok
        assert {bag_identity(r.check) for r in migrated.records()} == {"id-b1", "id-b2", "id-b3"}
    done = subprocess.run(
        [*verify, "--format", "json"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True


def test_a_replica_root_that_cannot_be_read_is_not_a_missing_copy(
    tmp_path: Path, ledger: Ledger, clock: SteppingClock
) -> None:
    make_test_bag(tmp_path / "a", "b1")
    report = run_audit(
        [tmp_path / "a"], ledger=ledger, replicas=[tmp_path / "unmounted"], clock=clock
    )
    assert report.disagreements == ()
    assert [folder for folder, _ in report.unreadable] == [str(tmp_path / "unmounted")]
    assert not report.ok


class _Unreachable(Storage):
    """Local storage on which *folder* cannot be asked about (as an unmounted share)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def lstat(self, path: Path) -> os.stat_result:
        if path == self.folder or self.folder in path.parents:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return super().lstat(path)


def test_a_bag_whose_old_location_cannot_be_asked_is_kept_as_a_copy_and_said_so(
    tmp_path: Path, ledger: Ledger, clock: SteppingClock
) -> None:
    old = make_test_bag(tmp_path / "old-mount", "b1")
    run_audit([tmp_path / "old-mount"], ledger=ledger, clock=clock)
    new = tmp_path / "new-mount" / "b1"
    shutil.copytree(old, new)
    clock.advance(days=1)

    report = run_audit(
        [tmp_path / "new-mount"],
        ledger=ledger,
        clock=clock,
        storage=_Unreachable(tmp_path / "old-mount"),
    )

    assert report.moves == ()
    [(path, note)] = report.notes
    assert path == str(new)
    assert f"{old} (" in note
    assert "Permission denied" in note
    assert "kept as a copy, not taken as moved" in note
    status = audit_status(ledger, max_age=timedelta(days=30), clock=clock)
    assert [r.bag for r in status.rows] == [str(new), str(old)]


def test_an_old_location_on_object_storage_is_not_assumed_gone(
    tmp_path: Path, ledger: Ledger, clock: SteppingClock
) -> None:
    stored = "s3://bucket/deposits/b1"
    ledger.record(
        BagCheck(bag=stored, outcome="passed", identity="id-b1"),
        checked_at=clock(),
        agent="test",
        preserve_version="1",
    )
    local = make_test_bag(tmp_path / "downloads", "b1")  # External-Identifier: id-b1
    clock.advance(days=1)

    report = run_audit([tmp_path / "downloads"], ledger=ledger, clock=clock)

    assert report.moves == ()
    assert report.notes == (
        (
            str(local),
            f"{local} holds the same bag (id-b1) as {stored} ({stored} is on storage this "
            "audit was given "
            "no access to), where it could not be asked whether anything is still there: "
            "kept as a copy, not taken as moved; if the bag was moved, its old location is "
            "reported missing when its root is audited",
        ),
    )
    assert set(ledger.last_checks()) == {stored, str(local)}


def test_a_copy_audited_in_a_later_run_is_a_bag_of_its_own(
    tmp_path: Path, ledger: Ledger, clock: SteppingClock
) -> None:
    first = make_test_bag(tmp_path / "a", "b1")
    run_audit([tmp_path / "a"], ledger=ledger, clock=clock)
    second = tmp_path / "b" / "b1"
    shutil.copytree(first, second)
    clock.advance(days=1)

    report = run_audit([tmp_path / "b"], ledger=ledger, clock=clock)

    assert (report.moves, report.notes) == ((), ())
    assert set(ledger.last_checks()) == {str(first), str(second)}
    assert [r.check.bag for r in ledger.records(str(second))] == [str(second)]


class _Unlistable(Storage):
    """Local storage on which *folder* cannot be listed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def scandir(self, path: Path) -> Iterator[os.DirEntry[str]]:
        if path == self.folder:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return super().scandir(path)


def test_an_old_location_under_an_unreadable_folder_of_the_root_is_not_assumed_gone(
    store: Path, ledger: Ledger, clock: SteppingClock
) -> None:
    run_audit([store], ledger=ledger, clock=clock)
    shutil.copytree(store / "shelf" / "b1", store / "new" / "b1")
    clock.advance(days=1)

    report = run_audit([store], ledger=ledger, clock=clock, storage=_Unlistable(store / "shelf"))

    assert report.moves == ()
    [(path, note)] = report.notes
    assert path == str(store / "new" / "b1")
    assert f"{store / 'shelf' / 'b1'} ({store / 'shelf'}: Permission denied)" in note
    outcomes = {b.bag: b.outcome for b in report.bags}
    assert outcomes[str(store / "shelf" / "b1")] == "inaccessible"
