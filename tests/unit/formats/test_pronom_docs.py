"""The examples of docs/how-to/pronom-signatures.md run as written (issue 16)."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from preserve.formats.pronom import bundled_signatures
from tests import format_samples
from tests.conftest import REPO, SEEDS

DOC = REPO / "docs" / "how-to" / "pronom-signatures.md"


def _blocks(kind: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return re.findall(rf"```{kind}\n(.*?)```", text, flags=re.DOTALL)


def test_version_block_is_what_preserve_prints(run_cli: Callable[..., Result]) -> None:
    (command, *_), (printed,) = _blocks("sh"), _blocks("text")
    assert shlex.split(command) == ["preserve", "--version"]
    assert run_cli(["--version"]).output == printed


def test_policy_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (code,) = _blocks("python")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sample.docx").write_bytes(format_samples.docx())
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(DOC), "exec"), {})
    assert out.getvalue().splitlines() == ["fmt/412 container", "['FMT-005']"]


def test_newer_signatures_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Callable[..., Result]
) -> None:
    command = _blocks("sh")[-1]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "incoming").mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], tmp_path / "incoming")
    (tmp_path / "sigs").mkdir()
    shutil.copy(bundled_signatures().formats, tmp_path / "sigs" / "formats-v120.xml")
    args = shlex.split(command)
    assert args[0] == "preserve"
    result = run_cli(args[1:])
    assert result.exit_code in (0, 1), result.output  # 1: the seed record has findings
    premis = list((tmp_path / "deposit").glob("*/metadata/premis.xml"))
    assert premis
    assert "PRONOM signatures v120 (formats-v120.xml)" in premis[0].read_text("utf-8")
