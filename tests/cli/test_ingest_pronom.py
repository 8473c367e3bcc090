"""``preserve ingest`` records every payload file's PRONOM format in PREMIS (issue 16)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from lxml import etree

from tests import format_samples
from tests.cli.ingest_helpers import NS, assert_good_bag
from tests.conftest import SEEDS
from tests.unit.formats.test_pronom import CUSTOM_FORMAT, EXPECTED

RunCli = Callable[..., Result]
SEED_000 = "000_424de3424b48eda2.txt"
BAG_000 = "avp-rf-f-0104-op-19-p-124-d-3-ll-97-99"


def _source(tmp_path: Path, extra: dict[str, bytes] | None = None) -> Path:
    source = tmp_path / "source"
    (source / "records").mkdir(parents=True)
    shutil.copy(SEEDS / SEED_000, source / "records" / "castro.txt")
    paths = format_samples.write_all(source / "files" / "castro")
    assert len(paths) == 10
    for name, data in (extra or {}).items():
        (source / "files" / "castro" / name).write_bytes(data)
    return source


def _policy(tmp_path: Path, *, allowed: tuple[str, ...] = ("text/plain",)) -> Path:
    path = tmp_path / "policy.json"
    accept = [puid for puid, _, _ in EXPECTED.values()] + ["fmt/99999"]
    path.write_text(json.dumps({"allowed": list(allowed), "pronom": {"accept": accept}}))
    return path


def _texts(element: etree._Element, path: str) -> list[str]:
    return [str(v) for v in element.xpath(path, namespaces=NS)]  # type: ignore[union-attr]


def _formats(bag: Path) -> dict[str, list[etree._Element]]:
    root = etree.parse(str(bag / "metadata" / "premis.xml")).getroot()
    out = {}
    for obj in root.iterfind("p:object", NS):
        path = obj.findtext("p:storage/p:contentLocation/p:contentLocationValue", namespaces=NS)
        if path:
            out[path] = obj.findall("p:objectCharacteristics/p:format", NS)
    return out


def test_every_payload_file_has_its_puid_in_premis(run_cli: RunCli, tmp_path: Path) -> None:
    source = _source(tmp_path)
    deposit = tmp_path / "deposit"
    policy = _policy(tmp_path)
    result = run_cli(["ingest", str(source), "--out", str(deposit), "--format-policy", str(policy)])
    assert result.exit_code == 0, result.output
    bag = deposit / BAG_000
    assert_good_bag(bag)  # the PREMIS is valid against the PREMIS 3.0 schema
    formats = _formats(bag)
    for key, (puid, version, basis) in EXPECTED.items():
        suffix = format_samples.MAKERS[key][0]
        pronom, libmagic = formats[f"data/sample-{key}{suffix}"]
        registry = pronom.find("p:formatRegistry", NS)
        assert registry is not None
        assert registry.findtext("p:formatRegistryName", namespaces=NS) == "PRONOM"
        assert registry.findtext("p:formatRegistryKey", namespaces=NS) == puid
        assert registry.findtext("p:formatRegistryRole", namespaces=NS) == "specification"
        assert pronom.findtext("p:formatDesignation/p:formatVersion", namespaces=NS) == version
        assert f"{basis} match" in str(pronom.findtext("p:formatNote", namespaces=NS))
        # libmagic's answer is kept beside it.
        assert "/" in str(libmagic.findtext("p:formatDesignation/p:formatName", namespaces=NS))

    premis = (bag / "metadata" / "premis.xml").read_text("utf-8")
    root = etree.fromstring(premis.encode())
    agents = {a.findtext("p:agentName", namespaces=NS): a for a in root.iterfind("p:agent", NS)}
    assert agents["FIDO"].findtext("p:agentVersion", namespaces=NS) == "1.6.1"
    assert "PRONOM signatures v109" in str(agents["FIDO"].findtext("p:agentNote", namespaces=NS))
    assert agents["libmagic"].findtext("p:agentVersion", namespaces=NS)
    (identification,) = [
        e for e in root.iterfind("p:event", NS) if "eventType/for" in etree.tostring(e).decode()
    ]
    linked = _texts(identification, "p:linkingAgentIdentifier/p:linkingAgentIdentifierValue/text()")
    assert any(v.startswith("software/FIDO/1.6.1") for v in linked)
    assert any(v.startswith("software/libmagic/") for v in linked)
    detail = str(identification.findtext("p:eventDetailInformation/p:eventDetail", namespaces=NS))
    assert "FIDO 1.6.1" in detail
    assert "v109" in detail


def test_unidentified_file_is_explicit_and_newer_signatures_are_recorded(
    run_cli: RunCli, tmp_path: Path
) -> None:
    signatures = tmp_path / "formats-v999.xml"
    signatures.write_text(CUSTOM_FORMAT, encoding="utf-8")
    source = _source(tmp_path, {"thing.ptf": b"PRESERVETEST2 body\n"})
    deposit = tmp_path / "deposit"
    policy = _policy(tmp_path, allowed=("text/*", "image/*", "application/*", "audio/*"))
    args = ["ingest", str(source), "--out", str(deposit), "--format-policy", str(policy)]
    result = run_cli([*args, "--pronom-signatures", str(signatures), "--format", "json"])
    # Only the custom format is in these signatures: the ten samples are not identified.
    assert result.exit_code == 0, result.output
    (entry,) = json.loads((deposit / "ingest-report.json").read_text("utf-8"))["records"]
    warned = {f["path"] for f in entry["findings"] if f["code"] == "FMT-009"}
    assert "data/sample-png.png" in warned
    bag = deposit / BAG_000
    assert_good_bag(bag)
    formats = _formats(bag)
    (custom, _) = formats["data/thing.ptf"]
    assert custom.findtext("p:formatRegistry/p:formatRegistryKey", namespaces=NS) == "fmt/99999"
    (png,) = formats["data/sample-png.png"]  # no PRONOM element, and it says why
    notes = _texts(png, "p:formatNote/text()")
    assert any(n.startswith("PRONOM: not identified") for n in notes)
    premis = (bag / "metadata" / "premis.xml").read_text("utf-8")
    assert "PRONOM signatures v999 (formats-v999.xml)" in premis


def test_unreadable_signature_file_stops_the_run(run_cli: RunCli, tmp_path: Path) -> None:
    bad = tmp_path / "formats-v5.xml"
    bad.write_text("<formats><oops", encoding="utf-8")
    deposit = tmp_path / "deposit"
    result = run_cli(
        ["ingest", str(_source(tmp_path)), "--out", str(deposit), "--pronom-signatures", str(bad)]
    )
    assert result.exit_code == 3
    assert "formats-v5.xml" in result.output
    assert not deposit.exists()


def test_relative_source_still_gets_puids(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _source(tmp_path)
    monkeypatch.chdir(tmp_path)
    policy = _policy(tmp_path)
    result = run_cli(["ingest", "source", "--out", "deposit", "--format-policy", str(policy)])
    assert result.exit_code == 0, result.output
    formats = _formats(tmp_path / "deposit" / BAG_000)
    pronom = formats["data/sample-png.png"][0]
    assert pronom.findtext("p:formatRegistry/p:formatRegistryKey", namespaces=NS) == "fmt/11"
