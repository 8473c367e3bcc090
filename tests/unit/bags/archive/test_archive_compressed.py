"""tar.bz2 and tar.xz bags (issue 13): read by content, under gzip's bomb bounds."""

from __future__ import annotations

import bz2
import io
import lzma
import os
import tarfile
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
from tests.unit.bags.archive.test_archive_safety import ZEROS, good, ti

P = pytest.param
MODES = [
    P("bz2", "tbz2", "application/x-bzip2", id="bzip2"),
    P("xz", "txz", "application/x-xz", id="xz"),
]


def _open(path: Path, mode: str) -> tarfile.TarFile:
    if mode == "bz2":
        return tarfile.open(path, "w:bz2", format=tarfile.PAX_FORMAT)
    return tarfile.open(path, "w:xz", format=tarfile.PAX_FORMAT)


def compressed_tar(path: Path, mode: str, infos: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    with _open(path, mode) as tar:
        for info, data in infos:
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(("mode", "fmt", "mime"), MODES)
@pytest.mark.parametrize("suffix", [".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".bz2", ".xz", ""])
def test_a_compressed_tar_unpacks_whatever_its_name(
    tmp_path: Path, mode: str, fmt: str, mime: str, suffix: str
) -> None:
    archive = compressed_tar(tmp_path / f"bag{suffix}", mode, good())
    assert sniff_format(archive) == fmt
    with unpacked_bag(archive) as (root, found):
        assert root.name == "bag"
        assert (root / "data" / "a").read_bytes() == b"a"
        assert found == mime


@pytest.mark.parametrize(("mode", "fmt", "mime"), MODES)
def test_bomb_is_refused(tmp_path: Path, mode: str, fmt: str, mime: str) -> None:
    archive = compressed_tar(tmp_path / "a.tar", mode, [(ti("bag/data/zeros"), ZEROS)])
    assert archive.stat().st_size < 200_000  # 20 MiB of zeros: a ratio far above 100
    with pytest.raises(ArchiveRefused) as refused:
        safe_extract(archive, tmp_path / "target")
    assert refused.value.code == "SER-009"
    assert not (tmp_path / "target").exists()


@pytest.mark.parametrize(("mode", "fmt", "mime"), MODES)
def test_header_bomb_is_refused_before_it_is_inflated(
    tmp_path: Path, mode: str, fmt: str, mime: str
) -> None:
    archive = tmp_path / "a.tar"
    with _open(archive, mode) as tar:
        info = ti("bag/a")
        info.pax_headers = {"comment": "0" * (20 << 20)}
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(ArchiveRefused) as refused:
        safe_extract(archive, tmp_path / "target")
    assert refused.value.code == "SER-009"


@pytest.mark.parametrize(("mode", "fmt", "mime"), MODES)
@pytest.mark.parametrize(
    ("limits", "code"),
    [
        P(ArchiveLimits(max_members=2), "SER-007", id="members"),
        P(ArchiveLimits(max_total_bytes=10), "SER-008", id="bytes"),
    ],
)
def test_member_and_size_limits(
    tmp_path: Path, mode: str, fmt: str, mime: str, limits: ArchiveLimits, code: str
) -> None:
    archive = compressed_tar(tmp_path / "a", mode, [*good(), (ti("bag/data/b"), b"0123456789")])
    with pytest.raises(ArchiveRefused) as refused:
        safe_extract(archive, tmp_path / "target", limits=limits)
    assert refused.value.code == code


@pytest.mark.parametrize(
    "make",
    [
        P(lambda b: bz2.compress(b), id="bzip2"),
        P(lambda b: lzma.compress(b), id="xz"),
    ],
)
def test_compressed_file_that_is_no_tar_is_refused(
    tmp_path: Path, make: Callable[[bytes], bytes]
) -> None:
    archive = tmp_path / "notes.xz"
    archive.write_bytes(make(b"just some text, not a tar" * 40))
    with pytest.raises(ArchiveRefused) as refused:
        safe_extract(archive, tmp_path / "target")
    assert refused.value.code == "SER-013"
    assert not (tmp_path / "target").exists()


@pytest.mark.parametrize(("mode", "fmt", "mime"), MODES)
def test_truncated_archive_is_corrupt(tmp_path: Path, mode: str, fmt: str, mime: str) -> None:
    archive = compressed_tar(
        tmp_path / "a", mode, [*good(), (ti("bag/data/r"), os.urandom(50_000))]
    )
    archive.write_bytes(archive.read_bytes()[:20_000])
    with pytest.raises(ArchiveRefused) as refused:
        safe_extract(archive, tmp_path / "target")
    assert refused.value.code == "SER-013"
