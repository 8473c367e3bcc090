from __future__ import annotations

import pytest

from preserve.findings import Catalog, Rule, has_errors

CAT = Catalog(
    "test",
    [
        Rule(
            "TST-001",
            "error",
            "leaf range reversed",
            "leaves {first}-{last} run backwards; swap them",
            example="ll. 9-5",
        ),
        Rule("TST-002", "warning", "odd", "odd value {value!r}"),
    ],
)


def test_finding_fills_template_and_location() -> None:
    f = CAT.finding(
        "TST-001", first=9, last=5, source="a.json", field="/archive_reference/leaves/0"
    )
    assert f.code == "TST-001"
    assert f.severity == "error"
    assert f.message == "leaves 9-5 run backwards; swap them"
    assert f.source == "a.json"
    assert f.field == "/archive_reference/leaves/0"
    assert f.to_dict() == {
        "code": "TST-001",
        "severity": "error",
        "source": "a.json",
        "field": "/archive_reference/leaves/0",
        "message": "leaves 9-5 run backwards; swap them",
        "details": {"first": 9, "last": 5},
    }


def test_severity_override_and_has_errors() -> None:
    warn = CAT.finding("TST-002", value="x")
    assert not has_errors([warn])
    assert has_errors([warn, CAT.finding("TST-002", value="x", severity="error")])


def test_duplicate_code_in_one_catalog_is_refused() -> None:
    rule = Rule("TST-009", "error", "t", "m")
    with pytest.raises(ValueError, match="TST-009"):
        Catalog("dup", [rule, rule])
