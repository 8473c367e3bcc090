"""End-to-end tests of the seams: the real ``preserve`` CLI in subprocesses.

One session-scoped sample tree serves every test (built once: the samples, one bag
made by ``preserve bag``); tests that change files work on their own copies.

Unreadable folders are made with mode 000. The suite runs as root in CI, and root
reads through mode 000 (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so the CLI is then run
without those two capabilities (``setpriv --bounding-set``): the kernel refuses it as it
would refuse an archivist's account, no mocks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

PRESERVE = str(Path(sys.executable).parent / "preserve")
SAMPLES = REPO / "samples"
STEM = "01-sorokin-arvelo-1962-03-02"  # sample record 01, with a folder of two scans
BAG = "avp-rf-f-0999-op-7-p-41-d-12-ll-14-16"  # the bag ingest makes of it
DROP_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


@dataclass(frozen=True)
class Run:
    """A finished CLI run."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str


def preserve(
    *args: str | os.PathLike[str], cwd: Path | None = None, unprivileged: bool = False
) -> Run:
    """Run ``preserve ARGS`` in a subprocess (the worktree's own install).

    :param unprivileged: run without the capabilities that let root read mode-000
        files and folders (a no-op prefix when the tests do not run as root).
    """
    given = [os.fspath(a) for a in args]
    argv = [PRESERVE, *given]
    if unprivileged and os.geteuid() == 0:
        argv = [*DROP_DAC, *argv]
    env = {**os.environ, "COLUMNS": "200", "PRESERVE_AGENT": "tester"}
    env.pop("PRESERVE_SHARED", None)
    done = subprocess.run(
        argv, cwd=cwd, capture_output=True, text=True, env=env, timeout=120, check=False
    )
    return Run(tuple(given), done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True)
class Tree:
    """The session's sample tree: ``src/`` (records/ and files/) and ``bags/good``."""

    root: Path

    @property
    def src(self) -> Path:
        return self.root / "src"

    @property
    def good_bag(self) -> Path:
        return self.root / "bags" / "good"

    @property
    def nested(self) -> Path:
        """A folder three deep: x.txt, a/y.txt, a/b/z.txt."""
        return self.root / "nested"

    @property
    def nested_bag(self) -> Path:
        """A bag of :attr:`nested` (its payload under data/nested/)."""
        return self.root / "bags" / "nested"

    def copy(self, into: Path) -> Tree:
        """A private copy, to make parts of it unreadable."""
        shutil.copytree(self.root, into, symlinks=True)
        return Tree(into)


@pytest.fixture(scope="session")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    root = tmp_path_factory.mktemp("tree")
    shutil.copytree(SAMPLES, root / "src")
    (root / "bags").mkdir()
    scans = root / "src" / "files" / "01-sorokin-arvelo-1962-03-02"
    made = preserve("bag", scans, "--out", root / "bags" / "good")
    assert made.code == 0, made.err
    nested = root / "nested"
    (nested / "a" / "b").mkdir(parents=True)
    for name, text in {"x.txt": "1", "a/y.txt": "22", "a/b/z.txt": "333"}.items():
        (nested / name).write_text(text, encoding="utf-8")
    made = preserve("bag", nested, "--out", root / "bags" / "nested")
    assert made.code == 0, made.err
    return Tree(root)


@pytest.fixture
def own_tree(tree: Tree, tmp_path: Path) -> Iterator[Tree]:
    """A copy of the tree; every mode is restored afterwards so pytest can delete it."""
    mine = tree.copy(tmp_path / "tree")
    yield mine
    for folder, dirs, _ in os.walk(mine.root):
        for d in dirs:
            os.chmod(Path(folder) / d, 0o755)


def unreadable(path: Path) -> None:
    """Make *path* unreadable (mode 000)."""
    path.chmod(0)


_PATHISH = re.compile(r"[^\s'\"(\[<>]*/[^\s'\"),;\]<>]*")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def normalized(text: str) -> str:
    """*text* with every path reduced to its last name, times and UUIDs blanked: what
    must be equal whichever form the paths were given in."""
    text = _TIME.sub("<time>", text)
    text = _UUID.sub("<uuid>", text)
    return _PATHISH.sub(lambda m: m.group().rstrip("/").rsplit("/", 1)[-1] or "/", text)


def path_forms(target: Path, scratch: Path) -> Iterator[tuple[str, str, Path]]:
    """(label, argument, cwd) for every way a user can name *target*: absolute,
    relative, ``.`` (run inside it), with a trailing slash, through a symlinked parent."""
    link = scratch / f"link-to-{target.parent.name}"
    if not link.exists():
        link.symlink_to(target.parent, target_is_directory=True)
    yield "absolute", str(target), scratch
    yield "relative", os.path.relpath(target, target.parent.parent), target.parent.parent
    if target.is_dir():
        yield "dot", ".", target
        yield "trailing slash", str(target) + "/", scratch
        yield "dot-relative slash", "./" + target.name + "/", target.parent
    yield "symlinked parent", str(link / target.name), scratch


def codes(run: Run) -> Sequence[str]:
    """The finding codes a run printed (any reporter)."""
    return sorted(set(re.findall(r"\b[A-Z]{3}-\d{3}\b", run.out + run.err)))


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A SOURCE of the samples with only record 01 (and its folder of two scans)."""
    src = tmp_path / "source"
    shutil.copytree(SAMPLES, src)
    for record in (src / "records").iterdir():
        if not record.name.startswith("01-"):
            record.unlink()
    shutil.rmtree(src / "files" / "02-sorokin-arvelo-1962-03-20")
    return src
