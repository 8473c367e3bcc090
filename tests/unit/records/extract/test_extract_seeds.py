"""Both seeds extract to exactly the values of ../shared/spec/seeds-expected.json."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from preserve.records.extract.run import extract_file
from preserve.records.types import Record

SEED_NAMES = ["000_424de3424b48eda2.txt", "001_92db0917b1723dbb.txt"]


@pytest.fixture(scope="module")
def oracle(shared: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (shared / "spec" / "seeds-expected.json").read_text(encoding="utf-8")
    )
    return data


def _get(record: Mapping[str, Any], pointer: str) -> Any:
    value: Any = record
    for key in pointer.strip("/").split("/"):
        if not isinstance(value, dict) or key not in value:
            raise KeyError(pointer)
        value = value[key]
    return value


def _extract(shared: Path, name: str) -> Record:
    result = extract_file(shared / "seeds" / name)
    assert result.ok, result.findings
    assert result.record is not None
    return result.record


@pytest.fixture(scope="module", params=SEED_NAMES)
def seed(
    request: pytest.FixtureRequest, shared: Path, oracle: dict[str, Any]
) -> tuple[Record, dict[str, Any]]:
    name: str = request.param
    return _extract(shared, name), oracle[name]


def test_the_oracle_covers_exactly_these_seeds(shared: Path, oracle: dict[str, Any]) -> None:
    assert sorted(k for k in oracle if not k.startswith("_")) == SEED_NAMES
    assert sorted(p.name for p in (shared / "seeds").iterdir()) == SEED_NAMES


def test_every_core_field_has_the_oracle_value(
    seed: tuple[Record, dict[str, Any]],
) -> None:
    record, expected = seed
    core = {k: v for k, v in expected.items() if not k.startswith("_")}
    extracted: dict[str, Any] = {
        k: v for k, v in record.items() if k not in ("schema_version", "extraction")
    }
    # The one field beyond the oracle: the catalogue's "Original Classification",
    # kept beside the header marking so that validation can compare the two (REC-035).
    extracted["classification"] = {
        k: v for k, v in extracted["classification"].items() if k != "original_classification"
    }
    assert extracted == core


def test_inferred_lists_exactly_the_oracle_pointers(
    seed: tuple[Record, dict[str, Any]],
) -> None:
    record, expected = seed
    # Issue 12: a rights URI is assigned from the statement's wording, so it is inferred too.
    rights = ["/rights/uri"] if "rights" in expected else []
    assert record["extraction"]["inferred"] == expected.get("_inferred", []) + rights


def test_absent_pointers_are_absent(seed: tuple[Record, dict[str, Any]]) -> None:
    record, expected = seed
    for pointer in expected["_absent"]:
        with pytest.raises(KeyError):
            _get(record, pointer)


def test_envelope_names_source_version_and_text_hash(shared: Path) -> None:
    path = shared / "seeds" / SEED_NAMES[1]
    record = _extract(shared, SEED_NAMES[1])
    assert record["schema_version"] == "1.0"
    extraction = record["extraction"]
    assert extraction["source"] == str(path)
    assert extraction["tool"].startswith("preserve ")
    assert extraction["supplied"] == []
    assert len(extraction["text_sha256"]) == 64
    assert extraction["contents"] == "Translation - English"
    assert extraction["printed"] == {
        "/copy_number": "Copy № 1",
        "/outgoing_number": "Outgoing № 83",
    }


def test_original_classification_is_read_from_the_catalogue_field(shared: Path) -> None:
    seed_000 = _extract(shared, SEED_NAMES[0])
    assert seed_000["classification"]["original_classification"] == "Top Secret"
    seed_001 = _extract(shared, SEED_NAMES[1])
    assert "original_classification" not in seed_001["classification"]
