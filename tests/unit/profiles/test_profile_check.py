"""Every field of the BagIt Profiles spec (1.1.0-1.4.0): one case that passes, one that fails.

Bags here are made for the profile check only: manifests exist but are not hashed (the
profile check never reads the payload; checksums are ``preserve verify``'s job).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from preserve.bags.archive.write import serialize_bag
from preserve.profiles import BagView, check_profile, parse_profile

ID = "https://example.org/profiles/test-v1.json"

BASE_PROFILE: dict[str, Any] = {
    "BagIt-Profile-Info": {
        "BagIt-Profile-Identifier": ID,
        "BagIt-Profile-Version": "1.4.0",
        "Source-Organization": "Example",
        "External-Description": "test profile",
        "Version": "1",
    },
    "Accept-BagIt-Version": ["1.0"],
}

BASE_FILES: dict[str, bytes] = {
    "bagit.txt": b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    "bag-info.txt": f"BagIt-Profile-Identifier: {ID}\nSource-Organization: York\n".encode(),
    "manifest-sha512.txt": b"00  data/a.txt\n",
    "tagmanifest-sha512.txt": b"00  bagit.txt\n",
    "data/a.txt": b"abc",
}


def make_bag(root: Path, files: dict[str, bytes | None]) -> Path:
    """Write *files* (``None`` removes a base file; a path ending in / is a folder)."""
    merged: dict[str, bytes | None] = {**BASE_FILES, **files}
    root.mkdir()
    for rel, content in merged.items():
        if content is None:
            continue
        path = root / rel
        if rel.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return root


def info(*lines: str) -> dict[str, bytes | None]:
    return {"bag-info.txt": ("\n".join(lines) + "\n").encode()}


P = pytest.param
CASES = [
    # BagIt-Profile-Identifier in bag-info (always required; may repeat)
    P({}, {}, [], id="identifier-present"),
    P({}, info("Source-Organization: York"), ["PRO-001"], id="identifier-missing"),
    P({}, info("BagIt-Profile-Identifier: https://x.org/p"), ["PRO-002"], id="identifier-other"),
    P(
        {},
        info("BagIt-Profile-Identifier: https://x.org/p", f"BagIt-Profile-Identifier: {ID}"),
        [],
        id="identifier-repeated-one-matches",
    ),
    # Bag-Info: required
    P({"Bag-Info": {"Source-Organization": {"required": True}}}, {}, [], id="required-present"),
    P({"Bag-Info": {"Contact-Phone": {"required": True}}}, {}, ["PRO-003"], id="required-absent"),
    P(
        {"Bag-Info": {"Contact-Phone": {"required": True}}},
        info(f"BagIt-Profile-Identifier: {ID}", "Contact-Phone:"),
        ["PRO-004"],
        id="required-empty-value",
    ),
    P(
        {"Bag-Info": {"source-organization": {"required": True}}},
        {},
        [],
        id="required-label-ignores-case",
    ),
    # Bag-Info: values
    P({"Bag-Info": {"Source-Organization": {"values": ["York"]}}}, {}, [], id="values-ok"),
    P(
        {"Bag-Info": {"Source-Organization": {"values": ["Yale"]}}},
        {},
        ["PRO-005"],
        id="values-not-listed",
    ),
    P({"Bag-Info": {"Source-Organization": {"values": []}}}, {}, [], id="values-empty-any"),
    P(
        {"Bag-Info": {"Source-Organization": {"values": ["York", "Yale"]}}},
        info(
            f"BagIt-Profile-Identifier: {ID}",
            "Source-Organization: York",
            "Source-Organization: Yale",
        ),
        [],
        id="values-repeated-tag-all-listed",
    ),
    # Bag-Info: repeatable
    P(
        {"Bag-Info": {"Source-Organization": {"repeatable": False}}},
        {},
        [],
        id="not-repeatable-once",
    ),
    P(
        {"Bag-Info": {"Source-Organization": {"repeatable": False}}},
        info(f"BagIt-Profile-Identifier: {ID}", "Source-Organization: a", "Source-Organization: b"),
        ["PRO-006"],
        id="not-repeatable-twice",
    ),
    P(
        {"Bag-Info": {"Source-Organization": {}}},
        info(f"BagIt-Profile-Identifier: {ID}", "Source-Organization: a", "Source-Organization: b"),
        [],
        id="repeatable-by-default",
    ),
    # Bag-Info: description is documentation only
    P({"Bag-Info": {"X-Note": {"description": "anything"}}}, {}, [], id="description"),
    # Manifests-Required / -Allowed
    P({"Manifests-Required": ["sha512"]}, {}, [], id="manifests-required-ok"),
    P({"Manifests-Required": ["sha256"]}, {}, ["PRO-007"], id="manifests-required-missing"),
    P({"Manifests-Allowed": ["sha512", "sha256"]}, {}, [], id="manifests-allowed-ok"),
    P(
        {"Manifests-Allowed": ["sha512"]},
        {"manifest-md5.txt": b"00  data/a.txt\n"},
        ["PRO-008"],
        id="manifests-allowed-md5",
    ),
    P(
        {"Manifests-Allowed": ["sha512"]},
        {"manifest-blake3.txt": b"00  data/a.txt\n"},
        ["PRO-008"],
        id="manifests-allowed-non-hashlib-name",
    ),
    P(
        {"Manifests-Required": ["SHA-512"]},
        {},
        [],
        id="manifests-names-normalized",
    ),
    # Tag-Manifests-Required / -Allowed
    P({"Tag-Manifests-Required": ["sha512"]}, {}, [], id="tag-manifests-required-ok"),
    P({"Tag-Manifests-Required": ["md5"]}, {}, ["PRO-009"], id="tag-manifests-required-missing"),
    P({"Tag-Manifests-Allowed": ["sha512"]}, {}, [], id="tag-manifests-allowed-ok"),
    P(
        {"Tag-Manifests-Allowed": ["sha512"]},
        {"tagmanifest-sha1.txt": b"00  bagit.txt\n"},
        ["PRO-010"],
        id="tag-manifests-allowed-sha1",
    ),
    # Tag-Files-Required / -Allowed
    P(
        {"Tag-Files-Required": ["metadata/record.json"]},
        {"metadata/record.json": b"{}"},
        [],
        id="tag-files-required-ok",
    ),
    P(
        {"Tag-Files-Required": ["metadata/record.json"]},
        {},
        ["PRO-011"],
        id="tag-files-required-missing",
    ),
    P(
        {"Tag-Files-Required": ["metadata/record.json"]},
        {"metadata/record.json/": b""},
        ["PRO-011"],
        id="tag-files-required-is-a-folder",
    ),
    P({"Tag-Files-Allowed": ["metadata/*"]}, {"metadata/x.json": b"{}"}, [], id="tag-allowed-ok"),
    P(
        {"Tag-Files-Allowed": ["metadata/*"]},
        {"notes.txt": b"x"},
        ["PRO-012"],
        id="tag-allowed-not-covered",
    ),
    P(
        {"Tag-Files-Allowed": ["*.txt"]},
        {"sub/x.txt": b"x"},
        ["PRO-012"],
        id="tag-allowed-star-does-not-cross-slash",
    ),
    P(
        {"Tag-Files-Allowed": ["metadata/*"]},
        {"database/x.txt": b"x"},
        ["PRO-012"],
        id="tag-allowed-checks-folders-named-data-something",
    ),
    P({"Tag-Files-Allowed": ["*"]}, {"a/b/c.txt": b"x"}, [], id="tag-allowed-star-covers-all"),
    P({"Tag-Files-Allowed": []}, {}, [], id="tag-allowed-empty-ignores-bag-declarations"),
    # Payload-Files-Required / -Allowed (added to the 1.4.0 page in 2023-11)
    P({"Payload-Files-Required": ["data/a.txt"]}, {}, [], id="payload-required-file-ok"),
    P(
        {"Payload-Files-Required": ["data/LICENSE.txt"]},
        {},
        ["PRO-013"],
        id="payload-required-file-missing",
    ),
    P(
        {"Payload-Files-Required": ["data/src/"]},
        {"data/src/x.c": b"int x;"},
        [],
        id="payload-required-folder-ok",
    ),
    P(
        {"Payload-Files-Required": ["data/src/"]},
        {"data/src/": b""},
        ["PRO-013"],
        id="payload-required-folder-empty",
    ),
    P({"Payload-Files-Allowed": ["data/*.txt"]}, {}, [], id="payload-allowed-ok"),
    P(
        {"Payload-Files-Allowed": ["data/*.txt"]},
        {"data/x.exe": b"MZ"},
        ["PRO-014"],
        id="payload-allowed-not-covered",
    ),
    P(
        {"Payload-Files-Allowed": ["data/src/*"]},
        {"data/a.txt": None, "data/src/deep/x.c": b"x"},
        [],
        id="payload-allowed-folder-covers-contents",
    ),
    # Allow-Fetch.txt / Fetch.txt-Required
    P({"Allow-Fetch.txt": False}, {}, [], id="fetch-forbidden-absent"),
    P(
        {"Allow-Fetch.txt": False},
        {"fetch.txt": b"https://x.org/a 3 data/b\n"},
        ["PRO-015"],
        id="fetch-forbidden-present",
    ),
    P({}, {"fetch.txt": b"https://x.org/a 3 data/b\n"}, [], id="fetch-allowed-by-default"),
    P(
        {"Fetch.txt-Required": True},
        {"fetch.txt": b"https://x.org/a 3 data/b\n"},
        [],
        id="fetch-required-present",
    ),
    P({"Fetch.txt-Required": True}, {}, ["PRO-016"], id="fetch-required-absent"),
    # Data-Empty
    P({"Data-Empty": True}, {"data/a.txt": None, "data/": b""}, [], id="data-empty-no-files"),
    P({"Data-Empty": True}, {"data/a.txt": b""}, [], id="data-empty-one-zero-byte-file"),
    P({"Data-Empty": True}, {}, ["PRO-017"], id="data-empty-one-file-with-bytes"),
    P(
        {"Data-Empty": True},
        {"data/a.txt": b"", "data/b.txt": b""},
        ["PRO-017"],
        id="data-empty-two-empty-files",
    ),
    P({"Data-Empty": False}, {}, [], id="data-empty-false"),
    # Serialization (for a bag in a folder; archives below)
    P({"Serialization": "forbidden"}, {}, [], id="serialization-forbidden-folder"),
    P(
        {"Serialization": "required", "Accept-Serialization": ["application/zip"]},
        {},
        ["PRO-019"],
        id="serialization-required-folder",
    ),
    # Accept-BagIt-Version
    P({"Accept-BagIt-Version": ["0.97", "1.0"]}, {}, [], id="bagit-version-ok"),
    P({"Accept-BagIt-Version": ["0.97"]}, {}, ["PRO-021"], id="bagit-version-not-accepted"),
    P({}, {"bagit.txt": None}, ["PRO-022"], id="bagit-version-unknown"),
    # an unreadable bag-info line
    P(
        {},
        {"bag-info.txt": f"BagIt-Profile-Identifier: {ID}\nno colon here\n".encode()},
        ["PRO-023"],
        id="bag-info-bad-line",
    ),
]


@pytest.mark.parametrize(("profile_patch", "files", "expected"), CASES)
def test_profile_field(
    tmp_path: Path,
    profile_patch: dict[str, Any],
    files: dict[str, bytes | None],
    expected: list[str],
) -> None:
    data = copy.deepcopy(BASE_PROFILE) | profile_patch
    profile = parse_profile(data, source="test.json")
    bag = make_bag(tmp_path / "bag", files)
    assert [f.code for f in check_profile(bag, profile)] == expected


@pytest.mark.parametrize(
    ("fmt", "accepted", "expected"),
    [
        P("zip", ["application/zip"], [], id="zip-accepted"),
        P("tgz", ["application/zip"], ["PRO-020"], id="tgz-is-gzip-not-zip"),
        P("tgz", ["application/gzip"], [], id="tgz-accepted-as-gzip"),
        P("tgz", ["application/x-tar"], ["PRO-020"], id="tgz-is-not-plain-tar"),
        P("tar", ["application/tar"], [], id="tar-alias-of-x-tar"),
    ],
)
def test_accept_serialization_uses_content(
    tmp_path: Path, fmt: str, accepted: list[str], expected: list[str]
) -> None:
    bag = make_bag(tmp_path / "bag", {})
    # A misleading name: the type comes from the bytes, not the extension.
    archive = serialize_bag(bag, tmp_path / "bag.zip.tar", fmt=fmt)  # type: ignore[arg-type]
    profile = parse_profile(
        BASE_PROFILE | {"Serialization": "required", "Accept-Serialization": accepted},
        source="t.json",
    )
    assert [f.code for f in check_profile(archive, profile)] == expected


def test_serialization_forbidden_refuses_an_archive(tmp_path: Path) -> None:
    archive = serialize_bag(make_bag(tmp_path / "bag", {}), tmp_path / "b.zip", fmt="zip")
    profile = parse_profile(BASE_PROFILE | {"Serialization": "forbidden"}, source="t.json")
    assert [f.code for f in check_profile(archive, profile)] == ["PRO-018"]


def test_findings_name_the_tag_file_and_path(tmp_path: Path) -> None:
    bag = make_bag(tmp_path / "bag", info(f"BagIt-Profile-Identifier: {ID}", "Contact-Phone:"))
    profile = parse_profile(
        BASE_PROFILE
        | {"Manifests-Required": ["md5"], "Bag-Info": {"Contact-Phone": {"required": True}}},
        source="t.json",
    )
    empty, manifest = check_profile(bag, profile)
    assert (manifest.code, manifest.source, manifest.path) == ("PRO-007", None, "manifest-md5.txt")
    assert (empty.code, empty.source, empty.line) == ("PRO-004", "bag-info.txt", 2)
    assert all(f.is_error for f in (manifest, empty))


def test_a_view_can_be_checked_without_a_folder() -> None:
    view = BagView(name="v", files={"data/a": 0}, bagit_version="1.0")
    profile = parse_profile(BASE_PROFILE | {"Data-Empty": True}, source="t.json")
    assert [f.code for f in check_profile(view, profile)] == ["PRO-001"]


def test_profile_fetched_from_url_also_matches_that_url(tmp_path: Path) -> None:
    bag = make_bag(tmp_path / "bag", info("BagIt-Profile-Identifier: https://mirror.org/p.json"))
    profile = parse_profile(BASE_PROFILE, source="https://mirror.org/p.json")
    assert check_profile(bag, profile) == ()


def test_bag_info_is_read_in_the_declared_encoding(tmp_path: Path) -> None:
    bag = make_bag(
        tmp_path / "bag",
        {
            "bagit.txt": b"BagIt-Version: 0.97\nTag-File-Character-Encoding: ISO-8859-1\n",
            "bag-info.txt": (
                f"BagIt-Profile-Identifier: {ID}\nSource-Organization: Universit\xe9\n"
            ).encode("latin-1"),
        },
    )
    profile = parse_profile(
        BASE_PROFILE
        | {
            "Accept-BagIt-Version": ["0.97"],
            "Bag-Info": {"Source-Organization": {"values": ["Université"]}},
        },
        source="t.json",
    )
    assert check_profile(bag, profile) == ()
