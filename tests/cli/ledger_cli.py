"""The real CLI in a subprocess, for tests of audits over several runs of one ledger."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_preserve(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``preserve ARGS`` as a user runs it, in a process of its own."""
    command = [sys.executable, "-m", "preserve", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def audit_status(ledger: Path) -> tuple[int, dict[str, str]]:
    """``audit status``: its exit code and each listed bag's outcome."""
    done = run_preserve("audit", "status", "--ledger", ledger)
    rows = [line.split() for line in done.stdout.splitlines()[1:-1]]
    return done.returncode, {row[-1]: row[1] for row in rows}
