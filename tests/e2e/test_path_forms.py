"""Every command gives the same result whichever form its paths are given in.

Relative, absolute, ``.``, a trailing slash and a symlinked parent folder must give
equal bags, PREMIS, reports and ledger rows, up to the paths printed (compared with
paths reduced to their last name). Before this was tested, ``preserve ingest samples/``
(the README's quick start) recorded every TIFF and PNG as application/octet-stream.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import Tree, normalized, path_forms, preserve

_HEX = re.compile(r"\b[0-9a-f]{16,}\b")


def _same_across_forms(results: dict[str, str]) -> None:
    first = results["absolute"]
    for label, value in results.items():
        assert value == first, f"{label} differs from absolute"


def _deposit(deposit: Path, arg: str) -> str:
    """What a deposit holds, as one text: every file but the tag manifests (which hash
    the PREMIS document, whose times and original names differ by design)."""
    parts = []
    for path in sorted(p for p in deposit.rglob("*") if p.is_file()):
        if path.name.startswith("tagmanifest-") or path.suffix not in {".txt", ".xml", ".json"}:
            continue
        text = path.read_text(encoding="utf-8").replace(deposit.name, "<deposit>")
        text = _dot_named(text, arg, "src")
        parts.append(f"== {path.relative_to(deposit)}\n{normalized(text)}")
    return "\n".join(parts)


@pytest.mark.parametrize("output", ["text", "json"])
def test_validate(tree: Tree, tmp_path: Path, output: str) -> None:
    results = {}
    for label, arg, cwd in path_forms(tree.src, tmp_path):
        run = preserve("validate", arg, "--format", output, cwd=cwd)
        assert run.code == 1, run.err  # the samples hold invalid records on purpose
        results[label] = normalized(run.out)
    _same_across_forms(results)


def test_extract(tree: Tree, tmp_path: Path) -> None:
    results = {}
    for label, arg, cwd in path_forms(tree.src / "records", tmp_path):
        run = preserve("extract", arg, cwd=cwd)
        assert run.code == 0, run.err
        results[label] = normalized(run.out) + normalized(run.err)
    _same_across_forms(results)


def test_ingest_premis_bags_and_reports(tree: Tree, tmp_path: Path) -> None:
    results = {}
    for label, arg, cwd in path_forms(tree.src, tmp_path):
        deposit = tmp_path / f"deposit-{label.replace(' ', '-')}"
        run = preserve("ingest", arg, "--out", deposit, "--format", "json", cwd=cwd)
        assert run.code == 1, run.err  # some sample records are refused on purpose
        results[label] = _deposit(deposit, arg)
    _same_across_forms(results)
    # ... and right: the scans' formats identified, in every form (the normalized texts
    # are equal, so checking one deposit's PREMIS checks them all).
    premis = "".join(
        p.read_text("utf-8") for p in (tmp_path / "deposit-relative").rglob("premis.xml")
    )
    assert "<premis:formatName>image/tiff<" in premis
    assert "<premis:formatName>image/png<" in premis
    assert "octet-stream" not in premis


def test_bag(tree: Tree, tmp_path: Path) -> None:
    results = {}
    scans = tree.src / "files" / "02-sorokin-arvelo-1962-03-20"
    for label, arg, cwd in path_forms(scans, tmp_path):
        out = tmp_path / f"bag-{label.replace(' ', '-')}"
        run = preserve("bag", arg, "--out", out, "--format", "json", cwd=cwd)
        assert run.code == 0, run.err
        files = sorted(p for p in out.rglob("*") if p.is_file())
        results[label] = "".join(
            f"== {p.relative_to(out)}\n{normalized(p.read_text('utf-8', 'replace'))}"
            for p in files
            if p.suffix == ".txt"
        )
    _same_across_forms(results)


@pytest.mark.parametrize("output", ["text", "json"])
def test_verify(tree: Tree, tmp_path: Path, output: str) -> None:
    results = {}
    for label, arg, cwd in path_forms(tree.good_bag, tmp_path):
        run = preserve("verify", arg, "--format", output, cwd=cwd)
        assert run.code == 0, run.out
        results[label] = normalized(_dot_named(run.out, arg, tree.good_bag.name))
    _same_across_forms(results)


def _dot_named(text: str, arg: str, name: str) -> str:
    """A bag given as ``.`` is printed as ``.``: name it, as the other forms are."""
    if arg != ".":
        return text
    return re.sub(r'^\.:|(?<=")\.(?=")', lambda m: m.group().replace(".", name), text, flags=re.M)


def test_audit_and_its_ledger_rows(tree: Tree, tmp_path: Path) -> None:
    results = {}
    for label, arg, cwd in path_forms(tree.good_bag, tmp_path):
        ledger = tmp_path / f"ledger-{label.replace(' ', '-')}.sqlite"
        run = preserve("audit", arg, "--ledger", ledger, "--format", "json", cwd=cwd)
        assert run.code == 0, run.out + run.err
        rows = preserve("ledger", "events", tree.good_bag, "--ledger", ledger)
        assert rows.code == 0
        assert rows.out.count("passed") == 1, (label, rows.out)  # one row, found by path
        results[label] = _HEX.sub("<hex>", normalized(run.out.replace(ledger.name, "<ledger>")))
    _same_across_forms(results)
