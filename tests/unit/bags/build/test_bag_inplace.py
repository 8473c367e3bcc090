"""--in-place: a folder becomes a bag; interruptions are undone."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import bagit
import pytest

from preserve.bags.build.build import build_bag
from preserve.bags.build.result import Inventory
from preserve.bags.verify.verify import verify_bag
from preserve.errors import BagError, UsageError
from tests.unit.bags.bagtools import make_tree, snapshot


def test_folder_becomes_a_bag(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "F", {"a.txt": b"1", "data/inner.txt": b"2", "sub/b": b"3"})
    before = {k: v[0] for k, v in snapshot(root).items() if v[0] != "dir"}
    result = build_bag([root], root, in_place=True)
    assert result.in_place
    assert result.files == 3
    after = {k: v[0] for k, v in snapshot(root / "data").items() if v[0] != "dir"}
    assert after == before
    assert verify_bag(root).ok
    bagit.Bag(str(root)).validate()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["F"]


def test_hooks_read_sources_before_they_move(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "F", {"a.txt": b"abc"})
    read: list[bytes] = []

    def hook(inventory: Inventory) -> Mapping[str, bytes]:
        read.extend(Path(f.source).read_bytes() for f in inventory.files)
        return {"metadata/extra.txt": b"x"}

    build_bag([root], root, in_place=True, tag_hooks=[hook])
    assert read == [b"abc"]
    assert verify_bag(root).ok


@pytest.mark.parametrize(
    ("sources", "out", "error"),
    [
        pytest.param(["F", "G"], "F", UsageError, id="two-sources"),
        pytest.param(["F"], "elsewhere", UsageError, id="out-differs"),
    ],
)
def test_in_place_arguments(
    tmp_path: Path, sources: list[str], out: str, error: type[Exception]
) -> None:
    make_tree(tmp_path / "F", {"a": b"1"})
    make_tree(tmp_path / "G", {"b": b"1"})
    with pytest.raises(error):
        build_bag([tmp_path / s for s in sources], tmp_path / out, in_place=True)
    assert (tmp_path / "F/a").exists()


def test_existing_bag_is_refused(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "F", {"a": b"1"})
    build_bag([root], root, in_place=True)
    with pytest.raises(BagError, match="already a bag"):
        build_bag([root], root, in_place=True)


def test_failure_while_moving_is_undone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_tree(tmp_path / "F", {"a": b"1", "b": b"2", "c/d": b"3"})
    before = snapshot(root)
    real_rename = os.rename
    calls = {"n": 0}

    def flaky(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", flaky)
    with pytest.raises(KeyboardInterrupt):
        build_bag([root], root, in_place=True)
    monkeypatch.setattr(os, "rename", real_rename)
    assert {k: v[0] for k, v in snapshot(root).items()} == {k: v[0] for k, v in before.items()}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["F"]


def test_crash_leftovers_are_recovered_by_the_next_run(tmp_path: Path) -> None:
    # The state a SIGKILL in step 3 leaves: payload in the holder, some tag files in F.
    root = make_tree(tmp_path / "F", {"a": b"1", "c/d": b"3"})
    holder = root / ".preserve-payload-moved-abc"
    holder.mkdir()
    for name in ("a", "c"):
        os.rename(root / name, holder / name)
    (root / "manifest-sha512.txt").write_text("partial", "utf-8")
    result = build_bag([root], root, in_place=True)
    assert result.files == 2
    assert (root / "data/c/d").read_bytes() == b"3"
    assert verify_bag(root).ok


def test_recovery_refuses_unknown_files(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "F", {"a": b"1"})
    holder = root / ".preserve-payload-moved-abc"
    holder.mkdir()
    os.rename(root / "a", holder / "a")
    (root / "someone-elses.doc").write_text("x", "utf-8")
    with pytest.raises(BagError, match="by hand"):
        build_bag([root], root, in_place=True)
    assert (holder / "a").exists()
