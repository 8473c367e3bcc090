"""Every code example in docs/ is run by the suite, or says why it cannot be.

Each fenced block of code (``python``, ``pycon``, ``console``, ``sh``, ``bash``) in
docs/**/*.md, known by its page and first line, is in exactly one of:

- ``RUN_ELSEWHERE``: run by the named test module (which must read that page);
- ``RUN_HERE``: run below, as a reader would, in a folder set up as the page assumes
  (python as a script; each ``preserve`` line of a shell block as a command);
- ``NOT_RUN``: with the reason it cannot run in the suite.

A new example fails :func:`test_every_example_is_run_or_says_why_not` until it is put
in one of them; an entry whose example is gone fails it too.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

DOCS = REPO / "docs"
CODE_KINDS = ("python", "pycon", "console", "sh", "bash", "shell")
_FENCE = re.compile(
    r"^(?P<indent> *)```(?P<kind>\w+)[^\n]*\n(?P<body>.*?)^(?P=indent)```", re.M | re.S
)


@dataclass(frozen=True)
class Example:
    page: str  # relative to the checkout
    kind: str
    body: str

    @property
    def key(self) -> tuple[str, str]:
        first = next(line for line in self.body.splitlines() if line.strip())
        return self.page, first.strip()


def examples() -> list[Example]:
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for m in _FENCE.finditer(text):
            if m.group("kind") in CODE_KINDS:
                indent = len(m.group("indent"))
                body = "".join(line[indent:] for line in m.group("body").splitlines(True))
                found.append(Example(path.relative_to(REPO).as_posix(), m.group("kind"), body))
    return found


RUN_ELSEWHERE: dict[tuple[str, str], str] = {
    ("docs/how-to/audit-s3-replicas.md", "preserve verify s3://archive/deposits/2024-001"): (
        "tests/s3/test_howto_s3.py"
    ),
    (
        "docs/how-to/audit-s3-replicas.md",
        "preserve verify --strict s3://archive/deposits/2024-001",
    ): ("tests/s3/test_howto_s3.py"),
    (
        "docs/how-to/audit-s3-replicas.md",
        "preserve audit s3://archive/deposits/ --replica s3://offsite/deposits/"
        " --replica /srv/bags/ --ledger audit.sqlite",
    ): "tests/s3/test_howto_s3.py",
    (
        "docs/how-to/audit-s3-replicas.md",
        "preserve bag scans/ --out s3://archive/deposits/2024-001",
    ): ("tests/s3/test_howto_s3.py"),
    (
        "docs/how-to/audit-s3-replicas.md",
        "preserve compare /srv/bags/2024-001 s3://archive/deposits/2024-001 s3://offsite/deposits/2024-001",
    ): "tests/s3/test_howto_s3.py",
    (
        "docs/how-to/audit-s3-replicas.md",
        "preserve repair s3://offsite/deposits/2024-001 --from /srv/bags/2024-001"
        " --ledger audit.sqlite",
    ): "tests/s3/test_howto_s3.py",
    ("docs/how-to/build-a-bag.md", "from pathlib import Path"): "tests/test_docs_examples.py",
    (
        "docs/how-to/nightly-audit.md",
        "preserve audit status --ledger /var/lib/preserve/ledger.sqlite",
    ): ("tests/cli/test_nightly_howto.py"),
    (
        "docs/how-to/pronom-signatures.md",
        "preserve --version",
    ): "tests/unit/formats/test_pronom_docs.py",
    ("docs/how-to/pronom-signatures.md", "import json"): "tests/unit/formats/test_pronom_docs.py",
    (
        "docs/how-to/pronom-signatures.md",
        "preserve ingest incoming/ --out deposit/ --pronom-signatures sigs/formats-v120.xml",
    ): "tests/unit/formats/test_pronom_docs.py",
    ("docs/how-to/validate-records.md", "from pathlib import Path"): "tests/test_docs_examples.py",
    (
        "docs/reference/extraction.md",
        "$ preserve extract samples/records/01-sorokin-arvelo-1962-03-02.txt --explain --quiet",
    ): "tests/test_docs_console_examples.py",
    ("docs/reference/extraction.md", ">>> import preserve"): "tests/test_docs_console_examples.py",
    ("docs/reference/premis.md", "import json"): "tests/test_docs_examples.py",
}

# key -> the exit status of each preserve command in the block, in order
RUN_HERE: dict[tuple[str, str], tuple[int, ...]] = {
    ("docs/explanation/bagit-verification.md", "from preserve import verify_bag"): (),
    (
        "docs/how-to/build-a-bag.md",
        "$ preserve bag scans/ letter.pdf --record record.json --out deposits/BAG-0001",
    ): (0,),
    (
        "docs/how-to/collection-defaults.md",
        "$ preserve extract samples/records --defaults batch-1962.toml -o records.json",
    ): (0, 1),  # the samples hold deliberately defective records
    ("docs/how-to/collection-defaults.md", "import preserve"): (),
    (
        "docs/how-to/nightly-audit.md",
        "preserve audit /srv/bags /mnt/tape-cache --max-age 30d --budget 6h",
    ): (0, 0),
    (
        "docs/how-to/serialize.md",
        "preserve bag scans/ --record record.json --out deposit/R-1 --serialize tgz"
        " --profile preserve-deposit-v1",
    ): (0,),
    ("docs/how-to/serialize.md", "from pathlib import Path"): (),
    ("docs/how-to/serialize.md", "preserve verify deposit/R-1.tar.gz"): (0, 0),
    # the samples hold deliberately defective records; batch.csv here is a stub, refused
    ("docs/how-to/validate-records.md", "$ preserve validate samples/records/"): (1, 1, 0),
    ("docs/how-to/validate-records.md", "import preserve"): (),
    ("docs/reference/profiles.md", "from preserve.profiles import load_profile, check_profile"): (),
    (
        "docs/tutorial/first-ingest.md",
        '.venv/bin/preserve ingest samples/ --out deposit/ --agent "Your Name"'
        ' --organisation "Your Archive"',
    ): (1,),  # the samples hold deliberately defective records: refused, reported
    ("docs/tutorial/first-ingest.md", "import preserve"): (),
}

NOT_RUN: dict[tuple[str, str], str] = {
    ("docs/how-to/audit-s3-replicas.md", "pip install 'preserve-toolkit[s3]'"): (
        "installs a package from PyPI (the suite has its extras installed already)"
    ),
    (
        "docs/how-to/nightly-audit.md",
        "pip install 'preserve-toolkit[dask]'          # on the client and every worker",
    ): ("installs packages and starts a Dask cluster on several machines"),
    ("docs/performance.md", "$ .venv/bin/python bench/bench_validate.py --records 100000"): (
        "a benchmark of 100,000 records (minutes); bench/ is run by hand"
    ),
    (
        "docs/reference/profiles.md",
        "preserve verify BAG --profile PROFILE            # a folder or a serialized bag",
    ): (
        "a synopsis: BAG, PROFILE and SOURCES are placeholders, and the second line needs"
        " the network"
    ),
    (
        "docs/tutorial/first-ingest.md",
        "sudo apt-get install libmagic1        # format identification (usually installed already)",
    ): ("installs system packages and a virtual environment"),
}


def test_every_example_is_run_or_says_why_not() -> None:
    keys = [e.key for e in examples()]
    assert len(keys) == len(set(keys)), "two examples on one page start with the same line"
    registered = [*RUN_ELSEWHERE, *RUN_HERE, *NOT_RUN]
    assert len(registered) == len(set(registered)), "an example is registered twice"
    new = sorted(set(keys) - set(registered))
    assert not new, f"examples neither run nor marked as not runnable (with a reason): {new}"
    gone = sorted(set(registered) - set(keys))
    assert not gone, f"registered examples no longer in docs/: {gone}"
    assert all(reason.strip() for reason in NOT_RUN.values())


@pytest.mark.parametrize(("key", "module"), sorted(RUN_ELSEWHERE.items()))
def test_the_named_test_reads_the_page(key: tuple[str, str], module: str) -> None:
    source = (REPO / module).read_text(encoding="utf-8")
    page = Path(key[0])
    assert page.name in source or f'"{page.parent.name}" / "{page.name}"' in source, (
        f"{module} does not read {key[0]}"
    )


BOOKS = {"PRESERVE_ORGANISATION": "Example Archive", "PRESERVE_AGENT": "tester"}


def _reader_folder(into: Path) -> Path:
    """What the pages assume a reader has: the samples, scans/, letter.pdf, a record,
    the defaults files the pages show, a JSON Lines batch and CSV, and bags made by
    ``preserve bag`` where a page starts from one."""
    shutil.copytree(REPO / "samples", into / "samples")
    shutil.copytree(REPO / "samples" / "files" / "01-sorokin-arvelo-1962-03-02", into / "scans")
    (into / "letter.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    shutil.copy(
        REPO / "tests" / "fixtures" / "records" / "valid" / "clean_record.json",
        into / "record.json",
    )
    page = (DOCS / "how-to" / "collection-defaults.md").read_text(encoding="utf-8")
    toml = re.search(r"```toml\n(# batch-1962.toml\n.*?)```", page, re.S)
    assert toml is not None
    (into / "batch-1962.toml").write_text(toml.group(1), encoding="utf-8")
    (into / "collection.toml").write_text(
        '[rights]\nstatement = "Reproduced for research with the permission of the holder."\n'
        'uri = "http://rightsstatements.org/vocab/InC-EDU/1.0/"\n',
        encoding="utf-8",
    )
    record = (into / "record.json").read_text(encoding="utf-8")
    (into / "batch.jsonl").write_text(" ".join(record.split()) + "\n", encoding="utf-8")
    (into / "batch.csv").write_text("title\nA letter\n", encoding="utf-8")
    for parent in ("deposit", "deposits"):  # bag refuses to make its parent (the pages say so)
        (into / parent).mkdir()
    for bag in ("deposit/BAG-0001", "deposit/BAG"):
        _preserve(["bag", "scans/", "--record", "record.json", "--out", bag], into, expect=0)
    bags = into / "srv" / "bags"
    bags.mkdir(parents=True)
    shutil.copytree(into / "deposit" / "BAG", bags / "BAG")
    (into / "mnt" / "tape-cache").mkdir(parents=True)
    return into


def _env(folder: Path) -> dict[str, str]:
    """The reader's environment: the default ledger in the reader's own folder, never
    the ledger of whoever runs the tests."""
    return {**os.environ, **BOOKS, "XDG_STATE_HOME": str(folder / ".state")}


def _preserve(argv: list[str], cwd: Path, *, expect: int, stdout: Path | None = None) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "preserve", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=_env(cwd),
        check=False,
    )
    assert done.returncode == expect, (argv, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    if stdout is not None:
        stdout.write_text(done.stdout, encoding="utf-8")


def _shell_commands(body: str) -> list[list[str]]:
    commands = []
    for line in body.splitlines():
        line = line.removeprefix("$ ").strip()
        argv = shlex.split(line, comments=True)
        if argv and argv[0] in {"preserve", ".venv/bin/preserve"}:
            commands.append(argv[1:])
        else:
            assert not argv or not line.startswith("$"), f"a command that is not preserve: {line}"
    return commands


_BY_KEY = {e.key: e for e in examples()}


@pytest.mark.parametrize(
    ("key", "codes"),
    sorted(RUN_HERE.items()),
    ids=[f"{k[0]}: {k[1][:40]}" for k in sorted(RUN_HERE)],
)
def test_example_runs_here(key: tuple[str, str], codes: tuple[int, ...], tmp_path: Path) -> None:
    """As a reader following the page: its earlier examples first, in the same folder."""
    folder = _reader_folder(tmp_path)
    page = [e for e in examples() if e.page == key[0] and e.key in RUN_HERE]
    for example in page[: [e.key for e in page].index(key) + 1]:
        _run_example(example, RUN_HERE[example.key], folder)


def _run_example(example: Example, codes: tuple[int, ...], folder: Path) -> None:
    if example.kind == "python":
        (folder / "example.py").write_text(example.body, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "example.py"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
            env=_env(folder),
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return
    commands = _shell_commands(example.body)
    assert len(commands) == len(codes), commands
    for argv, code in zip(commands, codes, strict=True):
        local = [a.removeprefix("/") if a.startswith(("/srv", "/mnt")) else a for a in argv]
        stdout = None
        if ">" in local:  # preserve ... > FILE
            local, (_, target) = local[: local.index(">")], local[local.index(">") :]
            stdout = folder / target
        _preserve(local, folder, expect=code, stdout=stdout)
