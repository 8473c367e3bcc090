"""The fixed cost of one run: a bag of one 3-byte file (run by hand).

    python bench/fixed_costs.py [--rounds 15]

Times, best of the interleaved rounds, each in a fresh process: ``preserve verify``,
a re-audit (``preserve audit`` against the baseline of a first run),
``bagit.py --validate --processes 2``, ``python -c pass`` and ``import preserve.cli``.
What a run costs before the first byte of payload is hashed (issue 15).
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

from bench_bags import PRESERVE, PY


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, root, ledger = Path(tmp, "src"), Path(tmp, "root"), Path(tmp, "ledger.sqlite")
        src.mkdir()
        root.mkdir()
        (src / "a.txt").write_text("hi\n")
        bag = root / "bag"
        build = [PRESERVE, "bag", str(src), "--out", str(bag), "--algorithm", "sha256", "-q"]
        subprocess.run(build, check=True)
        audit = [PRESERVE, "audit", str(root), "--ledger", str(ledger), "-q"]
        subprocess.run(audit, capture_output=True, check=False)  # the baseline
        commands = {
            "preserve verify": [PRESERVE, "verify", str(bag), "-q"],
            "preserve audit (re-audit)": audit,
            "bagit --validate": [PY, "-m", "bagit", "--validate", "--processes", "2", str(bag)],
            "python -c pass": [PY, "-c", "pass"],
            "import preserve.cli": [PY, "-c", "import preserve.cli"],
        }
        best = dict.fromkeys(commands, float("inf"))
        for _ in range(args.rounds):
            for name, cmd in commands.items():
                start = time.perf_counter()
                subprocess.run(cmd, capture_output=True, check=False)
                best[name] = min(best[name], time.perf_counter() - start)
    for name, seconds in best.items():
        print(f"{name:28s} {seconds * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
