"""The per-bag checker on hostile and broken bags."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pytest

from preserve.audit.check import LocalChecker, check_bag
from tests.unit.audit.bags import make_test_bag
from tests.unit.audit.test_faults import DenyingStorage


def test_symlink_out_of_the_bag_is_not_followed(tmp_path: Path) -> None:
    bag = make_test_bag(tmp_path, "bag")
    secret = tmp_path / "secret.txt"
    secret.write_text("alpha\n")  # same content as data/a.txt: following it would "pass"
    (bag / "data" / "a.txt").unlink()
    os.symlink(secret, bag / "data" / "a.txt")
    result = check_bag(bag)
    assert result.outcome == "failed"
    (change,) = result.changes
    assert (change.kind, change.path) == ("changed", "data/a.txt")
    assert "symbolic link" in change.found


def test_unlistable_folder_makes_its_files_unreadable_not_missing(tmp_path: Path) -> None:
    bag = make_test_bag(tmp_path, "bag")
    result = check_bag(bag, storage=DenyingStorage(bag / "data" / "sub"))
    assert result.outcome == "inaccessible"
    assert {(c.kind, c.path) for c in result.changes} == {
        ("unreadable", "data/sub/"),
        ("unreadable", "data/sub/b.bin"),
    }


@pytest.mark.parametrize(
    ("damage", "note"),
    [
        pytest.param(lambda b: (b / "bagit.txt").unlink(), "bagit.txt", id="no-bagit-txt"),
        pytest.param(
            lambda b: (b / "manifest-sha256.txt").unlink(), "no payload manifest", id="no-manifest"
        ),
        pytest.param(
            lambda b: (b / "manifest-sha256.txt").write_text("ab  ../../etc/passwd\n"),
            "outside the bag",
            id="escaping-path",
        ),
        pytest.param(
            lambda b: (b / "manifest-sha256.txt").write_text("no digest here\n"),
            "line 1",
            id="garbled-line",
        ),
    ],
)
def test_broken_structure_fails_with_a_note(
    tmp_path: Path, damage: Callable[[Path], object], note: str
) -> None:
    bag = make_test_bag(tmp_path, "bag")
    damage(bag)
    result = check_bag(bag)
    assert result.outcome == "failed"
    assert note in result.note


def test_vanished_bag_is_inaccessible(tmp_path: Path) -> None:
    result = LocalChecker()(str(tmp_path / "gone"))
    assert result.outcome == "inaccessible"


def test_deleted_tag_file_is_reported(tmp_path: Path) -> None:
    bag = make_test_bag(tmp_path, "bag")
    (bag / "bag-info.txt").unlink()
    result = check_bag(bag)
    assert [(c.kind, c.path) for c in result.changes] == [("missing", "bag-info.txt")]


def test_other_top_level_files_are_not_read_into_memory(tmp_path: Path) -> None:
    bag = make_test_bag(tmp_path, "bag")
    (bag / "huge.bin").write_bytes(b"\0" * (4 << 20))
    result = check_bag(bag)
    assert result.outcome == "passed"
    assert result.bytes_checked < 1 << 20


def test_sha512_and_md5_manifests_are_all_checked(tmp_path: Path) -> None:
    import bagit

    root = tmp_path / "bag"
    (root / "x").mkdir(parents=True)
    (root / "x" / "f.txt").write_text("hello\n")
    bagit.make_bag(str(root), checksums=["sha512", "md5"])
    assert check_bag(root).outcome == "passed"
    (root / "data" / "x" / "f.txt").write_text("HELLO\n")
    (change,) = check_bag(root).changes
    assert change.kind == "changed"


def _bag_with_one_file(bag: Path, rel: str) -> None:
    import hashlib

    folder = Path(bag.anchor)
    for part in (bag / "data" / rel).parent.parts[1:]:  # mkdir(parents=True) recurses
        folder = folder / part
        if not folder.is_dir():
            folder.mkdir()
    (bag / "data" / rel).write_bytes(b"deep\n")
    (bag / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    digest = hashlib.sha256(b"deep\n").hexdigest()
    (bag / "manifest-sha256.txt").write_text(f"{digest}  data/{rel}\n")


def test_deeply_nested_folders_do_not_overflow(tmp_path: Path) -> None:
    from preserve.audit.discover import discover

    depth = 1100  # beyond Python's default recursion limit of 1000, within PATH_MAX
    deep_bag = tmp_path / "a" / "bag"
    _bag_with_one_file(deep_bag, "/".join(["n"] * depth) + "/f.txt")
    assert check_bag(deep_bag).outcome == "passed"
    far_bag = tmp_path.joinpath("b", *["d"] * depth, "bag")
    _bag_with_one_file(far_bag, "f.txt")
    found = discover([tmp_path])
    assert [b.path for b in found.bags] == [str(deep_bag), str(far_bag)]


def _bag_with(tmp_path: Path, algorithms: list[str]) -> Path:
    import bagit

    root = tmp_path / "-".join(algorithms)
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_bytes(b"alpha\n")
    (root / "sub" / "b.bin").write_bytes(bytes(range(256)))
    bagit.make_bag(str(root), checksums=algorithms)
    return root


@pytest.mark.parametrize(
    ("algorithms", "checked"),
    [(["sha512", "sha256"], "sha256"), (["sha512"], "sha512"), (["md5", "sha1"], "sha1")],
)
def test_an_audit_checks_one_digest_a_file_sha256_where_listed(
    tmp_path: Path, algorithms: list[str], checked: str
) -> None:
    bag = _bag_with(tmp_path, algorithms)
    assert check_bag(bag).outcome == "passed"
    (bag / "data" / "a.txt").write_bytes(b"alphA\n")
    result = check_bag(bag)
    assert result.outcome == "failed"
    (change,) = result.changes
    listed = (bag / f"manifest-{checked}.txt").read_text().split("\n")
    expected = next(line.split()[0] for line in listed if line.endswith(" data/a.txt"))
    assert (change.kind, change.path, change.algorithm, change.expected) == (
        "changed",
        "data/a.txt",
        checked,
        expected,
    )
    # the payload's bytes are read once each, through one hash
    assert result.bytes_checked == len(b"alphA\n") + 256


class _Recording(DenyingStorage):
    """Local storage that denies one file and notes which thread opened each file."""

    def __init__(self, denied: Path) -> None:
        super().__init__(denied)
        self.opened_by: dict[str, str] = {}

    def open(self, path: Path) -> BinaryIO:
        self.opened_by[path.name] = threading.current_thread().name
        return super().open(path)


def test_large_files_hashed_on_threads_give_the_same_check_as_one_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bagit

    import preserve.audit.check as check

    root = tmp_path / "bag"
    root.mkdir()
    big = check.LARGE_FILE + 5
    for i in range(6):
        (root / f"big{i}.bin").write_bytes(bytes([i]) * big)
        (root / f"small{i}.txt").write_bytes(f"small {i}\n".encode())
    (root / "twin.bin").write_bytes(bytes([1]) * big)  # the same content as big1.bin
    bagit.make_bag(str(root), checksums=["sha256"])
    data = root / "data"
    with (data / "big0.bin").open("r+b") as f:  # one byte flipped in the middle
        f.seek(big // 2)
        f.write(b"\xff")
    (data / "big2.bin").unlink()  # gone
    (data / "big3.bin").rename(data / "big3-renamed.bin")  # moved
    (data / "twin.bin").unlink()  # gone; its content is still at big1.bin, which is listed
    (data / "small4.txt").write_text("edited\n")
    denied = _Recording(data / "big5.bin")  # cannot be read

    monkeypatch.setattr(check, "HASH_THREADS", 1)
    alone = check_bag(root, storage=_Recording(data / "big5.bin"))
    monkeypatch.setattr(check, "HASH_THREADS", 2)
    threaded = check_bag(root, storage=denied)

    assert {(c.kind, c.path) for c in threaded.changes} == {
        ("changed", "data/big0.bin"),
        ("missing", "data/big2.bin"),
        ("moved", "data/big3.bin"),
        ("missing", "data/twin.bin"),
        ("changed", "data/small4.txt"),
        ("unreadable", "data/big5.bin"),
    }
    assert threaded.outcome == alone.outcome == "failed"
    assert threaded.changes == alone.changes
    assert (threaded.bytes_checked, threaded.files_checked) == (
        alone.bytes_checked,
        alone.files_checked,
    )
    assert threaded.files_checked == 10  # the 9 listed files that could be read, and the moved one
    # The large files went to the hashing threads, the small ones stayed on this thread.
    assert denied.opened_by["big1.bin"].startswith("preserve-audit")
    assert denied.opened_by["small1.txt"] == threading.current_thread().name
