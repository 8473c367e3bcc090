"""Verify of a bag on S3 against a plain download of the same objects (issue 14).

Run by hand (never in the test suite)::

    python bench/bench_s3.py [--large 4] [--large-mib 64] [--small 2000] [--small-kib 4]
        [--concurrency 8] [--rounds 2] [--out bench/results/s3.json]

Starts a SeaweedFS on loopback (tests/s3/server.py), uploads two bags (a few large
objects; many small ones), then, in the same run and for each round:

* verify: ``verify_stored_bag`` (every manifest algorithm, sha512 and sha256, one pass;
  large objects by 8 MiB ranges, ``--concurrency`` requests in flight);
* download: the same objects with the same client library (boto3) at the same
  concurrency, written to /dev/null (large objects by the same 8 MiB ranges), no hashing;
* hash: sha512 + sha256 of as many bytes, from memory, on one thread (the CPU that
  verify must spend on top of the download).

Each run also records its CPU seconds and the SeaweedFS server's (/proc/PID/stat). On
a machine with few cores, client, server and hashing share them, so the report gives
the fair ceiling of the ratio: the download's time over the time both cores need for
download CPU (client and server) plus hashing CPU.

Each measurement runs in its own process so its peak memory (ru_maxrss) is its own.
The best time of the rounds is kept (the machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from preserve.replicas import stream
from preserve.replicas.stream import RANGE_SIZE, RANGE_THRESHOLD
from preserve.replicas.verify import verify_stored_bag
from preserve.storage.location import S3Options
from preserve.storage.s3 import S3Store
from preserve.storage.stores import open_store
from tests.s3.conftest import client_for, make_local_bag, upload_folder
from tests.s3.server import ADMIN_KEY, ADMIN_SECRET, SeaweedS3


def _download(store: S3Store, concurrency: int) -> int:
    objects = list(store.list())
    total = 0
    with open(os.devnull, "wb") as sink, ThreadPoolExecutor(concurrency) as pool:

        def whole(key: str) -> int:
            n = 0
            for piece in store.iter_chunks(key, 1 << 20):
                sink.write(piece)
                n += len(piece)
            return n

        for obj in (o for o in objects if o.size >= RANGE_THRESHOLD):
            starts = range(0, obj.size, RANGE_SIZE)
            for piece in pool.map(lambda s, k=obj.key: store.read_range(k, s, RANGE_SIZE), starts):
                sink.write(piece)
                total += len(piece)
        total += sum(pool.map(whole, [o.key for o in objects if o.size < RANGE_THRESHOLD]))
    return total


def _peak_mib() -> float:
    """This process's peak RSS (VmHWM: reset by exec, unlike ru_maxrss, which a child
    started from a large parent inherits)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str, location: str, concurrency: int, hashers: int) -> dict[str, float]:
    """One measurement in this process: seconds, bytes, objects, peak RSS (MiB)."""
    stream.HASHERS = hashers
    store = open_store(location, s3=S3Options(concurrency=concurrency))
    assert isinstance(store, S3Store)
    objects = list(store.list())
    started = time.perf_counter()
    cpu = time.process_time()
    if kind == "hash":
        nbytes = sum(o.size for o in objects)
        block = os.urandom(RANGE_SIZE)
        hashers = [hashlib.sha512(), hashlib.sha256()]
        for _ in range(0, nbytes, RANGE_SIZE):
            for h in hashers:
                h.update(block)
    elif kind == "verify":
        result = verify_stored_bag(store, concurrency=concurrency)
        assert result.ok, result.findings
        nbytes = sum(o.size for o in objects)
    else:
        nbytes = _download(store, concurrency)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    peak = _peak_mib()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "bytes": nbytes,
        "objects": len(objects),
        "peak_rss_mib": peak,
    }


def _server_cpu(pid: int) -> float:
    """CPU seconds (user + system, every thread) the process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _child(
    kind: str, location: str, concurrency: int, env: dict[str, str], hashers: int, server: int
) -> dict[str, float]:
    before = _server_cpu(server)
    args = [
        sys.executable,
        __file__,
        "--measure",
        kind,
        location,
        "--concurrency",
        str(concurrency),
        "--hashers",
        str(hashers),
    ]
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout
    got: dict[str, float] = json.loads(out)
    got["server_cpu_seconds"] = _server_cpu(server) - before
    return got


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--large", type=int, default=4)
    parser.add_argument("--large-mib", type=int, default=64)
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--small-kib", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--hashers",
        default="1,2",
        help=f"hashing lanes for large objects (default in preserve: {stream.HASHERS}); "
        "several values (1,2) are each measured",
    )
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "LOCATION"))
    args = parser.parse_args()
    if args.measure:
        got = measure(args.measure[0], args.measure[1], args.concurrency, int(args.hashers))
        print(json.dumps(got))
        return
    with tempfile.TemporaryDirectory(prefix="bench-s3-") as tmp:
        root = Path(tmp)
        server = SeaweedS3(root / "server")
        (root / "server").mkdir()
        server.start()
        try:
            report = _run(args, root, server)
        finally:
            server.stop()
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


def _run(args: argparse.Namespace, root: Path, server: SeaweedS3) -> dict[str, object]:
    admin = client_for(server.endpoint, ADMIN_KEY, ADMIN_SECRET)
    server.ready_for_writes(admin)
    admin.create_bucket(Bucket="bench")
    sets = {
        "large": (args.large, args.large_mib << 20),
        "small": (args.small, args.small_kib << 10),
    }
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": server.endpoint,
        "AWS_ACCESS_KEY_ID": ADMIN_KEY,
        "AWS_SECRET_ACCESS_KEY": ADMIN_SECRET,
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    cpus = os.cpu_count() or 1
    report: dict[str, object] = {"concurrency": args.concurrency, "cpus": cpus}
    assert server.process is not None
    pid = server.process.pid
    for name, (count, size) in sets.items():
        files = {f"{name[0]}{i:05}.bin": os.urandom(size) for i in range(count)}
        bag = make_local_bag(root / name, files)
        del files  # measured children start from a small parent
        upload_folder(admin, bag, "bench", name)
        kinds = [("download", 1), ("hash", 1)] + [
            (f"verify-hashers-{h}", int(h)) for h in args.hashers.split(",")
        ]
        best: dict[str, dict[str, float]] = {}
        for _ in range(args.rounds):  # interleaved, so a busy spell hits every kind
            for label, hashers in kinds:
                kind = label.split("-")[0]
                got = _child(kind, f"s3://bench/{name}", args.concurrency, env, hashers, pid)
                if label not in best or got["seconds"] < best[label]["seconds"]:
                    best[label] = got
        for got in best.values():
            got["mib_per_s"] = got["bytes"] / got["seconds"] / (1 << 20)
            got["objects_per_s"] = got["objects"] / got["seconds"]
        best["ratio_verify_to_download"] = {
            label: best[label]["mib_per_s"] / best["download"]["mib_per_s"]
            for label, _ in kinds[2:]
        }
        down, hashing = best["download"], best["hash"]
        need = down["cpu_seconds"] + down["server_cpu_seconds"] + hashing["cpu_seconds"]
        floor = max(down["seconds"], need / cpus)
        best["fair_ceiling"] = {
            "cpu_seconds_needed": need,
            "seconds_at_best": floor,
            "ratio": down["seconds"] / floor,
        }
        report[name] = best
    return report


if __name__ == "__main__":
    main()
