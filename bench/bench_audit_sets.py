"""Audits on the issue-15 sets: throughput per core next to the ceiling (run by hand).

    python bench/bench_audit_sets.py ROOT [ROOT ...] [--sets d,e] [--rounds 5]

An audit hashes one digest per file on one core: the bag's manifests are all it
checks, so the bag is built with a sha256 manifest only (``preserve bag
--algorithm sha256``), the audit's default and the fair comparison. For each ROOT (one
on tmpfs, one on an ordinary disk, page cache warm) and set, the bag is built once and
audited once into a fresh ledger (its baseline); then every round runs, one after the
other:

* ``openssl speed -evp sha256`` on one core: the **ceiling per core**;
* ``preserve audit ROOT --ledger L -q``: a nightly run against the baseline (one
  process, one hashing thread);
* ``sha256sum -c --quiet manifest-sha256.txt``: the coreutils over the same manifest,
  also one core;
* ``bagit.py --validate --processes 2`` (1.9), which hashes the same one manifest on
  two processes;
* ``preserve verify BAG -q`` on the same bag, for comparison (full RFC 8493
  verification, two cores).

Best of the rounds for each; every figure is a ratio to the others in the same run.
Raw numbers and every round go to ``bench/results/audit-sets.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from bench_bags import PRESERVE, PY, SETS, fresh, openssl_rate, run, summarize


def audit(root: Path, ledger: Path) -> float:
    return run([PRESERVE, "audit", str(root), "--ledger", str(ledger), "-q"])[0]


def audit_round(root: Path, bag: Path, ledger: Path) -> dict[str, float]:
    """One interleaved round on *bag* (the only bag under *root*), in seconds."""
    r: dict[str, float] = {"ceiling_per_core_mb_s": openssl_rate("sha256", seconds=1) / 1e6}
    r["preserve_audit"] = audit(root, ledger)
    r["sha256sum"] = run(["sha256sum", "-c", "--quiet", "manifest-sha256.txt"], cwd=bag)[0]
    r["bagit_validate"] = run([PY, "-m", "bagit", "--validate", "--processes", "2", str(bag)])[0]
    r["preserve_verify"] = run([PRESERVE, "verify", str(bag), "-q"])[0]
    return r


def bench_set(root: Path, name: str, rounds: int, ledger: Path) -> dict[str, object]:
    holder = fresh(root / "audit-bags" / name)
    holder.mkdir(parents=True)
    bag = holder / "bag"
    run([PRESERVE, "bag", str(root / name), "--out", str(bag), "--algorithm", "sha256", "-q"])
    audit(holder, ledger)  # the baseline: every timed run is a re-audit, as nightly
    every = [audit_round(holder, bag, ledger) for _ in range(rounds)]
    summary = summarize(root, name, every, ceiling_key="ceiling_per_core_mb_s")
    best = summary["best"]
    fresh(holder)
    per_core = summary["octets"] / best["preserve_audit"] / 1e6
    return {
        **summary,
        "ratios": {
            "audit_mb_s_per_core": per_core,
            "audit_vs_ceiling_per_core": per_core / best["ceiling_per_core_mb_s"],
            "audit_speedup_vs_sha256sum": best["sha256sum"] / best["preserve_audit"],
            "audit_speedup_vs_bagit": best["bagit_validate"] / best["preserve_audit"],
            "verify_speedup_vs_bagit": best["bagit_validate"] / best["preserve_verify"],
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, nargs="+")
    parser.add_argument("--sets", default="d,e")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("bench/results/audit-sets.json"))
    args = parser.parse_args()
    results: dict[str, object] = {"load_before": os.getloadavg(), "python": sys.version}
    with tempfile.TemporaryDirectory() as tmp:
        for root in args.root:
            for key in args.sets.split(","):
                name = SETS.get(key, key)
                print(f"== {root} {name}", flush=True)
                ledger = Path(tmp) / f"{abs(hash((str(root), name)))}.sqlite"
                data = bench_set(root, name, args.rounds, ledger)
                print(json.dumps({k: data[k] for k in ("best", "ratios")}, indent=1), flush=True)
                results[f"{root}/{name}"] = data
    results["load_after"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
