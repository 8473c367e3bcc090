"""No finding or message of ``verify`` changes when the engine gets faster (issue 15).

Every case is verified and its result (findings with their messages and details,
missing, changed, added and unreadable files) compared with what the verifier gave
before the issue 15 work (commit 6308c02), stored in
``tests/fixtures/bags/verify-differential.json``: the BagIt conformance suite
(../shared, read in place) and bags this module makes and damages at random, with a
fixed seed (a byte flipped, a file truncated, missing, extra or renamed, a manifest
line or a tag file edited). Some bags hold over a thousand files, so the batches of
small files go through the worker processes as well as the threads.

The stored results are the reference: regenerate them
(``python -m tests.unit.bags.verify.test_verify_differential OUT.json``) only with
the code that is to be the reference, never to make a failing comparison pass.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from preserve.bags.verify.verify import verify_bag
from tests.conftest import CONFORMANCE
from tests.unit.bags.bagmaker import make_bag, retag

FIXTURE = Path(__file__).resolve().parents[3] / "fixtures" / "bags" / "verify-differential.json"
SUITE = CONFORMANCE / "bagit-conformance-suite"
DAMAGED = 40
DAMAGES = ("flip", "truncate", "missing", "extra", "renamed", "manifest", "tag")


def conformance_cases() -> list[str]:
    return sorted(str(p.relative_to(SUITE)) for p in SUITE.glob("*/*/*") if p.is_dir())


def _payload(rnd: random.Random, n: int) -> dict[str, bytes]:
    many = n % 10 == 3  # one bag in ten: enough small files for the worker processes
    count = 1100 if many else rnd.randint(2, 12)
    files: dict[str, bytes] = {}
    for k in range(count):
        folder = f"d{k % 7}/" if rnd.random() < 0.5 else ""
        size = rnd.randint(0, 64) if many else rnd.choice([0, 1, 100, 5000, 70_000])
        files[f"data/{folder}f{k:04d}.bin"] = rnd.randbytes(size)
    return files


def _damage(bag: Path, rnd: random.Random, kind: str, files: list[str]) -> None:
    path = rnd.choice(files)
    target = bag / path
    if not target.exists():
        return
    data = target.read_bytes()
    if kind == "flip" and data:
        at = rnd.randrange(len(data))
        target.write_bytes(data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1 :])
    elif kind == "truncate":
        target.write_bytes(data[: len(data) // 2])
    elif kind == "missing":
        target.unlink()
    elif kind == "extra":
        (bag / "data" / f"extra{rnd.randrange(1000)}.txt").write_bytes(b"not listed")
    elif kind == "renamed":
        target.rename(target.with_name("renamed-" + target.name))
    elif kind == "manifest":
        manifest = bag / rnd.choice(["manifest-sha256.txt", "manifest-sha512.txt"])
        lines = manifest.read_text("utf-8").splitlines(keepends=True)
        i = rnd.randrange(len(lines))
        lines[i] = ("0" if lines[i][0] != "0" else "1") + lines[i][1:]
        manifest.write_text("".join(lines), encoding="utf-8", newline="")
        if rnd.random() < 0.5:
            retag(bag, ("sha256", "sha512"))
    elif kind == "tag":
        with (bag / "bag-info.txt").open("a", encoding="utf-8", newline="") as out:
            out.write("Internal-Sender-Description: edited after bagging\n")


def make_damaged(root: Path, n: int) -> Path:
    """Damaged bag *n* (the same bytes and damage on every run)."""
    rnd = random.Random(1500 + n)
    files = _payload(rnd, n)
    bag = make_bag(root / f"bag{n:02d}", files)
    retag(bag, ("sha256", "sha512"))
    for kind in rnd.sample(DAMAGES, rnd.randint(1, 3)):
        _damage(bag, rnd, kind, sorted(files))
    return bag


def outcome(bag: Path) -> dict[str, Any]:
    """What a user sees of a verification, with the bag's own location left out."""
    result = verify_bag(bag, processes=2)
    findings = [
        [f.code, f.severity, f.message, f.source, f.line, f.path, dict(f.details)]
        for f in result.findings
    ]
    shown = {
        "findings": findings,
        "version": result.version,
        "files": result.files,
        "bytes": result.bytes,
        "missing": list(result.missing),
        "changed": [[c.path, c.algorithm, c.expected, c.found] for c in result.changed],
        "added": list(result.added),
        "unreadable": list(result.unreadable),
    }
    text = json.dumps(shown, sort_keys=True, default=str).replace(str(bag), "<bag>")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _expected() -> dict[str, Any]:
    stored: dict[str, Any] = json.loads(FIXTURE.read_text("utf-8"))
    return stored


def test_the_reference_covers_every_case() -> None:
    stored = _expected()
    assert sorted(stored["conformance"]) == conformance_cases()
    assert len(stored["damaged"]) == DAMAGED
    codes = {f[0] for r in stored["damaged"].values() for f in r["findings"]}
    # The damage reaches every kind of fixity finding the engine can cause.
    assert {"BAG-030", "BAG-031", "BAG-040", "BAG-041", "BAG-042"} <= codes


@pytest.mark.parametrize("case", conformance_cases())
def test_conformance_findings_unchanged(case: str) -> None:
    assert outcome(SUITE / case) == _expected()["conformance"][case]


@pytest.mark.parametrize("n", range(DAMAGED))
def test_damaged_bag_findings_unchanged(tmp_path: Path, n: int) -> None:
    assert outcome(make_damaged(tmp_path, n)) == _expected()["damaged"][str(n)]


def _generate() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for case in conformance_cases():
        yield "conformance", case, outcome(SUITE / case)
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(DAMAGED):
            yield "damaged", str(n), outcome(make_damaged(Path(tmp), n))


if __name__ == "__main__":
    out: dict[str, dict[str, Any]] = {"conformance": {}, "damaged": {}}
    for group, key, value in _generate():
        out[group][key] = value
    Path(sys.argv[1]).write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", "utf-8")
