"""The library side of the QA fixes: kept bags checked, archives made on a re-run,
unused payload folders named (the CLI side is in tests/e2e/test_ingest_*.py)."""

from __future__ import annotations

import shutil
import tarfile
import unicodedata
from pathlib import Path

import pytest

from preserve.ingestion import IngestOptions, IngestResult
from preserve.ingestion.kept import damage, find_kept
from tests.cli.ingest_helpers import ingest
from tests.conftest import REPO

SAMPLES = REPO / "samples"
STEM = "01-sorokin-arvelo-1962-03-02"
BAG = "avp-rf-f-0999-op-7-p-41-d-12-ll-14-16"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    src = tmp_path / "s"
    (src / "records").mkdir(parents=True)
    shutil.copy(SAMPLES / "records" / f"{STEM}.txt", src / "records")
    shutil.copytree(SAMPLES / "files" / STEM, src / "files" / STEM)
    return src


def _one(result: IngestResult) -> tuple[str, list[str]]:
    (outcome,) = result.outcomes
    return outcome.status, [f.code for f in outcome.findings]


def _serialize(fmt: str) -> IngestOptions:
    return IngestOptions(serialize=fmt)  # type: ignore[arg-type]


@pytest.mark.parametrize("fmt", ["tar", "tgz", "zip"])
def test_each_archive_kind_is_checked_and_made_on_a_rerun(
    source: Path, tmp_path: Path, fmt: str
) -> None:
    deposit = tmp_path / "d"
    ingest(source, deposit)
    result = ingest(source, deposit, options=_serialize(fmt))
    assert _one(result) == ("packaged", [])
    (archive,) = [p for p in deposit.iterdir() if p.name.startswith(BAG) and "sha" not in p.name]
    assert damage(archive, BAG) is None
    assert _one(ingest(source, deposit, options=_serialize(fmt))) == ("unchanged", [])
    # Without the .sha256 beside it, it is opened and must hold the bag.
    archive.with_name(archive.name + ".sha256").unlink()
    assert damage(archive, BAG) is None
    assert damage(archive, "another-bag") == "it does not hold another-bag/bagit.txt"
    archive.write_bytes(archive.read_bytes()[:300])
    reason = damage(archive, BAG)
    assert reason is not None
    assert reason.startswith("it does not open as an archive")


def test_damage_of_folders_links_and_unreadable_sidecars(source: Path, tmp_path: Path) -> None:
    deposit = tmp_path / "d"
    ingest(source, deposit)
    bag = deposit / BAG
    assert damage(bag, BAG) is None
    (bag / "data" / "leaf-002.png").unlink()
    reason = damage(bag, BAG)
    assert reason is not None
    assert reason.startswith("fast verification found BAG-")
    link = deposit / f"{BAG}.zip"
    link.symlink_to(bag)
    assert damage(link, BAG) == "it is not an archive file"
    sidecar = tmp_path / "x.zip"
    sidecar.write_bytes(b"PK")
    (tmp_path / "x.zip.sha256").write_bytes(b"\xff\xfe")
    reason = damage(sidecar, "x")
    assert reason is not None
    assert reason.startswith("it cannot be read")


def test_find_kept_prefers_the_archive_asked_for(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b.zip").touch()
    (tmp_path / "b.tar").touch()
    assert find_kept(tmp_path, "b", "tar") == tmp_path / "b.tar"
    assert find_kept(tmp_path, "b", None) == tmp_path / "b"
    assert find_kept(tmp_path, "c", "zip") is None


def test_an_archive_of_another_kind_that_holds_another_bag(source: Path, tmp_path: Path) -> None:
    deposit = tmp_path / "d"
    ingest(source, deposit, options=_serialize("tar"))
    archive = deposit / f"{BAG}.tar"
    other = tmp_path / "other.tar"
    with tarfile.open(archive) as t:
        t.extractall(tmp_path / "x", filter="data")
    (tmp_path / "x" / BAG).rename(tmp_path / "x" / "elsewhere")
    with tarfile.open(other, "w") as t:
        t.add(tmp_path / "x" / "elsewhere", arcname="elsewhere")
    shutil.copy(other, archive)
    (deposit / f"{BAG}.tar.sha256").unlink()
    status, codes = _one(ingest(source, deposit, options=_serialize("zip")))
    assert (status, codes) == ("refused", ["ING-011"])
    assert not (deposit / f"{BAG}.zip").exists()


def test_a_kept_archive_that_verifies_badly_is_not_converted(source: Path, tmp_path: Path) -> None:
    deposit = tmp_path / "d"
    ingest(source, deposit, options=_serialize("tar"))
    archive = deposit / f"{BAG}.tar"
    with tarfile.open(archive) as t:
        t.extractall(tmp_path / "x", filter="data")
    (tmp_path / "x" / BAG / "data" / "leaf-002.png").write_bytes(b"\0" * 10)
    with tarfile.open(archive, "w") as t:
        t.add(tmp_path / "x" / BAG, arcname=BAG)
    (deposit / f"{BAG}.tar.sha256").unlink()
    result = ingest(source, deposit, options=_serialize("tgz"))
    status, codes = _one(result)
    assert (status, codes) == ("refused", ["ING-011"])
    assert "verification found" in result.outcomes[0].findings[0].message


def test_something_else_in_the_place_of_the_archive(source: Path, tmp_path: Path) -> None:
    deposit = tmp_path / "d"
    ingest(source, deposit)
    (deposit / f"{BAG}.zip").mkdir()
    result = ingest(source, deposit, options=_serialize("zip"))
    assert _one(result) == ("refused", ["ING-011"])
    assert "not an archive file" in result.outcomes[0].findings[0].message


def test_a_bag_replaced_by_a_file_or_cut_short(source: Path, tmp_path: Path) -> None:
    deposit = tmp_path / "d"
    ingest(source, deposit, options=_serialize("tgz"))
    archive = deposit / f"{BAG}.tar.gz"
    archive.write_bytes(archive.read_bytes()[:100])
    assert _one(ingest(source, deposit, options=_serialize("tgz"))) == ("refused", ["ING-011"])
    # Reported again on the next run (not ING-006): the damaged bag is still this input's.
    assert _one(ingest(source, deposit)) == ("refused", ["ING-011"])
    archive.unlink()
    (deposit / BAG).touch()
    assert _one(ingest(source, deposit)) == ("refused", ["ING-011"])


@pytest.mark.parametrize(
    ("folder", "why"),
    [
        pytest.param(f"{STEM} ", "space", id="trailing-space"),
        pytest.param(STEM.replace("-", "."), "upper and lower case", id="dots"),
        pytest.param(STEM[:-1], "a few characters", id="typo"),
    ],
)
def test_a_misnamed_folder_stops_its_record(
    source: Path, tmp_path: Path, folder: str, why: str
) -> None:
    (source / "files" / STEM).rename(source / "files" / folder)
    result = ingest(source, tmp_path / "d", options=IngestOptions(force=True))
    status, codes = _one(result)
    assert (status, codes[0], codes[-1]) == ("refused", "ING-013", "ING-001")
    assert why in result.outcomes[0].findings[0].message
    assert result.findings == ()


def test_unused_entries_by_kind(source: Path, tmp_path: Path) -> None:
    files = source / "files"
    nfd = files / unicodedata.normalize("NFD", "arvélo")
    nfc = files / "arvélo"
    nfd.mkdir()
    nfc.mkdir()
    (files / f"{STEM} (copy)").mkdir()
    (files / "note.txt").write_text("x", encoding="utf-8")
    (source / "notes").mkdir()
    (source / "README.md").write_text("x", encoding="utf-8")
    shutil.copy(SAMPLES / "records" / f"{STEM}.txt", source / "records" / "arvélo.txt")
    (source / "records" / "arvélo.txt").write_text(
        (source / "records" / "arvélo.txt").read_text("utf-8").replace("ll. 14-16", "ll. 17"),
        encoding="utf-8",
    )
    result = ingest(source, tmp_path / "d", options=IngestOptions(force=True))
    found = sorted((f.code, Path(f.source or "").name) for f in result.findings)
    assert found == [
        ("ING-012", f"{STEM} (copy)"),
        ("ING-012", unicodedata.normalize("NFD", "arvélo")),
        ("ING-012", "note.txt"),
        ("ING-014", "notes"),
    ]


def test_a_single_record_file_as_source_names_nothing_in_files(tmp_path: Path) -> None:
    src = tmp_path / "s"
    (src / "files" / "someone-else").mkdir(parents=True)
    shutil.copy(SAMPLES / "records" / f"{STEM}.txt", src)
    result = ingest(src / f"{STEM}.txt", tmp_path / "d")
    assert result.findings == ()
    assert _one(result)[0] == "packaged"


def test_a_kept_archive_is_converted_and_kept(source: Path, tmp_path: Path) -> None:
    deposit = tmp_path / "d"
    ingest(source, deposit, options=_serialize("tgz"))
    result = ingest(source, deposit, options=_serialize("zip"))
    assert _one(result) == ("packaged", [])
    assert result.outcomes[0].archive == f"{BAG}.zip"
    assert damage(deposit / f"{BAG}.zip", BAG) is None
    assert damage(deposit / f"{BAG}.tar.gz", BAG) is None
