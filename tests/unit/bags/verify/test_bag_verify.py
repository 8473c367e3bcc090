"""verify_bag on hostile and broken input, its detail tuples, and interoperability."""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import bagit
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import preserve.bags.hashing
import preserve.bags.verify.verify
from preserve.bags.verify.result import ChangedFile
from preserve.bags.verify.verify import verify_bag
from preserve.errors import BagError, UsageError
from tests.unit.bags.bagmaker import digest, make_bag, retag

FILES = {"data/a.txt": b"alpha\n", "data/sub/b.bin": b"\x00\x01beta", "data/empty": b""}


def codes(result: Any) -> set[str]:
    return {f.code for f in result.findings}


def test_nothing_outside_the_bag_is_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    bag = make_bag(tmp_path / "bag", FILES)
    with (bag / "manifest-sha256.txt").open("a") as f:
        f.write(f"{digest(b'do not read', 'sha256')}  ../secret.txt\n")
        f.write(f"{digest(b'', 'sha256')}  {secret}\n")
        f.write(f"{digest(b'', 'sha256')}  data/../../secret.txt\n")
    (bag / "data" / "link").symlink_to(secret)
    (bag / "fetch.txt").write_text(f"file://{secret} 11 ../secret.txt\n")
    retag(bag, ("sha256", "sha512"))
    opened: list[str] = []
    real_os_open, real_open = os.open, builtins.open

    def spy_os_open(path: Any, *args: Any, **kwargs: Any) -> int:
        opened.append(os.fspath(path))
        return real_os_open(path, *args, **kwargs)

    def spy_open(path: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(path, str | os.PathLike):
            opened.append(os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy_os_open)
    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(io, "open", spy_open)
    result = verify_bag(bag)
    monkeypatch.undo()
    root = os.path.realpath(bag)
    assert opened, "the spy saw nothing: the test would prove nothing"
    assert all(os.path.realpath(p).startswith(root + os.sep) for p in opened), opened
    assert {"BAG-024", "BAG-034"} <= codes(result)
    escapes = [f for f in result.findings if f.code == "BAG-024"]
    assert {f.source for f in escapes} == {"manifest-sha256.txt", "fetch.txt"}
    assert len(escapes) == 4


def test_unreadable_file_is_not_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bag = make_bag(tmp_path / "bag", FILES)
    real = preserve.bags.hashing._open_regular

    def refuse(path: Any) -> Any:
        if os.fspath(path).endswith("a.txt"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(preserve.bags.hashing, "_open_regular", refuse)
    result = verify_bag(bag)
    assert not result.ok
    assert result.unreadable == ("data/a.txt",)
    assert result.missing == ()
    assert result.changed == ()
    assert [f.code for f in result.errors] == ["BAG-033"]
    assert "permission denied" in result.errors[0].message.lower()


def test_unreadable_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bag = make_bag(tmp_path / "bag", FILES)
    real = os.scandir

    def refuse(path: Any) -> Any:
        if os.fspath(path).endswith("sub"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", refuse)
    result = verify_bag(bag)
    # Its file is listed but could not be seen: reported as unreadable, not silently
    # passed, and not as missing (it may well be there: nothing to restore).
    assert result.unreadable == ("data/sub", "data/sub/b.bin")
    assert codes(result) == {"BAG-033"}
    assert result.missing == ()


def test_unreadable_bag_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bag = make_bag(tmp_path / "bag", FILES)

    def refuse(root: str) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied", root)

    monkeypatch.setattr(preserve.bags.verify.verify, "scan", refuse)
    result = verify_bag(bag)
    assert [f.code for f in result.findings] == ["BAG-012"]
    assert not result.ok
    assert result.unreadable == (".",)


def test_not_a_bag_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BagError, match="does not exist"):
        verify_bag(tmp_path / "nope")
    (tmp_path / "file").write_text("x")
    with pytest.raises(BagError, match="not a bag folder"):
        verify_bag(tmp_path / "file")


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="mode"):
        verify_bag(tmp_path, mode="slow")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="processes"):
        verify_bag(tmp_path, processes=0)


def test_file_changed_while_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bag = make_bag(tmp_path / "bag", FILES)
    real = preserve.bags.hashing._pump

    def grow(fd: int, *args: Any) -> int:
        n = real(fd, *args)
        if os.fstat(fd).st_size == len(FILES["data/a.txt"]):
            with (bag / "data/a.txt").open("ab") as f:
                f.write(b"more")
        return n

    monkeypatch.setattr(preserve.bags.hashing, "_pump", grow)
    result = verify_bag(bag, processes=1)
    assert [(f.code, f.path) for f in result.errors if f.code == "BAG-037"] == [
        ("BAG-037", "data/a.txt")
    ]


def test_detail_tuples_tell_changed_missing_added_apart(tmp_path: Path) -> None:
    bag = make_bag(tmp_path / "bag", FILES, algorithms=("sha256",))
    (bag / "data/a.txt").write_bytes(b"ALPHA\n")
    (bag / "data/sub/b.bin").unlink()
    (bag / "data/new.txt").write_bytes(b"new")
    result = verify_bag(bag)
    assert result.changed == (
        ChangedFile(
            "data/a.txt", "sha256", digest(b"alpha\n", "sha256"), digest(b"ALPHA\n", "sha256")
        ),
    )
    assert result.missing == ("data/sub/b.bin",)
    assert result.added == ("data/new.txt",)
    assert result.unreadable == ()
    assert {"BAG-030", "BAG-031", "BAG-040", "BAG-042"} == {f.code for f in result.errors}


def test_zero_byte_files_and_newline_names_are_valid(tmp_path: Path) -> None:
    files = {"data/empty": b"", "data/new\nline": b"x", "data/100%0A": b"y", "data/cr\rx": b""}
    result = verify_bag(make_bag(tmp_path / "bag", files))
    assert result.errors == ()
    assert (result.files, result.bytes) == (4, 2)


def test_latin1_manifest_still_matches_latin1_names(tmp_path: Path) -> None:
    bag = make_bag(tmp_path / "bag", {"data/a.txt": b"a"}, algorithms=("sha256",))
    name = "Núñez".encode("latin-1")
    (bag / "data").joinpath(os.fsdecode(name)).write_bytes(b"n")
    line = digest(b"n", "sha256").encode() + b"  data/" + name + b"\n"
    with (bag / "manifest-sha256.txt").open("ab") as f:
        f.write(line)
    retag(bag)
    result = verify_bag(bag)
    assert [f.code for f in result.errors] == ["BAG-042", "BAG-063"]  # and nothing missing
    assert result.missing == result.added == ()


def test_nfc_and_nfd_forms_of_one_name(tmp_path: Path) -> None:
    nfc = unicodedata.normalize("NFC", "data/Núñez")
    nfd = unicodedata.normalize("NFD", "data/Núñez")
    result = verify_bag(make_bag(tmp_path / "bag", {nfc: b"1", nfd: b"2"}))
    assert result.ok
    assert [f.code for f in result.warnings] == ["BAG-081"]


def test_many_small_files_use_the_engine_in_order(tmp_path: Path) -> None:
    files = {f"data/d{i % 7}/f{i}.txt": str(i).encode() for i in range(1200)}
    bag = make_bag(tmp_path / "bag", files, algorithms=("sha256",))
    (bag / "data/d3/f3.txt").write_bytes(b"changed")
    result = verify_bag(bag, processes=2)
    assert [c.path for c in result.changed] == ["data/d3/f3.txt"]
    assert result.files == 1200


_NAME = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="/\x00"), min_size=1, max_size=40
).filter(lambda s: s not in (".", "..") and len(s.encode()) < 200)


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(_NAME, st.binary(max_size=300), min_size=1, max_size=5))
def test_any_names_and_bytes_round_trip(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        payload = {f"data/{name}": data for name, data in files.items()}
        result = verify_bag(make_bag(Path(tmp) / "bag", payload))
        assert result.errors == ()
        assert result.files == len(files)
        assert {f.code for f in result.warnings} <= {"BAG-080", "BAG-081", "BAG-083", "BAG-085"}


def _bagit_bag(tmp_path: Path) -> Path:
    source = tmp_path / "bagit"
    (source / "sub").mkdir(parents=True)
    (source / "a.txt").write_text("alpha\n")
    (source / "sub" / "Núñez.bin").write_bytes(bytes(range(256)) * 50)
    (source / "empty").write_bytes(b"")
    bagit.make_bag(str(source), {"Source-Organization": "LoC"}, checksums=["sha256", "sha512"])
    return source


def test_bags_made_by_bagit_python_verify(tmp_path: Path) -> None:
    result = verify_bag(_bagit_bag(tmp_path))
    assert result.findings == ()
    assert result.version == "0.97"  # what bagit-python 1.9 writes
    assert result.files == 3


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        pytest.param(lambda b: (b / "data/a.txt").write_text("ALPHA\n"), "BAG-040", id="edit"),
        pytest.param(lambda b: (b / "data/a.txt").unlink(), "BAG-030", id="delete"),
        pytest.param(lambda b: (b / "data/new").write_text("n"), "BAG-031", id="add"),
        pytest.param(lambda b: shutil.rmtree(b / "data/sub"), "BAG-030", id="delete-folder"),
        pytest.param(
            lambda b: (b / "bag-info.txt").write_text("Source-Organization: X\n"),
            "BAG-041",
            id="edit-bag-info",
        ),
    ],
)
def test_tampered_bagit_python_bags_fail(tmp_path: Path, tamper: Any, code: str) -> None:
    bag = _bagit_bag(tmp_path)
    tamper(bag)
    assert code in {f.code for f in verify_bag(bag).errors}


@pytest.mark.parametrize(
    ("make_link", "reason"),
    [
        pytest.param(lambda d: (d / "dangling").symlink_to("nowhere"), "dangling", id="dangling"),
        pytest.param(lambda d: (d / "dir").symlink_to("sub"), "not a regular file", id="to-dir"),
        pytest.param(lambda d: (d / "up").symlink_to("../../.."), "outside", id="up-and-out"),
    ],
)
def test_bad_links_are_reported_and_not_followed(
    tmp_path: Path, make_link: Any, reason: str
) -> None:
    bag = make_bag(tmp_path / "bag", FILES)
    make_link(bag / "data")
    result = verify_bag(bag)
    [finding] = [f for f in result.errors if f.code == "BAG-034"]
    assert reason in finding.message
    assert result.files == 3  # the link is not counted or read


def test_socket_in_payload(tmp_path: Path) -> None:
    import socket

    bag = make_bag(tmp_path / "bag", FILES)
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(bag / "data" / "sock"))
        result = verify_bag(bag)
    assert [f.details["kind"] for f in result.errors if f.code == "BAG-036"] == ["socket"]


def test_utf16_tag_file_with_invalid_bytes(tmp_path: Path) -> None:
    bag = make_bag(tmp_path / "bag", FILES, algorithms=("sha256",))
    (bag / "bagit.txt").write_bytes(b"BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-16\n")
    manifest = (bag / "manifest-sha256.txt").read_text(encoding="utf-8")
    (bag / "manifest-sha256.txt").write_bytes(manifest.encode("utf-16") + b"\x00\xd8")
    (bag / "bag-info.txt").write_bytes("Payload-Oxum: 12.3\n".encode("utf-16"))
    retag(bag)
    tagmanifest = bag / "tagmanifest-sha256.txt"
    tagmanifest.write_bytes(tagmanifest.read_text(encoding="utf-8").encode("utf-16"))
    result = verify_bag(bag)
    # The truncated last character is reported, and so is the broken line it leaves.
    assert [(f.code, f.source, f.line) for f in result.errors] == [
        ("BAG-020", "manifest-sha256.txt", 4),
        ("BAG-063", "manifest-sha256.txt", 4),
    ]
    assert result.missing == result.added == ()


def test_utf16_declared_but_tag_files_in_utf8(tmp_path: Path) -> None:
    bag = make_bag(tmp_path / "bag", FILES, algorithms=("sha256",))
    (bag / "bagit.txt").write_bytes(b"BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-16\n")
    retag(bag)
    result = verify_bag(bag)  # no traceback: findings
    assert "BAG-063" in {f.code for f in result.errors}


def test_oversized_bagit_txt(tmp_path: Path) -> None:
    bag = make_bag(tmp_path / "bag", FILES)
    (bag / "bagit.txt").write_bytes(b"BagIt-Version: 1.0\n" * 1000)
    result = verify_bag(bag)
    assert "BAG-002" in {f.code for f in result.errors}
    assert result.version is None


_TAG_NAMES = st.sampled_from(
    [
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "manifest-md5.txt",
        "tagmanifest-sha256.txt",
        "fetch.txt",
        "package-info.txt",
        "manifest-sha3-256.txt",
    ]
)
_TAG_LINES = st.sampled_from(
    [
        "BagIt-Version: 1.0",
        "BagIt-Version: 0.95",
        "Tag-File-Character-Encoding: UTF-16",
        "Tag-File-Character-Encoding: UTF-8",
        "Payload-Oxum: 0.1",
        "  continued",
        "x: y",
        f"{digest(b'', 'sha256')}  data/a",
        f"{digest(b'', 'md5')} data/../x",
        "abcd *data/a",
        "abcd  ./data/%0A",
        "http://e.org/ - data/a",
        "http://e.org/ 3 /etc/passwd",
    ]
)
_TAG_CONTENT = st.one_of(
    st.binary(max_size=200),
    st.lists(_TAG_LINES, max_size=6).map(lambda lines: "\n".join(lines).encode()),
)


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(_TAG_NAMES, _TAG_CONTENT, max_size=6),
    st.booleans(),
    st.sampled_from(["full", "fast", "completeness"]),
)
def test_any_tag_file_content_gives_findings_not_exceptions(
    files: dict[str, bytes], with_data: bool, mode: Any
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bag = Path(tmp) / "bag"
        bag.mkdir()
        if with_data:
            (bag / "data").mkdir()
            (bag / "data" / "a").write_bytes(b"")
        for name, content in files.items():
            (bag / name).write_bytes(content)
        result = verify_bag(bag, mode=mode, processes=1)
        assert result.to_dict()["valid"] is result.ok
        assert all(f.message for f in result.findings)
