"""Every result has ``.ok`` and a ``to_dict()`` that is what ``--format json`` prints."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from click.testing import Result

import preserve
from preserve.reports import reporter
from preserve.reports.build import BuildJsonReporter
from preserve.reports.ingest import IngestJsonReporter
from tests.conftest import SEEDS

SEED = SEEDS / "000_424de3424b48eda2.txt"


def _page(tmp_path: Path) -> Path:
    page = tmp_path / "records" / SEED.name
    page.parent.mkdir()
    shutil.copy(SEED, page)
    return page


def test_validation_result_to_dict_is_the_cli_json(
    tmp_path: Path, run_cli: Callable[..., Result]
) -> None:
    page = _page(tmp_path)
    result = preserve.validate(page)
    printed = run_cli(["validate", str(page), "--format", "json"])
    assert json.loads(printed.output) == result.to_dict()
    assert result.to_dict()["records"] == 1


def test_build_result_ok_and_to_dict(tmp_path: Path) -> None:
    result = preserve.build_bag(_page(tmp_path), tmp_path / "bag")
    assert result.ok
    stream = io.StringIO()
    BuildJsonReporter(stream).report(result)
    assert json.loads(stream.getvalue()) == result.to_dict()
    assert result.to_dict()["bag"] == str(tmp_path / "bag")


def test_ingest_result_to_dict_is_the_report(
    tmp_path: Path, fixed_clock: Callable[[], datetime]
) -> None:
    options = preserve.IngestOptions(organisation="Test Archive")
    result = preserve.ingest(
        _page(tmp_path), tmp_path / "deposit", options=options, clock=fixed_clock
    )
    assert result.ok
    stream = io.StringIO()
    IngestJsonReporter(stream).report(result)
    assert json.loads(stream.getvalue()) == result.to_dict()
    saved = json.loads((tmp_path / "deposit" / "ingest-report.json").read_text(encoding="utf-8"))
    assert saved == result.to_dict()


def test_audit_report_ok_turns_false_when_a_file_changes(tmp_path: Path) -> None:
    (tmp_path / "bags").mkdir()
    bag = preserve.build_bag(_page(tmp_path), tmp_path / "bags" / "one").bag
    ledger = tmp_path / "ledger.sqlite"
    first = preserve.run_audit(tmp_path / "bags", ledger=ledger)
    assert first.ok
    stream = io.StringIO()
    reporter("audit", "json", stream).report(first)
    assert json.loads(stream.getvalue()) == first.to_dict()

    (bag / "data" / SEED.name).write_text("changed\n", encoding="utf-8")
    second = preserve.run_audit(tmp_path / "bags", ledger=ledger)
    assert not second.ok
    assert [b.outcome for b in second.bags] == ["failed"]


def test_the_same_names_for_the_same_things(
    tmp_path: Path, fixed_clock: Callable[[], datetime]
) -> None:
    """bag, bytes, files, records, started_at/finished_at, ok: one name each, in every
    result; the old names still read the same values."""
    page = _page(tmp_path)
    built = preserve.build_bag(page, tmp_path / "bag")
    checked = preserve.verify_bag(built.bag)
    assert (built.bag, built.files, built.bytes) == (tmp_path / "bag", 1, checked.bytes)
    assert checked.bag == str(built.bag)
    assert (built.path, built.octets) == (built.bag, built.bytes)  # the old names
    options = preserve.IngestOptions(organisation="Test Archive")
    ingested = preserve.ingest(page, tmp_path / "deposit", options=options, clock=fixed_clock)
    assert ingested.records == preserve.validate(page).records == len(ingested.outcomes) == 1
    assert ingested.started_at == ingested.finished_at == "2026-01-02T03:04:05Z"
    assert (ingested.started, ingested.finished) == (ingested.started_at, ingested.finished_at)
    for result in (built, checked, ingested):
        assert result.to_dict()["ok"] is result.ok is True
