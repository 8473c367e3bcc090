"""Benchmark fixity audits (run by hand: ``.venv/bin/python bench/bench_audit.py``).

1. Ledger overhead: ``run_audit`` over many bags against the bare per-bag checker on the
   same bags (no ledger), and against ``preserve verify``'s engine (``verify_bag``).
2. Scale-out: a two-worker Dask ``LocalCluster`` against one local process.

The bags are made once in a temporary folder and read warm from the page cache, so
the numbers are the CPU (hashing) ceiling of this machine, not its disks.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from preserve.audit.adapt import VerifyChecker
from preserve.audit.check import check_bag
from preserve.audit.ledger import Ledger
from preserve.audit.run import Checker, Executor, local_executor, run_audit
from preserve.bags.verify.verify import verify_bag
from tests.unit.audit.bags import make_test_bag


def make_bags(root: Path, bags: int, files: int, size: int) -> list[Path]:
    out = []
    for n in range(bags):
        payload = {f"f{i}.bin": os.urandom(size) for i in range(files)}
        out.append(make_test_bag(root, f"bag{n:04}", payload))
    return out


def best_of(
    repeat: int, work: Callable[[], object], timer: Callable[[], float] = time.process_time
) -> float:
    """Best of *repeat* runs. Local work is timed in CPU time of this process: the machine
    is shared, and wall time under load swings more than the differences measured."""
    times = []
    for _ in range(repeat):
        started = timer()
        work()
        times.append(timer() - started)
    return min(times)


def interleaved(repeat: int, *works: Callable[[], object]) -> list[float]:
    """Best time of each work, running them in turn *repeat* times."""
    best = [float("inf")] * len(works)
    for _ in range(repeat):
        for index, work in enumerate(works):
            best[index] = min(best[index], best_of(1, work))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bags", type=int, default=200)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--size", type=int, default=256 * 1024, help="bytes per file")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "store"
        bags = make_bags(root, args.bags, args.files, args.size)
        total = args.bags * args.files * args.size
        print(f"{args.bags} bags x {args.files} files x {args.size} B = {total / 1e6:.0f} MB")
        counter = iter(range(10**6))

        def audit(engine: Checker | None = None) -> None:
            with Ledger.open(Path(tmp) / f"ledger{next(counter)}.sqlite") as ledger:
                run_audit([root], ledger=ledger, check=engine)

        # Interleaved and best-of, so load from other processes hits all alike.
        verify, audit_verify, bare, audited = interleaved(
            args.repeat,
            lambda: [verify_bag(b, processes=1) for b in bags],
            lambda: audit(VerifyChecker(processes=1)),
            lambda: [check_bag(b) for b in bags],
            audit,
        )
        rate = total / audited / 1e6
        vrate = total / verify / 1e6
        print(f"verify_bag (preserve verify engine): {verify:.3f}s  {vrate:.0f} MB/s")
        avrate = total / audit_verify / 1e6
        print(f"preserve audit --engine verify:      {audit_verify:.3f}s  {avrate:.0f} MB/s")
        print(f"  ledger overhead over verify_bag: {100 * (audit_verify / verify - 1):+.1f}%")
        print(f"bare audit checker, no ledger:       {bare:.3f}s  {total / bare / 1e6:.0f} MB/s")
        print(f"preserve audit (with ledger):        {audited:.3f}s  {rate:.0f} MB/s")
        print(f"  ledger overhead vs bare checker: {100 * (audited / bare - 1):+.1f}%")
        print(f"  audit vs verify_bag:             {100 * (audited / verify - 1):+.1f}%")
        print(f"  per bag: {1000 * audited / args.bags:.2f} ms")
        # The ledger's cost measured on its own (less sensitive to other load): a run whose
        # checker returns results computed beforehand does everything but hash.
        cached = {str(b): check_bag(b) for b in bags}
        fixed = best_of(args.repeat, lambda: audit(cached.__getitem__))
        print(
            f"run without hashing (discovery, schedule, ledger): {fixed:.3f}s, "
            f"{1000 * fixed / args.bags:.2f} ms per bag = {100 * fixed / bare:.1f}% of hashing"
        )
        if not args.no_dask:
            dask_compare(root, Path(tmp), args.repeat, total)


def dask_compare(root: Path, tmp: Path, repeat: int, total: int) -> None:
    from distributed import LocalCluster

    from preserve.audit.distributed import dask_executor

    counter = iter(range(10**6))

    def audit(executor: Executor = local_executor) -> None:
        with Ledger.open(tmp / f"dask{next(counter)}.sqlite") as ledger:
            run_audit([root], ledger=ledger, executor=executor)

    # Wall time for both: the cluster's work happens in other processes.
    local = best_of(repeat, audit, time.perf_counter)
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        dask_executor(cluster.scheduler_address) as on_dask,
    ):
        remote = best_of(repeat, lambda: audit(on_dask), time.perf_counter)
    print(f"one local process (wall time):       {local:.3f}s  {total / local / 1e6:.0f} MB/s")
    print(f"Dask LocalCluster, 2 workers:        {remote:.3f}s  {total / remote / 1e6:.0f} MB/s")
    print(f"  speed-up over one local process: x{local / remote:.2f}")


if __name__ == "__main__":
    main()
