"""Bag build and verify: preserve against bagit-python and the machine's limits.

Run by hand (never in the test suite), after ``bench/generate.py ROOT``::

    python bench/bench_bags.py ROOT [--sets a,b,c] [--rounds 2] [--out bench/results/bags.json]
    python bench/bench_bags.py --verify-only ROOT [ROOT ...] [--sets d,e] [--rounds 5]

``--verify-only`` (issue 15) times verification alone, for each ROOT (for example one on
tmpfs, ``/dev/shm/x``, and one on an ordinary disk, page cache warm) and each set: the
bag is built once, then every round runs, one after the other, ``openssl speed`` for
sha256 and sha512 (the ceiling), ``preserve verify``, ``bagit --validate`` and
``sha256sum -c`` + ``sha512sum -c``; the best of the rounds is kept for each, and every
figure is reported as a ratio to the others measured in the same run.

For each data set, in the same run and each ``--rounds`` times (the best time is kept,
because the machine is shared and noisy):

* preserve: ``preserve bag SRC --out BAG`` (copy mode), ``preserve verify BAG``,
  ``preserve bag COPY --in-place``;
* bagit-python (the version installed, 1.9): the copy-mode baseline a user runs to
  keep sources intact (``cp -r``, ``python -m bagit --processes 2``, then
  ``python -m bagit --validate --processes 2``), and ``bagit`` alone on a copy (in place);
* limits: ``openssl speed -evp sha256`` and ``sha512`` (the two-core ceiling for one
  pass computing both is ``cores / (1/s256 + 1/s512)``), and ``sha256sum -c`` plus
  ``sha512sum -c`` over preserve's manifests.

Peak memory is the largest resident set of any process of a command
(GNU ``/usr/bin/time -f %M``). Results go to a JSON file read by ``chart_bags.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

VENV_BIN = Path(sys.executable).parent
PRESERVE = str(VENV_BIN / "preserve")
PY = sys.executable
ALGS = ["--sha512", "--sha256"]
SETS = {"a": "large", "b": "small", "c": "mixed", "d": "small20k", "e": "large4", "f": "large1"}


def run(
    cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of *cmd*; raises if it fails."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        full = ["/usr/bin/time", "-f", "%M", "-o", out.name, *cmd]
        start = time.perf_counter()
        done = subprocess.run(full, cwd=cwd, env=env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"{cmd} failed ({done.returncode}): {done.stderr[-2000:]}")
        peak = int(out.read().strip().splitlines()[-1])
    return elapsed, peak


def shell(script: str, *, cwd: Path | None = None) -> tuple[float, int]:
    return run(["sh", "-c", script], cwd=cwd)


def openssl_rate(algorithm: str, multi: int = 1, seconds: int = 3) -> float:
    """Bytes per second for *algorithm* on 1 MiB blocks (summed over *multi* processes)."""
    extra = ["-multi", str(multi)] if multi > 1 else []
    extra += ["-seconds", str(seconds)]
    done = subprocess.run(
        ["openssl", "speed", *extra, "-evp", algorithm, "-bytes", "1048576"],
        capture_output=True,
        text=True,
        check=True,
    )
    line = [ln for ln in done.stdout.splitlines() if ln.startswith(algorithm)][-1]
    return float(re.findall(r"([\d.]+)k", line)[-1]) * 1000


def ceiling() -> dict[str, float]:
    """The two-core ceiling, nominal and as available now.

    Nominal: one core's rate (``openssl speed``) times two, as the issue defines it.
    Available: ``openssl speed -multi 2``, what two processes of ours really get on
    a shared machine at this moment (lower when other jobs compete for the cores).
    """
    s256, s512 = openssl_rate("sha256"), openssl_rate("sha512")
    m256, m512 = openssl_rate("sha256", 2), openssl_rate("sha512", 2)
    cores = os.cpu_count() or 1
    return {
        "sha256": s256,
        "sha512": s512,
        "cores": cores,
        "ceiling": 1 / (1 / s256 + 1 / s512) * min(cores, 2),
        "multi2_sha256": m256,
        "multi2_sha512": m512,
        "available": 1 / (1 / m256 + 1 / m512),
    }


def payload_size(src: Path) -> tuple[int, int]:
    total = count = 0
    for dirpath, _, files in os.walk(src):
        for name in files:
            total += os.lstat(os.path.join(dirpath, name)).st_size
            count += 1
    return total, count


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    return path


def one_round(src: Path, work: Path) -> dict[str, tuple[float, int]]:
    """Every measurement for one data set, once."""
    r: dict[str, tuple[float, int]] = {}
    bag = fresh(work / "pbag")
    r["preserve_build"] = run([PRESERVE, "bag", str(src), "--out", str(bag), "-q"])
    r["preserve_verify"] = run([PRESERVE, "verify", str(bag), "-q"])
    r["sha256sum"] = run(["sha256sum", "-c", "--quiet", "manifest-sha256.txt"], cwd=bag)
    r["sha512sum"] = run(["sha512sum", "-c", "--quiet", "manifest-sha512.txt"], cwd=bag)
    fresh(bag)
    copy = fresh(work / "bbag")
    r["cp"] = run(["cp", "-r", str(src), str(copy)])
    r["bagit_make"] = run([PY, "-m", "bagit", "--processes", "2", *ALGS, str(copy)])
    r["bagit_validate"] = run([PY, "-m", "bagit", "--validate", "--processes", "2", str(copy)])
    fresh(copy)
    shutil.copytree(src, copy)
    r["preserve_in_place"] = run([PRESERVE, "bag", str(copy), "--in-place", "-q"])
    fresh(copy)
    return r


def summarize(
    root: Path, name: str, every: list[dict[str, float]], *, ceiling_key: str
) -> dict[str, Any]:
    """The fields every set's result has: where, how much, the best of the rounds (the
    ceiling at its highest, every time at its lowest), every round, the load."""
    best = {k: min(r[k] for r in every) for k in every[0]}
    best[ceiling_key] = max(r[ceiling_key] for r in every)
    octets, files = payload_size(root / name)
    return {
        "root": str(root),
        "octets": octets,
        "files": files,
        "best": best,
        "rounds": every,
        "load_average": os.getloadavg(),
    }


def bench_set(src: Path, work: Path, rounds: int) -> dict[str, object]:
    best: dict[str, tuple[float, int]] = {}
    for _ in range(rounds):
        for key, (secs, peak) in one_round(src, work).items():
            old = best.get(key)
            best[key] = (min(secs, old[0]), max(peak, old[1])) if old else (secs, peak)
    octets, files = payload_size(src)
    return {
        "octets": octets,
        "files": files,
        "seconds": {k: v[0] for k, v in best.items()},
        "peak_kib": {k: v[1] for k, v in best.items()},
    }


def ratios(data: dict[str, object], limit: float) -> dict[str, float]:
    s = data["seconds"]
    assert isinstance(s, dict)
    octets = data["octets"]
    assert isinstance(octets, int)
    baseline_copy = s["cp"] + s["bagit_make"] + s["bagit_validate"]
    return {
        "verify_vs_ceiling": octets / s["preserve_verify"] / limit,
        "build_copy_speedup_vs_cp_bagit_validate": baseline_copy / s["preserve_build"],
        "build_copy_speedup_vs_cp_bagit": (s["cp"] + s["bagit_make"]) / s["preserve_build"],
        "in_place_speedup_vs_bagit": s["bagit_make"] / s["preserve_in_place"],
        "verify_speedup_vs_bagit": s["bagit_validate"] / s["preserve_verify"],
        "verify_vs_sha256sum_plus_sha512sum": s["preserve_verify"]
        / (s["sha256sum"] + s["sha512sum"]),
    }


def verify_round(bag: Path, before: Path | None) -> dict[str, float]:
    """One interleaved round of verification and its baselines on *bag* (seconds).

    With *before* (the ``preserve`` package folder of an older version, for instance
    from ``git archive``), that version's verify is timed in the same round.
    """
    r: dict[str, float] = {}
    s256, s512 = openssl_rate("sha256", seconds=1), openssl_rate("sha512", seconds=1)
    r["ceiling_mb_s"] = 1 / (1 / s256 + 1 / s512) * min(os.cpu_count() or 1, 2) / 1e6
    r["preserve_verify"] = run([PRESERVE, "verify", str(bag), "-q"])[0]
    if before is not None:
        # From inside *before*: ``-m`` puts the working folder first on sys.path.
        env = {**os.environ, "PYTHONPATH": str(before)}
        cmd = [PY, "-m", "preserve", "verify", str(bag), "-q"]
        r["preserve_before"] = run(cmd, cwd=before, env=env)[0]
    r["bagit_validate"] = run([PY, "-m", "bagit", "--validate", "--processes", "2", str(bag)])[0]
    r["sha256sum"] = run(["sha256sum", "-c", "--quiet", "manifest-sha256.txt"], cwd=bag)[0]
    r["sha512sum"] = run(["sha512sum", "-c", "--quiet", "manifest-sha512.txt"], cwd=bag)[0]
    r["coreutils"] = r["sha256sum"] + r["sha512sum"]
    return r


def bench_verify(root: Path, name: str, rounds: int, before: Path | None) -> dict[str, object]:
    """Verification of set *name* under *root*: best of *rounds* and the ratios."""
    bag = fresh(root / "bags" / name)
    bag.parent.mkdir(exist_ok=True)
    run([PRESERVE, "bag", str(root / name), "--out", str(bag), "-q"])
    every = [verify_round(bag, before) for _ in range(rounds)]
    summary = summarize(root, name, every, ceiling_key="ceiling_mb_s")
    best, octets = summary["best"], summary["octets"]
    verify = best["preserve_verify"]
    fresh(bag)
    return {
        **summary,
        "ratios": {
            "verify_vs_ceiling": octets / verify / 1e6 / best["ceiling_mb_s"],
            "verify_speedup_vs_bagit": best["bagit_validate"] / verify,
            "verify_vs_sha256sum_plus_sha512sum": verify / best["coreutils"],
            **(
                {"before_over_after": best["preserve_before"] / verify}
                if "preserve_before" in best
                else {}
            ),
        },
    }


def main_verify(
    roots: list[Path], sets: list[str], rounds: int, out: Path, before: Path | None
) -> None:
    results: dict[str, object] = {"load_before": os.getloadavg()}
    for root in roots:
        for key in sets:
            name = SETS.get(key, key)
            print(f"== {root} {name}", flush=True)
            data = bench_verify(root, name, rounds, before)
            print(json.dumps({k: data[k] for k in ("best", "ratios")}, indent=1), flush=True)
            results[f"{root}/{name}"] = data
    results["load_after"] = os.getloadavg()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description="bag build/verify benchmark")
    parser.add_argument("root", type=Path, nargs="+")
    parser.add_argument("--sets", default=None)
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--verify-only", action="store_true")
    parser.add_argument("--before", type=Path, help="an older preserve's source folder")
    args = parser.parse_args()
    if args.verify_only:
        out = args.out or Path("bench/results/bags-verify.json")
        sets = (args.sets or "d,e").split(",")
        main_verify(args.root, sets, args.rounds or 5, out, args.before)
        return
    args.root = args.root[0]
    args.sets = args.sets or "a,b,c"
    args.rounds = args.rounds or 2
    args.out = args.out or Path("bench/results/bags.json")
    limits = ceiling()
    results: dict[str, object] = {"ceiling_before": limits, "sets": {}}
    work = args.root / "work"
    work.mkdir(exist_ok=True)
    for key in args.sets.split(","):
        name = SETS[key]
        print(f"== {key} ({name})", flush=True)
        data = bench_set(args.root / name, work, args.rounds)
        print(json.dumps(data, indent=1), flush=True)
        results["sets"][name] = data  # type: ignore[index]
    after = ceiling()
    results["ceiling_after"] = after
    # The better of the two ceiling measurements: the stricter bar for preserve.
    limit = max(limits["ceiling"], after["ceiling"])
    available = max(limits["available"], after["available"])
    results["ceiling"] = limit
    results["available"] = available
    for name, data in results["sets"].items():  # type: ignore[attr-defined]
        data["ratios"] = ratios(data, limit)
        data["ratios"]["verify_vs_available"] = data["octets"] / (
            data["seconds"]["preserve_verify"] * available
        )
        print(name, json.dumps(data["ratios"], indent=1), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
