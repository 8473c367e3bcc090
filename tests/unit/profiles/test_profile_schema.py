"""Dogfood: our profile schema is valid 2020-12 and every shipped profile meets it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from preserve._resources import data_dir, load_json
from preserve.profiles import check_profile, load_profile
from tests.conftest import CONFORMANCE

SCHEMA = load_json("schemas", "bagit-profile.schema.json")
SHIPPED = sorted(data_dir("profiles").glob("*.json"))
EXAMPLES = sorted((CONFORMANCE / "bagit-profiles").rglob("*.json"))


def test_schema_is_valid_2020_12() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_there_are_shipped_profiles() -> None:
    assert [p.name for p in SHIPPED] == ["preserve-deposit-v1.json"]


@pytest.mark.parametrize("path", SHIPPED + EXAMPLES, ids=lambda p: p.name)
def test_profile_meets_schema_and_loads(path: Path) -> None:
    jsonschema.Draft202012Validator(SCHEMA).validate(json.loads(path.read_text(encoding="utf-8")))
    load_profile(path)


def test_schema_rejects_a_wrong_type() -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert not validator.is_valid({"BagIt-Profile-Info": {}, "Accept-BagIt-Version": "1.0"})


def test_deposit_profile_states_what_a_deposit_holds() -> None:
    p = load_profile("preserve-deposit-v1")
    assert p.manifests_required == ("sha512",)
    assert p.manifests_allowed == ("sha512", "sha256")
    assert p.tag_manifests_required == ("sha512",)
    assert p.tag_files_required == ("metadata/record.json",)
    assert p.accept_bagit_version == ("1.0",)
    assert p.serialization == "optional"
    assert set(p.accept_serialization) == {
        "application/x-tar",
        "application/gzip",
        "application/zip",
    }
    required = {r.label for r in p.bag_info if r.required}
    assert required == {
        "External-Identifier",
        "Source-Organization",
        "Bagging-Date",
        "Payload-Oxum",
    }
    assert p.allow_fetch is False


def test_deposit_profile_rejects_an_unrelated_bag() -> None:
    bag = CONFORMANCE / "bagit-profiles" / "validator-fixtures" / "fixtures" / "test-bar"
    found = {f.code for f in check_profile(bag, load_profile("preserve-deposit-v1"))}
    assert {"PRO-002", "PRO-003", "PRO-007", "PRO-009", "PRO-011", "PRO-012", "PRO-021"} <= found
