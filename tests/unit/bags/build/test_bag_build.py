"""build_bag: bags that verify (ours and bagit-python's), sources untouched, refusals."""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

import bagit
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from preserve._types import JSONValue
from preserve.bags import hashing
from preserve.bags.build.build import build_bag
from preserve.bags.build.result import Inventory
from preserve.bags.verify.verify import verify_bag
from preserve.cli.bag import record_for_bag
from preserve.errors import BagError, UsageError
from tests.conftest import SEEDS
from tests.unit.bags.bagtools import make_tree, snapshot


def assert_valid_everywhere(bag: Path) -> None:
    result = verify_bag(bag)
    assert result.ok, [f.code for f in result.findings]
    bagit.Bag(str(bag)).validate()


def test_build_copies_and_verifies(tmp_path: Path, fixed_clock: Callable[[], datetime]) -> None:
    src = make_tree(tmp_path / "scans", {"a.txt": b"hello\n", "sub/b.bin": os.urandom(5000)})
    (tmp_path / "note.txt").write_bytes(b"")
    before = snapshot(tmp_path)
    record: dict[str, JSONValue] = {
        "title": "Record of a Conversation",
        "archive_reference": {"citation": "AVP RF, f. 0104, op. 19", "repository": "AVP RF"},
    }
    result = build_bag(
        [src, tmp_path / "note.txt"],
        tmp_path / "BAG",
        record=record,
        bag_info={"Contact-Name": "Edna"},
        clock=fixed_clock,
    )
    bag = tmp_path / "BAG"
    assert result.bag == bag
    assert (result.files, result.bytes) == (3, 5006)
    assert (bag / "data/scans/sub/b.bin").read_bytes() == (src / "sub/b.bin").read_bytes()
    assert (bag / "data/note.txt").read_bytes() == b""
    info = dict(result.bag_info)
    assert info["Bagging-Date"] == "2026-01-02"
    assert info["External-Identifier"] == "AVP RF, f. 0104, op. 19"
    assert info["External-Description"] == "Record of a Conversation"
    # Not the record's repository (AVP RF holds the originals, it does not deposit them).
    assert "Source-Organization" not in info
    assert info["Payload-Oxum"] == "5006.3"
    assert info["Contact-Name"] == "Edna"
    assert info["Bag-Software-Agent"].startswith("preserve ")
    assert json.loads((bag / "metadata/record.json").read_text("utf-8")) == record
    tagmanifest = (bag / "tagmanifest-sha256.txt").read_text("utf-8")
    assert "metadata/record.json" in tagmanifest
    assert "manifest-sha512.txt" in tagmanifest
    assert sorted(p.name for p in bag.iterdir()) == [
        "bag-info.txt",
        "bagit.txt",
        "data",
        "manifest-sha256.txt",
        "manifest-sha512.txt",
        "metadata",
        "tagmanifest-sha256.txt",
        "tagmanifest-sha512.txt",
    ]
    assert_valid_everywhere(bag)
    after = {k: v for k, v in snapshot(tmp_path).items() if not k.startswith("BAG")}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if "preserve-staging" in p.name]


def test_record_from_json_file_is_stored_byte_for_byte(tmp_path: Path) -> None:
    make_tree(tmp_path / "src", {"a": b"x"})
    record = tmp_path / "r.json"
    record.write_bytes(b'{"title":  "T\\u00e9"}\n')
    build_bag([tmp_path / "src"], tmp_path / "BAG", record=record)
    assert (tmp_path / "BAG/metadata/record.json").read_bytes() == record.read_bytes()


def test_record_that_is_not_json_is_refused(tmp_path: Path) -> None:
    make_tree(tmp_path / "src", {"a": b"x"})
    (tmp_path / "r.json").write_text("Title: something", "utf-8")
    with pytest.raises(BagError, match=r"r\.json is not JSON"):
        build_bag([tmp_path / "src"], tmp_path / "BAG", record=tmp_path / "r.json")
    assert not (tmp_path / "BAG").exists()


def test_record_document_is_extracted(tmp_path: Path) -> None:
    make_tree(tmp_path / "src", {"a": b"x"})
    seed = SEEDS / "000_424de3424b48eda2.txt"
    result = build_bag([tmp_path / "src"], tmp_path / "BAG", record=record_for_bag(seed))
    info = dict(result.bag_info)
    assert info["External-Identifier"] == "AVP RF, f. 0104, op. 19, p. 124, d. 3, ll. 97-99"
    stored = json.loads((tmp_path / "BAG/metadata/record.json").read_text("utf-8"))
    assert stored["archive_reference"]["citation"] == info["External-Identifier"]
    assert verify_bag(tmp_path / "BAG").ok


def test_empty_record_document_is_refused(tmp_path: Path) -> None:
    make_tree(tmp_path / "src", {"a": b"x"})
    (tmp_path / "r.txt").write_text("", "utf-8")
    with pytest.raises(BagError, match=r"r\.txt"):
        build_bag([tmp_path / "src"], tmp_path / "BAG", record=record_for_bag(tmp_path / "r.txt"))
    assert not (tmp_path / "BAG").exists()


@pytest.mark.parametrize(
    "algorithms",
    [("sha256",), ("md5", "sha1"), ("SHA3-256", "sha512")],
    ids=["sha256", "legacy", "sha3"],
)
def test_chosen_algorithms(tmp_path: Path, algorithms: tuple[str, ...]) -> None:
    make_tree(tmp_path / "src", {"a": b"x", "b/c": b"y" * 3000})
    result = build_bag([tmp_path / "src"], tmp_path / "BAG", algorithms=algorithms)
    names = sorted(p.name for p in (tmp_path / "BAG").glob("*manifest-*.txt"))
    expected = sorted(
        f"{kind}manifest-{alg}.txt" for alg in result.algorithms for kind in ("", "tag")
    )
    assert names == expected
    assert_valid_everywhere(tmp_path / "BAG")


# Names: anything a Linux file system stores, except "/" and NUL, plus CR and LF.
_name = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/\x00\\"),
    min_size=1,
    max_size=12,
).filter(lambda n: n not in (".", "..") and len(n.encode()) < 200)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=st.dictionaries(_name, st.binary(max_size=3000), min_size=1, max_size=6))
def test_build_then_verify_any_names_and_bytes(tmp_path: Path, files: dict[str, bytes]) -> None:
    # NFC/NFD twins and case twins are refused or warned about elsewhere; keep one of each.
    unique: dict[str, tuple[str, bytes]] = {}
    for name, data in files.items():
        unique.setdefault(unicodedata.normalize("NFC", name).casefold(), (name, data))
    case = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
    src = case / "src"
    src.mkdir(parents=True)
    for name, data in unique.values():
        (src / name).write_bytes(data)
    result = build_bag([src], case / "BAG", processes=1)
    assert result.files == len(unique)
    for name, data in unique.values():
        assert (case / "BAG/data/src" / name).read_bytes() == data
    assert verify_bag(case / "BAG").ok
    # bagit-python 1.9 misreads three kinds of legal names: it neither encodes nor
    # decodes %25 (RFC 8493 §2.1.3 requires both); it strips whitespace (as Python's
    # str.strip sees it) from the ends of manifest paths; and it reads manifests
    # with codecs, which also breaks lines at \x1c-\x1e, \x85, U+2028 and U+2029.
    # Every other bag must pass its validator too.
    if all(_bagit_python_reads(name) for name, _ in unique.values()):
        bagit.Bag(str(case / "BAG")).validate()


def _bagit_python_reads(name: str) -> bool:
    one_line = len(name.replace("\n", "").replace("\r", "").splitlines()) <= 1
    return "%" not in name and name == name.strip() and one_line


def test_newline_and_percent_names_are_percent_encoded(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "src", {"a\nb.txt": b"1", "50%.txt": b"2", "c\rd": b"3"})
    build_bag([src], tmp_path / "BAG", algorithms=["sha256"])
    manifest = (tmp_path / "BAG/manifest-sha256.txt").read_text("utf-8")
    assert "data/src/a%0Ab.txt" in manifest
    assert "data/src/50%25.txt" in manifest
    assert "data/src/c%0Dd" in manifest
    assert verify_bag(tmp_path / "BAG").ok


def test_many_small_files_use_the_worker_processes(tmp_path: Path) -> None:
    files = {f"d{i % 13}/f{i}.txt": f"{i}".encode() * (i % 40) for i in range(1500)}
    src = make_tree(tmp_path / "src", files)
    result = build_bag([src], tmp_path / "BAG", processes=2)
    assert result.files == 1500
    assert_valid_everywhere(tmp_path / "BAG")


def test_target_exists_is_refused_then_replaced(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "src", {"a": b"one"})
    build_bag([src], tmp_path / "BAG")
    (src / "a").write_bytes(b"two")
    with pytest.raises(BagError, match="already exists"):
        build_bag([src], tmp_path / "BAG")
    assert (tmp_path / "BAG/data/src/a").read_bytes() == b"one"
    result = build_bag([src], tmp_path / "BAG", replace=True)
    assert result.replaced
    assert (tmp_path / "BAG/data/src/a").read_bytes() == b"two"
    assert_valid_everywhere(tmp_path / "BAG")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["BAG", "src"]


def test_replace_refuses_a_file(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "src", {"a": b"one"})
    (tmp_path / "BAG").write_text("not a bag", "utf-8")
    with pytest.raises(BagError, match="not a folder"):
        build_bag([src], tmp_path / "BAG", replace=True)
    assert (tmp_path / "BAG").read_text("utf-8") == "not a bag"


def test_symlink_in_source_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "outside").write_bytes(b"secret")
    src = make_tree(tmp_path / "src", {"a": b"x"})
    (src / "link").symlink_to(tmp_path / "outside")
    with pytest.raises(BagError, match=r"src/link is a symbolic link"):
        build_bag([src], tmp_path / "BAG")
    assert not (tmp_path / "BAG").exists()
    assert not [p for p in tmp_path.iterdir() if "staging" in p.name]


def test_unreadable_file_is_a_clear_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = make_tree(tmp_path / "src", {"a": b"x", "secret": b"y"})
    (src / "secret").chmod(0)
    # Tests may run as root, who reads any file: make the refusal the OS's answer.
    real_open = hashing._open_regular

    def deny(path: str | os.PathLike[str]) -> tuple[int, os.stat_result]:
        if os.fspath(path).endswith("secret"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path)

    monkeypatch.setattr(hashing, "_open_regular", deny)
    with pytest.raises(BagError, match=r"cannot copy .*src/secret: Permission denied"):
        build_bag([src], tmp_path / "BAG", processes=1)
    (src / "secret").chmod(0o644)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_fifo_in_source_is_refused(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "src", {"a": b"x"})
    os.mkfifo(src / "pipe")
    with pytest.raises(BagError, match=r"src/pipe is not a regular file"):
        build_bag([src], tmp_path / "BAG")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_nfc_nfd_twins_are_refused(tmp_path: Path) -> None:
    nfc = unicodedata.normalize("NFC", "café.txt")
    nfd = unicodedata.normalize("NFD", "café.txt")
    src = make_tree(tmp_path / "src", {nfc: b"1", nfd: b"2"})
    with pytest.raises(BagError, match="Unicode forms"):
        build_bag([src], tmp_path / "BAG")
    assert not (tmp_path / "BAG").exists()


def test_case_twins_are_built_with_a_warning(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "src", {"Hello.txt": b"1", "hello.txt": b"2"})
    result = build_bag([src], tmp_path / "BAG")
    assert [f.code for f in result.findings] == ["BAG-080"]
    assert verify_bag(tmp_path / "BAG").ok


@pytest.mark.parametrize(
    ("out", "match"),
    [
        pytest.param("src/BAG", "overlap", id="bag-inside-source"),
        pytest.param("missing/BAG", "does not exist", id="no-parent"),
    ],
)
def test_bad_targets(tmp_path: Path, out: str, match: str) -> None:
    src = make_tree(tmp_path / "src", {"a": b"x"})
    with pytest.raises(BagError, match=match):
        build_bag([src], tmp_path / out)


def test_two_sources_with_one_name_are_refused(tmp_path: Path) -> None:
    a = make_tree(tmp_path / "x/scans", {"a": b"1"})
    b = make_tree(tmp_path / "y/scans", {"b": b"2"})
    with pytest.raises(BagError, match="share the name"):
        build_bag([a, b], tmp_path / "BAG")


def test_computed_bag_info_cannot_be_overridden(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "src", {"a": b"x"})
    with pytest.raises(UsageError, match="Payload-Oxum"):
        build_bag([src], tmp_path / "BAG", bag_info=[("Payload-Oxum", "1.1")])


def test_tag_hooks_see_the_inventory_and_add_files(tmp_path: Path) -> None:
    src = make_tree(tmp_path / "src", {"a": b"abc", "b/c": b"de"})
    seen: list[Inventory] = []

    def hook(inventory: Inventory) -> Mapping[str, bytes]:
        seen.append(inventory)
        lines = "".join(f"{f.path} {f.size} {f.digests['sha256']}\n" for f in inventory.files)
        return {"metadata/premis.xml": lines.encode()}

    build_bag([src], tmp_path / "BAG", tag_hooks=[hook])
    (inv,) = seen
    assert [f.path for f in inv.files] == ["data/src/a", "data/src/b/c"]
    assert inv.files[0].source == str(src / "a")
    assert inv.files[0].digests["sha256"] == hashlib.sha256(b"abc").hexdigest()
    assert inv.octets == 5
    assert inv.target == tmp_path / "BAG"
    premis = (tmp_path / "BAG/metadata/premis.xml").read_text("utf-8")
    assert "data/src/b/c 2" in premis
    assert "metadata/premis.xml" in (tmp_path / "BAG/tagmanifest-sha512.txt").read_text("utf-8")
    assert_valid_everywhere(tmp_path / "BAG")


@pytest.mark.parametrize("name", ["data/x", "../x", "manifest-md5.txt", "bagit.txt"])
def test_tag_hooks_cannot_write_outside_their_place(tmp_path: Path, name: str) -> None:
    src = make_tree(tmp_path / "src", {"a": b"abc"})
    with pytest.raises(BagError, match="tag hook"):
        build_bag([src], tmp_path / "BAG", tag_hooks=[lambda inv: {name: b"x"}])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]
