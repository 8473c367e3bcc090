"""The documentation site builds in strict mode, and its API reference is complete."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import preserve

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"


@pytest.mark.slow
def test_site_builds_in_strict_mode(tmp_path: Path) -> None:
    """A broken link, a page outside the table of contents or a failed autodoc fails."""
    out = tmp_path / "site"
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html"]
    proc = subprocess.run(
        [*command, str(DOCS), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    api = (out / "reference" / "api.html").read_text(encoding="utf-8")
    # autodoc really ran: a docstring sentence of build_bag is on the page.
    assert (preserve.build_bag.__doc__ or "").split(".")[0].split()[0] in api
    assert (out / "reference" / "cli.html").is_file()
    # every public class with its members, the audit and ledger API included
    for member in (
        "preserve.Ledger.verify",
        "preserve.AuditOptions",
        "preserve.Budget",
        "preserve.AuditReport.to_dict",
        "preserve.AuditReport.ok",
        "preserve.IngestResult.records",
        "preserve.BuildResult.to_dict",
    ):
        assert f'id="{member}"' in api, member
    # fields are documented with the class: AuditOptions' budget, IngestResult's outcomes
    assert "how much this run may do" in api
    assert "one outcome per record" in api


def test_api_reference_names_every_public_name() -> None:
    text = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    pattern = r"^\.\. auto(?:function|class|exception):: preserve\.(\w+)$"  # top-level names
    documented = set(re.findall(pattern, text, flags=re.MULTILINE))
    public = {name for name in preserve.__all__ if not name.startswith("_")}
    assert public - documented == set(), "add them to docs/reference/api.md"
    assert documented - public == set(), "documented but not exported from preserve"


@pytest.mark.slow
def test_a_broken_link_fails_the_build(tmp_path: Path) -> None:
    """Strict mode is real: a link to a page that does not exist stops the build."""
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)
    page = docs / "how-to" / "build-a-bag.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\nSee [the missing page](no-such-page.md).\n",
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html"]
    proc = subprocess.run(
        [*command, str(docs), str(tmp_path / "site")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0
    assert "no-such-page" in proc.stderr
