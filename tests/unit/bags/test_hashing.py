"""The hashing engine: known digests, one pass for all algorithms, order, errors."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest

from preserve.bags import hashing, hashpool
from preserve.bags.hashing import (
    FileDigest,
    copy_and_hash,
    fastest_algorithm,
    hash_file,
    normalize_algorithm,
    normalize_algorithms,
)
from preserve.bags.hashpool import HashJob, hash_many
from preserve.errors import UsageError


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        pytest.param("sha512", "sha512", id="plain"),
        pytest.param("SHA-256", "sha256", id="upper-dash"),
        pytest.param("sha3_256", "sha3256", id="python-spelling"),
        pytest.param("sha3-512", "sha3512", id="rfc-example"),
        pytest.param("MD5", "md5", id="md5"),
    ],
)
def test_algorithm_names_follow_rfc8493(given: str, expected: str) -> None:
    assert normalize_algorithm(given) == expected


def test_unknown_algorithm_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="crc32"):
        normalize_algorithm("crc32")
    with pytest.raises(UsageError):
        normalize_algorithms([])
    assert normalize_algorithms(["sha512", "SHA512", "sha256"]) == ("sha512", "sha256")


def test_fastest_algorithm_prefers_sha256_over_sha512() -> None:
    assert fastest_algorithm(["sha512", "sha256"]) == "sha256"
    assert fastest_algorithm(["sha3256"]) == "sha3256"


def _expected(data: bytes) -> FileDigest:
    return FileDigest(
        len(data),
        {
            "sha512": hashlib.sha512(data).hexdigest(),
            "sha256": hashlib.sha256(data).hexdigest(),
            "sha3256": hashlib.sha3_256(data).hexdigest(),
        },
    )


ALGS = ("sha512", "sha256", "sha3256")


@pytest.mark.parametrize(
    "size",
    [0, 1, 2047, 2048, hashing.CHUNK - 1, hashing.CHUNK, hashing.CHUNK + 1, 3 * hashing.CHUNK + 7],
)
def test_hash_file_and_copy_match_hashlib(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    src = tmp_path / "src.bin"
    src.write_bytes(data)
    os.utime(src, ns=(1_000_000_000, 2_000_000_000))
    assert hash_file(src, ALGS) == _expected(data)
    assert hash_file(src, ALGS, split=True) == _expected(data)
    dst = tmp_path / "dst.bin"
    assert copy_and_hash(src, dst, ALGS) == _expected(data)
    assert dst.read_bytes() == data
    assert dst.stat().st_mtime_ns == 2_000_000_000
    assert src.stat().st_mtime_ns == 2_000_000_000


def test_copy_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"new")
    (tmp_path / "b").write_bytes(b"old")
    with pytest.raises(FileExistsError):
        copy_and_hash(tmp_path / "a", tmp_path / "b", ALGS)
    assert (tmp_path / "b").read_bytes() == b"old"


def test_symlinks_are_never_followed(tmp_path: Path) -> None:
    (tmp_path / "target").write_bytes(b"secret")
    (tmp_path / "link").symlink_to(tmp_path / "target")
    with pytest.raises(OSError, match="link"):
        hash_file(tmp_path / "link", ALGS)


def test_directories_are_refused(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="not a regular file"):
        hash_file(tmp_path, ALGS)


def _tree(root: Path, sizes: list[int]) -> list[tuple[Path, bytes]]:
    out = []
    for i, size in enumerate(sizes):
        path = root / f"d{i % 7}" / f"f{i}.bin"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = os.urandom(size)
        path.write_bytes(data)
        out.append((path, data))
    return out


@pytest.mark.parametrize("workers", [1, 2])
def test_hash_many_keeps_order_over_small_and_large_files(tmp_path: Path, workers: int) -> None:
    # Enough small files for several batches (so worker processes start), plus large ones.
    sizes = [i % 5000 for i in range(1300)]
    sizes[10] = sizes[700] = hashpool.SMALL_FILE + 5
    files = _tree(tmp_path, sizes)
    jobs = [HashJob(str(p), size=len(d)) for p, d in files]
    jobs.insert(3, HashJob(str(tmp_path / "missing"), size=10))
    outcomes = list(hash_many(jobs, ALGS, workers=workers))
    assert [o.job for o in outcomes] == jobs
    missing = outcomes.pop(3)
    assert missing.digest is None
    assert missing.errno == 2
    assert [o.digest for o in outcomes] == [_expected(d) for _, d in files]


def test_hash_many_copies(tmp_path: Path) -> None:
    files = _tree(tmp_path / "in", [10, 0, hashpool.SMALL_FILE * 2])
    jobs = [
        HashJob(str(p), copy_to=str(tmp_path / f"out{i}"), size=len(d))
        for i, (p, d) in enumerate(files)
    ]
    outcomes = list(hash_many(jobs, ALGS, workers=2, fsync=True))
    assert all(o.error is None for o in outcomes)
    for i, (_, data) in enumerate(files):
        assert (tmp_path / f"out{i}").read_bytes() == data


class _Counter:
    def __init__(self) -> None:
        self.nbytes = 0
        self.files = 0

    def start(self, description: str, *, total_bytes: int | None, total_files: int | None) -> None:
        pass

    def advance(self, *, nbytes: int = 0, files: int = 0) -> None:
        self.nbytes += nbytes
        self.files += files

    def finish(self) -> None:
        pass


def test_hash_many_reports_progress(tmp_path: Path) -> None:
    files = _tree(tmp_path, [100, 200, 300])
    counter = _Counter()
    list(hash_many([HashJob(str(p)) for p, _ in files], ALGS, progress=counter))
    assert (counter.nbytes, counter.files) == (600, 3)


class _SeesThreads(_Counter):
    """Counts progress and notes the hashing threads alive while bytes are reported."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: set[str] = set()

    def advance(self, *, nbytes: int = 0, files: int = 0) -> None:
        super().advance(nbytes=nbytes, files=files)
        if nbytes:
            self.threads.update(t.name.rsplit("_", 1)[0] for t in threading.enumerate())


def test_one_large_file_has_its_digests_split_over_two_threads(tmp_path: Path) -> None:
    # Alone, a large file would leave the second core idle: its digests are split.
    [(path, data)] = _tree(tmp_path, [3 * hashing.CHUNK + 5])
    seen = _SeesThreads()
    [outcome] = hash_many([HashJob(str(path), size=len(data))], ALGS, progress=seen)
    assert outcome.digest == _expected(data)
    assert (seen.nbytes, seen.files) == (len(data), 1)
    assert "preserve-hash-split" in seen.threads


def test_only_a_large_last_file_is_split(tmp_path: Path) -> None:
    # The large files are not last (and run side by side); the last is small, so no split.
    files = _tree(tmp_path, [3 * hashing.CHUNK, 3 * hashing.CHUNK + 1, 5])
    seen = _SeesThreads()
    jobs = [HashJob(str(p), size=len(d)) for p, d in files]
    outcomes = list(hash_many(jobs, ALGS, progress=seen))
    assert [o.digest for o in outcomes] == [_expected(d) for _, d in files]
    assert seen.nbytes == sum(len(d) for _, d in files)
    assert "preserve-hash-split" not in seen.threads


def test_hash_many_of_nothing_is_nothing() -> None:
    assert list(hash_many([], ALGS, workers=2)) == []
