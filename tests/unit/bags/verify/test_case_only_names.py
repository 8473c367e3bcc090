"""A manifest entry whose file is not on disk under its exact name is missing (BAG-030),
unless the bag shows it was made on a case-insensitive file system (the conformance
suite's ``v0.97/warning/duplicate-file-with-different-case``, kept in
test_bag_conformance.py): BagIt before 1.0, and a Payload-Oxum counting the files on
disk. QA found a 1.0 bag made on Linux passing ``--strict`` with a file deleted."""

from __future__ import annotations

from pathlib import Path

import pytest

from preserve.bags.verify.verify import verify_bag
from tests.unit.bags.bagmaker import make_bag, retag

TWINS = {"data/a.txt": b"same\n", "data/A.txt": b"same\n"}


def _deleted_twin(tmp_path: Path, version: str, oxum: str | None) -> Path:
    """Both twins bagged (one manifest line each), then ``data/A.txt`` deleted and the
    Payload-Oxum set to *oxum* (``None``: no Payload-Oxum line)."""
    bag = make_bag(tmp_path / "bag", TWINS, version=version)
    (bag / "data" / "A.txt").unlink()
    info = bag / "bag-info.txt"
    lines = info.read_text("utf-8").splitlines(keepends=True)
    kept = [x for x in lines if not x.startswith("Payload-Oxum:")]
    if oxum is not None:
        kept.append(f"Payload-Oxum: {oxum}\n")
    info.write_text("".join(kept), "utf-8")
    retag(bag, ("sha256", "sha512"))
    return bag


@pytest.mark.parametrize(
    ("version", "oxum", "codes"),
    [
        pytest.param("1.0", None, ["BAG-030"], id="1.0-no-oxum (the QA case)"),
        pytest.param("1.0", "10.2", ["BAG-030", "BAG-042"], id="1.0-oxum-of-two"),
        # 1.0 lists every file once (RFC 8493 §2.1.3): two names are two files
        pytest.param("1.0", "5.1", ["BAG-030"], id="1.0-oxum-of-one"),
        pytest.param("0.97", None, ["BAG-030"], id="0.97-no-oxum"),
        pytest.param("0.97", "10.2", ["BAG-030", "BAG-042"], id="0.97-oxum-of-two"),
    ],
)
def test_a_deleted_case_twin_is_missing(
    tmp_path: Path, version: str, oxum: str | None, codes: list[str]
) -> None:
    bag = _deleted_twin(tmp_path, version, oxum)
    for strict in (False, True):
        result = verify_bag(bag, strict=strict)
        assert [f.code for f in result.errors] == codes
        assert result.missing == ("data/A.txt",)
        assert not result.ok


def test_a_pre_1_0_bag_whose_oxum_counts_one_file_was_made_case_insensitively(
    tmp_path: Path,
) -> None:
    """The suite's case, made here: the bagger saw one file under two names."""
    bag = _deleted_twin(tmp_path, "0.97", "5.1")
    result = verify_bag(bag)
    assert [(f.code, f.severity) for f in result.findings] == [("BAG-080", "warning")]
    assert result.missing == ()
    assert result.ok
