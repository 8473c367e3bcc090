"""Path safety, Unicode and case collisions, portability (platform-independent)."""

from __future__ import annotations

import unicodedata

import pytest

from preserve.bags.paths import (
    case_collisions,
    is_safe_bag_path,
    normalization_collisions,
    strip_dot_slash,
    system_file_kind,
    unsafe_reason,
    windows_problem,
)


@pytest.mark.parametrize(
    "path",
    [
        "../../etc/passwd",
        "data/../../x",
        "data/..",
        "/etc/passwd",
        "~/foo",
        "~root/foo",
        "C:\\Windows\\System32\\setx.exe",
        "c:relative",
        "\\\\?\\UNC\\server\\share",
        "\\\\server\\share\\x",
        "//server/share",
        "data\\..\\..\\x",
        "%HomeDrive%\\Windows",
        "\\Windows\\x",
        "",
        "data/a\x00b",
    ],
)
def test_unsafe_paths_are_refused(path: str) -> None:
    assert not is_safe_bag_path(path)
    assert unsafe_reason(path)


@pytest.mark.parametrize(
    "path",
    ["data/a", "data/..a/b..", "data/~x", "data/a:b", "data/%7Edir", "data/ space ", "data/a\\b"],
)
def test_safe_paths(path: str) -> None:
    assert is_safe_bag_path(path)


def test_strip_dot_slash() -> None:
    assert strip_dot_slash("././data/a") == "data/a"
    assert strip_dot_slash("data/./a") == "data/./a"


def test_normalization_and_case_collisions() -> None:
    nfc = unicodedata.normalize("NFC", "data/Núñez")
    nfd = unicodedata.normalize("NFD", "data/Núñez")
    paths = [nfc, nfd, "data/hello.txt", "data/HELLO.txt", "data/other"]
    assert normalization_collisions(paths) == [tuple(sorted([nfc, nfd]))]
    # NFC/NFD forms are a normalization collision, not also a case collision.
    assert case_collisions(paths) == [("data/HELLO.txt", "data/hello.txt")]


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("data/CON.txt", "reserved"),
        ("data/nul", "reserved"),
        ("data/com1.log", "reserved"),
        ("data/a:b", "forbid"),
        ("data/a?b", "forbid"),
        ("data/a\\b", "forbid"),
        ("data/tab\there", "forbid"),
        ("data/trailing.", "dot or space"),
        ("data/trailing /x", "dot or space"),
    ],
)
def test_windows_problems(path: str, fragment: str) -> None:
    problem = windows_problem(path)
    assert problem is not None
    assert fragment in problem


def test_windows_portable_names() -> None:
    assert windows_problem("data/CONSOLE.txt") is None
    assert windows_problem("data/a.b.c") is None


def test_system_files() -> None:
    assert system_file_kind("data/.DS_Store") == "macOS Finder metadata"
    assert system_file_kind("data/sub/Thumbs.db") == "Windows thumbnail cache"
    assert system_file_kind("data/._photo.jpg") == "macOS resource fork"
    assert system_file_kind("data/photo.jpg") is None


@pytest.mark.parametrize(
    "path", ["data/./a", "data/../a", "./data/a", "data/a.b/c", "data/.hidden"]
)
def test_dot_segments_are_not_trailing_dots(path: str) -> None:
    assert windows_problem(path) is None
