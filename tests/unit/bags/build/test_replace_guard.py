"""What --replace may replace: a bag and its listed tag files, nothing else."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from preserve import build_bag
from preserve.bags.build._replace import refuse_unless_bag
from preserve.errors import BagError


def _bag(tmp_path: Path, record: Path | None = None) -> Path:
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / "a.txt").write_text("a")
    return build_bag([tmp_path / "src"], tmp_path / "BAG", record=record).bag


def test_a_bag_with_tag_folders_it_lists_may_be_replaced(tmp_path: Path) -> None:
    record = tmp_path / "r.json"
    record.write_text('{"title": "T"}')
    bag = _bag(tmp_path, record=record)
    assert (bag / "metadata" / "record.json").is_file()
    refuse_unless_bag(bag)  # no error


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda b: (b / "keep.txt").write_text("mine"), "keep.txt"),
        (lambda b: (b / "notes").mkdir(), "notes"),
        (lambda b: (b / "bagit.txt").unlink(), "not a bag"),
    ],
)
def test_anything_else_is_refused(
    tmp_path: Path, setup: Callable[[Path], object], message: str
) -> None:
    bag = _bag(tmp_path)
    setup(bag)
    with pytest.raises(BagError, match=message):
        refuse_unless_bag(bag)


def test_a_link_or_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "t"
    target.write_text("x")
    with pytest.raises(BagError, match="not a folder"):
        refuse_unless_bag(target)
    (tmp_path / "link").symlink_to(tmp_path)
    with pytest.raises(BagError, match="not a folder"):
        refuse_unless_bag(tmp_path / "link")


def test_a_file_under_data_no_manifest_lists_is_refused(tmp_path: Path) -> None:
    bag = _bag(tmp_path)
    (bag / "data" / "src" / "NOTE").write_text("mine")
    with pytest.raises(BagError, match="'data/src/NOTE'"):
        refuse_unless_bag(bag)


def test_a_bag_before_1_0_is_matched_as_its_manifests_write_names(tmp_path: Path) -> None:
    """BagIt 0.97 manifests write '%' literally (RFC 8493 percent-encodes it): the file
    'a%25b' listed as such is part of the bag, not a stranger."""
    bag = tmp_path / "old"
    (bag / "data").mkdir(parents=True)
    (bag / "data" / "a%25b").write_text("x")
    (bag / "bagit.txt").write_text("BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n")
    digest = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
    (bag / "manifest-sha256.txt").write_text(f"{digest}  data/a%25b\n")
    refuse_unless_bag(bag)  # no error
    (bag / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    with pytest.raises(BagError, match="a%25b"):  # in 1.0 the line means 'data/a%b'
        refuse_unless_bag(bag)
