"""``preserve ingest``: records in, verified bags with PREMIS out (issue 5)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from preserve.bags.archive.read import safe_extract
from tests.cli.ingest_helpers import assert_good_bag, premis_fixity, tree_digest
from tests.conftest import REPO, SEEDS

SEED_000 = "000_424de3424b48eda2.txt"
SEED_001 = "001_92db0917b1723dbb.txt"
BAG_000 = "avp-rf-f-0104-op-19-p-124-d-3-ll-97-99"
BAG_001 = "avp-rf-f-0104-op-19-p-124-d-3-ll-5-7"
RIGHTS_TOML = """\
[rights]
statement = "Collection rights: documents may be in copyright; reuse welcome with credit."
uri = "http://rightsstatements.org/vocab/UND/1.0/"
"""

RunCli = Callable[..., Result]


def _report(deposit: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((deposit / "ingest-report.json").read_text("utf-8"))
    return data


def _by_key(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {Path(r["key"]).name: r for r in report["records"]}


def _codes(entry: dict[str, Any]) -> set[str]:
    return {f["code"] for f in entry["findings"]}


@pytest.fixture
def defaults(tmp_path: Path) -> Path:
    path = tmp_path / "collection.toml"
    path.write_text(RIGHTS_TOML, encoding="utf-8")
    return path


def test_seeds_without_rights_defaults(run_cli: RunCli, tmp_path: Path) -> None:
    before = tree_digest(SEEDS)
    deposit = tmp_path / "deposit"
    result = run_cli(["ingest", str(SEEDS), "--out", str(deposit), "--agent", "Ada Archivist"])
    assert result.exit_code == 1, result.output
    records = _by_key(_report(deposit))
    assert records[SEED_000]["status"] == "packaged"
    assert records[SEED_000]["bag"] == BAG_000
    assert records[SEED_001]["status"] == "refused"
    assert {"REC-041", "ING-001"} <= _codes(records[SEED_001])
    assert sorted(p.name for p in deposit.iterdir()) == [BAG_000, "ingest-report.json"]
    assert_good_bag(deposit / BAG_000)
    assert "1 packaged" in result.output
    assert "1 refused" in result.output
    assert tree_digest(SEEDS) == before  # the source is never changed


def test_seeds_with_collection_defaults(run_cli: RunCli, tmp_path: Path, defaults: Path) -> None:
    deposit = tmp_path / "deposit"
    args = ["ingest", str(SEEDS), "--out", str(deposit), "--defaults", str(defaults)]
    result = run_cli([*args, "--agent", "Ada Archivist", "--format", "json", "--processes", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["version"] == 1
    assert report["summary"] == {"records": 2, "packaged": 2, "unchanged": 0, "refused": 0}
    for bag in (BAG_000, BAG_001):
        assert_good_bag(deposit / bag)
    premis = (deposit / BAG_001 / "metadata" / "premis.xml").read_text("utf-8")
    assert "Collection rights" in premis
    assert "Ada Archivist" in premis
    # The payload of a record without files is its own document.
    assert (deposit / BAG_001 / "data" / SEED_001).read_bytes() == (SEEDS / SEED_001).read_bytes()

    again = run_cli([*args, "--format", "json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.output)["summary"]["unchanged"] == 2
    assert premis == (deposit / BAG_001 / "metadata" / "premis.xml").read_text("utf-8")


def _source_with_files(tmp_path: Path, files: dict[str, bytes]) -> Path:
    source = tmp_path / "source"
    (source / "records").mkdir(parents=True)
    shutil.copy(SEEDS / SEED_000, source / "records" / "castro.txt")
    folder = source / "files" / "castro"
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return source


HTML = b"<!DOCTYPE html>\n<html><head><title>x</title></head><body><p>Sign in</p></body></html>\n"
FIXTURES = REPO / "tests" / "fixtures" / "formats"


def test_mislabelled_file_is_caught(run_cli: RunCli, tmp_path: Path) -> None:
    source = _source_with_files(
        tmp_path, {"scan.tif": (FIXTURES / "ok_scan.tif").read_bytes(), "scan.pdf": HTML}
    )
    deposit = tmp_path / "deposit"
    result = run_cli(["ingest", str(source), "--out", str(deposit)])
    assert result.exit_code == 1, result.output
    (entry,) = _report(deposit)["records"]
    assert entry["status"] == "refused"
    assert {"FMT-001", "FMT-002", "ING-001"} <= _codes(entry)
    assert "FMT-002" in result.output

    forced = run_cli(["ingest", str(source), "--out", str(deposit), "--force"])
    assert forced.exit_code == 0, forced.output
    (entry,) = _report(deposit)["records"]
    assert entry["status"] == "packaged"
    assert "ING-002" in _codes(entry)
    bag = deposit / BAG_000
    assert_good_bag(bag)
    assert set(premis_fixity(bag)) == {"data/scan.pdf", "data/scan.tif"}
    premis = (bag / "metadata" / "premis.xml").read_text("utf-8")
    assert "FMT-002 (error) data/scan.pdf" in premis
    assert "eventOutcome/fai" in premis


def test_changed_record_is_not_silently_replaced(run_cli: RunCli, tmp_path: Path) -> None:
    source = _source_with_files(tmp_path, {"scan.tif": (FIXTURES / "ok_scan.tif").read_bytes()})
    deposit = tmp_path / "deposit"
    assert run_cli(["ingest", str(source), "--out", str(deposit)]).exit_code == 0
    before = tree_digest(deposit / BAG_000)
    (source / "files" / "castro" / "scan.tif").write_bytes(
        (FIXTURES / "ok_scan.TIFF").read_bytes() + b"x"
    )
    result = run_cli(["ingest", str(source), "--out", str(deposit)])
    assert result.exit_code == 1
    (entry,) = _report(deposit)["records"]
    assert "ING-006" in _codes(entry)
    assert tree_digest(deposit / BAG_000) == before


def test_idempotent_without_the_report(run_cli: RunCli, tmp_path: Path) -> None:
    source = _source_with_files(tmp_path, {"scan.tif": (FIXTURES / "ok_scan.tif").read_bytes()})
    deposit = tmp_path / "deposit"
    assert run_cli(["ingest", str(source), "--out", str(deposit)]).exit_code == 0
    (deposit / "ingest-report.json").unlink()
    result = run_cli(["ingest", str(source), "--out", str(deposit)])
    assert result.exit_code == 0, result.output
    assert _report(deposit)["summary"]["unchanged"] == 1


def test_symlinks_in_payload_are_refused(run_cli: RunCli, tmp_path: Path) -> None:
    source = _source_with_files(tmp_path, {"scan.tif": (FIXTURES / "ok_scan.tif").read_bytes()})
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the archive", encoding="utf-8")
    (source / "files" / "castro" / "link.txt").symlink_to(outside)
    deposit = tmp_path / "deposit"
    result = run_cli(["ingest", str(source), "--out", str(deposit), "--format", "json"])
    (entry,) = json.loads(result.output)["records"]
    assert entry["status"] == "refused"
    assert "ING-008" in _codes(entry)
    forced = run_cli(["ingest", str(source), "--out", str(deposit), "--force"])
    assert forced.exit_code == 0, forced.output
    assert sorted(p.name for p in (deposit / BAG_000 / "data").iterdir()) == ["scan.tif"]


@pytest.mark.parametrize("fmt", ["tgz", "zip"])
def test_serialized_bags(run_cli: RunCli, tmp_path: Path, defaults: Path, fmt: str) -> None:
    deposit = tmp_path / "deposit"
    args = ["ingest", str(SEEDS), "--out", str(deposit), "--defaults", str(defaults)]
    result = run_cli([*args, "--serialize", fmt])
    assert result.exit_code == 0, result.output
    suffix = ".tar.gz" if fmt == "tgz" else ".zip"
    archives = sorted(p.name for p in deposit.iterdir() if p.name.endswith(suffix))
    assert archives == sorted([BAG_000 + suffix, BAG_001 + suffix])
    assert not (deposit / BAG_000).exists()
    bag = safe_extract(deposit / (BAG_000 + suffix), tmp_path / "unpacked")
    assert_good_bag(bag)
    assert "eventType/pac" in (bag / "metadata" / "premis.xml").read_text("utf-8")
    again = run_cli([*args, "--serialize", fmt, "--format", "json"])
    assert json.loads(again.output)["summary"]["unchanged"] == 2


def test_missing_libmagic_cannot_run(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "magic", None)
    result = run_cli(["ingest", str(SEEDS), "--out", str(tmp_path / "deposit")])
    assert result.exit_code == 3
    assert "libmagic1" in result.output
    assert not (tmp_path / "deposit").exists()  # stopped before writing anything


def test_agent_from_the_environment(
    run_cli: RunCli, tmp_path: Path, defaults: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRESERVE_AGENT", "Env Operator")
    deposit = tmp_path / "deposit"
    run_cli(["ingest", str(SEEDS / SEED_000), "--out", str(deposit)])
    assert "Env Operator" in (deposit / BAG_000 / "metadata" / "premis.xml").read_text("utf-8")


def test_samples_quick_start(run_cli: RunCli, tmp_path: Path) -> None:
    deposit = tmp_path / "deposit"
    result = run_cli(["ingest", str(REPO / "samples"), "--out", str(deposit)])
    assert result.exit_code in (0, 1), result.output
    report = _report(deposit)
    packaged = [r for r in report["records"] if r["status"] == "packaged"]
    assert packaged, result.output
    for entry in packaged:
        assert_good_bag(deposit / entry["bag"])
    refused = [r for r in report["records"] if r["status"] == "refused"]
    assert any("FMT-002" in _codes(r) for r in refused)  # the mislabelled sample
    # Extraction findings stay with their record rather than floating as input problems.
    assert report["findings"] == []
    records = _by_key(report)
    assert "EXT-020" in _codes(records["06-letter-o-conversation-after-document.md"])


def _profile(tmp_path: Path, **changes: Any) -> Path:
    data = json.loads((REPO / "profiles" / "preserve-deposit-v1.json").read_text("utf-8"))
    data.update(changes)
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_bag_outside_the_profile_is_removed(run_cli: RunCli, tmp_path: Path) -> None:
    data = json.loads((REPO / "profiles" / "preserve-deposit-v1.json").read_text("utf-8"))
    bag_info = {**data["Bag-Info"], "Contact-Email": {"required": True}}
    profile = _profile(tmp_path, **{"Bag-Info": bag_info})
    deposit = tmp_path / "deposit"
    result = run_cli(
        ["ingest", str(SEEDS / SEED_000), "--out", str(deposit), "--profile", str(profile)]
    )
    assert result.exit_code == 1, result.output
    (entry,) = _report(deposit)["records"]
    assert entry["status"] == "refused"
    assert "ING-004" in _codes(entry)
    assert not (deposit / BAG_000).exists()


def test_format_policy_from_the_profile_and_from_a_file(run_cli: RunCli, tmp_path: Path) -> None:
    source = _source_with_files(tmp_path, {"scan.png": (FIXTURES / "ok_scan.png").read_bytes()})
    tiff_only = {"allowed": ["image/tiff"]}
    profile = _profile(tmp_path, **{"Preserve-Format-Policy": tiff_only})
    deposit = tmp_path / "deposit"
    result = run_cli(["ingest", str(source), "--out", str(deposit), "--profile", str(profile)])
    assert result.exit_code == 1, result.output
    (entry,) = _report(deposit)["records"]
    assert {"FMT-001", "ING-001"} <= _codes(entry)

    policy = tmp_path / "policy.toml"
    policy.write_text('allowed = ["image/png", "image/tiff"]\n', encoding="utf-8")
    args = ["--profile", str(profile), "--format-policy", str(policy)]
    result = run_cli(["ingest", str(source), "--out", str(deposit), *args])
    assert result.exit_code == 0, result.output


def test_bad_profile_policy_cannot_run(run_cli: RunCli, tmp_path: Path) -> None:
    profile = _profile(tmp_path, **{"Preserve-Format-Policy": {"allowed": "tiff"}})
    result = run_cli(
        ["ingest", str(SEEDS), "--out", str(tmp_path / "d"), "--profile", str(profile)]
    )
    assert result.exit_code == 3
    assert "Preserve-Format-Policy" in result.output


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_undecodable_file_name(run_cli: RunCli, tmp_path: Path, fmt: str) -> None:
    source = _source_with_files(tmp_path, {})
    folder = os.fsencode(source / "files" / "castro")
    with open(os.path.join(folder, b"scan\xff.txt"), "wb") as f:
        f.write(HTML)
    deposit = tmp_path / "deposit"
    result = run_cli(["ingest", str(source), "--out", str(deposit), "--format", fmt])
    assert result.exit_code == 1
    (entry,) = _report(deposit)["records"]
    assert entry["status"] == "refused"
    assert "scan\\udcff.txt" in result.output  # shown escaped, never a crash
    assert any("scan\udcff.txt" in f["message"] for f in entry["findings"])  # read back as is


def test_source_organization_is_given_never_guessed(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not configured: refused before anything is written, naming how to give it.
    monkeypatch.delenv("PRESERVE_ORGANISATION")
    deposit = tmp_path / "deposit"
    result = run_cli(["ingest", str(SEEDS), "--out", str(deposit)])
    assert result.exit_code == 2, result.output
    assert "--organisation" in result.output
    assert "Source-Organization" in result.output
    assert not deposit.exists()
    # From the user's configuration (the environment) or --organisation, never the record.
    monkeypatch.setenv("PRESERVE_ORGANISATION", "Configured Archive")
    assert run_cli(["ingest", str(SEEDS), "--out", str(deposit), "--force", "-q"]).exit_code == 0
    monkeypatch.delenv("PRESERVE_ORGANISATION")
    other = tmp_path / "other"
    args = ["ingest", str(SEEDS), "--out", str(other), "--force", "-q", "--organisation", "Given"]
    assert run_cli(args).exit_code == 0
    for folder, expected in ((deposit, "Configured Archive"), (other, "Given")):
        bags = [p for p in folder.iterdir() if p.is_dir()]
        assert len(bags) == 2
        for bag in bags:
            info = (bag / "bag-info.txt").read_text("utf-8")
            assert f"Source-Organization: {expected}\n" in info
            assert "AVP RF" not in info.split("External-Identifier")[0]


def test_library_ingest_without_organisation_is_a_usage_error(tmp_path: Path) -> None:
    from preserve.errors import UsageError
    from preserve.ingestion import ingest as library_ingest

    with pytest.raises(UsageError, match="Source-Organization"):
        library_ingest(SEEDS, tmp_path / "deposit")
    assert not (tmp_path / "deposit").exists()


@pytest.mark.parametrize("serialize", [[], ["--serialize", "tgz"]])
def test_force_never_replaces_what_is_at_a_bag_name(
    run_cli: RunCli, tmp_path: Path, serialize: list[str]
) -> None:
    # A folder (or a file where the archive goes) holding the user's keep.txt at the
    # name a record's bag would take: --force packages errors, it never overwrites.
    deposit = tmp_path / "deposit"
    deposit.mkdir()
    if serialize:
        (deposit / f"{BAG_001}.tar.gz").write_bytes(b"keep")
    else:
        (deposit / BAG_001).mkdir()
        (deposit / BAG_001 / "keep.txt").write_text("keep")
    result = run_cli(["ingest", str(SEEDS), "--out", str(deposit), "--force", *serialize])
    assert result.exit_code == 1, result.output
    records = _by_key(_report(deposit))
    assert "ING-006" in _codes(records[SEED_001])
    if serialize:
        assert (deposit / f"{BAG_001}.tar.gz").read_bytes() == b"keep"
    else:
        assert [p.name for p in (deposit / BAG_001).iterdir()] == ["keep.txt"]
