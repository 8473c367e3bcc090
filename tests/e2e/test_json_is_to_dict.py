"""``--format json`` is exactly the result's ``to_dict()``, command by command (issue 17).

Each test runs the real CLI in a subprocess and the library call on the same input
(or an identical copy of it), then compares the two after normalising what differs
between two runs by nature: timestamps, the copy's own path, the ledger's head.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import preserve
from preserve.audit.ledger import Ledger
from preserve.replicas.compare import compare_copies
from preserve.replicas.repair import repair_copy
from preserve.storage.stores import open_store
from tests.e2e.conftest import Tree
from tests.e2e.conftest import preserve as cli

_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?")


def _same(text: str, data: Any) -> None:
    """The CLI's JSON *text* equals *data*, timestamps aside."""

    def norm(value: Any) -> Any:
        return json.loads(_STAMP.sub("<time>", json.dumps(value, ensure_ascii=False)))

    assert norm(json.loads(text)) == norm(json.loads(json.dumps(data)))


def test_validate(tree: Tree) -> None:
    run = cli("validate", tree.src / "records", "--format", "json")
    _same(run.out, preserve.validate(tree.src / "records").to_dict())
    assert json.loads(run.out)["ok"] is (run.code == 0)


def test_extract(tree: Tree) -> None:
    page = tree.src / "records" / "01-sorokin-arvelo-1962-03-02.txt"
    run = cli("extract", page, "--format", "json")
    assert run.code == 0, run.err
    _same(run.out, [r.record for r in preserve.extract(page) if r.record is not None])


def test_bag(tree: Tree, tmp_path: Path) -> None:
    run = cli("bag", tree.nested, "--out", tmp_path / "one", "--format", "json")
    assert run.code == 0, run.err
    organisation = {"Source-Organization": "Test Deposit Service"}  # $PRESERVE_ORGANISATION
    built = preserve.build_bag([tree.nested], tmp_path / "two", bag_info=organisation)
    assert json.loads(run.out)["bag"] == str(tmp_path / "one")
    _same(run.out.replace(str(tmp_path / "one"), str(built.bag)), built.to_dict())


def test_verify(tree: Tree) -> None:
    run = cli("verify", tree.good_bag, tree.nested_bag, "--format", "json")
    assert run.code == 0, run.err
    bags = [preserve.verify_bag(b).to_dict() for b in (tree.good_bag, tree.nested_bag)]
    _same(run.out, {"version": 1, "bags": bags})


def test_ingest(tree: Tree, tmp_path: Path) -> None:
    run = cli("ingest", tree.src, "--out", tmp_path / "one", "--format", "json")
    options = preserve.IngestOptions(organisation="Test Deposit Service")
    result = preserve.ingest(tree.src, tmp_path / "two", options=options)
    data = json.loads(run.out)
    assert data["ok"] is result.ok
    assert data["summary"]["records"] == result.records
    _same(run.out.replace(str(tmp_path / "one"), str(tmp_path / "two")), result.to_dict())


def test_audit_run_and_ledger_verify(tree: Tree, tmp_path: Path) -> None:
    run = cli(
        "audit", "run", tree.good_bag, "--ledger", tmp_path / "one.sqlite", "--format", "json"
    )
    assert run.code == 0, run.err
    with Ledger.open(tmp_path / "two.sqlite") as ledger:
        report = preserve.run_audit(tree.good_bag, ledger=ledger)
    data, expected = json.loads(run.out), report.to_dict()
    assert data["ok"] is report.ok is True
    for key in ("ledger", "history"):  # the ledger's own path and head, the day's bytes
        data.pop(key), expected.pop(key)  # type: ignore[misc]
    _same(json.dumps(data), expected)
    page = cli(
        "audit", "run", tree.good_bag, "--ledger", tmp_path / "one.sqlite", "--format", "html"
    )
    assert page.code == 0, page.err
    assert page.out.startswith("<!DOCTYPE html>")
    assert 'id="count-passed">1<' in page.out
    for name in ("one", "two"):
        checked = cli(
            "ledger", "verify", "--ledger", tmp_path / f"{name}.sqlite", "--format", "json"
        )
        with Ledger.open(tmp_path / f"{name}.sqlite", read_only=True) as ledger:
            _same(checked.out, ledger.verify().to_dict())


def test_audit_status(tree: Tree, tmp_path: Path) -> None:
    ledger_path = tmp_path / "status.sqlite"
    run = cli("audit", "run", tree.good_bag, "--ledger", ledger_path, "--format", "json")
    assert run.code == 0, run.err
    shown = cli("audit", "status", "--ledger", ledger_path, "--format", "json")
    assert shown.code == 0, shown.err
    with Ledger.open(ledger_path, read_only=True) as ledger:
        status = preserve.audit_status(ledger, max_age=timedelta(days=30))
    assert status.ok is json.loads(shown.out)["ok"] is True
    _same(shown.out, status.to_dict())


def test_compare_and_repair(tree: Tree, tmp_path: Path) -> None:
    for name in ("good", "bad", "bad2"):
        shutil.copytree(tree.nested_bag, tmp_path / name)
    for name in ("bad", "bad2"):
        (tmp_path / name / "data" / "nested" / "x.txt").write_text("changed", encoding="utf-8")
    good, bad = str(tmp_path / "good"), str(tmp_path / "bad")
    run = cli("compare", good, bad, "--format", "json")
    assert run.code == 1
    compared = compare_copies([open_store(good), open_store(bad)])
    _same(run.out, compared.to_dict())
    assert json.loads(run.out)["ok"] is compared.ok is False
    run = cli("repair", bad, "--from", good, "--format", "json")
    assert run.code == 0, run.err
    now = datetime.now(UTC)
    repaired = repair_copy(open_store(str(tmp_path / "bad2")), open_store(good), clock=lambda: now)
    _same(run.out.replace(bad, str(tmp_path / "bad2")), repaired.to_dict())
