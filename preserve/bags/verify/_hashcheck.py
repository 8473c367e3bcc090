"""Hash every listed file once for all its algorithms, and compare with the manifests.

Payload files are fed to the engine as a stream straight from the compact
:class:`~preserve.bags.verify._match.PayloadPlan` (no job object is kept per file: the
engine's look-ahead is bounded), tag files from the small :class:`Plan`.
"""

from __future__ import annotations

import errno
import os
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from preserve.bags.codes import BAG
from preserve.bags.hashpool import HashJob, HashOutcome, hash_many
from preserve.bags.manifests import engine_algorithm
from preserve.bags.verify._inventory import Inventory
from preserve.bags.verify._listing import Check, Listing
from preserve.bags.verify._match import PayloadPlan, Plan
from preserve.bags.verify.result import ChangedFile, digest_mismatch
from preserve.findings import Finding
from preserve.progress import Progress


@dataclass(slots=True)
class Hashed:
    """What hashing found."""

    findings: list[Finding] = field(default_factory=list)
    changed: list[ChangedFile] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Work:
    """One group of files hashed with the same algorithms."""

    algorithms: tuple[str, ...]
    files: int
    nbytes: int
    every: bool = False  # every readable payload file, and no other group


def _algorithms(checks: Iterable[Check]) -> tuple[str, ...]:
    names = {engine_algorithm(c.algorithm) for c in checks}
    return tuple(sorted(n for n in names if n is not None))


def _payload_groups(plan: PayloadPlan) -> dict[tuple[str, ...], _Work]:
    """The algorithm sets payload files need (usually one: every manifest lists every
    file), with their file and byte counts for the progress bar."""
    index = plan.index
    listings = [x for x in plan.listings if x.manifest.engine is not None]
    skip = index.unreadable_positions()
    readable = len(index) - len(skip)
    if listings and all(x.listed_count(skip) == readable for x in listings):
        algorithms = tuple(sorted({x.manifest.engine for x in listings if x.manifest.engine}))
        nbytes = sum(index.sizes) - sum(index.sizes[i] for i in skip)
        return {algorithms: _Work(algorithms, readable, nbytes, every=True)}
    groups: dict[tuple[str, ...], _Work] = {}
    for i, algorithms in _each_file(plan):
        work = groups.get(algorithms, _Work(algorithms, 0, 0))
        groups[algorithms] = _Work(algorithms, work.files + 1, work.nbytes + index.sizes[i])
    return groups


def _each_file(plan: PayloadPlan) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Positions of readable payload files to hash, with their algorithms."""
    index = plan.index
    listings = plan.listings
    for i in range(len(index)):
        if not any(x.lines[i] for x in listings) or not index.readable(i):
            continue
        algorithms = _algorithms(plan.checks(i))
        if algorithms:
            yield i, algorithms


def hash_and_compare(
    inv: Inventory, payload: PayloadPlan, tags: Plan, *, processes: int, progress: Progress
) -> Hashed:
    """Hash every planned file once for all its algorithms, group by group, and compare."""
    out = Hashed()
    groups = _payload_groups(payload)
    tag_jobs = _tag_jobs(inv, tags)
    tag_groups: dict[tuple[str, ...], list[tuple[str, HashJob, list[Check]]]] = defaultdict(list)
    for path, job, checks in tag_jobs:
        tag_groups[_algorithms(checks)].append((path, job, checks))
    progress.start(
        f"verifying {os.path.basename(inv.root)}",
        total_bytes=sum(w.nbytes for w in groups.values()) + sum(j.size for _, j, _ in tag_jobs),
        total_files=sum(w.files for w in groups.values()) + len(tag_jobs),
    )
    try:
        for work in groups.values():
            _hash_payload(plan=payload, work=work, processes=processes, progress=progress, out=out)
        for algorithms, group in tag_groups.items():
            jobs = (job for _, job, _ in group)
            outcomes = hash_many(jobs, algorithms, workers=processes, progress=progress)
            for (path, _, checks), outcome in zip(group, outcomes, strict=True):
                _compare(path, checks, outcome, out)
    finally:
        progress.finish()
    return out


def _hash_payload(
    plan: PayloadPlan, work: _Work, processes: int, progress: Progress, out: Hashed
) -> None:
    index = plan.index
    pending: deque[int] = deque()  # positions sent and not yet back (bounded look-ahead)

    def jobs() -> Iterator[HashJob]:
        if work.every:  # the common case: no per-file choice of algorithms
            chosen: Iterable[int] = (i for i in range(len(index)) if index.readable(i))
        else:
            chosen = (i for i, algorithms in _each_file(plan) if algorithms == work.algorithms)
        for i in chosen:
            pending.append(i)
            yield HashJob(index.real(i), size=index.sizes[i])

    quick = _quick_listings(plan)
    for outcome in hash_many(jobs(), work.algorithms, workers=processes, progress=progress):
        i = pending.popleft()
        if quick is not None and _all_match(quick, i, outcome):
            continue
        _compare(index.paths[i], plan.checks(i), outcome, out)


_Quick = list[tuple[Listing, str, int]]


def _quick_listings(plan: PayloadPlan) -> _Quick | None:
    """The listings with their engine name and digest width, when every file's digests
    can be compared as raw bytes (issue 15: building the :class:`Check` tuples of every
    file cost the main process 10 µs a file, a fifth of verifying a small file)."""
    quick: _Quick = []
    for x in plan.listings:
        engine = x.manifest.engine
        if engine is None:
            continue  # _compare skips an algorithm the engine lacks
        if not x.width:
            return None
        quick.append((x, engine, x.width))
    return quick


def _all_match(quick: _Quick, i: int, outcome: HashOutcome) -> bool:
    """Every expected digest of position *i* equals what was found (the usual case);
    anything else (a mismatch, an error, a second entry) goes to :func:`_compare`."""
    digest = outcome.digest
    if digest is None or outcome.changed:
        return False
    found = digest.digests
    for x, engine, width in quick:
        if not x.lines[i]:
            continue
        if i in x.extra or found.get(engine) != x.digests[i * width : (i + 1) * width].hex():
            return False
    return True


def _tag_jobs(inv: Inventory, plan: Plan) -> list[tuple[str, HashJob, list[Check]]]:
    jobs = []
    for path, checks in plan.checks.items():
        disk = inv.files[path]
        if disk.kind in ("file", "link") and _algorithms(checks):
            jobs.append((path, HashJob(disk.real, size=disk.size), checks))
    return jobs


def _compare(path: str, checks: list[Check], outcome: HashOutcome, out: Hashed) -> None:
    if outcome.changed:
        out.findings.append(BAG.finding("BAG-037", path=path))
        return
    if outcome.digest is None:
        if outcome.errno == errno.ENOENT:  # deleted since the scan
            out.missing.append(path)
            out.findings.append(BAG.finding("BAG-030", path=path, source=checks[0].source))
        else:
            out.unreadable.append(path)
            out.findings.append(BAG.finding("BAG-033", path=path, reason=outcome.error or "?"))
        return
    tag = not path.startswith("data/")
    for check in checks:
        name = engine_algorithm(check.algorithm)
        found = outcome.digest.digests.get(name) if name else None
        if found is None or found == check.expected:
            continue
        change = ChangedFile(path, check.algorithm, check.expected, found)
        out.changed.append(change)
        out.findings.append(digest_mismatch(change, tag=tag, source=check.source, line=check.line))
