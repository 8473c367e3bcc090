"""The shared example profiles and validator fixtures behave as the spec says.

Read from ../shared (``CONFORMANCE``); a fixture is copied into ``tmp_path`` only when a
case needs to add a file to it, as the validator's own tests do.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from preserve.errors import ProfileError
from preserve.profiles import check_profile, load_profile, parse_profile
from tests.conftest import CONFORMANCE

PROFILES = CONFORMANCE / "bagit-profiles"
FIXTURES = PROFILES / "validator-fixtures" / "fixtures"
FOO = PROFILES / "spec" / "bagProfileFoo.json"
BAR = PROFILES / "spec" / "bagProfileBar.json"


def codes(bag: Path, profile_path: Path) -> list[str]:
    return [f.code for f in check_profile(bag, load_profile(profile_path))]


def test_test_bar_meets_bar_except_the_identifier() -> None:
    # test-bar names the profile by the URL it used to be served from, not by Bar's
    # BagIt-Profile-Identifier; the spec says the two "will have the same value".
    assert codes(FIXTURES / "test-bar", BAR) == ["PRO-002"]


def test_test_bar_meets_bar_when_the_identifier_is_the_one_it_names() -> None:
    data = json.loads(BAR.read_text(encoding="utf-8"))
    data["BagIt-Profile-Info"]["BagIt-Profile-Identifier"] = (
        "https://raw.github.com/bagit-profiles/bagit-profiles/master/bagProfileBar.json"
    )
    assert check_profile(FIXTURES / "test-bar", parse_profile(data, source=str(BAR))) == ()


def test_bar_profile_fetched_from_the_named_url_matches() -> None:
    data = json.loads(BAR.read_text(encoding="utf-8"))
    url = "https://raw.github.com/bagit-profiles/bagit-profiles/master/bagProfileBar.json"
    assert check_profile(FIXTURES / "test-bar", parse_profile(data, source=url)) == ()


def test_test_foo_folder_fails_foo() -> None:
    # Foo requires serialization, Contact-Phone, and a Source-Organization from
    # Simon Fraser or York; test-foo is an unserialized Yale bag without a phone.
    assert sorted(codes(FIXTURES / "test-foo", FOO)) == [
        "PRO-002",
        "PRO-003",
        "PRO-005",
        "PRO-019",
    ]


def test_test_foo_zip_meets_foos_serialization_rules() -> None:
    found = check_profile(FIXTURES / "test-foo.zip", load_profile(FOO))
    assert sorted(f.code for f in found) == ["PRO-002", "PRO-003", "PRO-005"]
    assert {f.source for f in found} == {"bag-info.txt"}


def test_test_foo_zip_is_refused_by_bar_only_if_not_zip() -> None:
    # Bar accepts application/zip and allows serialization: no PRO-018/019/020.
    found = {f.code for f in check_profile(FIXTURES / "test-foo.zip", load_profile(BAR))}
    assert not found & {"PRO-018", "PRO-019", "PRO-020"}


@pytest.fixture
def tag_files_case(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    base = FIXTURES / "test-tag-files-allowed"
    bag = Path(shutil.copytree(base / "bag", tmp_path / "bag"))
    for path in (bag, *bag.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)  # ../shared is read-only
    return bag, json.loads((base / "profile.json").read_text(encoding="utf-8"))


def test_tag_files_allowed_not_given(tag_files_case: tuple[Path, dict[str, Any]]) -> None:
    bag, data = tag_files_case
    assert check_profile(bag, parse_profile(data, source="profile.json")) == ()


def test_tag_files_required_but_not_allowed_is_a_malformed_profile(
    tag_files_case: tuple[Path, dict[str, Any]],
) -> None:
    # The validator reports this against the bag; it is the profile that breaks a MUST.
    _, data = tag_files_case
    data["Tag-Files-Allowed"] = []
    data["Tag-Files-Required"] = ["tag-foo"]
    with pytest.raises(ProfileError, match="Tag-Files-Required/0"):
        parse_profile(data, source="profile.json")


def test_existing_tag_file_not_allowed(tag_files_case: tuple[Path, dict[str, Any]]) -> None:
    bag, data = tag_files_case
    data["Tag-Files-Allowed"] = []
    (bag / "tag-foo").write_bytes(b"")
    found = check_profile(bag, parse_profile(data, source="profile.json"))
    assert [(f.code, f.path) for f in found] == [("PRO-012", "tag-foo")]


def test_validator_fixture_bag_is_0_97(tag_files_case: tuple[Path, dict[str, Any]]) -> None:
    bag, data = tag_files_case
    data["Accept-BagIt-Version"] = ["1.0"]
    found = check_profile(bag, parse_profile(data, source="profile.json"))
    assert [f.code for f in found] == ["PRO-021"]
