"""The PRO/SER rules reference is current and the profile reference covers every field."""

from __future__ import annotations

from preserve import rules_doc
from tests.conftest import REPO

DOCS = REPO / "docs"


def test_rules_reference_is_current() -> None:
    path = DOCS / "reference" / "rules-profiles.md"
    assert path.read_text(encoding="utf-8") == rules_doc.render("rules-profiles.md"), (
        "docs/reference/rules-profiles.md is stale: run 'python -m preserve.rules_doc'"
    )


FIELDS = [
    "BagIt-Profile-Info",
    "Source-Organization",
    "External-Description",
    "Version",
    "BagIt-Profile-Identifier",
    "BagIt-Profile-Version",
    "Bag-Info",
    "required",
    "values",
    "repeatable",
    "description",
    "Manifests-Required",
    "Manifests-Allowed",
    "Tag-Manifests-Required",
    "Tag-Manifests-Allowed",
    "Tag-Files-Required",
    "Tag-Files-Allowed",
    "Payload-Files-Required",
    "Payload-Files-Allowed",
    "Allow-Fetch.txt",
    "Fetch.txt-Required",
    "Data-Empty",
    "Serialization",
    "Accept-Serialization",
    "Accept-BagIt-Version",
]


def test_profile_reference_names_every_field() -> None:
    text = (DOCS / "reference" / "profiles.md").read_text(encoding="utf-8")
    assert [f for f in FIELDS if f"`{f}`" not in text] == []
