"""Serialized bags are reproducible, well-formed and unpack to the same tree."""

from __future__ import annotations

import os
import stat
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from preserve.bags.archive.read import safe_extract
from preserve.bags.archive.write import serialize_bag
from preserve.bags.paths import casefold_key
from preserve.errors import SerializationError

FORMATS = ["tar", "tgz", "zip"]
FILES = {
    "bagit.txt": b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    "bag-info.txt": b"Bagging-Date: 2026-01-02\nPayload-Oxum: 9.3\n",
    "data/a.txt": b"abc",
    "data/sub/Café.txt": b"cafe",
    "data/z.bin": b"\x00\x01",
}


def make(root: Path, *, mtime: int, mode: int) -> Path:
    for rel, content in reversed(list(FILES.items())):  # creation order must not matter
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        path.chmod(mode)
        os.utime(path, (mtime, mtime))
    (root / "data" / "empty").mkdir()
    return root


def tree(root: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(root)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_byte_identical_across_builds_times_and_umask(tmp_path: Path, fmt: str) -> None:
    one = make(tmp_path / "a" / "bag", mtime=1_000_000_000, mode=0o644)
    old = os.umask(0o077)
    try:
        two = make(tmp_path / "b" / "bag", mtime=1_700_000_000, mode=0o600)
    finally:
        os.umask(old)
    first = serialize_bag(one, tmp_path / "one", fmt=fmt)  # type: ignore[arg-type]
    again = serialize_bag(one, tmp_path / "again", fmt=fmt)  # type: ignore[arg-type]
    other = serialize_bag(two, tmp_path / "other", fmt=fmt)  # type: ignore[arg-type]
    assert first.read_bytes() == again.read_bytes() == other.read_bytes()


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_and_sidecar(tmp_path: Path, fmt: str) -> None:
    bag = make(tmp_path / "mybag", mtime=0, mode=0o644)
    out = tmp_path / "out"
    out.mkdir()
    archive = serialize_bag(bag, out, fmt=fmt)  # type: ignore[arg-type]
    assert archive.name == {"tar": "mybag.tar", "tgz": "mybag.tar.gz", "zip": "mybag.zip"}[fmt]
    done = subprocess.run(
        ["sha256sum", "-c", archive.name + ".sha256"], cwd=out, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    root = safe_extract(archive, tmp_path / "unpacked")
    assert root.name == "mybag"
    assert tree(root) == tree(bag)
    assert sorted(p.name for p in out.iterdir()) == [archive.name, archive.name + ".sha256"]


def test_tar_members_are_normalised(tmp_path: Path) -> None:
    bag = make(tmp_path / "bag", mtime=5, mode=0o600)
    with tarfile.open(serialize_bag(bag, tmp_path / "b.tar", fmt="tar")) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names == [
        "bag",
        "bag/bag-info.txt",
        "bag/bagit.txt",
        "bag/data",
        "bag/data/a.txt",
        "bag/data/z.bin",
        "bag/data/empty",
        "bag/data/sub",
        "bag/data/sub/Café.txt",
    ]
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members} == {(0, 0, "", "")}
    assert {m.mtime for m in members} == {1767312000}  # Bagging-Date 2026-01-02T00:00Z
    assert {m.mode for m in members if m.isfile()} == {0o644}
    assert {m.mode for m in members if m.isdir()} == {0o755}


def test_gzip_header_has_no_name_and_no_time(tmp_path: Path) -> None:
    raw = serialize_bag(make(tmp_path / "bag", mtime=5, mode=0o644), tmp_path / "b.tgz", fmt="tgz")
    header = raw.read_bytes()[:10]
    assert header[3] & 0x08 == 0  # FNAME flag unset
    assert header[4:8] == b"\0\0\0\0"  # MTIME 0


def test_zip_entries_have_fixed_dates_and_no_extra_fields(tmp_path: Path) -> None:
    archive = serialize_bag(
        make(tmp_path / "bag", mtime=5, mode=0o600), tmp_path / "b.zip", fmt="zip"
    )
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
    assert {i.date_time for i in infos} == {(2026, 1, 2, 0, 0, 0)}
    assert {i.extra for i in infos} == {b""}
    assert all(i.filename.startswith("bag/") for i in infos)


def test_bag_without_bagging_date_uses_1980(tmp_path: Path) -> None:
    bag = make(tmp_path / "bag", mtime=5, mode=0o644)
    (bag / "bag-info.txt").write_bytes(b"Source-Organization: x\n")
    with tarfile.open(serialize_bag(bag, tmp_path / "b.tar", fmt="tar")) as tar:
        assert {m.mtime for m in tar.getmembers()} == {315532800}


def test_links_in_the_bag_are_refused(tmp_path: Path) -> None:
    bag = make(tmp_path / "bag", mtime=5, mode=0o644)
    (bag / "data" / "link").symlink_to("/etc/passwd")
    with pytest.raises(SerializationError, match="link or special file"):
        serialize_bag(bag, tmp_path / "b.tar", fmt="tar")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bag"]  # no partial archive


def test_archive_inside_the_bag_is_refused(tmp_path: Path) -> None:
    bag = make(tmp_path / "bag", mtime=5, mode=0o644)
    with pytest.raises(SerializationError, match="inside the bag"):
        serialize_bag(bag, bag / "self.zip", fmt="zip")


def test_existing_archive_is_replaced_whole(tmp_path: Path) -> None:
    bag = make(tmp_path / "bag", mtime=5, mode=0o644)
    target = tmp_path / "b.zip"
    target.write_bytes(b"old")
    with pytest.raises(SerializationError, match="already exists"):
        serialize_bag(bag, target, fmt="zip")
    assert target.read_bytes() == b"old"
    serialize_bag(bag, target, fmt="zip", replace=True)
    assert zipfile.is_zipfile(target)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_replace_never_replaces_a_link(tmp_path: Path) -> None:
    bag = make(tmp_path / "bag", mtime=5, mode=0o644)
    keep = tmp_path / "keep.txt"
    keep.write_text("mine")
    (tmp_path / "b.zip").symlink_to(keep)
    with pytest.raises(SerializationError, match="not a file"):
        serialize_bag(bag, tmp_path / "b.zip", fmt="zip", replace=True)
    assert keep.read_text() == "mine"


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_archive_and_sidecar_follow_the_umask(tmp_path: Path, umask: int) -> None:
    bag = make(tmp_path / "bag", mtime=5, mode=0o644)
    old = os.umask(umask)
    try:
        archive = serialize_bag(bag, tmp_path / "b.tar", fmt="tar")
    finally:
        os.umask(old)
    expected = 0o666 & ~umask
    assert stat.S_IMODE(archive.stat().st_mode) == expected
    sidecar = archive.with_name(archive.name + ".sha256")
    assert stat.S_IMODE(sidecar.stat().st_mode) == expected


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(SerializationError, match="not a folder"):
        serialize_bag(tmp_path / "missing", tmp_path / "b.zip", fmt="zip")


def test_names_that_collide_when_unpacked_are_refused(tmp_path: Path) -> None:
    bag = make(tmp_path / "bag", mtime=5, mode=0o644)
    (bag / "data" / "A.TXT").write_bytes(b"upper")
    with pytest.raises(SerializationError, match="differ only in case"):
        serialize_bag(bag, tmp_path / "b.zip", fmt="zip")


def test_missing_output_folder_is_a_serialization_error(tmp_path: Path) -> None:
    bag = make(tmp_path / "bag", mtime=5, mode=0o644)
    with pytest.raises(SerializationError, match="cannot write"):
        serialize_bag(bag, tmp_path / "nope" / "b.zip", fmt="zip")


names = st.text(
    st.characters(codec="utf-8", exclude_characters="/\\\x00", exclude_categories=("Cs", "Cc")),
    min_size=1,
    max_size=12,
).filter(lambda n: n not in (".", "..") and len(n.encode()) < 200)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    files=st.dictionaries(names, st.binary(max_size=300), min_size=1, max_size=6),
    fmt=st.sampled_from(FORMATS),
)
def test_serialize_then_unpack_round_trips(
    tmp_path_factory: pytest.TempPathFactory, files: dict[str, bytes], fmt: str
) -> None:
    keys = {casefold_key(n) for n in files}
    assume(len(keys) == len(files))  # such bags are refused (tested above)
    work = tmp_path_factory.mktemp("rt")
    bag = work / "bag"
    (bag / "data").mkdir(parents=True)
    for name, content in files.items():
        (bag / "data" / name).write_bytes(content)
    archive = serialize_bag(bag, work, fmt=fmt)  # type: ignore[arg-type]
    root = safe_extract(archive, work / "out")
    assert tree(root) == tree(bag)


def test_a_folder_named_with_a_slash_is_never_written_as_a_file(tmp_path: Path) -> None:
    """``serialize_bag(bag, "outbox/")`` with no outbox/ wrote a file called outbox."""
    bag = make(tmp_path / "R-1", mtime=1_700_000_000, mode=0o644)
    with pytest.raises(SerializationError, match="outbox/ for the archive does not exist"):
        serialize_bag(bag, f"{tmp_path}/outbox/", fmt="zip")
    assert not (tmp_path / "outbox").exists()
    (tmp_path / "outbox").mkdir()
    written = serialize_bag(bag, f"{tmp_path}/outbox/", fmt="zip")
    assert written == tmp_path / "outbox" / "R-1.zip"
