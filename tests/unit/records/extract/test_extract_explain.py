"""Every extracted field says where it came from, and --explain prints it beside the value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from preserve.records.extract.explain import explain_lines, unsourced
from preserve.records.extract.run import extract_file
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "records" / "extract"


def _record(**extraction: Any) -> dict[str, Any]:
    return {
        "schema_version": "1.0",
        "title": "Letter from Jan Doe",
        "archive_reference": {"citation": "GARF, f. 1, op. 2, d. 3", "fond": "1"},
        "copy_number": 2,
        "rights": {"uri": "http://rightsstatements.org/vocab/UND/1.0/"},
        "extraction": {"source": "page.txt", "inferred": [], "supplied": [], **extraction},
    }


def test_each_field_is_followed_by_its_source() -> None:
    record = _record(
        sources={
            "/title": "line 3: Letter from Jan Doe",
            "/archive_reference": "line 9: GARF, f. 1, op. 2, d. 3",
            "/copy_number": "line 5: Copy No. 2",
            "/rights/uri": "inferred from the wording of /rights/statement",
        },
        inferred=["/rights/uri"],
    )
    assert explain_lines(record) == [
        "# page.txt",
        "/title = Letter from Jan Doe",
        "    from: line 3: Letter from Jan Doe",
        "/archive_reference/citation = GARF, f. 1, op. 2, d. 3",
        "    from: line 9: GARF, f. 1, op. 2, d. 3",
        "/archive_reference/fond = 1",
        "    from: line 9: GARF, f. 1, op. 2, d. 3",
        "/copy_number = 2",
        "    from: line 5: Copy No. 2",
        "/rights/uri = http://rightsstatements.org/vocab/UND/1.0/",
        "    inferred from the wording of /rights/statement",
    ]
    assert unsourced(record) == []


def test_an_inferred_field_whose_source_does_not_say_so_is_tagged() -> None:
    record = _record(sources={"/copy_number": "the title"}, inferred=["/copy_number"])
    lines = explain_lines(record)
    assert lines[lines.index("/copy_number = 2") + 1] == "    inferred from: the title"


def test_supplied_and_unrecorded_fields_say_so() -> None:
    record = _record(sources={"/title": "line 3: Letter from Jan Doe"}, supplied=["/rights"])
    lines = explain_lines(record)
    after = {lines[k]: lines[k + 1] for k in range(1, len(lines), 2)}
    assert after["/rights/uri = http://rightsstatements.org/vocab/UND/1.0/"] == (
        "    from: --defaults (supplied, not read)"
    )
    assert after["/copy_number = 2"] == "    from: (not recorded)"
    assert unsourced(record) == [
        "/archive_reference/citation",
        "/archive_reference/fond",
        "/copy_number",
    ]


def test_a_record_without_an_envelope_names_no_source() -> None:
    lines = explain_lines({"title": "T"})
    assert lines == ["# (no source)", "/title = T", "    from: (not recorded)"]


def _documents() -> list[Path]:
    from tests.conftest import SHARED

    corpus = sorted((SHARED / "real-documents" / "docs").glob("*.txt"))
    seeds = sorted((SHARED / "seeds").iterdir())
    fixtures = sorted(p for p in FIXTURES.iterdir() if not p.name.endswith(".json"))
    samples = sorted((REPO / "samples" / "records").iterdir())
    return corpus + seeds + fixtures + samples


DOCUMENTS = _documents()


def test_the_documents_are_there() -> None:
    assert len(DOCUMENTS) >= 51 + 2 + 8 + 2


@pytest.mark.parametrize("document", DOCUMENTS, ids=[p.name for p in DOCUMENTS])
def test_every_extracted_field_records_its_source(document: Path) -> None:
    record = extract_file(document).record
    assert record is not None
    assert unsourced(record) == []
    for pointer, where in record["extraction"]["sources"].items():
        assert where.startswith(("line ", "label ", "section ", "inferred from ", "the ")), (
            pointer,
            where,
        )
        assert not where.startswith("line 0:"), pointer
    for pointer in record["extraction"]["inferred"]:
        assert record["extraction"]["sources"][pointer].startswith("inferred from "), pointer


def test_a_line_source_names_a_line_that_holds_the_value(shared: Path) -> None:
    """The seeds: the line cited for each header field really prints it."""
    for seed in sorted((shared / "seeds").iterdir()):
        record = extract_file(seed).record
        assert record is not None
        lines = seed.read_text(encoding="utf-8").splitlines()
        sources = record["extraction"]["sources"]
        for pointer, printed in record["extraction"]["printed"].items():
            number = int(sources[pointer].split(":")[0].removeprefix("line "))
            assert " ".join(printed.split()) in " ".join(lines[number - 1].split()), pointer
