"""The format policy: allowed formats and content that contradicts the extension."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from preserve.errors import UsageError
from preserve.formats import (
    DEFAULT_POLICY,
    FormatInfo,
    FormatPolicy,
    check_formats,
    identify_file,
    load_policy,
)
from preserve.formats.codes import FORMAT_RULES
from preserve.formats.policy import expected_mime, policy_from_mapping

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "formats"


def _expected_codes(name: str) -> set[str]:
    """``FMT-001_FMT-002_page_saved_as.pdf`` expects FMT-001 and FMT-002; ``ok_*`` none."""
    return {part for part in name.split("_") if part.startswith("FMT-")}


@pytest.mark.parametrize("path", sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_fixture_files_get_the_codes_in_their_names(path: Path) -> None:
    info = identify_file(path)
    findings = check_formats([(path.name, info, path.stat().st_size)], DEFAULT_POLICY)
    assert {f.code for f in findings} == _expected_codes(path.name)
    assert all(f.path == path.name for f in findings)


def _info(mime: str, *, encoding: str | None = None) -> FormatInfo:
    return FormatInfo(mime=mime, description=f"{mime} data", encoding=encoding)


@pytest.mark.parametrize(
    ("name", "info", "codes"),
    [
        pytest.param("a.xml", _info("text/xml"), set(), id="xml-as-text/xml"),
        pytest.param("a.jp2", _info("image/jp2"), set(), id="jpeg2000"),
        pytest.param("a.JPG", _info("image/jpeg"), set(), id="upper-case-extension"),
        pytest.param("a.csv", _info("text/plain"), set(), id="csv-read-as-plain-text"),
        pytest.param("a.json", _info("text/plain"), set(), id="short-json-read-as-text"),
        pytest.param("README", _info("text/plain"), set(), id="no-extension"),
        pytest.param("a.xyz123", _info("text/plain"), set(), id="unknown-extension"),
        pytest.param("a.bin", _info("application/octet-stream"), {"FMT-003"}, id="unknown"),
        pytest.param("a.txt", _info("text/html"), {"FMT-001", "FMT-002"}, id="html-as-txt"),
        pytest.param("a.tif", _info("inode/x-empty"), {"FMT-004"}, id="empty-inode"),
        pytest.param(
            "a.docx",
            _info("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            {"FMT-001"},
            id="word-not-allowed",
        ),
    ],
)
def test_policy_cases(name: str, info: FormatInfo, codes: set[str]) -> None:
    findings = check_formats([(name, info, 10)], DEFAULT_POLICY, record="rec-1")
    assert {f.code for f in findings} == codes
    assert all(f.record == "rec-1" for f in findings)


def test_wildcards_allow_a_whole_type() -> None:
    policy = FormatPolicy(allowed=frozenset({"image/*"}), name="images")
    assert policy.allows("image/webp")
    assert not policy.allows("text/plain")


def test_extension_check_can_be_switched_off() -> None:
    policy = FormatPolicy(allowed=frozenset({"text/html"}), check_extensions=False)
    assert check_formats([("page.pdf", _info("text/html"), 5)], policy) == []


def test_equivalent_types_are_allowed() -> None:
    policy = FormatPolicy(allowed=frozenset({"application/xml"}))
    assert policy.allows("text/xml")


def test_expected_mime_does_not_depend_on_the_machine() -> None:
    assert expected_mime("scan.TIF") == "image/tiff"
    assert expected_mime("scan.jp2") == "image/jp2"
    assert expected_mime("notes.md") == "text/markdown"
    assert expected_mime("noext") is None


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_policy_files(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"policy{suffix}"
    if suffix == ".json":
        path.write_text(json.dumps({"allowed": ["text/plain", "IMAGE/TIFF"]}), encoding="utf-8")
    else:
        path.write_text('allowed = ["text/plain", "IMAGE/TIFF"]\ncheck_extensions = false\n')
    policy = load_policy(path)
    assert policy.allowed == {"text/plain", "image/tiff"}
    assert policy.check_extensions is (suffix == ".json")
    assert policy.name == str(path)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("not json", id="not-json"),
        pytest.param("[1, 2]", id="not-an-object"),
        pytest.param('{"allowed": []}', id="empty"),
        pytest.param('{"allowed": ["tiff"]}', id="not-a-mime-type"),
        pytest.param('{"allowed": ["text/plain"], "check_extensions": "yes"}', id="bad-flag"),
    ],
)
def test_bad_policy_files_are_usage_errors(tmp_path: Path, content: str) -> None:
    path = tmp_path / "policy.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError, match=r"policy"):
        load_policy(path)


def test_missing_policy_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"nope\.json"):
        load_policy(tmp_path / "nope.json")


def test_policy_from_mapping_names_its_source() -> None:
    with pytest.raises(UsageError, match="profile X"):
        policy_from_mapping({"allowed": "text/plain"}, name="profile X")


def test_every_rule_says_what_to_do() -> None:
    assert list(FORMAT_RULES) == [f"FMT-00{n}" for n in range(1, 10)]
    for rule in FORMAT_RULES.values():
        assert rule.code.startswith("FMT-")
        assert any(verb in rule.template for verb in ("convert", "check", "rename", "leave"))
