"""Tag-Files-Allowed / Payload-Files-Allowed patterns: glob(7), ``*`` never crosses ``/``."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from preserve.profiles.globs import GlobSyntaxError, compile_glob, covered, glob_matches

P = pytest.param


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        P("DPN/*", "DPN/dpnRegistry", True, id="star-in-folder"),
        P("*.txt", "a.txt", True, id="star-suffix"),
        P("*.txt", "DPN/a.txt", False, id="star-stops-at-slash"),
        P("a?c", "abc", True, id="question-mark"),
        P("a?c", "a/c", False, id="question-mark-not-slash"),
        P("a[bc]d", "acd", True, id="class"),
        P("a[!b]d", "abd", False, id="negated-class"),
        P("a[!b]d", "a/d", False, id="negated-class-not-slash"),
        P("a[.-0]d", "a/d", False, id="range-spanning-slash"),
        P("a[]]d", "a]d", True, id="bracket-first-is-literal"),
        P("a.b", "axb", False, id="dot-is-literal"),
        P("(x)+", "(x)+", True, id="regex-characters-are-literal"),
    ],
)
def test_glob_matches(pattern: str, path: str, expected: bool) -> None:
    assert glob_matches(pattern, path) is expected


@pytest.mark.parametrize(
    ("path", "patterns", "expected"),
    [
        P("DPN/a/b", ["DPN/*"], True, id="folder-covers-contents"),
        P("x/y/z", ["*"], True, id="star-covers-everything"),
        P("sub/a.txt", ["*.txt"], False, id="suffix-only-at-top"),
        P("database/x", ["data/*"], False, id="database-is-not-data"),
        P("data/x", [], False, id="empty-list-covers-nothing"),
    ],
)
def test_covered(path: str, patterns: list[str], expected: bool) -> None:
    assert covered(path, patterns) is expected


@pytest.mark.parametrize("pattern", ["", "a[b", "a[!", "a[b/c]"])
def test_bad_patterns(pattern: str) -> None:
    with pytest.raises(GlobSyntaxError):
        compile_glob(pattern)


segment = st.text(st.characters(blacklist_characters="/\x00"), min_size=1, max_size=8)


@given(st.lists(segment, min_size=2, max_size=4))
def test_star_never_crosses_a_slash(parts: list[str]) -> None:
    assert not glob_matches("*", "/".join(parts))
    assert covered("/".join(parts), ["*"])
