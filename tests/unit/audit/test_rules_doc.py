"""docs/reference/rules-audit.md lists exactly the AUD codes of the catalog."""

from __future__ import annotations

import re

from preserve.audit.codes import AUDIT_RULES
from tests.conftest import REPO


def test_every_aud_code_is_documented_and_no_other() -> None:
    text = (REPO / "docs" / "reference" / "rules-audit.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| (AUD-\d{3}) \|", text, flags=re.MULTILINE))
    assert documented == set(AUDIT_RULES)
    for code, rule in AUDIT_RULES.items():
        assert f"| {code} | {rule.severity} | {rule.title} |" in text
