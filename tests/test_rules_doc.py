"""``python -m preserve.rules_doc``: one command writes every rules page and checks them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from preserve import rules_doc
from tests.conftest import REPO


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "preserve.rules_doc", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_committed_pages_are_current() -> None:
    assert rules_doc.stale(REPO / "docs" / "reference") == []


def test_writes_every_page_then_check_names_a_stale_one(tmp_path: Path) -> None:
    folder = tmp_path / "reference"
    folder.mkdir()
    written = _run(str(folder), cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(rules_doc.PAGES)
    assert _run("--check", str(folder), cwd=tmp_path).returncode == 0

    (folder / "rules-audit.md").write_text("# old\n", encoding="utf-8")
    checked = _run("--check", str(folder), cwd=tmp_path)
    assert checked.returncode == 1
    assert "rules-audit.md is stale" in checked.stderr
    assert "rules-bags.md" not in checked.stderr


def test_every_code_of_every_catalogue_has_its_place_on_its_page() -> None:
    from preserve.audit.codes import AUDIT_RULES
    from preserve.bags.codes import BAG
    from preserve.ingestion.codes import INGEST_RULES
    from preserve.records.validate.codes import CATALOG

    pages = {
        "rules-records.md": CATALOG,
        "rules-bags.md": BAG,
        "rules-ingest.md": INGEST_RULES,
        "rules-audit.md": AUDIT_RULES,
    }
    for page, catalog in pages.items():
        text = rules_doc.render(page)
        left_out = [code for code in catalog if code not in text]
        assert left_out == [], f"{page} leaves out {left_out}"
