"""Code examples in the docs run, from the top of the checkout, and print what they show.

A page listed in PAGES has its ``console`` and ``pycon`` blocks run:

- ``console``: each ``$ preserve ...`` line is run as a subprocess (this checkout's
  preserve, through ``python -m preserve``); the lines after it, up to the next
  ``$``, must match its stdout, where ``...`` stands for any text (doctest's ELLIPSIS).
  The command must exit 0.
- ``pycon``: run with doctest (ELLIPSIS on).

Add a page to PAGES when its examples are written to run.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import subprocess
import sys

import pytest

from tests.conftest import REPO

PAGES = ["docs/reference/extraction.md"]
_FENCE_RE = re.compile(r"^```(?P<kind>console|pycon)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


def _blocks(kind: str) -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        text = (REPO / page).read_text(encoding="utf-8")
        for n, match in enumerate(_FENCE_RE.finditer(text), 1):
            if match.group("kind") == kind:
                found.append((f"{page}#{kind}{n}", match.group("body")))
    return found


def _commands(body: str) -> list[tuple[str, str]]:
    """``(command, expected stdout)`` pairs of a console block."""
    pairs: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        else:
            assert pairs, f"output before any command: {line!r}"
            pairs[-1][1].append(line)
    return [(command, "\n".join(out) + "\n") for command, out in pairs]


CONSOLE = _blocks("console")
PYCON = _blocks("pycon")


def test_the_listed_pages_have_examples() -> None:
    assert CONSOLE
    assert PYCON


@pytest.mark.parametrize(("name", "body"), CONSOLE, ids=[n for n, _ in CONSOLE])
def test_console_example(name: str, body: str) -> None:
    checker = doctest.OutputChecker()
    for command, expected in _commands(body):
        argv = shlex.split(command)
        assert argv[0] == "preserve", f"{name}: only preserve commands are run: {command}"
        done = subprocess.run(
            [sys.executable, "-m", "preserve", *argv[1:]],
            cwd=REPO,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "80"},
            check=False,
        )
        assert done.returncode == 0, f"{name}: {command}\n{done.stderr}"
        assert checker.check_output(expected, done.stdout, doctest.ELLIPSIS), (
            f"{name}: {command}\n"
            + checker.output_difference(doctest.Example(command, expected), done.stdout, 0)
        )


@pytest.mark.parametrize(("name", "body"), PYCON, ids=[n for n, _ in PYCON])
def test_pycon_example(name: str, body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    test = doctest.DocTestParser().get_doctest(body, {}, name, name, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
