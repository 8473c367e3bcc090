"""Faults a tester found in ``preserve bag``, each run as a user would: the real CLI in a
subprocess, judged by its exit status, what it printed and what it left on disk."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from preserve import serialize_bag
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


def test_an_archive_in_the_way_is_refused_before_anything_is_built(tmp_path: Path) -> None:
    """It printed "Built …/s", then the refusal, exit 3, and left the bag at s (exit 3
    says nothing is left at --out), so the next run failed with "s already exists"."""
    source = _source(tmp_path, "g")
    (tmp_path / "s.tar.gz").write_text("x\n", encoding="utf-8")
    run = preserve("bag", "g", "--out", "s", "--serialize", "tgz", cwd=tmp_path)
    assert run.code == 3, (run.out, run.err)
    assert f"{tmp_path / 's.tar.gz'} already exists" in run.err
    assert "--replace" in run.err
    assert "Built" not in run.out + run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g", "s.tar.gz"]  # nothing built
    assert (tmp_path / "s.tar.gz").read_text(encoding="utf-8") == "x\n"
    (tmp_path / "s.tar.gz").unlink()  # what the message says to do; then it works
    again = preserve("bag", "g", "--out", "s", "--serialize", "tgz", cwd=tmp_path)
    assert again.code == 0, again.err
    assert preserve("verify", tmp_path / "s.tar.gz").code == 0
    # Written from the bag before it was put in place, and still reproducible: the same
    # bytes as serializing the finished bag.
    again_archive = serialize_bag(tmp_path / "s", tmp_path / "other.tar.gz", fmt="tgz")
    assert again_archive.read_bytes() == (tmp_path / "s.tar.gz").read_bytes()
    assert source.is_dir()


def test_in_place_an_archive_in_the_way_is_refused_before_the_folder_is_converted(
    tmp_path: Path,
) -> None:
    source = _source(tmp_path, "g")
    (tmp_path / "g.zip").write_text("x\n", encoding="utf-8")
    before = _snapshot(source)
    run = preserve("bag", "g", "--in-place", "--serialize", "zip", cwd=tmp_path)
    assert run.code == 3, (run.out, run.err)
    assert "g.zip already exists" in run.err
    assert _snapshot(source) == before  # still the user's folder, not a bag
    (tmp_path / "g.zip").unlink()
    converted = preserve("bag", "g", "--in-place", "--serialize", "zip", cwd=tmp_path)
    assert converted.code == 0, converted.err
    assert f"Serialized {tmp_path / 'g.zip'}" in converted.err
    assert preserve("verify", tmp_path / "g.zip").code == 0


def test_an_archive_that_cannot_be_written_leaves_no_bag(tmp_path: Path) -> None:
    """A failure of the serialization itself (two names that differ only in case: a
    warning for the bag, refused in an archive) leaves nothing this run built."""
    _source(tmp_path, "g", {"A": "1\n", "a": "2\n"})
    run = preserve("bag", "g", "--out", "s", "--serialize", "zip", cwd=tmp_path)
    assert run.code == 3, (run.out, run.err)
    assert "'data/g/A' and 'data/g/a'" in run.err
    assert str(tmp_path / "s") in run.err  # the bag as the user named it, not a staging path
    assert "preserve-staging" not in run.err
    assert "Built" not in run.out + run.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g"]  # no bag, archive or parts


def test_with_replace_an_archive_that_cannot_be_written_keeps_the_old_bag_and_archive(
    tmp_path: Path,
) -> None:
    source = _source(tmp_path, "g")
    _built(tmp_path, source, tmp_path / "s", "--serialize", "zip")
    before = {name: _snapshot(tmp_path / name) for name in ("s",)}
    archives = {p.name: p.read_bytes() for p in tmp_path.glob("s.zip*")}
    assert sorted(archives) == ["s.zip", "s.zip.sha256"]
    (source / "A").write_text("1\n", encoding="utf-8")
    (source / "a").write_text("2\n", encoding="utf-8")
    run = preserve("bag", "g", "--out", "s", "--serialize", "zip", "--replace", cwd=tmp_path)
    assert run.code == 3, (run.out, run.err)
    assert "Replaced" not in run.out + run.err
    assert {name: _snapshot(tmp_path / name) for name in ("s",)} == before
    assert {p.name: p.read_bytes() for p in tmp_path.glob("s.zip*")} == archives
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g", "s", "s.zip", "s.zip.sha256"]


def _special(tmp_path: Path, kind: str) -> tuple[Path, Path]:
    """A source holding what a bag cannot: (the source, the offending entry)."""
    source = _source(tmp_path, "g", {"a": "1\n", "sub/b": "2\n"})
    entry = source / "sub" / kind
    if kind == "link":
        entry.symlink_to(source / "a")
    elif kind == "fifo":
        os.mkfifo(entry)
    else:
        entry.write_text("secret\n", encoding="utf-8")
        entry.chmod(0)
    return source, entry


# The exit table (docs/reference/cli.md, EXIT_BY_COMMAND): exit 1 is "something given
# is wrong or could not be read"; 3 is the command unable to do its job (an output it
# cannot write). A link or FIFO in a source is what was given; so is a file that cannot
# be read, whether it is copied or converted in place.
@pytest.mark.parametrize("in_place", [False, True], ids=["copy", "in place"])
@pytest.mark.parametrize("kind", ["link", "fifo", "unreadable"])
def test_a_source_holding_what_a_bag_cannot_is_exit_1_with_its_name(
    tmp_path: Path, kind: str, in_place: bool
) -> None:
    source, entry = _special(tmp_path, kind)
    before = {p.name: p.lstat().st_mode for p in source.rglob("*")}
    where = ["--in-place"] if in_place else ["--out", str(tmp_path / "out")]
    run = preserve("bag", source, *where, unprivileged=True)
    assert run.code == 1, (run.code, run.out, run.err)
    assert str(entry) in run.err
    assert "Traceback" not in run.err
    assert not (tmp_path / "out").exists()
    assert {p.name: p.lstat().st_mode for p in source.rglob("*")} == before  # unchanged
    assert not (source / "bagit.txt").exists()


def _json_error(run: Run) -> list[str]:
    """The JSON error document a failed ``--format json`` run printed on stdout."""
    assert run.out, f"no JSON on stdout; stderr: {run.err}"
    doc = json.loads(run.out)
    assert isinstance(doc, dict)
    assert doc["ok"] is False
    assert doc["exit"] == run.code
    assert doc["findings"] == []
    errors = doc["errors"]
    assert isinstance(errors, list)
    assert errors
    assert run.err == "".join(f"Error: {e}\n" for e in errors)  # the same as stderr
    assert doc["version"] == 1
    return [str(e) for e in errors]


def test_a_failed_bag_still_prints_json(tmp_path: Path) -> None:
    source = _source(tmp_path, "g")
    (tmp_path / "g.zip").write_text("x\n", encoding="utf-8")
    (tmp_path / "l").mkdir()
    link_source, _ = _special(tmp_path / "l", "link")
    cases: list[tuple[int, list[str | Path]]] = [
        (1, [tmp_path / "nope", tmp_path / "gone", "--out", tmp_path / "o1"]),
        (1, [link_source, "--out", tmp_path / "o2"]),
        (2, [source]),
        (3, [source, "--out", tmp_path / "g", "--serialize", "zip"]),
        (3, [source, "--out", source.parent / "inside" / "bag"]),
    ]
    for code, args in cases:
        run = preserve("bag", *args, "--format", "json")
        assert run.code == code, (args, run.out, run.err)
        _json_error(run)
    missing = preserve("bag", tmp_path / "nope", tmp_path / "gone", "--out", tmp_path / "o")
    assert missing.out == ""  # text: stdout stays empty
    both = _json_error(preserve("bag", tmp_path / "nope", tmp_path / "gone", "--format", "json"))
    assert len(both) == 2


def test_bag_json_lists_each_warning_once(tmp_path: Path) -> None:
    """Version 1 repeated every finding under "warnings"; the documented key (every
    result's, docs/reference/api.md) is "findings"."""
    _source(tmp_path, "g", {"A": "1\n", "a": "2\n"})
    run = preserve("bag", "g", "--out", "s", "--format", "json", cwd=tmp_path)
    assert run.code == 0, run.err
    doc = json.loads(run.out)
    assert doc["version"] == 2
    assert "warnings" not in doc
    assert [f["code"] for f in doc["findings"]] == ["BAG-080"]


def test_replace_refuses_a_bag_it_cannot_read_in_full(tmp_path: Path) -> None:
    """A folder in the old bag that cannot be listed may hold anything: never replaced
    unseen."""
    source = _source(tmp_path, files={"a": "1\n", "sub/b": "2\n"})
    out = tmp_path / "rr"
    _built(tmp_path, source, out)
    hidden = out / "data" / "s2" / "sub"
    hidden.chmod(0)
    try:
        run = preserve("bag", source, "--out", out, "--replace", unprivileged=True)
    finally:
        hidden.chmod(0o755)
    assert run.code == 3, (run.out, run.err)
    assert f"cannot read {hidden}" in run.err
    assert "nothing was changed" in run.err
    assert (hidden / "b").read_text(encoding="utf-8") == "2\n"
