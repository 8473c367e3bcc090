"""docs/reference/rules-bags.md is generated from the BAG catalog and kept current."""

from __future__ import annotations

from pathlib import Path

from preserve import rules_doc
from preserve.bags.codes import BAG, CONFORMANCE_WARNINGS

REPO = Path(__file__).resolve().parents[3]
RULES_MD = REPO / "docs" / "reference" / "rules-bags.md"


def test_rules_reference_is_current() -> None:
    assert RULES_MD.read_text(encoding="utf-8") == rules_doc.render("rules-bags.md"), (
        "docs/reference/rules-bags.md is stale: run 'python -m preserve.rules_doc'"
    )


def test_every_code_is_documented_with_its_severity() -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    for code, rule in BAG.items():
        section = text.split(f"## {code}: {rule.title}\n", 1)[1].split("\n## ", 1)[0]
        strict = " (an error with `--strict`)" if code in CONFORMANCE_WARNINGS else ""
        assert section.strip().startswith(f"**{rule.severity}**{strict}.")


def test_strict_is_documented_with_every_code_it_makes_an_error() -> None:
    text = RULES_MD.read_text(encoding="utf-8")
    section = text.split("## --strict\n", 1)[1].split("\n## ", 1)[0]
    assert "preserve verify --strict" in section
    assert "preserve audit --strict" in section
    assert all(code in section for code in CONFORMANCE_WARNINGS)


def test_every_rule_has_an_example() -> None:
    assert [code for code, rule in BAG.items() if not rule.example] == []
