"""docs/reference/rules-records.md is generated from the REC catalog and kept current."""

from __future__ import annotations

from pathlib import Path

from preserve import rules_doc
from preserve.records.validate.codes import CATALOG

DOC = Path(__file__).resolve().parents[4] / "docs" / "reference" / "rules-records.md"


def test_rules_catalogue_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == rules_doc.render("rules-records.md"), (
        "docs/reference/rules-records.md is stale: run 'python -m preserve.rules_doc'"
    )


def test_every_rule_has_an_example_and_says_what_to_do() -> None:
    for code, rule in CATALOG.items():
        assert code.startswith("REC-")
        assert len(code) == 7
        assert rule.example, code
        assert ";" in rule.template, f"{code}: the message must say what to do after ';'"
