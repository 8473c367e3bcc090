"""``preserve extract``: output formats, --out, --defaults, findings on stderr, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import Result

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "records" / "extract"
PAGE = FIXTURES / "page-english.txt"
PDF = FIXTURES / "pdf-hard-wrapped.md"
RunCli = Callable[..., Result]


def test_json_is_an_array_of_records(run_cli: RunCli) -> None:
    result = run_cli(["extract", str(PAGE), str(PDF)])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [r["extraction"]["source"] for r in records] == [str(PAGE), str(PDF)]
    assert "Extracted 2 records" in result.stderr


def test_jsonl_is_one_record_per_line(run_cli: RunCli) -> None:
    result = run_cli(["extract", str(FIXTURES), "--format", "jsonl", "--quiet"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    records = [json.loads(line) for line in lines]
    documents = sorted(p for p in FIXTURES.iterdir() if not p.name.endswith(".json"))
    assert [r["extraction"]["source"] for r in records] == [str(p) for p in documents]
    assert result.stderr == ""  # --quiet: warnings (EXT-020 here) and summary are not shown


def test_output_file_is_written(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "records.json"
    out.write_text("old", encoding="utf-8")
    result = run_cli(["extract", str(PAGE), "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))[0]["copy_number"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["records.json"]  # no temporary left


def test_output_may_not_overwrite_an_input(run_cli: RunCli, tmp_path: Path) -> None:
    doc = tmp_path / "page.txt"
    doc.write_bytes(PAGE.read_bytes())
    result = run_cli(["extract", str(doc), "-o", str(doc)])
    assert result.exit_code == 2
    assert "one of the input documents" in result.stderr
    assert doc.read_bytes() == PAGE.read_bytes()


def test_defaults_fill_and_mark(run_cli: RunCli, tmp_path: Path) -> None:
    defaults = tmp_path / "batch.toml"
    defaults.write_text('[rights]\nstatement = "By permission."\n', encoding="utf-8")
    result = run_cli(["extract", str(PDF), "--defaults", str(defaults)])
    assert result.exit_code == 0
    [record] = json.loads(result.stdout)
    assert record["rights"] == {"statement": "By permission."}
    assert record["extraction"]["supplied"] == ["/rights/statement"]


def test_malformed_defaults_cannot_run(run_cli: RunCli, tmp_path: Path) -> None:
    defaults = tmp_path / "batch.json"
    defaults.write_text("{\n oops", encoding="utf-8")
    result = run_cli(["extract", str(PDF), "--defaults", str(defaults)])
    assert result.exit_code == 3
    assert f"{defaults}, line 2" in result.stderr
    assert "Traceback" not in result.output


def test_bad_file_gives_exit_1_and_the_rest_is_written(run_cli: RunCli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xff\xfe")
    result = run_cli(["extract", str(bad), str(PAGE)])
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)) == 1
    assert f"error EXT-003 {bad}, line 2: " in result.stderr
    assert "line 2" in result.stderr


def test_warning_does_not_fail(run_cli: RunCli) -> None:
    result = run_cli(["extract", str(FIXTURES / "pdf-letter-o.md")])
    assert result.exit_code == 0
    assert "warning EXT-020 " in result.stderr
    assert ", field /outgoing_number: " in result.stderr


def test_usage_errors(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli(["extract"]).exit_code == 2
    # A missing input is a finding (exit 1), not a usage error: the rest is still read.
    missing = run_cli(["extract", str(tmp_path / "missing.txt"), str(PAGE)])
    assert missing.exit_code == 1
    assert "error EXT-001 " in missing.stderr
    assert "missing.txt: cannot read" in missing.stderr
    assert "Extracted 1 record;" in missing.stderr
    assert run_cli(["extract", str(PAGE), "--format", "xml"]).exit_code == 2


def test_help_teaches_with_examples(run_cli: RunCli) -> None:
    result = run_cli(["extract", "--help"])
    assert result.exit_code == 0
    for text in ("Examples:", "--format", "--defaults", "Exit status"):
        assert text in result.output


def _records(result: Result) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def test_samples_extract_without_crashing(run_cli: RunCli) -> None:
    samples = Path(__file__).resolve().parents[2] / "samples" / "records"
    result = run_cli(["extract", str(samples)])
    assert result.exit_code == 0, result.stderr
    records = _records(result)
    assert len(records) == len([p for p in samples.iterdir() if p.is_file()])
    assert all(r["schema_version"] == "1.0" for r in records)


def test_output_is_utf8_whatever_the_locale() -> None:
    doc = FIXTURES / "page-russian-header.txt"
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C",
        "LC_ALL": "C",
        "PYTHONUTF8": "0",
        "PYTHONCOERCECLOCALE": "0",
        "PYTHONIOENCODING": "ascii",
    }
    done = subprocess.run(
        [sys.executable, "-m", "preserve", "extract", str(doc), "--format", "jsonl"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout.decode("utf-8"))
    assert record["classification"]["marking"] == "Совершенно секретно"


def _explain(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "preserve", "extract", "--explain", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )


def _fields(stdout: str) -> dict[str, str]:
    """``pointer = value`` line -> the ``from`` line under it."""
    lines = stdout.splitlines()
    return {
        lines[k]: lines[k + 1].strip()
        for k in range(len(lines) - 1)
        if lines[k].startswith("/") and lines[k + 1].startswith("    ")
    }


def test_explain_prints_each_field_beside_its_line_for_a_relative_path() -> None:
    done = _explain("extract/page-english.txt", "--quiet", cwd=FIXTURES.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "# extract/page-english.txt"
    fields = _fields(done.stdout)
    assert fields["/outgoing_number = 45"] == "from: line 13: Outgoing No. 45"
    assert fields["/classification/level = top_secret"] == "from: line 9: Top Secret Copy No. 2"
    assert fields["/languages/content = eng"].startswith("from: the commonest words of the body")
    assert fields["/rights/uri = http://rightsstatements.org/vocab/UND/1.0/"] == (
        "inferred from the wording of /rights/statement"
    )
    assert "(not recorded)" not in done.stdout
    assert not done.stdout.lstrip().startswith("[")  # text, not JSON
    assert done.stderr == ""


def test_explain_takes_absolute_paths_and_several_documents(tmp_path: Path) -> None:
    done = _explain(str(PAGE), str(PDF), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    blocks = done.stdout.split("\n\n")
    assert [b.splitlines()[0] for b in blocks] == [f"# {PAGE}", f"# {PDF}"]
    assert "(not recorded)" not in done.stdout
    assert "Extracted 2 records" in done.stderr


def test_explain_marks_the_fields_filled_from_defaults(tmp_path: Path) -> None:
    defaults = tmp_path / "batch.toml"
    defaults.write_text('[rights]\nstatement = "By permission."\n', encoding="utf-8")
    done = _explain(str(PDF), "--defaults", str(defaults), "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    fields = _fields(done.stdout)
    assert fields["/rights/statement = By permission."] == "from: --defaults (supplied, not read)"
