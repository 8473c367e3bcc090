"""The seeds and the bundled samples, extracted on the fly and validated."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

import preserve
from tests.conftest import REPO, SEEDS

SEED_000 = "000_424de3424b48eda2.txt"
SEED_001 = "001_92db0917b1723dbb.txt"
RIGHTS = {
    "statement": "Reuse for research and teaching is welcome.",
    "uri": "http://rightsstatements.org/vocab/UND/1.0/",
}


def _codes_by_file(result: preserve.ValidationResult) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for finding in result.findings:
        out.setdefault(Path(finding.source or "").name, set()).add(finding.code)
    return out


def test_seeds_validate_with_the_expected_outcome() -> None:
    result = preserve.validate([SEEDS])
    assert result.records == 2
    # Seed 001 (the PDF text) has no rights section; seed 000 is clean, and the two
    # agree on outgoing-number order (No. 83 on 23 March, No. 100 on 3 April).
    assert _codes_by_file(result) == {SEED_001: {"REC-041"}}
    (finding,) = result.findings
    assert finding.field == "/rights"
    assert finding.record == "AVP RF, f. 0104, op. 19, p. 124, d. 3, ll. 5-7"


def test_defaults_supply_what_a_record_lacks() -> None:
    result = preserve.validate([SEEDS / SEED_001], defaults={"rights": RIGHTS})
    assert result.findings == ()
    assert result.ok


def test_defaults_file_in_the_cli(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    defaults = tmp_path / "collection.toml"
    defaults.write_text(
        f'[rights]\nstatement = "{RIGHTS["statement"]}"\nuri = "{RIGHTS["uri"]}"\n',
        encoding="utf-8",
    )
    result = run_cli(["validate", "--defaults", str(defaults), str(SEEDS)])
    assert result.exit_code == 0, result.output
    broken = tmp_path / "broken.toml"
    broken.write_text("rights = [\n", encoding="utf-8")
    result = run_cli(["validate", "--defaults", str(broken), str(SEEDS)])
    assert result.exit_code == 3  # the defaults file cannot be read: could not run


def test_defaults_fill_only_what_is_absent() -> None:
    record = json.loads((REPO / "tests/fixtures/records/valid/clean_record.json").read_text())
    del record["rights"]
    defaults = {"rights": RIGHTS, "author": "Someone Else"}
    result = preserve.validate_records([record], defaults=defaults)
    assert result.findings == ()  # the rights came from the defaults
    assert "rights" not in record  # the caller's record is not modified


def test_samples_show_each_documented_defect() -> None:
    result = preserve.validate([REPO / "samples" / "records"])
    assert result.records == 7
    assert _codes_by_file(result) == {
        "03-reversed-leaves-number-order.txt": {"REC-030", "REC-055"},
        "04-marking-mismatch.md": {"REC-035"},
        "05-no-rights-statement.html": {"REC-041"},
        "06-letter-o-conversation-after-document.md": {"EXT-020", "REC-033", "REC-038"},
        "07-duplicate-of-01.md": {"REC-051", "REC-052", "REC-053"},
    }
