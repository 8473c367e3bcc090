"""Every command against the exit-code table of docs/reference/cli.md.

The commands are enumerated from the click group itself (subcommands of ``audit``
and ``ledger`` included), so a new command fails here until it has a row in
:data:`~preserve.cli._reference.EXIT_BY_COMMAND` and a case below for success (0),
a usage error (2), and an input that is not there (the code its row documents).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from preserve.cli import _reference, main
from preserve.cli._errors import EXIT_CODES, EXIT_OK, EXIT_USAGE
from tests.e2e.conftest import Run, Tree, preserve

RECORD = "01-sorokin-arvelo-1962-03-02"


@dataclass(frozen=True)
class Places:
    """What the cases need: a good bag, a copy of it, a ledger that checked it, one
    valid record with its scans (an ingest source), and a path that is not there."""

    good: Path
    copy: Path
    ledger: Path
    record: Path
    source: Path
    scratch: Path

    @property
    def gone(self) -> Path:
        return self.scratch / "gone"


Case = Callable[[Places], list[str | Path]]

# command -> (success, usage error, input not there)
CASES: dict[str, tuple[Case, Case, Case]] = {
    "preserve audit run": (
        lambda p: ["audit", "run", p.good, "--ledger", p.scratch / "new.db"],
        lambda p: ["audit", "run", p.good, "--ledger", p.scratch / "u.db", "--max-age", "30"],
        lambda p: ["audit", "run", p.good, p.gone, "--ledger", p.scratch / "m.db"],
    ),
    "preserve audit status": (
        lambda p: ["audit", "status", "--ledger", p.ledger],
        lambda p: ["audit", "status", "--ledger", p.ledger, "--max-age", "30"],
        lambda p: ["audit", "status", "--ledger", p.gone],
    ),
    "preserve bag": (
        lambda p: ["bag", p.source / "files" / RECORD, "--out", p.scratch / "bag"],
        lambda p: ["bag", "--out", p.scratch / "bag"],
        lambda p: ["bag", p.source / "files" / RECORD, p.gone, "--out", p.scratch / "bag"],
    ),
    "preserve compare": (
        lambda p: ["compare", p.good, p.copy],
        lambda p: ["compare", p.good],
        lambda p: ["compare", p.good, p.gone, p.copy],
    ),
    "preserve extract": (
        lambda p: ["extract", p.record],
        lambda p: ["extract", p.record, "--format", "xml"],
        lambda p: ["extract", p.record, p.gone],
    ),
    "preserve ingest": (
        lambda p: ["ingest", p.source, "--out", p.scratch / "deposit"],
        lambda p: ["ingest", p.source],
        lambda p: ["ingest", p.gone, "--out", p.scratch / "deposit"],
    ),
    "preserve ledger events": (
        lambda p: ["ledger", "events", p.good, "--ledger", p.ledger],
        lambda p: ["ledger", "events", "--ledger", p.ledger],
        lambda p: ["ledger", "events", p.good, "--ledger", p.gone],
    ),
    "preserve ledger head": (
        lambda p: ["ledger", "head", "--ledger", p.ledger],
        lambda p: ["ledger", "head", "--ledger", p.ledger, "--no-such-option"],
        lambda p: ["ledger", "head", "--ledger", p.gone],
    ),
    "preserve ledger verify": (
        lambda p: ["ledger", "verify", "--ledger", p.ledger],
        lambda p: ["ledger", "verify", "--ledger", p.ledger, "--witness", "zzz"],
        lambda p: ["ledger", "verify", "--ledger", p.gone],
    ),
    "preserve repair": (
        lambda p: ["repair", p.copy, "--from", p.good],
        lambda p: ["repair", p.copy],
        lambda p: ["repair", p.copy, "--from", p.gone],
    ),
    "preserve validate": (
        lambda p: ["validate", p.record],
        lambda p: ["validate"],
        lambda p: ["validate", p.record, p.gone],
    ),
    "preserve verify": (
        lambda p: ["verify", p.good],
        lambda p: ["verify", p.good, "--mode", "sloppy"],
        lambda p: ["verify", p.good, p.gone],
    ),
}


def _runnable() -> list[str]:
    """Every command that does something (groups only dispatch)."""
    return [
        " ".join(path)
        for path, command in _reference._walk(main, ["preserve"])
        if not isinstance(command, click.Group)
    ]


def test_every_command_has_a_documented_row_and_cases() -> None:
    commands = _runnable()
    assert "preserve ledger verify" in commands  # subcommands are walked too
    assert sorted(_reference.EXIT_BY_COMMAND) == sorted(commands)
    assert sorted(CASES) == sorted(commands)
    documented = {code for code, _, _ in EXIT_CODES}
    assert {code for _, _, code, _ in _reference.EXIT_BY_COMMAND.values()} <= documented
    cli_md = (Path(__file__).parents[2] / "docs" / "reference" / "cli.md").read_text("utf-8")
    for name in commands:
        assert f"| `{name}` |" in cli_md, f"{name} has no row in docs/reference/cli.md"


@pytest.fixture(scope="module")
def places(tree: Tree, tmp_path_factory: pytest.TempPathFactory) -> Places:
    root = tmp_path_factory.mktemp("exit-table")
    copy = root / "copy"
    shutil.copytree(tree.good_bag, copy)
    source = root / "source"
    (source / "records").mkdir(parents=True)
    record = source / "records" / f"{RECORD}.txt"
    shutil.copy(tree.src / "records" / f"{RECORD}.txt", record)
    shutil.copytree(tree.src / "files" / RECORD, source / "files" / RECORD)
    ledger = root / "ledger.db"
    made = preserve("audit", tree.good_bag, "--ledger", ledger)
    assert made.code == EXIT_OK, made.out + made.err
    return Places(tree.good_bag, copy, ledger, record, source, root)


def _run(case: Case, places: Places, scratch: Path) -> Run:
    here = Places(places.good, places.copy, places.ledger, places.record, places.source, scratch)
    return preserve(*case(here))


@pytest.mark.parametrize("command", sorted(CASES))
def test_success_is_0(command: str, places: Places, tmp_path: Path) -> None:
    run = _run(CASES[command][0], places, tmp_path)
    assert run.code == EXIT_OK, (run.args, run.out, run.err)
    assert "Traceback" not in run.err


@pytest.mark.parametrize("command", sorted(CASES))
def test_usage_error_is_2(command: str, places: Places, tmp_path: Path) -> None:
    run = _run(CASES[command][1], places, tmp_path)
    assert run.code == EXIT_USAGE, (run.args, run.out, run.err)
    assert "Traceback" not in run.err
    assert run.err.strip(), "a usage error says what is wrong"
    assert not (tmp_path / "bag").exists()
    assert not (tmp_path / "u.db").exists()  # nothing was done


@pytest.mark.parametrize("command", sorted(CASES))
def test_an_input_not_there_is_as_documented(command: str, places: Places, tmp_path: Path) -> None:
    expected = _reference.EXIT_BY_COMMAND[command][2]
    run = _run(CASES[command][2], places, tmp_path)
    assert run.code == expected, (run.args, run.out, run.err)
    assert "Traceback" not in run.err
    assert str(tmp_path / "gone") in run.out + run.err  # named with its path
    for made in ("bag", "deposit"):
        assert not (tmp_path / made).exists()  # nothing built from the rest


def test_compare_reports_a_copy_that_is_not_there_and_compares_the_rest(
    places: Places, tmp_path: Path
) -> None:
    gone = tmp_path / "gone"
    run = preserve("compare", places.good, gone, places.copy, "--format", "json")
    assert run.code == 1, run.err
    report = json.loads(run.out)
    valid = {Path(c["copy"]).name: c["valid"] for c in report["copies"]}
    assert valid == {"good": True, "gone": False, "copy": True}
    (absent,) = [c for c in report["copies"] if c["copy"] == str(gone)]
    assert [f["code"] for f in absent["findings"]] == ["BAG-012"]
    # Every file of the absent copy is missing, never "intact".
    assert report["files"]
    for f in report["files"]:
        assert f["states"][str(gone)] == "missing"
        assert f["states"][str(places.good)] == "intact"
