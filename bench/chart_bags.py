"""Draw the bag benchmark chart from ``bench_bags.py``'s JSON (needs matplotlib).

    python bench/chart_bags.py bench/results/bags.json docs/performance-bags.png

matplotlib is in the ``bench`` dependency group only (``pip install --group bench``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt

BARS = [
    ("build_copy_speedup_vs_cp_bagit_validate", "build (copy) vs cp + bagit + bagit --validate"),
    ("in_place_speedup_vs_bagit", "build --in-place vs bagit"),
    ("verify_speedup_vs_bagit", "verify vs bagit --validate"),
]
LABELS = {"large": "(a) 8 × 256 MiB", "small": "(b) 100,000 × 1-8 KiB", "mixed": "(c) mixed batch"}


def main() -> None:
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    data = json.loads(source.read_text("utf-8"))
    sets = [name for name in ("large", "small", "mixed") if name in data["sets"]]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), width_ratios=[3, 1.3])
    width = 0.8 / len(BARS)
    for i, (key, label) in enumerate(BARS):
        values = [data["sets"][name]["ratios"][key] for name in sets]
        xs = [j + (i - 1) * width for j in range(len(sets))]
        bars = left.bar(xs, values, width, label=label)
        left.bar_label(bars, fmt="%.1f×", fontsize=8)
    left.axhline(1.0, color="black", linewidth=0.8)
    left.set_xticks(range(len(sets)), [LABELS[n] for n in sets])
    left.set_ylabel("speed-up over bagit-python 1.9 (higher is better)")
    left.legend(fontsize=8, loc="upper left")
    left.set_title("preserve vs bagit-python (best of 2 runs, same run)")
    if "large" in data["sets"]:
        r = data["sets"]["large"]["ratios"]
        shares = [r["verify_vs_ceiling"] * 100, r.get("verify_vs_available", 0) * 100]
        names = ["nominal\n(2 × openssl)", "available now\n(openssl -multi 2)"]
        right.bar(names, shares, color=["tab:gray", "tab:green"])
        right.axhline(95, color="red", linestyle="--", linewidth=1, label="target 95%")
        right.set_ylim(0, 110)
        right.set_ylabel("verify (a): % of the sha256+sha512 ceiling")
        right.legend(fontsize=8, loc="lower right")
        right.set_title("(a) verify vs the hash ceiling")
        right.bar_label(right.containers[0], fmt="%.0f%%", fontsize=8)
    fig.tight_layout()
    fig.savefig(target, dpi=110)


if __name__ == "__main__":
    main()
