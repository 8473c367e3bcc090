"""Faults a tester found in ``preserve bag``, each run as a user would: the real CLI in a
subprocess, judged by its exit status, what it printed and what it left on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import Run, preserve


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under *folder* and its bytes (folders by their names, empty)."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel + ("/" if path.is_dir() else "")] = b"" if path.is_dir() else path.read_bytes()
    return found


def _source(tmp_path: Path, name: str = "s2", files: dict[str, str] | None = None) -> Path:
    source = tmp_path / name
    source.mkdir()
    for rel, text in (files or {"a": "1\n"}).items():
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_text(text, encoding="utf-8")
    return source


def _built(tmp_path: Path, source: Path, out: Path, *extra: str) -> None:
    made = preserve("bag", source, "--out", out, "-q", *extra, cwd=tmp_path)
    assert made.code == 0, made.err


def _refused(run: Run, what: str) -> None:
    """Exit 3 (an output it cannot write: the table in docs/reference/cli.md), the
    stray file named with what to do, no traceback and no claim that a bag was made."""
    assert run.code == 3, (run.code, run.out, run.err)
    assert what in run.err, run.err
    assert "Move it out" in run.err, run.err
    assert "Replaced" not in run.out + run.err
    assert "Traceback" not in run.err


@pytest.mark.parametrize(
    "stray",
    ["data/s2/NOTE", "data/NOTE", "data/s2/deeper/NOTE", "metadata/extra.txt"],
)
def test_replace_refuses_a_bag_holding_a_file_no_manifest_lists(tmp_path: Path, stray: str) -> None:
    """``--replace`` deleted a note added to the old bag's payload (or beside its listed
    tag files) after it was made; --help promises such a bag is refused."""
    source = _source(tmp_path)
    record = tmp_path / "r.json"
    record.write_text('{"title": "T"}', encoding="utf-8")
    out = tmp_path / "rr"
    _built(tmp_path, source, out, "--record", str(record))
    (out / stray).parent.mkdir(parents=True, exist_ok=True)
    (out / stray).write_text("note\n", encoding="utf-8")
    before = _snapshot(out)
    run = preserve("bag", source, "--out", out, "--replace", "--record", record, cwd=tmp_path)
    _refused(run, repr(stray))
    assert _snapshot(out) == before  # the old bag, byte for byte
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "rr", "s2"]  # no staging


def test_replace_still_replaces_a_bag_whose_files_are_all_listed(tmp_path: Path) -> None:
    source = _source(tmp_path, files={"a": "1\n", "sub/b%c": "2\n"})
    out = tmp_path / "rr"
    _built(tmp_path, source, out)
    (source / "a").write_text("changed\n", encoding="utf-8")
    run = preserve("bag", source, "--out", out, "--replace", cwd=tmp_path)
    assert run.code == 0, run.err
    assert run.out.startswith(f"Replaced {out}")
    assert (out / "data" / "s2" / "a").read_text(encoding="utf-8") == "changed\n"
