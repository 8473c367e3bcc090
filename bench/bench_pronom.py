"""Cost of PRONOM identification (FIDO in-process) beside libmagic (issue 16; by hand).

    .venv/bin/python bench/bench_pronom.py [--files 3000] [--rounds 3] [--json OUT]

Generates a mixed batch of small files of ten formats (PDF, PNG, TIFF, JPEG, ZIP, DOCX,
XML, TXT, CSV, WAV; ``tests/format_samples.py``, the makers the tests use), then, in the
same run, identifies every file with (a) libmagic alone (``MagicIdentifier``, what
preserve did before) and (b) libmagic and PRONOM together (``PronomMagicIdentifier``,
what ``preserve ingest`` does now). Each mode runs in a fresh process, so its start-up
(loading libmagic; parsing the PRONOM signatures) is counted and its peak memory
(``ru_maxrss``) is its own. Modes alternate over ``--rounds``; the best round is reported
(the machine is shared) with the ratio (b)/(a). Results go to docs/performance.md
("## PRONOM identification") by hand.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.format_samples import MAKERS


def generate(root: Path, files: int) -> list[Path]:
    """*files* files, the ten formats in turn, in folders of 500."""
    paths = []
    keys = sorted(MAKERS)
    for i in range(files):
        key = keys[i % len(keys)]
        suffix, make = MAKERS[key]
        folder = root / f"d{i // 500:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"f{i:05d}-{key}{suffix}"
        path.write_bytes(make(i))
        paths.append(path)
    return paths


def _run(mode: str, listing: str, queue: multiprocessing.Queue[dict[str, float]]) -> None:
    started = time.perf_counter()
    from preserve.formats.identify import MagicIdentifier
    from preserve.formats.pronom import PronomMagicIdentifier

    paths = [Path(p) for p in Path(listing).read_text().splitlines()]
    identifier: MagicIdentifier | PronomMagicIdentifier
    identifier = MagicIdentifier() if mode == "libmagic" else PronomMagicIdentifier()
    identifier.check()
    loaded = time.perf_counter()
    identified = 0
    for path in paths:
        info = identifier.identify(path)
        identified += info.pronom is not None and info.pronom.puid is not None
    done = time.perf_counter()
    queue.put(
        {
            "files": len(paths),
            "startup_s": loaded - started,
            "identify_s": done - loaded,
            "total_s": done - started,
            "files_per_s": len(paths) / (done - started),
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "with_puid": identified,
        }
    )


def measure(mode: str, listing: Path) -> dict[str, float]:
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[dict[str, float]] = ctx.Queue()
    child = ctx.Process(target=_run, args=(mode, str(listing), queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pronom-") as tmp:
        root = Path(tmp)
        paths = generate(root / "batch", args.files)
        listing = root / "files.txt"
        listing.write_text("\n".join(str(p) for p in paths))
        rounds: dict[str, list[dict[str, float]]] = {"libmagic": [], "libmagic+pronom": []}
        for _ in range(args.rounds):
            for mode in rounds:
                rounds[mode].append(measure(mode, listing))
    best = {mode: max(runs, key=lambda r: r["files_per_s"]) for mode, runs in rounds.items()}
    ratio = best["libmagic"]["files_per_s"] / best["libmagic+pronom"]["files_per_s"]
    for mode, r in best.items():
        print(
            f"{mode:16} {r['files']:.0f} files: {r['files_per_s']:7.0f} files/s "
            f"(start-up {r['startup_s']:.2f} s, identify {r['identify_s']:.2f} s), "
            f"peak RSS {r['peak_rss_mib']:.0f} MiB, with a PUID {r['with_puid']:.0f}"
        )
    print(f"libmagic alone is {ratio:.1f}x as fast as libmagic + PRONOM")
    if args.json:
        args.json.write_text(json.dumps({"best": best, "rounds": rounds, "ratio": ratio}, indent=2))


if __name__ == "__main__":
    main()
