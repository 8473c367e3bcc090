"""The BagIt conformance suite (../shared): every case, each for the right reason.

Nothing is skipped: the windows-only cases (drive letters, ``%HomeDrive%\\``, UNC and
``\\\\?\\`` paths) fail here too, because preserve's path checks are the same on every
platform.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from preserve.bags.verify.result import Mode
from preserve.bags.verify.verify import verify_bag
from tests.conftest import CONFORMANCE

SUITE = CONFORMANCE / "bagit-conformance-suite"

# The error each invalid case is about (other errors may come along: several upstream
# bags were edited without updating their tag manifests).
INVALID = {
    "v0.97/invalid/baginfo-missing-encoding": "BAG-002",
    "v0.97/invalid/bom-in-bagit.txt": "BAG-003",
    "v0.97/invalid/corrupt-data-file": "BAG-040",
    "v0.97/invalid/corrupt-tag-file": "BAG-041",
    "v0.97/invalid/extra-file-in-bag": "BAG-031",
    "v0.97/invalid/invalid-version-number": "BAG-004",
    "v0.97/invalid/missing-baginfo": "BAG-066",
    "v0.97/invalid/missing-bagit.txt": "BAG-001",
    "v0.97/invalid/out-of-scope-file-paths-using-dot-notation": "BAG-024",
    "v0.97/invalid/out-of-scope-file-paths-using-dot-notation-for-fetch": "BAG-024",
    "v0.97/invalid/same-filename-listed-twice-with-different-hashes": "BAG-025",
    "v1.0/invalid/bagit-with-invalid-whitespace": "BAG-002",
    "v1.0/invalid/notAllManifestsListAllFiles": "BAG-031",
    "v1.0/invalid/same-filename-listed-twice-with-different-hashes": "BAG-025",
    "v1.0/invalid/same-filename-listed-twice-with-the-same-hash": "BAG-025",
}
WARNING = {
    "v0.97/warning/duplicate-file-with-different-case": "BAG-080",
    "v0.97/warning/made-with-md5sum-tools": "BAG-021",
    "v0.97/warning/relative-path": "BAG-022",
    "v0.97/warning/same-filename-listed-twice-with-different-normalization": "BAG-081",
    "v0.97/warning/same-filename-listed-twice-with-the-same-hash": "BAG-025",
    "v0.97/warning/special-system-files": "BAG-085",
}
# linux-only and windows-only: all are paths that leave the bag.
ESCAPES = "BAG-024"


def cases(outcome: str) -> list[str]:
    return sorted(str(p.relative_to(SUITE)) for p in SUITE.glob(f"*/{outcome}/*") if p.is_dir())


def test_the_suite_is_all_there() -> None:
    # 54 Linux cases + 6 windows-only, as the suite's README counts them.
    counts = {
        o: len(cases(o)) for o in ("valid", "invalid", "warning", "linux-only", "windows-only")
    }
    assert counts == {"valid": 27, "invalid": 15, "warning": 6, "linux-only": 6, "windows-only": 6}
    assert set(cases("invalid")) == set(INVALID)
    assert set(cases("warning")) == set(WARNING)


@pytest.mark.parametrize("case", cases("valid"))
def test_valid_bags_verify(case: str) -> None:
    result = verify_bag(SUITE / case)
    assert result.ok, [f.message for f in result.errors]
    assert result.version == Path(case).parts[0].removeprefix("v")
    assert result.missing == result.added == result.unreadable == ()
    assert result.changed == ()


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_bags_fail_for_the_right_reason(case: str) -> None:
    result = verify_bag(SUITE / case)
    assert not result.ok
    assert INVALID[case] in {f.code for f in result.errors}


@pytest.mark.parametrize("case", sorted(WARNING))
def test_warning_bags_pass_with_the_expected_warning(case: str) -> None:
    result = verify_bag(SUITE / case)
    assert result.ok, [f.message for f in result.errors]
    assert WARNING[case] in {f.code for f in result.warnings}


@pytest.mark.parametrize("case", cases("linux-only") + cases("windows-only"))
def test_paths_leaving_the_bag_fail_on_every_platform(case: str) -> None:
    result = verify_bag(SUITE / case)
    assert [f.code for f in result.errors] == [ESCAPES]
    escaping = result.errors[0]
    assert escaping.source == ("fetch.txt" if case.endswith("-for-fetch") else "manifest-md5.txt")


@pytest.mark.parametrize("mode", ["fast", "completeness"])
def test_quick_modes_do_not_read_content(mode: Mode) -> None:
    # A corrupt payload file has the right size: only full mode can see it.
    corrupt = verify_bag(SUITE / "v0.97/invalid/corrupt-tag-file", mode=mode)
    assert corrupt.ok
    assert corrupt.mode == mode
    extra = verify_bag(SUITE / "v0.97/invalid/extra-file-in-bag", mode=mode)
    expected = {"BAG-031", "BAG-042"} if mode == "fast" else {"BAG-031"}
    assert {f.code for f in extra.errors} == expected
