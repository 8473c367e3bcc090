"""The compact structures that keep verifying a million-file bag within memory (issue 3):
the payload index, a manifest's listing, streamed manifests and hashed collision checks."""

from __future__ import annotations

import errno
import hashlib
import tempfile
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from preserve.bags.manifests import ManifestEntry, format_manifest, iter_manifest, read_manifest
from preserve.bags.paths import (
    case_collisions,
    casefold_key,
    nfc_key,
    normalization_collisions,
    repeated_values,
)
from preserve.bags.verify._listing import Check, Listing, Manifest
from preserve.bags.verify._payload import DiskFile, PayloadIndex
from preserve.bags.verify.verify import verify_bag
from preserve.findings import Finding
from tests.unit.bags.bagmaker import make_bag

# Odd names: percent signs, line breaks, both Unicode forms of one name, case-only
# twins, non-ASCII, and the Kelvin sign whose NFC form is plain ASCII "K".
ODD = ["%", "%25", "%0A", "\n", "\r", "é", "e\u0301", "É", "K", "\u212a", "k", "a", "A", " ", "ß"]
names = st.lists(st.sampled_from(ODD), min_size=1, max_size=6).map("".join)
payload_paths = st.lists(names.map(lambda n: f"data/{n}"), unique=True, max_size=30)


def _index(paths: list[str], root: str = "/bag") -> PayloadIndex:
    index = PayloadIndex(root)
    for n, path in enumerate(paths):
        index.add(path, n)
    index.freeze()
    return index


@given(payload_paths)
def test_index_round_trips_every_path_and_size(paths: list[str]) -> None:
    index = _index(paths)
    assert index.paths == sorted(paths)
    assert len(index) == len(paths)
    for n, path in enumerate(paths):
        i = index.find(path)
        assert index.paths[i] == path
        assert index.sizes[i] == n  # the size travelled with its path through the sort
        assert index.real(i) == f"/bag/{path}"
        assert index.kind(i) == "file"
        assert index.readable(i)
        assert path in index


@given(payload_paths, names)
def test_index_finds_only_exact_paths(paths: list[str], other: str) -> None:
    index = _index(paths)
    probe = f"data/{other}"
    assert (index.find(probe) >= 0) == (probe in paths)
    assert (probe in index) == (probe in paths)
    assert 42 not in index


@given(payload_paths, names)
def test_same_key_matches_a_plain_grouping(paths: list[str], other: str) -> None:
    index = _index(paths)
    probe = f"data/{other}"
    for key in (nfc_key, casefold_key):
        expected = sorted(p for p in paths if key(p) == key(probe))
        assert index.same_key(probe, key) == expected


def test_links_and_special_files_keep_their_detail() -> None:
    index = PayloadIndex("/bag")
    index.add("data/z", 5)
    index.add("data/link", 7, DiskFile("data/link", "/bag/data/z", 7, "link"))
    index.add("data/fifo", 0, DiskFile("data/fifo", "/bag/data/fifo", 0, "special"))
    index.freeze()
    link, fifo = index.find("data/link"), index.find("data/fifo")
    assert index.real(link) == "/bag/data/z"
    assert index.kind(link) == "link"
    assert index.readable(link)
    assert index.kind(fifo) == "special"
    assert not index.readable(fifo)
    assert index.unreadable_positions() == [fifo]
    assert index.readable_count() == 2


def _manifest(algorithm: str = "sha256") -> Manifest:
    return Manifest(f"manifest-{algorithm}.txt", algorithm, "payload", ())


@given(st.lists(st.binary(max_size=8), min_size=1, max_size=20), st.data())
def test_listing_round_trips_digests_and_lines(bodies: list[bytes], data: st.DataObject) -> None:
    listing = Listing.empty(_manifest(), len(bodies))
    listed = data.draw(st.sets(st.integers(0, len(bodies) - 1)))
    for i in listed:
        listing.put(i, hashlib.sha256(bodies[i]).hexdigest(), i + 1)
    for i, body in enumerate(bodies):
        if i in listed:
            expected = Check(
                "sha256", hashlib.sha256(body).hexdigest(), "manifest-sha256.txt", i + 1
            )
            assert listing.checks(i) == [expected]
            assert listing.digest(i) == expected.expected
        else:
            assert listing.checks(i) == []
    assert listing.listed_count([]) == len(listed)
    assert listing.listed_count(sorted(listed)) == 0


def test_listing_keeps_every_entry_for_one_file() -> None:
    listing = Listing.empty(_manifest(), 2)
    listing.put(1, "aa" * 32, 3)
    listing.again(1, "data/b", "bb" * 32, 9)
    listing.add(1, "cc" * 32, 12)  # resolved from another spelling of the name
    assert [(c.expected, c.line) for c in listing.checks(1)] == [
        ("aa" * 32, 3),
        ("bb" * 32, 9),
        ("cc" * 32, 12),
    ]
    assert listing.repeated
    assert listing.later == {"data/b": (9, "bb" * 32)}


def test_listing_of_an_unsupported_algorithm_keeps_hex() -> None:
    listing = Listing.empty(_manifest("whirlpool"), 1)
    listing.put(0, "abc", 1)
    assert listing.checks(0) == [Check("whirlpool", "abc", "manifest-whirlpool.txt", 1)]


@given(st.lists(st.tuples(names, st.binary(max_size=4)), max_size=20))
def test_streamed_manifest_equals_the_whole_read(rows: list[tuple[str, bytes]]) -> None:
    text = format_manifest((f"data/{n}", hashlib.sha256(b).hexdigest()) for n, b in rows)
    text += "not a manifest line\n"
    _check_stream(text)


def _check_stream(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "manifest-sha256.txt"
        path.write_text(text, encoding="utf-8", newline="\n")
        whole, whole_findings = read_manifest(path)
        findings: list[Finding] = []
        streamed = list(iter_manifest(path, findings=findings))
    assert streamed == whole
    assert [f.code for f in findings] == [f.code for f in whole_findings] == ["BAG-020"]


def _plain(paths: list[str], key: Callable[[str], str]) -> list[tuple[str, ...]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        groups[key(path)].add(path)
    return sorted(tuple(sorted(g)) for g in groups.values() if len(g) > 1)


@settings(max_examples=200)
@given(st.lists(names, max_size=40))
def test_hashed_collisions_equal_a_plain_grouping(paths: list[str]) -> None:
    assert normalization_collisions(paths) == _plain(paths, nfc_key)
    plain_case = [g for g in _plain(paths, casefold_key) if len({nfc_key(p) for p in g}) > 1]
    assert case_collisions(iter(paths)) == plain_case


def test_collisions_seen_in_both_forms() -> None:
    nfc, nfd = unicodedata.normalize("NFC", "data/é"), unicodedata.normalize("NFD", "data/é")
    assert normalization_collisions([nfc, nfd, "data/x"]) == [tuple(sorted((nfc, nfd)))]
    assert case_collisions(["data/A", "data/a", "data/b"]) == [("data/A", "data/a")]


@given(st.lists(st.integers(-5, 5)), st.integers(1, 4))
def test_repeated_values_in_any_number_of_passes(values: list[int], per_pass: int) -> None:
    expected = {v for v in values if values.count(v) > 1}
    assert repeated_values(array("q", values), per_pass=per_pass) == expected


def test_changed_files_are_named_by_bag_path(tmp_path: Path) -> None:
    """Payload and tag files alike (the streamed payload and the tag plan)."""
    bag = make_bag(tmp_path / "bag", {"data/a.txt": b"alpha\n", "data/b.txt": b"beta\n"})
    (bag / "data" / "a.txt").write_bytes(b"ALPHA\n")
    with (bag / "bag-info.txt").open("a", encoding="utf-8") as f:
        f.write("Contact-Name: someone\n")
    result = verify_bag(bag)
    assert sorted((c.path, c.algorithm) for c in result.changed) == [
        ("bag-info.txt", "sha256"),
        ("bag-info.txt", "sha512"),
        ("data/a.txt", "sha256"),
        ("data/a.txt", "sha512"),
    ]
    assert {f.path for f in result.findings if f.code in ("BAG-040", "BAG-041")} == {
        "bag-info.txt",
        "data/a.txt",
    }


def test_manifest_failing_part_way_is_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bag = make_bag(tmp_path / "bag", {"data/a.txt": b"alpha\n", "data/b.txt": b"beta\n"})
    real = iter_manifest

    def failing(path: str, **kwargs: Any) -> Iterator[ManifestEntry]:
        entries = list(real(path, **kwargs))  # read whole: the file is closed before failing
        yield entries[0]
        if path.endswith("manifest-sha512.txt"):
            raise OSError(errno.EIO, "Input/output error", path)
        yield from entries[1:]

    monkeypatch.setattr("preserve.bags.verify._match.iter_manifest", failing)
    result = verify_bag(bag)
    assert not result.ok
    assert result.unreadable == ("manifest-sha512.txt",)
    assert [(f.code, f.path) for f in result.errors] == [("BAG-033", "manifest-sha512.txt")]
    assert result.changed == ()  # what the sha256 manifest lists was still checked in full
