"""Benchmark record validation (run by hand; not a test).

    .venv/bin/python bench/bench_validate.py [--records 100000] [--seed 1963]

Generates records as JSON Lines with a seeded generator (1 in 100 fails the schema,
1 in 200 lacks its rights, 1 in 200 has a wrong delo), then in the same run measures
records per second for

- ``preserve.validate`` with every rule (schema, per-record, cross-record), in one
  process (CPU time) and with 2 worker processes as ``preserve validate`` runs it
  (wall time, and CPU time of the parent and its workers together), and
- plain ``jsonschema`` (``Draft202012Validator(schema).iter_errors``) over the
  same lines with the same schema (each line parsed with ``json.loads`` too),

and the peak traced memory of ``preserve.validate`` at 10,000 and at the full
count, to show that it grows only by the cross-record keys. Results go to
docs/performance.md by hand ("## Record validation").
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import jsonschema

import preserve
from preserve._resources import load_json

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
RIGHTS = ["UND", "InC", "InC-EDU", "NoC-US", "CNE"]
PEOPLE = ["Gary Goldberg", "Svetlana Savranskaya", "Sergey Radchenko", "Anna Melyakova"]


def make_record(i: int, rng: random.Random) -> dict[str, Any]:
    """Record *i*: realistic, unique, and now and then wrong (a duplicate, a bad value)."""
    # 400 records per delo, dated and numbered in order through one year.
    year, delo, k = 1950 + (i // 400) % 40, str(1 + i // 400), i % 400
    leaf = 1 + k * 3
    month, day = 1 + k // 34, 1 + (k % 34) * 27 // 34
    conv_day = max(1, day - 1)
    title = (
        f"From the Journal of A.I. Alekseyev, 'Record of a Conversation with "
        f"Person {i}, {conv_day} {MONTHS[month - 1]} {year}'"
    )
    citation = f"AVP RF, f. 0104, op. 19, p. 124, d. {delo}, ll. {leaf}-{leaf + 2}"
    record: dict[str, Any] = {
        "schema_version": "1.0",
        "title": title,
        "document_type": "memorandum_of_conversation",
        "dates": {
            "document_date": f"{year}-{month:02d}-{day:02d}",
            "conversation_date": f"{year}-{month:02d}-{conv_day:02d}",
        },
        "archive_reference": {
            "citation": citation,
            "repository": "AVP RF",
            "fond": "0104",
            "opis": "19",
            "papka": "124",
            "delo": delo,
            "leaves": [{"first": leaf, "last": leaf + 2}],
        },
        "classification": {"level": "secret", "marking": "Secret"},
        "copy_number": 1,
        "outgoing_number": str(1 + k),
        "author": "A. I. Alekseyev",
        "translators": [rng.choice(PEOPLE)],
        "obtained_by": ["James G. Hershberg"],
        "languages": {"original": "rus", "content": "eng"},
        "rights": {
            "statement": "Some documents may be subject to copyright.",
            "uri": f"http://rightsstatements.org/vocab/{rng.choice(RIGHTS)}/1.0/",
        },
        "source": {
            "url": f"https://archive.example/document/{100000 + i}",
            "record_id": str(100000 + i),
        },
        "summary": "Alekseyev describes a conversation. " * rng.randint(1, 4),
    }
    _maybe_break(record, rng)
    return record


def _maybe_break(record: dict[str, Any], rng: random.Random) -> None:
    roll = rng.random()
    if roll < 0.005:
        record["document_type"] = "memo"
    elif roll < 0.010:
        record["copy_number"] = "1"
    elif roll < 0.015:
        del record["rights"]
    elif roll < 0.020:
        record["archive_reference"]["delo"] = "999999"


def write_jsonl(path: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(count):
            fh.write(json.dumps(make_record(i, rng), ensure_ascii=False) + "\n")


# CPU time, not wall time, for the headline: the machine is shared, and other jobs
# slow down wall-clock phases unevenly. Wall time is shown too (for the workers).
def _cpu() -> float:
    """CPU seconds of this process and of its finished child processes."""
    me, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def time_preserve(path: Path, workers: int) -> tuple[float, float, preserve.ValidationResult]:
    """(wall seconds, CPU seconds including workers, result)."""
    wall, cpu = time.perf_counter(), _cpu()
    result = preserve.validate([path], workers=workers)
    return time.perf_counter() - wall, _cpu() - cpu, result


def time_jsonschema(path: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, errors) of plain jsonschema."""
    validator = jsonschema.Draft202012Validator(load_json("schemas", "record.schema.json"))
    errors = 0
    wall, cpu = time.perf_counter(), _cpu()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            errors += sum(1 for _ in validator.iter_errors(json.loads(line)))
    return time.perf_counter() - wall, _cpu() - cpu, errors


def peak_memory(path: Path) -> int:
    tracemalloc.start()
    preserve.validate([path])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1963)
    parser.add_argument("--small", type=int, default=10_000, help="size of the memory baseline")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big.jsonl", Path(tmp) / "small.jsonl"
        write_jsonl(big, args.records, args.seed)
        write_jsonl(small, args.small, args.seed)
        preserve.validate([small])  # warm-up: schema compiled, modules imported
        wall_one, cpu_one, result = time_preserve(big, 1)
        wall_two, cpu_two, pooled = time_preserve(big, 2)
        wall_js, cpu_js, js_errors = time_jsonschema(big)
        mem_small, mem_big = peak_memory(small), peak_memory(big)
    assert pooled.findings == result.findings, "2 workers must find exactly what 1 finds"
    n = args.records
    codes: dict[str, int] = {}
    for f in result.findings:
        codes[f.code] = codes.get(f.code, 0) + 1
    print(f"records: {n} (seed {args.seed}), {len(result.findings)} findings {codes}")
    print(f"plain jsonschema errors: {js_errors}; 2 workers: the same findings as 1")
    print(f"plain jsonschema:  {n / cpu_js:,.0f} records/s CPU, {n / wall_js:,.0f} wall")
    print(
        f"preserve, 1 process: {n / cpu_one:,.0f} records/s CPU "
        f"({cpu_js / cpu_one:.1f}x), {n / wall_one:,.0f} wall ({wall_js / wall_one:.1f}x)"
    )
    print(
        f"preserve, 2 workers: {n / wall_two:,.0f} records/s wall ({wall_js / wall_two:.1f}x), "
        f"{n / cpu_two:,.0f} records/s of CPU in all processes ({cpu_js / cpu_two:.1f}x)"
    )
    print(
        f"peak traced memory: {mem_small / 1e6:.1f} MB at {args.small}, "
        f"{mem_big / 1e6:.1f} MB at {n} "
        f"({(mem_big - mem_small) / (n - args.small):.0f} bytes per extra record)"
    )


if __name__ == "__main__":
    main()
