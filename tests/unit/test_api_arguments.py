"""The Python API as a developer calls it: one path or many, and every bad argument a UsageError.

Each public function that takes paths is called with a single ``str``, a single ``Path``
and (where it takes several) a list; a string is never read as its letters.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import preserve
from preserve import PreserveError, UsageError
from preserve._resources import data_dir
from tests.conftest import SEEDS

PAGE = Path(__file__).resolve().parent.parent / "fixtures" / "records" / "extract"
SEED = SEEDS / "000_424de3424b48eda2.txt"


def _bad(value: object) -> Any:
    """*value*, hidden from the type checker: these tests pass what the hints forbid."""
    return value


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in ("page-english.txt", "page-missing-fields.txt"):
        shutil.copy(PAGE / name, folder / name)
    return folder


@pytest.fixture
def bag(tmp_path: Path, pages: Path) -> Path:
    return preserve.build_bag(pages, tmp_path / "bag").bag


@pytest.mark.parametrize("kind", [str, Path])
def test_extract_takes_one_path_as_one_path(pages: Path, kind: Callable[[Path], Any]) -> None:
    records = preserve.extract(kind(pages / "page-english.txt"))
    assert [r.source for r in records] == [str(pages / "page-english.txt")]
    assert records[0].record is not None


def test_extract_takes_a_list_of_str_and_path(pages: Path) -> None:
    records = preserve.extract([str(pages / "page-english.txt"), pages / "page-missing-fields.txt"])
    assert [Path(r.source).name for r in records] == ["page-english.txt", "page-missing-fields.txt"]


@pytest.mark.parametrize("kind", [str, Path])
def test_validate_takes_one_path_or_a_list(pages: Path, kind: Callable[[Path], Any]) -> None:
    assert preserve.validate(kind(pages)).records == 2
    assert preserve.validate([kind(pages / "page-english.txt")]).records == 1


@pytest.mark.parametrize("kind", [str, Path])
def test_build_bag_takes_one_source_and_one_algorithm(
    tmp_path: Path, pages: Path, kind: Callable[[Path], Any]
) -> None:
    result = preserve.build_bag(kind(pages), kind(tmp_path / "bag"), algorithms="sha256")
    assert sorted(p.name for p in result.bag.glob("manifest-*.txt")) == ["manifest-sha256.txt"]
    assert (result.bag / "data" / "pages" / "page-english.txt").is_file()


def test_build_bag_takes_lists_of_sources_and_algorithms(tmp_path: Path, pages: Path) -> None:
    sources: list[str | Path] = [str(pages / "page-english.txt"), pages / "page-missing-fields.txt"]
    result = preserve.build_bag(sources, tmp_path / "bag", algorithms=["SHA-256", "md5"])
    payload = sorted(p.name for p in (result.bag / "data").iterdir())
    assert payload == ["page-english.txt", "page-missing-fields.txt"]
    assert sorted(p.name for p in result.bag.glob("manifest-*.txt")) == [
        "manifest-md5.txt",
        "manifest-sha256.txt",
    ]


@pytest.mark.parametrize("kind", [str, Path])
def test_single_path_functions_take_str_and_path(
    tmp_path: Path, bag: Path, kind: Callable[[Path], Any]
) -> None:
    assert preserve.verify_bag(kind(bag)).ok
    assert preserve.verify_bag_or_archive(kind(bag)).ok
    archive = preserve.serialize_bag(kind(bag), kind(tmp_path / "bag.zip"), fmt="zip")
    assert preserve.verify_bag_or_archive(kind(archive)).ok
    with preserve.unpacked_bag(kind(archive)) as (root, mime):
        assert mime == "application/zip"
        assert (root / "bagit.txt").is_file()
    out = preserve.safe_extract(kind(archive), kind(tmp_path / "unpacked"))
    assert (out / "bagit.txt").is_file()
    assert preserve.identify_file(kind(bag / "bagit.txt")).mime == "text/plain"
    profile = preserve.load_profile(kind(data_dir("profiles") / "preserve-deposit-v1.json"))
    assert preserve.check_profile(kind(bag), profile)  # a bare bag lacks the deposit fields


@pytest.mark.parametrize("kind", [str, Path])
def test_run_audit_takes_one_root_or_a_list_and_a_ledger_path(
    tmp_path: Path, bag: Path, kind: Callable[[Path], Any]
) -> None:
    ledger = tmp_path / "ledger.sqlite"
    report = preserve.run_audit(kind(tmp_path), ledger=kind(ledger))
    assert [o.bag for o in report.bags] == [str(bag)]
    with preserve.Ledger.open(ledger) as opened:
        again = preserve.run_audit([kind(bag)], ledger=opened)
    assert [o.bag for o in again.bags] == [str(bag)]


@pytest.mark.parametrize("kind", [str, Path])
def test_ingest_takes_str_and_path(
    tmp_path: Path, kind: Callable[[Path], Any], fixed_clock: Callable[[], datetime]
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(SEED, source / SEED.name)
    options = preserve.IngestOptions(profile="preserve-deposit-v1", organisation="Test Archive")
    result = preserve.ingest(kind(source), kind(tmp_path / "deposit"), options=options)
    assert [r.status for r in result.outcomes] == ["packaged"]


# Bad arguments: a UsageError (a PreserveError) that names the argument and what it takes.


def test_usage_error_is_a_preserve_error() -> None:
    assert issubclass(UsageError, PreserveError)
    assert preserve.Finding.__module__ == "preserve.findings"


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: preserve.extract(_bad(42)), r"paths is an int; it takes a path"),
        (lambda: preserve.extract(_bad([b"page.txt"])), r"paths contains a bytes"),
        (lambda: preserve.validate(_bad(None)), r"paths is None; it takes a path"),
        (lambda: preserve.validate(_bad(b"page.txt")), r"paths is a bytes; it takes a path"),
        (lambda: preserve.build_bag(["a"], "out", processes=_bad(2.0)), r"processes .* not 2.0"),
        (lambda: preserve.Budget(bytes=_bad(1.5)), r"Budget bytes is 1.5"),
        (lambda: preserve.build_bag(_bad(3), "out"), r"sources is an int"),
        (
            lambda: preserve.build_bag(["a"], "out", algorithms=_bad(256)),
            r"algorithms is an int; it takes a name",
        ),
        (
            lambda: preserve.build_bag(["a"], "out", algorithms=_bad([b"md5"])),
            r"algorithms contains",
        ),
        (lambda: preserve.build_bag(["a"], "out", processes=0), r"processes .* at least 1"),
        (lambda: preserve.run_audit(_bad(7), ledger="x.sqlite"), r"roots is an int"),
        (
            lambda: preserve.Budget(seconds=_bad("10s")),
            r"Budget seconds is '10s'.*number of seconds",
        ),
        (lambda: preserve.Budget(bytes=-1), r"Budget bytes is -1.*positive whole number"),
        (lambda: preserve.Budget(seconds=_bad(True)), r"Budget seconds is True"),
    ],
)
def test_bad_arguments_raise_usage_error(call: Callable[[], object], match: str) -> None:
    with pytest.raises(UsageError, match=match):
        call()


def test_serialize_bag_unknown_format(tmp_path: Path, bag: Path) -> None:
    with pytest.raises(UsageError, match=r"fmt is '7z'; it takes one of 'tar', 'tgz', 'zip'"):
        preserve.serialize_bag(bag, tmp_path / "bag.7z", fmt=_bad("7z"))
    assert not (tmp_path / "bag.7z").exists()


def test_profile_names_work_wherever_profiles_do(bag: Path) -> None:
    by_name = preserve.check_profile(bag, "preserve-deposit-v1")
    loaded = preserve.check_profile(bag, preserve.load_profile("preserve-deposit-v1"))
    assert by_name == loaded
    result = preserve.verify_bag_or_archive(bag, profile="preserve-deposit-v1")
    assert [f.code for f in result.findings if f.code.startswith("PRO")] == [
        f.code for f in by_name
    ]


def test_a_profile_of_the_wrong_kind_is_a_usage_error(bag: Path) -> None:
    with pytest.raises(UsageError, match=r"profile is a dict; it takes a preserve.Profile"):
        preserve.check_profile(bag, _bad({"BagIt-Profile-Info": {}}))
    with pytest.raises(UsageError, match=r"profile is an int"):
        preserve.verify_bag_or_archive(bag, profile=_bad(1))


def test_an_unknown_profile_name_is_a_preserve_error(bag: Path) -> None:
    with pytest.raises(PreserveError, match="no-such-profile"):
        preserve.check_profile(bag, "no-such-profile")


def test_ingest_options_must_be_ingest_options(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"options is a dict; it takes a preserve.IngestOptions"):
        preserve.ingest(tmp_path, tmp_path / "out", options=_bad({"force": True}))
    for options, match in [
        (preserve.IngestOptions(processes=0), r"IngestOptions processes must be at least 1"),
        (preserve.IngestOptions(processes=_bad("2")), r"processes is '2'; it takes a whole"),
        (preserve.IngestOptions(serialize=_bad("7z")), r"serialize is '7z'; it takes 'tar'"),
    ]:
        with pytest.raises(UsageError, match=match):
            preserve.ingest(tmp_path, tmp_path / "out", options=options)
    assert not (tmp_path / "out").exists()


def test_run_audit_refuses_what_is_not_a_ledger(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"ledger is a dict; it takes a preserve.Ledger or"):
        preserve.run_audit(tmp_path, ledger=_bad({}))
    with pytest.raises(UsageError, match=r"options is a dict; it takes a preserve.AuditOptions"):
        preserve.run_audit(tmp_path, ledger=tmp_path / "l.sqlite", options=_bad({}))


def test_ingest_without_an_organisation_says_how_to_give_one_in_python(tmp_path: Path) -> None:
    samples = Path(__file__).resolve().parents[2] / "samples"
    with pytest.raises(UsageError, match=r"IngestOptions\(organisation=NAME\) in Python"):
        preserve.ingest(samples, tmp_path / "deposit", options=preserve.IngestOptions())
    assert not (tmp_path / "deposit").exists()
