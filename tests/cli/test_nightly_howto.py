"""docs/how-to/nightly-audit.md: the unit's, the cron line's and the "check on it" commands
run as written (paths moved into a temporary folder), through the real CLI."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.unit.audit.bags import make_test_bag

HOWTO = REPO / "docs" / "how-to" / "nightly-audit.md"


def _commands(tmp_path: Path) -> tuple[str, str, list[str]]:
    text = HOWTO.read_text(encoding="utf-8")
    (unit,) = re.findall(r"^ExecStart=(.*)$", text, flags=re.MULTILINE)
    (cron,) = re.findall(r"^15 1 \* \* \*\s+preserve\s+(.*?) \|\|", text, flags=re.MULTILINE)
    section = text.split("## Check on it", 1)[1].split("##", 1)[0]
    (block,) = re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    return unit, cron, [line for line in block.splitlines() if line.strip()]


def _run(command: str, tmp_path: Path, **words: str) -> subprocess.CompletedProcess[str]:
    for path, moved in (
        ("/opt/preserve/bin/preserve", "preserve"),
        ("/srv/bags", str(tmp_path / "srv" / "bags")),
        ("/var/lib/preserve", str(tmp_path / "var" / "lib" / "preserve")),
        ("/var/www/audit", str(tmp_path / "www")),
    ):
        command = command.replace(path, moved)
    argv = [words.get(word, word) for word in shlex.split(command)]
    assert argv[0] == "preserve", command
    return subprocess.run(
        [sys.executable, "-m", "preserve", *argv[1:]],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home")},  # another user's $HOME
    )


def test_unit_cron_and_check_on_it_commands_work_as_documented(tmp_path: Path) -> None:
    unit, cron, checks = _commands(tmp_path)
    for name in ("one", "two"):
        make_test_bag(tmp_path / "srv" / "bags", name)
    runs = [_run(unit, tmp_path), _run(unit, tmp_path)]
    for done in runs:
        assert done.returncode == 0, done.stderr
    log = "".join(done.stdout for done in runs)  # StandardOutput=append:…/audit.jsonl
    assert [json.loads(line)["status"] for line in log.splitlines()] == ["passed", "passed"]
    assert (tmp_path / "www" / "index.html").is_file()
    quiet = _run(cron, tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout.startswith("PASSED: 2 passed")

    status, head, verify, events = checks
    assert "audit status" in status
    assert "ledger head" in head
    done = _run(status, tmp_path)
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.splitlines()[-1]
        == "2 bags: 2 passed, 0 failed, 0 inaccessible, 0 overdue, 0 never checked"
    )
    witness = _run(head, tmp_path)
    assert witness.returncode == 0, witness.stderr
    assert re.fullmatch(r"[0-9a-f]{64}\n", witness.stdout)
    done = _run(verify, tmp_path, HEX=witness.stdout.strip())
    assert (done.returncode, done.stdout.split(":")[0]) == (0, "OK"), done.stderr
    bag = str(tmp_path / "srv" / "bags")
    done = _run(events, tmp_path, **{f"{bag}/BAG": f"{bag}/one"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("<premis:eventType") == 3  # three runs, three events
