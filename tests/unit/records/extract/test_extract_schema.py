"""What extract writes is what the record schema allows (extract and validate agree)."""

from __future__ import annotations

from pathlib import Path

import preserve

REPO = Path(__file__).resolve().parents[4]
FIXTURES = REPO / "tests" / "fixtures" / "records" / "extract"
DOCUMENTS = sorted(p for p in FIXTURES.iterdir() if not p.name.endswith(".json"))


def _schema_codes(paths: list[Path]) -> dict[str, list[str]]:
    result = preserve.validate(paths)
    codes: dict[str, list[str]] = {}
    for finding in result.findings:
        # REC-01x: the input could not be read; REC-02x: the record schema.
        if finding.code[:6] in ("REC-01", "REC-02"):
            codes.setdefault(Path(finding.source or "").name, []).append(finding.code)
    return codes


def test_extracted_fixtures_fit_the_schema_except_what_they_lack() -> None:
    assert _schema_codes(DOCUMENTS) == {"page-missing-fields.txt": ["REC-020", "REC-020"]}


def test_extracted_samples_and_seeds_fit_the_schema(shared: Path) -> None:
    assert _schema_codes([REPO / "samples" / "records", shared / "seeds"]) == {}
