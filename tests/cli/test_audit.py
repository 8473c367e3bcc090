"""``preserve audit`` and ``preserve ledger`` from the command line."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from lxml import etree

from tests.conftest import SHARED
from tests.unit.audit.bags import make_test_bag

RunCli = Callable[..., Result]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    for name in ("one", "two"):
        make_test_bag(root, name)
    return root


def test_audit_passes_then_fails_with_exit_codes(
    run_cli: RunCli, store: Path, tmp_path: Path
) -> None:
    ledger = str(tmp_path / "l.sqlite")
    result = run_cli(["audit", str(store), "--ledger", ledger])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("PASSED: 2 passed")
    (store / "one" / "data" / "a.txt").write_text("changed\n")
    result = run_cli(["audit", str(store), "--ledger", ledger, "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["version"] == 1
    assert data["counts"] == {"passed": 1, "failed": 1, "inaccessible": 0, "not_run": 0}
    assert data["newly_failed"] == [str(store / "one")]
    (bag,) = [b for b in data["bags"] if b["outcome"] == "failed"]
    assert [f["code"] for f in bag["findings"]] == ["AUD-001"]


def test_verify_engine(run_cli: RunCli, store: Path, tmp_path: Path) -> None:
    args = ["audit", str(store), "--ledger", str(tmp_path / "l.sqlite"), "--engine", "verify"]
    assert run_cli(args).exit_code == 0
    (store / "two" / "data" / "a.txt").rename(store / "two" / "data" / "b.txt")
    result = run_cli([*args, "--format", "json"])
    assert result.exit_code == 1
    (bag,) = [b for b in json.loads(result.output)["bags"] if b["outcome"] == "failed"]
    assert [f["code"] for f in bag["findings"]] == ["AUD-004"]


def test_verify_engine_fails_a_lying_payload_oxum_and_says_why(
    run_cli: RunCli, store: Path, tmp_path: Path
) -> None:
    # Nothing is unreadable: the bag is wrong, not its storage.
    info = store / "one" / "bag-info.txt"
    kept = [line for line in info.read_text().splitlines() if not line.startswith("Payload-Oxum")]
    info.write_text("\n".join([*kept, "Payload-Oxum: 9999.4", ""]))
    for tagmanifest in (store / "one").glob("tagmanifest-*.txt"):
        tagmanifest.unlink()
    args = ["audit", str(store), "--ledger", str(tmp_path / "l.sqlite"), "--engine", "verify"]
    result = run_cli([*args, "--format", "json"])
    assert result.exit_code == 1
    (bag,) = [b for b in json.loads(result.output)["bags"] if b["bag"] == str(store / "one")]
    assert bag["outcome"] == "failed"
    assert "BAG-042" in json.dumps(bag)
    text = run_cli(args).output
    assert "INACCESSIBLE" not in text
    assert "mounted" not in text


def test_audit_of_a_missing_root_is_a_finding(run_cli: RunCli, store: Path, tmp_path: Path) -> None:
    assert run_cli(["audit", str(store), "--ledger", str(tmp_path / "l")]).exit_code == 0
    result = run_cli(["audit", str(tmp_path / "unmounted"), "--ledger", str(tmp_path / "l")])
    assert result.exit_code == 1
    assert "INACCESSIBLE" in result.output


def test_budget_leaves_bags_not_run_exit_0(run_cli: RunCli, store: Path, tmp_path: Path) -> None:
    result = run_cli(
        ["audit", str(store), "--ledger", str(tmp_path / "l"), "--budget-bytes", "1", "-q"]
    )
    assert result.exit_code == 0
    assert "1 not run" in result.output


def test_status_subcommand_and_a_root_named_status(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_test_bag(tmp_path / "status", "bag")
    monkeypatch.chdir(tmp_path)
    ledger = str(tmp_path / "l.sqlite")
    assert run_cli(["audit", "./status", "--ledger", ledger]).exit_code == 0
    result = run_cli(["audit", "status", "--ledger", ledger])
    assert result.exit_code == 0, result.output
    assert "1 bag: 1 passed, 0 failed, 0 inaccessible, 0 overdue" in result.output
    result = run_cli(["audit", "status", "--ledger", ledger, "--format", "json"])
    (row,) = json.loads(result.output)["bags"]
    assert (row["outcome"], row["overdue"]) == ("passed", False)


def test_default_ledger_follows_xdg_state_home(
    run_cli: RunCli, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert run_cli(["audit", str(store), "-q"]).exit_code == 0
    assert (tmp_path / "state" / "preserve" / "ledger.sqlite").is_file()


def test_help_documents_both_forms(run_cli: RunCli) -> None:
    result = run_cli(["audit", "--help"])
    assert result.exit_code == 0
    assert "preserve audit status" in result.output
    assert "--budget-bytes" in result.output
    assert "./status" in result.output


@pytest.mark.parametrize("args", [["--budget", "soon"], ["--budget-bytes", "lots"]])
def test_bad_option_values_are_usage_errors(run_cli: RunCli, store: Path, args: list[str]) -> None:
    assert run_cli(["audit", str(store), *args]).exit_code == 2


def test_ledger_verify_head_and_tampering(run_cli: RunCli, store: Path, tmp_path: Path) -> None:
    ledger = tmp_path / "l.sqlite"
    run_cli(["audit", str(store), "--ledger", str(ledger)])
    head = run_cli(["ledger", "head", "--ledger", str(ledger)]).output.strip()
    assert len(head) == 64
    result = run_cli(["ledger", "verify", "--ledger", str(ledger), "--witness", head])
    assert result.exit_code == 0
    assert result.output.startswith("OK: 2 rows")
    db = sqlite3.connect(ledger)
    db.execute("DROP TRIGGER checks_no_update")
    db.execute("UPDATE checks SET outcome = 'failed' WHERE seq = 1")
    db.commit()
    db.close()
    result = run_cli(["ledger", "verify", "--ledger", str(ledger), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["findings"][0]["code"] == "AUD-011"
    assert data["findings"][0]["row"] == 1


def test_ledger_commands_need_an_existing_ledger(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli(["ledger", "verify", "--ledger", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 3
    assert not (tmp_path / "none.sqlite").exists()


def test_premis_events_validate_against_the_schema(
    run_cli: RunCli, store: Path, tmp_path: Path
) -> None:
    ledger = str(tmp_path / "l.sqlite")
    run_cli(["audit", str(store), "--ledger", ledger])
    (store / "one" / "data" / "a.txt").unlink()
    run_cli(["audit", str(store), "--ledger", ledger])
    out = tmp_path / "events.xml"
    result = run_cli(
        ["ledger", "events", str(store / "one"), "--ledger", ledger, "--premis", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    schema = etree.XMLSchema(etree.parse(str(SHARED / "standards" / "premis-v3.0.xsd")))
    document = etree.parse(str(out))
    schema.assertValid(document)
    ns = {"p": "http://www.loc.gov/premis/v3"}
    types = document.xpath("//p:event/p:eventType/@valueURI", namespaces=ns)
    assert types == ["http://id.loc.gov/vocabulary/preservation/eventType/fix"] * 2
    assert document.xpath("//p:eventOutcome/text()", namespaces=ns) == ["success", "failure"]
    uris = document.xpath("//p:eventOutcome/@valueURI", namespaces=ns)
    assert isinstance(uris, list)
    assert [str(u).rsplit("/", 1)[-1] for u in uris] == ["suc", "fai"]
    result = run_cli(["ledger", "events", str(tmp_path / "nope"), "--ledger", ledger, "--premis"])
    assert result.exit_code == 3


def test_html_and_sample_options(run_cli: RunCli, store: Path, tmp_path: Path) -> None:
    page = tmp_path / "site" / "audit.html"
    args = ["audit", str(store), "--ledger", str(tmp_path / "l.sqlite"), "--budget-bytes", "1"]
    result = run_cli([*args, "--sample", "1", "--seed", "3", "--html", str(page), "--show-passed"])
    assert result.exit_code == 0, result.output
    assert result.output.count("PASSED /") == 2  # one by the budget, one sampled
    assert 'id="count-passed">2<' in page.read_text()


def test_ledger_events_text_and_json_verify(run_cli: RunCli, store: Path, tmp_path: Path) -> None:
    ledger = str(tmp_path / "l.sqlite")
    run_cli(["audit", str(store), "--ledger", ledger])
    result = run_cli(["ledger", "events", str(store / "one"), "--ledger", ledger])
    assert result.exit_code == 0
    assert " passed " in result.output
    data = json.loads(run_cli(["ledger", "verify", "--ledger", ledger, "--format", "json"]).output)
    assert (data["ok"], data["rows"], data["findings"]) == (True, 2, [])


def test_a_move_reports_where_the_content_is_now(
    run_cli: RunCli, store: Path, tmp_path: Path
) -> None:
    args = ["audit", str(store), "--ledger", str(tmp_path / "l.sqlite")]
    assert run_cli(args).exit_code == 0
    (store / "two" / "data" / "a.txt").rename(store / "two" / "data" / "b.txt")
    result = run_cli([*args, "--format", "json"])
    (bag,) = [b for b in json.loads(result.output)["bags"] if b["outcome"] == "failed"]
    (finding,) = bag["findings"]
    assert finding["details"]["moved_to"] == "data/b.txt"
    assert "content is now at data/b.txt" in finding["message"]
    assert not {"other_path", "reason", "last_passed_at"} & set(finding["details"])


def test_quiet_still_names_a_root_it_could_not_read(
    run_cli: RunCli, store: Path, tmp_path: Path
) -> None:
    gone = tmp_path / "unmounted"
    result = run_cli(["audit", str(store), str(gone), "--ledger", str(tmp_path / "l"), "-q"])
    assert result.exit_code == 1, result.output
    # the summary counts bags (2 passed, 0 inaccessible): the root is named on its own line
    assert f"INACCESSIBLE {gone}: does not exist" in result.output
    assert result.output.splitlines()[-1].startswith("INACCESSIBLE: 2 passed")


def test_a_deleted_bag_is_gone_not_rewritten_and_a_deleted_manifest_is_deleted(
    run_cli: RunCli, store: Path, tmp_path: Path
) -> None:
    import shutil

    args = ["audit", str(store), "--ledger", str(tmp_path / "l.sqlite")]
    assert run_cli(args).exit_code == 0
    shutil.rmtree(store / "two")
    (tagmanifest,) = (store / "one").glob("tagmanifest-*.txt")
    tagmanifest.unlink()
    result = run_cli([*args, "--format", "json"])
    assert result.exit_code == 1
    bags = {b["bag"]: b for b in json.loads(result.output)["bags"]}
    assert [f["code"] for f in bags[str(store / "two")]["findings"]] == ["AUD-009"]
    (gone,) = bags[str(store / "one")]["findings"]
    assert gone["code"] == "AUD-006"
    assert f"{tagmanifest.name} was deleted since the last passed audit" in gone["message"]
