"""The ingest library: layouts, naming clashes, unreadable input, injected collaborators."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from preserve.formats import FormatInfo
from preserve.ingestion import IngestOptions
from preserve.provenance.serialize import read_premis
from preserve.records.extract.run import extract_file
from preserve.records.types import Record
from tests.cli.ingest_helpers import ingest
from tests.conftest import SEEDS

SEED_000 = SEEDS / "000_424de3424b48eda2.txt"
SEED_001 = SEEDS / "001_92db0917b1723dbb.txt"
RIGHTS = {"statement": "Reuse welcome.", "uri": "http://rightsstatements.org/vocab/UND/1.0/"}


def _record(path: Path) -> Record:
    record = extract_file(path).record
    assert record is not None
    return record


class EverythingIsData:
    """A format identifier that recognises nothing (a stand-in for libmagic)."""

    def __init__(self) -> None:
        self.seen: list[Path] = []

    def identify(self, path: Path) -> FormatInfo:
        self.seen.append(path)
        return FormatInfo("application/octet-stream", "data")


def test_json_lines_records_with_and_without_files(
    tmp_path: Path, fixed_clock: Callable[[], datetime]
) -> None:
    source = tmp_path / "source"
    (source / "records").mkdir(parents=True)
    lines = [_record(SEED_000), {**_record(SEED_001), "rights": RIGHTS}]
    (source / "records" / "batch.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8"
    )
    (source / "files" / "batch-2").mkdir(parents=True)
    (source / "files" / "batch-2" / "transcript.txt").write_text("Raul Castro...\n", "utf-8")

    result = ingest(source, tmp_path / "deposit", clock=fixed_clock)

    assert [r.status for r in result.outcomes] == ["packaged", "packaged"], result.outcomes
    first, second = (tmp_path / "deposit" / r.bag for r in result.outcomes if r.bag)
    assert sorted(p.name for p in (first / "data").iterdir()) == ["record.json"]
    assert sorted(p.name for p in (second / "data").iterdir()) == ["transcript.txt"]
    assert result.started_at == result.finished_at == "2026-01-02T03:04:05Z"
    premis = read_premis(second / "metadata" / "premis.xml")
    dates = {e.text for e in premis.iter("{http://www.loc.gov/premis/v3}eventDateTime")}
    assert dates == {"2026-01-02T03:04:05Z"}


def test_the_same_record_twice_gives_one_bag(
    tmp_path: Path, fixed_clock: Callable[[], datetime]
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(SEED_000, source / "a.txt")
    (source / "b.json").write_text(json.dumps(_record(SEED_000)), encoding="utf-8")
    result = ingest(source, tmp_path / "deposit", clock=fixed_clock)
    # The first one read is packaged; the second is a duplicate (cross-record rules)
    # and would also claim the same bag name.
    assert [r.status for r in result.outcomes] == ["packaged", "refused"]
    assert "ING-005" in {f.code for f in result.outcomes[1].findings}
    bags = [p.name for p in (tmp_path / "deposit").iterdir() if p.is_dir()]
    assert bags == [result.outcomes[0].bag]


def test_unreadable_input_is_reported_not_raised(
    tmp_path: Path, fixed_clock: Callable[[], datetime]
) -> None:
    source = tmp_path / "source"
    (source / "records").mkdir(parents=True)
    (source / "records" / "broken.json").write_text("{not json", encoding="utf-8")
    result = ingest(source, tmp_path / "deposit", clock=fixed_clock)
    assert result.outcomes == ()
    assert result.findings
    assert all(f.source and f.source.endswith("broken.json") for f in result.findings)
    assert not result.ok
    assert (tmp_path / "deposit" / "ingest-report.json").is_file()


def test_identifier_is_injected(tmp_path: Path, fixed_clock: Callable[[], datetime]) -> None:
    identifier = EverythingIsData()
    result = ingest(
        SEED_000,
        tmp_path / "deposit",
        clock=fixed_clock,
        identifier=identifier,
        options=IngestOptions(agent="Tester"),
    )
    (outcome,) = result.outcomes
    assert outcome.status == "packaged"
    assert [f.code for f in outcome.findings] == ["FMT-003"]  # a warning does not stop it
    assert identifier.seen == [SEED_000]


def test_missing_source_is_a_usage_error(tmp_path: Path) -> None:
    from preserve.errors import UsageError

    with pytest.raises(UsageError, match="does not exist"):
        ingest(tmp_path / "nope", tmp_path / "deposit")


def test_a_bag_that_fails_verification_is_removed(
    tmp_path: Path, fixed_clock: Callable[[], datetime], monkeypatch: pytest.MonkeyPatch
) -> None:
    from preserve.bags.verify.result import BagResult
    from preserve.findings import Finding

    def broken(path: Any, **_: Any) -> BagResult:
        bad = Finding(code="BAG-001", severity="error", message="simulated disk error")
        return BagResult(
            bag=str(path), mode="full", findings=(bad,), version="1.0", files=0, bytes=0
        )

    monkeypatch.setattr("preserve.ingestion.package.verify_bag", broken)
    result = ingest(SEED_000, tmp_path / "deposit", clock=fixed_clock)
    (outcome,) = result.outcomes
    assert outcome.status == "refused"
    assert [f.code for f in outcome.findings][:2] == ["ING-003", "BAG-001"]
    assert [p.name for p in (tmp_path / "deposit").iterdir()] == ["ingest-report.json"]


@pytest.mark.parametrize(
    "inside",
    [
        pytest.param(".", id="source-itself"),
        pytest.param("records/deposit", id="in-records"),
        pytest.param("sub/deposit", id="nested"),
    ],
)
def test_deposit_where_records_are_read_is_refused(tmp_path: Path, inside: str) -> None:
    from preserve.errors import UsageError

    source = tmp_path / "source"
    (source / "records").mkdir(parents=True)
    shutil.copy(SEED_000, source / "records" / "a.txt")
    with pytest.raises(UsageError, match="outside SOURCE"):
        ingest(source, source / inside)


def test_deposit_directly_in_source_is_skipped(
    tmp_path: Path, fixed_clock: Callable[[], datetime]
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(SEED_000, source / "a.txt")
    first = ingest(source, source / "deposit", clock=fixed_clock)
    again = ingest(source, source / "deposit", clock=fixed_clock)
    assert [r.status for r in first.outcomes] == ["packaged"]
    assert [r.status for r in again.outcomes] == ["unchanged"]


def test_an_unreadable_payload_file_fails_its_record_only(
    tmp_path: Path, fixed_clock: Callable[[], datetime], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "source"
    (source / "records").mkdir(parents=True)
    shutil.copy(SEED_000, source / "records" / "a.txt")
    shutil.copy(SEED_001, source / "records" / "b.txt")
    (source / "files" / "a").mkdir(parents=True)
    locked = source / "files" / "a" / "scan.tif"
    locked.write_bytes(b"II*\x00")
    real_open = Path.open

    def deny(self: Path, *args: Any, **kwargs: Any) -> Any:
        # Tests may run as root, where chmod 0 does not stop reading: simulate EACCES.
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    result = ingest(
        source,
        tmp_path / "deposit",
        clock=fixed_clock,
        options=IngestOptions(defaults={"rights": RIGHTS}),
    )
    first, second = result.outcomes
    assert first.status == "refused"
    assert [f.code for f in first.findings] == ["ING-007"]
    assert "Permission denied" in first.findings[0].message
    assert second.status == "packaged"


def test_hostile_record_text_stays_out_of_names_and_bag_info(
    tmp_path: Path, fixed_clock: Callable[[], datetime]
) -> None:
    record = _record(SEED_000)
    record["title"] = "Line one\nLine: two\r\n\x00three\u2028four"
    record["archive_reference"]["citation"] = "../../AVP RF/\x00.."
    source = tmp_path / "source"
    source.mkdir()
    (source / "x.json").write_text(json.dumps(record), encoding="utf-8")
    result = ingest(
        source, tmp_path / "deposit", clock=fixed_clock, options=IngestOptions(force=True)
    )
    (outcome,) = result.outcomes
    assert outcome.status == "packaged", outcome.findings
    assert outcome.bag == "avp-rf"
    bag_info = (tmp_path / "deposit" / "avp-rf" / "bag-info.txt").read_text("utf-8")
    assert "External-Description: Line one Line: two three four\n" in bag_info
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deposit", "source"]


def test_an_empty_source_says_so(tmp_path: Path, fixed_clock: Callable[[], datetime]) -> None:
    (tmp_path / "source").mkdir()
    result = ingest(tmp_path / "source", tmp_path / "deposit", clock=fixed_clock)
    assert [f.code for f in result.findings] == ["ING-009"]
    assert not result.ok  # nothing was checked: that is never success


def test_unchanged_whichever_way_source_is_named(
    tmp_path: Path, fixed_clock: Callable[[], datetime], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(SEED_000, source / "a.txt")
    first = ingest(source, tmp_path / "deposit", clock=fixed_clock)
    monkeypatch.chdir(tmp_path)
    again = ingest(Path("source"), Path("deposit"), clock=fixed_clock)
    assert [r.status for r in first.outcomes] == ["packaged"]
    assert [r.status for r in again.outcomes] == ["unchanged"]
