"""The exit-code contract (preserve.cli._errors.EXIT_CODES) as a user meets it.

A missing input among good ones is a finding (exit 1) in every command, and the good
ones are still done; a reader that goes away is quiet (exit 141); an unexpected
exception is exit 3 with one line naming a log file; hostile values in records reach a
real terminal as text, never as markup or escape sequences.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import PRESERVE, SAMPLES, Tree, preserve

RECORD = "01-sorokin-arvelo-1962-03-02"


def test_closed_pipe_is_quiet(tree: Tree) -> None:
    """``preserve validate samples/ | head -1`` where head has already gone: no
    'Broken pipe', no 'Exception ignored', exit 141 as other Unix tools."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    try:
        done = subprocess.run(
            [PRESERVE, "validate", str(tree.src)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 141


def test_closed_pipe_in_a_shell_pipeline(tree: Tree) -> None:
    """The same through a shell: only head's line reaches the user, stderr is empty."""
    script = f'"{PRESERVE}" validate "{tree.src}" | head -1'
    done = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.stderr == ""
    assert len(done.stdout.splitlines()) == 1


def test_an_internal_error_is_one_line_exit_3_and_names_its_log(tree: Tree, tmp_path: Path) -> None:
    """A half-installed dependency (python-magic raising on import, as a broken wheel
    does): not a finding, not a traceback, but exit 3 and where the details went."""
    broken = tmp_path / "site"
    broken.mkdir()
    (broken / "magic.py").write_text('raise RuntimeError("half-installed package")\n', "utf-8")
    logs = tmp_path / "logs"
    logs.mkdir()
    env = {**os.environ, "PYTHONPATH": str(broken), "TMPDIR": str(logs), "COLUMNS": "200"}
    done = subprocess.run(
        [PRESERVE, "ingest", str(tree.src), "--out", str(tmp_path / "out"), "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 3
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "internal error (RuntimeError: half-installed package)" in lines[0]
    named = re.search(r"The details are in (\S+);", lines[0])
    assert named is not None
    log = Path(named.group(1))
    assert log.parent == logs
    details = log.read_text(encoding="utf-8")
    assert "Traceback" in details
    assert "RuntimeError: half-installed package" in details


def test_every_command_reports_a_missing_input_among_good_ones(tree: Tree, tmp_path: Path) -> None:
    """Exit 1 with the missing path named; where the command checks each input on its
    own, the good one is still checked and reported."""
    gone = tmp_path / "gone"
    record = tree.src / "records" / f"{RECORD}.txt"

    invalid = tree.src / "records" / "04-marking-mismatch.md"
    validate = preserve("validate", record, invalid, gone)
    assert (validate.code, str(gone) in validate.out + validate.err) == (1, True)
    assert "REC-035" in validate.out  # the others were still checked
    assert "2 records checked" in validate.out

    extract = preserve("extract", record, gone)
    assert (extract.code, str(gone) in extract.out + extract.err) == (1, True)
    assert '"archive_reference"' in extract.out  # and still extracted

    verify = preserve("verify", tree.good_bag, gone)
    assert (verify.code, str(gone) in verify.out + verify.err) == (1, True)
    assert str(tree.good_bag) in verify.out

    ledger = tmp_path / "ledger.db"
    audit = preserve("audit", tree.good_bag.parent, gone, "--ledger", ledger)
    assert (audit.code, str(gone) in audit.out + audit.err) == (1, True)
    assert "INACCESSIBLE" in audit.out

    bag = preserve("bag", tree.src / "files", gone, "--out", tmp_path / "B")
    assert (bag.code, str(gone) in bag.err) == (1, True)
    assert not (tmp_path / "B").exists()  # one bag from all its sources: nothing made

    ingest = preserve("ingest", gone, "--out", tmp_path / "I")
    assert (ingest.code, str(gone) in ingest.err) == (1, True)
    assert not (tmp_path / "I").exists()


HOSTILE = {
    "markup": "x[/b] [bold red]loud[/bold red] [link=http://evil.example]click[/link]",
    "ansi": "\x1b[31mred\x1b[0m\x1b]8;;http://evil.example\x07link\x1b]8;;\x07",
    "rtl": "abc\u202edcba\u200f\u2066end",
    "control": "bell\x07back\x08space\rreturn",
}


SHOWN = {
    "markup": "x[/b] [bold red]loud[/bold red]",
    "ansi": "\\u001b[31mred\\u001b[0m",
    "rtl": "abc\\u202edcba\\u200f\\u2066end",
    "control": "bell\\u0007back\\u0008space",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_values_reach_a_terminal_as_text(kind: str, tmp_path: Path) -> None:
    """``preserve validate`` on a real pseudo-terminal (rich draws its colours and bar):
    no crash, no markup interpreted, no escape or bidi control passed through raw."""
    value = HOSTILE[kind]
    extracted = preserve("extract", SAMPLES / "records" / f"{RECORD}.txt")
    (data,) = json.loads(extracted.out)
    data["archive_reference"]["citation"] = value  # every finding's label
    data["outgoing_number"] = value  # quoted in REC-038's message
    del data["rights"]  # REC-041: the record is listed
    record = tmp_path / "records" / f"{kind}.json"
    record.parent.mkdir()
    record.write_text(json.dumps(data), encoding="utf-8")
    code, screen = _on_a_terminal([PRESERVE, "validate", str(record.parent)], tmp_path)
    assert code == 1, screen  # an invalid record, reported: not a crash (3) or usage (2)
    assert "Traceback" not in screen
    assert "record checked" in screen
    # Rich adds its own colour and cursor codes; nothing of the value is live: its
    # controls are shown as \uXXXX escapes, its markup as the brackets it is.
    for raw in ("\x1b[31mred", "\x1b]8;;http", "\x07", "\x08", "\u202e", "\u200f", "\u2066"):
        assert raw not in screen
    assert SHOWN[kind] in screen


def _on_a_terminal(argv: list[str], cwd: Path) -> tuple[int, str]:
    """Run *argv* with stdout and stderr on a pseudo-terminal; its exit code and screen."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "200", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(argv, stdout=follower, stderr=follower, cwd=cwd, env=env)
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            proc.kill()
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    code = proc.wait(timeout=120)
    return code, b"".join(chunks).decode("utf-8", errors="replace")


def test_a_finding_is_one_line_whatever_its_file_is_named(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "a\nb.txt").write_bytes(b"x")
    (source / "c\td.txt").write_bytes(b"y")
    bag = tmp_path / "bag"
    assert preserve("bag", source, "--out", bag, "-q").code == 0
    (bag / "data" / "src" / "a\nb.txt").unlink()
    (bag / "data" / "src" / "c\td.txt").unlink()
    run = preserve("verify", bag)
    assert run.code == 1
    lines = [line for line in run.out.splitlines() if "BAG-030" in line]
    assert len(lines) == 2  # each finding on its own line, names escaped
    assert any("data/src/a\\nb.txt" in line for line in lines)


def test_out_in_a_folder_that_does_not_exist_is_refused_before_any_work(tmp_path: Path) -> None:
    document = next((SAMPLES / "records").glob("01*"))
    run = preserve("extract", document, "-q", "--out", tmp_path / "nodir" / "out.json")
    assert run.code == 2
    assert f"the folder {tmp_path / 'nodir'} does not exist; create it first" in run.err
    assert ".tmp" not in run.err
    assert not (tmp_path / "nodir").exists()
