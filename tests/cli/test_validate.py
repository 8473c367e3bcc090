"""``preserve validate``: exit codes, JSON output (API), text output."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from preserve.records.validate import loaders, parallel

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "records"
RunCli = Callable[..., Result]


def test_clean_records_exit_0(run_cli: RunCli) -> None:
    result = run_cli(["validate", str(FIXTURES / "valid" / "batch_in_order.json")])
    assert result.exit_code == 0, result.output
    assert "checked: 0 errors, 0 warnings" in result.output


def test_errors_exit_1_with_json_findings(run_cli: RunCli) -> None:
    path = FIXTURES / "invalid" / "REC-022_document_type_memo.json"
    result = run_cli(["validate", "--format", "json", str(path)])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["version"] == 1
    assert report["records"] == 1
    (finding,) = report["findings"]
    assert finding["code"] == "REC-022"
    assert finding["severity"] == "error"
    assert finding["field"] == "/document_type"
    assert finding["source"] == str(path)
    assert finding["record"].startswith("AVP RF, f. 0200")
    assert "memorandum_of_conversation" in finding["message"]  # names the allowed values
    # the shape every command gives a finding (Finding.to_dict): location keys that apply
    assert set(finding) == {"source", "record", "code", "severity", "field", "message", "details"}
    assert report["ok"] is False


def test_warnings_alone_exit_0(run_cli: RunCli) -> None:
    path = FIXTURES / "invalid" / "REC-055_numbers_out_of_date_order.json"
    result = run_cli(["validate", str(path)])
    assert result.exit_code == 0
    assert "REC-055" in result.output


def test_csv_row_and_column_in_json(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("schema_version,copy_number\n1.0,x\n", encoding="utf-8")
    report = json.loads(run_cli(["validate", "--format", "json", str(path)]).output)
    (finding,) = [f for f in report["findings"] if f["code"] == "REC-008"]
    # Row 2, as a spreadsheet shows it (the header is row 1).
    assert (finding["code"], finding["row"], finding["column"]) == ("REC-008", 2, "copy_number")


def test_text_output_grouped_by_source(run_cli: RunCli) -> None:
    result = run_cli(["validate", str(FIXTURES / "invalid" / "REC-041_no_rights.json")])
    lines = result.output.splitlines()
    assert lines[0].endswith("REC-041_no_rights.json")
    assert lines[1].startswith("  error REC-041 record ")
    assert ", field /rights: " in lines[1]
    assert lines[-1].startswith("1 record checked: 1 error, 0 warnings")


def test_quiet_prints_only_the_summary(run_cli: RunCli) -> None:
    path = FIXTURES / "invalid" / "REC-041_no_rights.json"
    result = run_cli(["validate", "--quiet", str(path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == ["1 record checked: 1 error, 0 warnings (INVALID)"]


def test_usage_errors_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli(["validate"]).exit_code == 2
    # A missing input is a finding (exit 1), not a usage error (docs/reference/cli.md).
    missing = run_cli(["validate", str(tmp_path / "missing.json")])
    assert missing.exit_code == 1
    assert "REC-001" in missing.output
    assert "missing.json" in missing.output
    assert (
        run_cli(
            ["validate", "--format", "xml", str(FIXTURES / "valid" / "clean_record.json")]
        ).exit_code
        == 2
    )


def test_help_teaches(run_cli: RunCli) -> None:
    result = run_cli(["validate", "--help"])
    assert result.exit_code == 0
    for words in ("archive_reference.fond", "--defaults", "Exit status", "REC-nnn"):
        assert words in result.output


def test_rich_table_for_a_terminal() -> None:
    import io

    import preserve
    from preserve.reports.records import RichValidationReporter

    result = preserve.validate([FIXTURES / "invalid" / "REC-041_no_rights.json"])
    out = io.StringIO()
    RichValidationReporter(out).report(result)
    assert "REC-041" in out.getvalue()
    assert "1 record checked: 1 error" in out.getvalue()


def test_big_jsonl_in_workers_reports_what_one_process_does(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = json.loads((FIXTURES / "valid" / "clean_record.json").read_text(encoding="utf-8"))
    broken = dict(clean, copy_number="1")
    lines = [json.dumps(clean), "", "{oops", json.dumps(broken), json.dumps(clean)]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines * 3) + "\n", encoding="utf-8")
    alone = run_cli(["validate", "--format", "json", str(path)])
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)  # any file is "big"
    monkeypatch.setattr(loaders, "CHUNK_LINES", 4)
    pooled = run_cli(["validate", "--format", "json", str(path)])
    assert pooled.exit_code == alone.exit_code == 1
    assert json.loads(pooled.output) == json.loads(alone.output)
    report = json.loads(pooled.output)
    assert report["records"] == 9  # the malformed lines are findings, not records
    assert {f["code"] for f in report["findings"]} >= {"REC-006", "REC-021", "REC-050"}


SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "records"


def test_the_same_file_named_twice_is_read_once_with_a_warning(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (sample,) = SAMPLES.glob("01-*.txt")
    result = run_cli(["validate", "--format", "json", str(sample), str(sample)])
    assert result.exit_code == 0, result.output  # not a duplicate of itself (REC-051/053)
    report = json.loads(result.output)
    assert report["records"] == 1
    assert [(f["code"], f["severity"], f["source"]) for f in report["findings"]] == [
        ("REC-062", "warning", str(sample))
    ]
    assert f"same file as {sample}" in report["findings"][0]["message"]

    # A link inside a folder to a file of the same folder is the same file too.
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.json").write_text((FIXTURES / "valid" / "batch_in_order.json").read_text())
    (folder / "alias.json").symlink_to("a.json")
    single = run_cli(["validate", "--format", "json", str(folder / "a.json")])
    linked = run_cli(["validate", "--format", "json", str(folder)])
    assert linked.exit_code == 0, linked.output
    report = json.loads(linked.output)
    assert report["records"] == json.loads(single.output)["records"]
    assert [(f["code"], f["source"]) for f in report["findings"]] == [
        ("REC-062", str(folder / "alias.json"))
    ]
    assert str(folder / "a.json") in report["findings"][0]["message"]


def test_a_toml_date_in_the_defaults_fills_a_record_as_an_iso_string(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (sample,) = SAMPLES.glob("01-*.txt")
    defaults = tmp_path / "t.toml"  # unquoted: TOML dates, which JSON does not have
    defaults.write_text(
        "[dates]\ndocument_date = 1962-03-10\n[[related]]\ntitle = 'Report'\ndate = 1962-03-09\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.json"
    extracted = run_cli(["extract", str(sample), "-q", "-o", str(out), "--defaults", str(defaults)])
    assert extracted.exit_code == 0, extracted.output  # was a TypeError
    (record,) = json.loads(out.read_text(encoding="utf-8"))
    assert record["related"] == [{"title": "Report", "date": "1962-03-09"}]
    del record["dates"], record["related"]
    out.write_text(json.dumps([record]), encoding="utf-8")
    checked = run_cli(["validate", "--format", "json", str(out), "--defaults", str(defaults)])
    assert checked.exit_code == 0, checked.output  # was exit 3, "Unsupported type: 'date'"
    assert json.loads(checked.output)["findings"] == []


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        pytest.param("document_date", "1962-02-30", "REC-045", id="document-30-feb"),
        pytest.param("conversation_date", "1962-02-30", "REC-045", id="conversation-30-feb"),
        pytest.param("conversation_date", "1962-03-03/1962-03-02", "REC-046", id="reversed"),
    ],
)
def test_an_impossible_date_is_an_error_naming_its_field(
    run_cli: RunCli, tmp_path: Path, field: str, value: str, code: str
) -> None:
    (sample,) = SAMPLES.glob("01-*.txt")
    out = tmp_path / "r.json"
    assert run_cli(["extract", str(sample), "-q", "-o", str(out)]).exit_code == 0
    records = json.loads(out.read_text(encoding="utf-8"))
    records[0]["dates"][field] = value
    out.write_text(json.dumps(records), encoding="utf-8")
    result = run_cli(["validate", str(out)])
    assert result.exit_code == 1, result.output
    assert f"error {code}" in result.output
    assert f"field /dates/{field}: " in result.output
    assert f"'{value}'" in result.output
    assert "1 record checked: 1 error, 0 warnings (INVALID)" in result.output


@pytest.mark.parametrize(
    ("text", "said"),
    [
        pytest.param('{"rightz": {"statement": "ok"}}', "rightz: not a record field (did you "
                     "mean rights?)", id="typo"),
        pytest.param('{"rights": {"statement": 5}}', "rights.statement: 5 must be text",
                     id="number"),
        pytest.param('{"rights": null}', "rights: null is no value", id="null"),
    ],
)  # fmt: skip
def test_a_mistake_in_the_defaults_is_blamed_on_the_file_before_any_record(
    run_cli: RunCli, tmp_path: Path, text: str, said: str
) -> None:
    (sample,) = SAMPLES.glob("05-*.html")
    defaults = tmp_path / "typo.json"
    defaults.write_text(text, encoding="utf-8")
    out = tmp_path / "r.json"
    extracted = run_cli(["extract", str(sample), "-o", str(out), "--defaults", str(defaults)])
    checked = run_cli(["validate", str(sample), "--defaults", str(defaults)])
    for result in (extracted, checked):
        assert result.exit_code == 3, result.output  # the run could not start
        assert f"Error: {defaults}: the defaults do not fit the record schema" in result.output
        assert said in result.output
        assert "REC-0" not in result.output  # not a finding on each record
    assert not out.exists()  # extract wrote no record carrying the typo


def test_a_utf16_file_is_named_utf16_not_binary(tmp_path: Path) -> None:
    import subprocess
    import sys

    text = tmp_path / "notepad-unicode.txt"
    text.write_bytes("\ufeffAVP RF, f. 0999, op. 7, p. 41, d. 12, ll. 14-16.".encode("utf-16-le"))
    done = subprocess.run(
        [sys.executable, "-m", "preserve", "validate", str(text)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "REC-002" in done.stdout
    assert "UTF-16 text, by its byte-order mark" in done.stdout
    assert "binary" not in done.stdout
