"""Uploading a bag never deletes objects that are not preserve's (on a folder store; the
same code runs against SeaweedFS in tests/s3/test_bag_out_s3.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from preserve.errors import BagError
from preserve.replicas.upload import MARKER, upload_bag
from preserve.replicas.verify import verify_stored_bag
from preserve.storage.local import LocalStore
from tests.s3.conftest import make_local_bag


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def bag(tmp_path: Path) -> Path:
    return make_local_bag(tmp_path / "src", {"a.txt": b"alpha", "b.txt": b"beta"})


def test_a_place_holding_someone_elses_objects_is_refused_untouched(
    tmp_path: Path, bag: Path
) -> None:
    place = tmp_path / "photos"
    (place / "2024").mkdir(parents=True)
    (place / "2024" / "IMG_0001.jpg").write_bytes(b"\xff\xd8 a photo")
    (place / "data").mkdir()
    (place / "data" / "notes.txt").write_bytes(b"mine")
    before = _tree(place)
    with pytest.raises(
        BagError, match=r"not a bag, nor preserve's leftovers .*'2024/IMG_0001.jpg'"
    ):
        upload_bag(bag, LocalStore(place))
    assert _tree(place) == before


def test_replace_refuses_objects_the_old_bag_does_not_list(tmp_path: Path, bag: Path) -> None:
    store = LocalStore(tmp_path / "out")
    upload_bag(bag, store)
    (tmp_path / "out" / "data" / "NOTE.txt").write_bytes(b"a note someone left")
    before = _tree(tmp_path / "out")
    with pytest.raises(BagError, match=r"not part of the bag there .*'data/NOTE.txt'"):
        upload_bag(bag, store, replace=True)
    assert _tree(tmp_path / "out") == before
    (tmp_path / "out" / "data" / "NOTE.txt").unlink()
    assert upload_bag(bag, store, replace=True).replaced
    assert verify_stored_bag(store).ok
    assert not (tmp_path / "out" / MARKER).exists()


def test_an_interrupted_upload_is_resumed_and_its_leftovers_cleared(
    tmp_path: Path, bag: Path
) -> None:
    out = tmp_path / "out"
    store = LocalStore(out)
    upload_bag(bag, store)
    # What an interrupted run leaves: its marker, no bagit.txt, an old object of its own.
    (out / "bagit.txt").unlink()
    (out / MARKER).write_bytes(b"x")
    (out / "data" / "left-by-the-run.txt").write_bytes(b"?")
    again = upload_bag(bag, store)
    assert again.removed == 1
    assert verify_stored_bag(store).ok
    assert not (out / MARKER).exists()
    assert not (out / "data" / "left-by-the-run.txt").exists()
