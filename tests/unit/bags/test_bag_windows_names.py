"""The one-scan pre-check of windows_problem never hides a problem the full checks find."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from preserve.bags import paths


def full_checks(path: str) -> str | None:
    """windows_problem without its pre-check: the three checks, each on its own."""
    if paths._RESERVED_SEGMENT.search(path):
        return "reserved"
    if paths._BAD_CHARS.search(path):
        return "characters"
    if any(seg not in (".", "..") for seg in paths._ENDS_DOT_SPACE.findall(path)):
        return "dot or space"
    return None


SEGMENT = st.one_of(
    st.sampled_from(["CON", "nul", "Com1", "lpt9", "aux .txt", ".", "..", "end.", "end ", "ok"]),
    st.text(alphabet=st.sampled_from('aZ0. :?*<>|"\\\x00\x1f/é'), max_size=8),
)


@given(st.lists(SEGMENT, min_size=1, max_size=5).map("/".join))
def test_precheck_agrees_with_the_full_checks(path: str) -> None:
    found = paths.windows_problem(path)
    expected = full_checks(path)
    assert (found is None) == (expected is None), (path, found, expected)
