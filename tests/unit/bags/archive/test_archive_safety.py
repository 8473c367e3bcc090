"""A hostile-archive corpus, generated here: each archive is refused, nothing escapes."""

from __future__ import annotations

import io
import os
import stat
import tarfile
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from preserve.bags.archive.read import (
    ArchiveLimits,
    ArchiveRefused,
    safe_extract,
    sniff_format,
    unpacked_bag,
)

Member = tuple[str, bytes | None]  # (name, content); None content: a folder


def tar_with(path: Path, infos: list[tuple[tarfile.TarInfo, bytes]], *, gz: bool = False) -> Path:
    with tarfile.open(path, "w:gz" if gz else "w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in infos:
            info.size = len(data) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return path


def ti(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info


def zip_with(path: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(info, data)
    return path


def zinfo(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = mode << 16
    return info


def encrypted(path: Path) -> Path:
    """Set the 'encrypted' flag of the first member (zipfile cannot write encryption)."""
    raw = bytearray(path.read_bytes())
    raw[raw.find(b"PK\x03\x04") + 6] |= 0x1
    raw[raw.find(b"PK\x01\x02") + 8] |= 0x1
    path.write_bytes(bytes(raw))
    return path


def good() -> list[tuple[tarfile.TarInfo, bytes]]:
    return [(ti("bag/bagit.txt"), b"BagIt-Version: 1.0\n"), (ti("bag/data/a"), b"a")]


ZEROS = bytes(20 << 20)  # 20 MiB of zeros packs into about 20 KiB: ratio ~1000
Maker = Callable[[Path], Path]
P = pytest.param

CORPUS: list[object] = [
    P(lambda d: zip_with(d / "a.zip", [("bag/../../evil.txt", b"x")]), "SER-002", id="zip-slip"),
    P(
        lambda d: tar_with(d / "a.tar", [(ti("bag/../../evil.txt"), b"x")]),
        "SER-002",
        id="tar-dotdot",
    ),
    P(lambda d: tar_with(d / "a.tar", [(ti("/tmp/evil.txt"), b"x")]), "SER-002", id="tar-absolute"),
    P(lambda d: zip_with(d / "a.zip", [("/tmp/evil.txt", b"x")]), "SER-002", id="zip-absolute"),
    P(
        lambda d: zip_with(d / "a.zip", [("bag\\..\\..\\evil.txt", b"x")]),
        "SER-002",
        id="zip-backslash",
    ),
    P(lambda d: zip_with(d / "a.zip", [("C:/evil.txt", b"x")]), "SER-002", id="zip-drive-letter"),
    P(
        lambda d: tar_with(
            d / "a.tar",
            [(ti("bag/link", tarfile.SYMTYPE, "/etc"), b""), (ti("bag/link/passwd"), b"x")],
        ),
        "SER-003",
        id="tar-symlink-escape",
    ),
    P(
        lambda d: tar_with(d / "a.tar", [*good(), (ti("bag/in", tarfile.SYMTYPE, "data/a"), b"")]),
        "SER-003",
        id="tar-symlink-inside-also-refused",
    ),
    P(
        lambda d: tar_with(
            d / "a.tar", [*good(), (ti("bag/h", tarfile.LNKTYPE, "../../etc/passwd"), b"")]
        ),
        "SER-003",
        id="tar-hardlink-escape",
    ),
    P(
        lambda d: zip_with(d / "a.zip", [(zinfo("bag/link", stat.S_IFLNK | 0o777), b"/etc")]),
        "SER-003",
        id="zip-symlink",
    ),
    P(
        lambda d: tar_with(d / "a.tar", [(ti("bag/dev", tarfile.CHRTYPE), b"")]),
        "SER-004",
        id="tar-device",
    ),
    P(
        lambda d: tar_with(d / "a.tar", [(ti("bag/fifo", tarfile.FIFOTYPE), b"")]),
        "SER-004",
        id="tar-fifo",
    ),
    P(
        lambda d: zip_with(d / "a.zip", [(zinfo("bag/fifo", stat.S_IFIFO | 0o644), b"")]),
        "SER-004",
        id="zip-fifo",
    ),
    P(
        lambda d: tar_with(d / "a.tar", [(ti("bag/a"), b"1"), (ti("bag/a"), b"2")]),
        "SER-005",
        id="tar-duplicate",
    ),
    P(
        lambda d: tar_with(d / "a.tar", [(ti("bag/a"), b"1"), (ti("bag/a/b"), b"2")]),
        "SER-005",
        id="file-used-as-folder",
    ),
    P(
        lambda d: tar_with(
            d / "a.tar",
            [
                (ti(unicodedata.normalize("NFC", "bag/Café")), b"1"),
                (ti(unicodedata.normalize("NFD", "bag/Café")), b"2"),
            ],
        ),
        "SER-006",
        id="nfc-nfd-collision",
    ),
    P(
        lambda d: zip_with(d / "a.zip", [("bag/A.txt", b"1"), ("bag/a.txt", b"2")]),
        "SER-006",
        id="case-collision",
    ),
    P(
        lambda d: tar_with(d / "a.tar.gz", [(ti("bag/data/zeros"), ZEROS)], gz=True),
        "SER-009",
        id="gzip-bomb",
    ),
    P(
        lambda d: zip_with(d / "a.zip", [("bag/data/zeros", ZEROS)]),
        "SER-009",
        id="zip-bomb",
    ),
    P(
        lambda d: tar_with(d / "a.tar", [(ti("one/a"), b"1"), (ti("two/b"), b"2")]),
        "SER-011",
        id="two-top-level-folders",
    ),
    P(lambda d: zip_with(d / "a.zip", [("bagit.txt", b"x")]), "SER-011", id="top-level-file"),
    P(lambda d: zip_with(d / "a.zip", []), "SER-011", id="empty-archive"),
    P(
        lambda d: encrypted(zip_with(d / "a.zip", [("bag/a", b"x")])),
        "SER-012",
        id="zip-encrypted-member",
    ),
    P(
        lambda d: (d / "a.zip").write_bytes(b"just text, named .zip") and d / "a.zip",
        "SER-001",
        id="not-an-archive",
    ),
]


def snapshot(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.mark.parametrize(("make", "code"), CORPUS)
def test_hostile_archive_is_refused_and_nothing_is_written(
    tmp_path: Path, make: Maker, code: str
) -> None:
    archive = make(tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(ArchiveRefused) as refused:
        safe_extract(archive, tmp_path / "target")
    assert refused.value.code == code
    assert str(refused.value).startswith(code)
    assert snapshot(tmp_path) == before  # the target folder is gone, nothing else appeared
    assert not (tmp_path.parent / "evil.txt").exists()


@pytest.mark.parametrize(
    ("limits", "code"),
    [
        P(ArchiveLimits(max_members=2), "SER-007", id="too-many-members"),
        P(ArchiveLimits(max_total_bytes=10), "SER-008", id="too-many-bytes"),
    ],
)
def test_limits(tmp_path: Path, limits: ArchiveLimits, code: str) -> None:
    archive = tar_with(tmp_path / "a.tar", [*good(), (ti("bag/data/b"), b"0123456789")])
    with pytest.raises(ArchiveRefused) as refused:
        safe_extract(archive, tmp_path / "target", limits=limits)
    assert refused.value.code == code
    assert not (tmp_path / "target").exists()


def test_zip_member_larger_than_declared_is_refused(tmp_path: Path) -> None:
    archive = zip_with(tmp_path / "a.zip", [("bag/data/a", b"x" * 1000)])
    raw = bytearray(archive.read_bytes())
    # Declare 10 bytes in both the local header and the central directory.
    local = raw.find(b"PK\x03\x04")
    raw[local + 22 : local + 26] = (10).to_bytes(4, "little")
    central = raw.find(b"PK\x01\x02")
    raw[central + 24 : central + 28] = (10).to_bytes(4, "little")
    archive.write_bytes(bytes(raw))
    with pytest.raises(ArchiveRefused) as refused:
        safe_extract(archive, tmp_path / "target")
    assert refused.value.code in {"SER-010", "SER-013"}
    assert not (tmp_path / "target").exists()


def test_truncated_tgz_is_corrupt(tmp_path: Path) -> None:
    archive = tar_with(
        tmp_path / "a.tgz", [*good(), (ti("bag/data/r"), os.urandom(50_000))], gz=True
    )
    archive.write_bytes(archive.read_bytes()[:20_000])
    with pytest.raises(ArchiveRefused) as refused:
        safe_extract(archive, tmp_path / "target")
    assert refused.value.code == "SER-013"
    assert not (tmp_path / "target").exists()


def test_zip_duplicate_names_are_refused(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="Duplicate name"):
        archive = zip_with(tmp_path / "a.zip", [("bag/a", b"1"), ("bag/a", b"2")])
    with pytest.raises(ArchiveRefused) as refused:
        safe_extract(archive, tmp_path / "target")
    assert refused.value.code == "SER-005"


def test_existing_target_is_not_reused(tmp_path: Path) -> None:
    archive = tar_with(tmp_path / "a.tar", good())
    (tmp_path / "target").mkdir()
    (tmp_path / "target" / "keep").write_bytes(b"mine")
    with pytest.raises(Exception, match="pick a new folder"):
        safe_extract(archive, tmp_path / "target")
    assert (tmp_path / "target" / "keep").read_bytes() == b"mine"


@pytest.mark.parametrize("gz", [False, True])
def test_a_good_archive_unpacks(tmp_path: Path, gz: bool) -> None:
    archive = tar_with(tmp_path / "a.bin", [(ti("./bag/", tarfile.DIRTYPE), b""), *good()], gz=gz)
    assert sniff_format(archive) == ("tgz" if gz else "tar")
    with unpacked_bag(archive) as (root, mime):
        assert root.name == "bag"
        assert (root / "data" / "a").read_bytes() == b"a"
        assert mime == ("application/gzip" if gz else "application/x-tar")
        temp = root.parent.parent
    assert not temp.exists()


def test_zip_unpacks_with_private_permissions(tmp_path: Path) -> None:
    archive = zip_with(tmp_path / "a.zip", [("bag/bagit.txt", b"x"), ("bag/data/", b"")])
    root = safe_extract(archive, tmp_path / "target")
    assert (root / "data").is_dir()
    assert stat.S_IMODE((tmp_path / "target").stat().st_mode) == 0o700


def test_pax_header_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    # tarfile reads a pax header whole before any member reaches the guard.
    archive = tmp_path / "a.tar.gz"
    with tarfile.open(archive, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        info = ti("bag/a")
        info.pax_headers = {"comment": "0" * (20 << 20)}
        tar.addfile(info, io.BytesIO(b""))
    assert archive.stat().st_size < 200_000
    with pytest.raises(ArchiveRefused) as refused:
        safe_extract(archive, tmp_path / "target")
    assert refused.value.code == "SER-009"
    assert not (tmp_path / "target").exists()


def test_zip_declaring_too_many_members_is_refused_before_parsing(tmp_path: Path) -> None:
    archive = zip_with(tmp_path / "a.zip", [(f"bag/{i}", b"") for i in range(5)])
    with pytest.raises(ArchiveRefused) as refused:
        safe_extract(archive, tmp_path / "target", limits=ArchiveLimits(max_members=3))
    assert refused.value.code == "SER-007"


def test_zip64_end_record_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from preserve.bags.archive._unpack import _declared_entries

    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 2)  # make zipfile write zip64 records
    archive = zip_with(tmp_path / "a.zip", [(f"bag/{i}", b"x") for i in range(5)])
    raw = bytearray(archive.read_bytes())
    assert b"PK\x06\x06" in raw
    end = raw.rfind(b"PK\x05\x06")
    raw[end + 8 : end + 12] = b"\xff\xff\xff\xff"  # as writers do: "see the zip64 record"
    archive.write_bytes(bytes(raw))
    assert _declared_entries(archive) == 5
    with pytest.raises(ArchiveRefused) as refused:
        safe_extract(archive, tmp_path / "target", limits=ArchiveLimits(max_members=4))
    assert refused.value.code == "SER-007"


def test_a_zip_whose_headers_disagree_is_said_in_text_not_python_bytes(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("bag/bagit.txt", b"BagIt-Version: 1.0\n")
    data = archive.read_bytes()
    at = data.index(b"bag/bagit.txt")  # the local header's copy of the name, first
    archive.write_bytes(data[:at] + b"bag/bagit.tx\xe9" + data[at + 13 :])
    with pytest.raises(ArchiveRefused) as refused:
        safe_extract(archive, tmp_path / "target")
    assert refused.value.code == "SER-013"
    assert "b'" not in str(refused.value)
    assert "'bag/bagit.tx\ufffd'" in str(refused.value)
