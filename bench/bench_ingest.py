"""``preserve ingest`` over many small records: cost per record, and of a re-run.

Run by hand (never in the test suite)::

    python bench/bench_ingest.py [--records 200] [--shared ../shared]

Makes N distinct records from seed 000 (different delo, leaves, dates and title each, so
no cross-record rule fires), writes them as one JSON Lines file, and times
``preserve.ingest`` twice: the first run packages every record (extraction is not timed:
the records are already JSON), the second finds them all unchanged.
"""

from __future__ import annotations

import argparse
import copy
import json
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from preserve.ingestion import ingest
from preserve.records.extract.run import extract_file


def records(seed: Path, n: int) -> list[dict[str, Any]]:
    """*n* distinct, valid records made from the seed."""
    base = extract_file(seed).record
    assert base is not None
    out = []
    for i in range(n):
        r = copy.deepcopy(base)
        first, day = 1000 + 3 * i, i % 28 + 1
        ref = r["archive_reference"]
        ref["delo"] = str(i + 10)
        ref["citation"] = f"AVP RF, f. 0104, op. 19, p. 124, d. {i + 10}, ll. {first}-{first + 2}"
        ref["leaves"] = [{"first": first, "last": first + 2}]
        r["summary"] = f"Summary {i}"
        r["extraction"].pop("text_sha256", None)
        r["dates"] = {
            "document_date": f"1963-04-{day:02d}",
            "conversation_date": f"1963-02-{day:02d}",
        }
        r["title"] = r["title"].replace("28 February 1963", f"{day} February 1963")
        out.append(r)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--shared", type=Path, default=Path(__file__).parents[2] / "shared")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source"
        (source / "records").mkdir(parents=True)
        batch = records(args.shared / "seeds" / "000_424de3424b48eda2.txt", args.records)
        lines = "".join(json.dumps(r) + "\n" for r in batch)
        (source / "records" / "batch.jsonl").write_text(lines, encoding="utf-8")
        for run in ("first", "again"):
            start = time.perf_counter()
            result = ingest(source, Path(tmp) / "deposit")
            seconds = time.perf_counter() - start
            statuses = dict(Counter(r.status for r in result.records))
            per = 1000 * seconds / max(1, len(result.records))
            print(f"{run}: {seconds:.2f} s, {per:.1f} ms per record, {statuses}")


if __name__ == "__main__":
    main()
