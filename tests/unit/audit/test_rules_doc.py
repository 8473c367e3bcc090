"""docs/reference/rules-audit.md lists exactly the AUD codes of the catalog."""

from __future__ import annotations

import re

from preserve import rules_doc
from preserve.audit.codes import AUDIT_RULES
from tests.conftest import REPO


def test_every_aud_code_is_documented_and_no_other() -> None:
    text = (REPO / "docs" / "reference" / "rules-audit.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| (AUD-\d{3}) \|", text, flags=re.MULTILINE))
    assert documented == set(AUDIT_RULES)
    for code, rule in AUDIT_RULES.items():
        assert f"| {code} | {rule.severity} | {rule.title} |" in text


def test_rules_reference_is_current() -> None:
    path = REPO / "docs" / "reference" / "rules-audit.md"
    assert path.read_text(encoding="utf-8") == rules_doc.render("rules-audit.md"), (
        "docs/reference/rules-audit.md is stale: run 'python -m preserve.rules_doc'"
    )
