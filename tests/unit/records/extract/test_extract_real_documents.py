"""The development corpus (../shared/real-documents, read in place) scores above issue 12's targets.

The scorer is the bench script a person runs by hand; here it runs as a subprocess
with --json, as they would run it, and the report is checked.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[4]


@pytest.fixture(scope="module")
def report(shared: Path) -> dict[str, Any]:
    corpus = shared / "real-documents"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "score_extraction.py"), str(corpus), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_core_fields_are_at_least_95_percent_right(report: dict[str, Any]) -> None:
    assert report["overall"]["total"] == 51 * 13
    assert report["overall"]["right_rate"] >= 0.95


def test_at_most_1_percent_of_core_fields_are_wrong(report: dict[str, Any]) -> None:
    assert report["overall"]["wrong_rate"] <= 0.01, report["wrong"]


def test_every_document_gives_a_record(report: dict[str, Any]) -> None:
    assert [n for n, d in report["documents"].items() if not d["record"]] == []


def test_no_document_has_a_wrong_core_field(report: dict[str, Any]) -> None:
    wrong = {(c["document"], c["field"]) for c in report["wrong"]}
    assert wrong == set(), report["wrong"]


def test_the_scorer_refuses_a_folder_without_an_answer_key(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "score_extraction.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "expected.json" in done.stderr
