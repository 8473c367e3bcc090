"""One audit run: discover bags, plan within the budget, check, record, report.

The ledger is written only here (by the client, never by Dask workers), one check
per transaction, right after the bag is checked: a crash loses at most the bag being
checked, and the next run resumes where this one stopped because the bags it already
checked now have the newest checks and go to the back of the queue.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial

from preserve import __version__
from preserve._types import PathOrPaths, StrPath, as_paths, not_accepted
from preserve.audit.check import LocalChecker, reporting_bytes
from preserve.audit.copies import find_disagreements
from preserve.audit.discover import Discovery, discover
from preserve.audit.ledger import CheckRecord, Ledger
from preserve.audit.model import BagCheck, FileChange
from preserve.audit.relocate import LocalProbe, MoveFinder, Probe
from preserve.audit.result import AuditReport, AuditStatus, BagOutcome, StatusRow
from preserve.audit.schedule import Budget, coverage_warning, is_overdue, plan
from preserve.audit.storage import LOCAL, Storage
from preserve.clock import Clock, isoformat_z, utc_now
from preserve.errors import AuditError, UsageError
from preserve.progress import NO_PROGRESS, Progress

Checker = Callable[[str], BagCheck]
"""Checks one bag, given its path (must be picklable to run on Dask)."""

Executor = Callable[[Sequence[str], Checker], Iterator[BagCheck]]
"""Runs a checker over bags and yields results as they finish (any order).

The run stops consuming when the time budget is spent and then closes the iterator:
an executor must not start more work after that (the local one is lazy; the Dask one
cancels what is still queued).
"""

log = logging.getLogger(__name__)


class ClusterLost(AuditError):
    """The executor lost the machines running the checks; the run cannot finish."""


def local_executor(bags: Sequence[str], check: Checker) -> Iterator[BagCheck]:
    """Check the bags one after another in this process."""
    for bag in bags:
        yield check(bag)


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """What one run may do and how it is recorded.

    :param max_age: every bag should be checked at least this often.
    :param budget: how much this run may do (seconds and/or bytes).
    :param sample: random bags to add beyond the budget.
    :param seed: seed for the sample (reproducible runs).
    :param accept_manifests: take the manifests as they are now as the new baseline
        instead of reporting AUD-006 (after an intended rebuild of a bag).
    :param agent: who runs the audit (user@host), recorded in the ledger.
    :param run_interval: how often runs happen, for the coverage warning.
    """

    max_age: timedelta = timedelta(days=30)
    budget: Budget = field(default_factory=Budget)
    sample: int = 0
    seed: int | None = None
    accept_manifests: bool = False
    agent: str = "preserve"
    run_interval: timedelta = timedelta(days=1)


def run_audit(
    roots: PathOrPaths,
    *,
    ledger: Ledger | StrPath,
    options: AuditOptions = AuditOptions(),
    check: Checker | None = None,
    executor: Executor = local_executor,
    storage: Storage = LOCAL,
    clock: Clock = utc_now,
    progress: Progress = NO_PROGRESS,
    discovery: Discovery | None = None,
    replicas: PathOrPaths = (),
    probe: Probe | None = None,
) -> AuditReport:
    """Audit the bags under *roots*, recording every check in *ledger*.

    :param roots: a folder (or bag), or several, to find bags under.
    :param ledger: an open :class:`Ledger`, or the path of one (created if absent,
        closed when the run ends).
    :param options: an :class:`AuditOptions`.
    :param check: the per-bag checker (default: :class:`LocalChecker` on *storage*).
    :param executor: where checks run (default: here, one after another).
    :param discovery: the bags, when found elsewhere than on *storage* (``s3://``
        roots, :func:`preserve.replicas.audit.discover_roots`); *roots* is then unused.
    :param replicas: roots holding copies of the bags under the one root in *roots*, at
        the same paths: every copy is checked and recorded, and the bags whose copies
        disagree are reported (:attr:`AuditReport.disagreements`). A *discovery* given
        with them must cover the root and the replicas.
    :param probe: asks whether anything is still at a location the ledger knows, so a
        bag found elsewhere is a move only when nothing is left at its old location
        (default: :class:`~preserve.audit.relocate.LocalProbe` on *storage*, which cannot
        ask ``s3://`` locations; :class:`preserve.replicas.audit.StoredProbe` can).
    :raises UsageError: an argument is not of a kind listed here, or *replicas* come
        with more than one root.
    :raises LedgerError: the ledger cannot be opened or written.
    """
    paths = as_paths(roots, argument="roots")
    copies = as_paths(replicas, argument="replicas") if replicas else []
    if copies and len(paths) != 1:
        msg = (
            f"replicas are copies of one root, and {len(paths)} roots were given: audit "
            "one ROOT with its --replica copies at a time"
        )
        raise UsageError(msg)
    if not isinstance(options, AuditOptions):
        raise not_accepted(options, argument="options", accepts="a preserve.AuditOptions")
    audit = partial(
        _audit,
        [*paths, *copies],
        compare=bool(copies),
        options=options,
        check=check,
        executor=executor,
        storage=storage,
        clock=clock,
        progress=progress,
        discovery=discovery,
        probe=probe or LocalProbe(storage),
    )
    if isinstance(ledger, Ledger):
        return audit(ledger=ledger)
    if not isinstance(ledger, str | os.PathLike):
        takes = "a preserve.Ledger or the path of a ledger file"
        raise not_accepted(ledger, argument="ledger", accepts=takes)
    with Ledger.open(ledger) as opened:
        return audit(ledger=opened)


def _audit(
    roots: list[StrPath],
    *,
    ledger: Ledger,
    options: AuditOptions,
    check: Checker | None,
    executor: Executor,
    storage: Storage,
    clock: Clock,
    progress: Progress,
    discovery: Discovery | None,
    compare: bool,
    probe: Probe,
) -> AuditReport:
    started = clock()
    found = discovery if discovery is not None else discover(roots, storage=storage)
    ledger.record_found((b.path for b in found.bags), covered=found.covers, found_at=started)
    before = ledger.last_checks()
    done: dict[str, BagCheck] = {}
    moves = MoveFinder(ledger, before, found, probe)
    schedule = plan(
        found.bags,
        {path: record.checked_at for path, record in before.items()},
        budget=options.budget,
        sample=options.sample,
        seed=options.seed,
    )
    warning = coverage_warning(
        found.bags,
        budget=options.budget,
        max_age=options.max_age,
        run_interval=options.run_interval,
        throughput=ledger.throughput(),
    )
    log.info(
        "%d bags under %s; %d to check in this run",
        len(found.bags),
        ", ".join(found.roots),
        len(schedule.order),
    )
    progress.start("Auditing", total_bytes=sum(b.size for b in schedule.order), total_files=None)
    results = executor([b.path for b in schedule.order], check or LocalChecker(storage))
    streamed = [0]  # bytes already shown while the current bag was checked here
    counting = threading.Lock()  # a bag's large files are hashed on several threads

    def sink(n: int) -> None:
        with counting:
            streamed[0] += n
        progress.advance(nbytes=n)

    stopped = ""
    try:
        with reporting_bytes(None if progress is NO_PROGRESS else sink):
            for item in _until_lost(results):
                if isinstance(item, ClusterLost):
                    stopped = str(item)
                    break
                result = item
                if result.not_a_bag and result.bag not in before:
                    ledger.mark_not_a_bag(result.bag, result.note)
                    progress.advance(nbytes=0, files=1)
                    streamed[0] = 0
                    continue
                if result.not_a_bag:  # it was checked as a bag before: now it holds none
                    note = f"{result.note}, but the ledger has checks of it as a bag"
                    result = replace(result, outcome="failed", note=note, not_a_bag=False)
                moved_from = moves.recognise(result) or ""
                done[result.bag] = _record(ledger, result, options, clock, moved_from)
                log.info(
                    "%s: %s%s",
                    result.bag,
                    result.outcome,
                    f" ({result.note})" if result.note else "",
                )
                progress.advance(nbytes=max(result.bytes_checked - streamed[0], 0), files=1)
                streamed[0] = 0
                if _time_up(options.budget, started, clock()):
                    log.info("the time budget is spent after %d bags; the rest are left", len(done))
                    break
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
        progress.finish()
    # After the checks, so a bag found moved is not first recorded as gone from its old place.
    for gone in _vanished(found, before):
        if gone.bag not in moves.moved:
            done[gone.bag] = _record(ledger, gone, options, clock)
    report = _report(
        found=found,
        before=before,
        done=done,
        sampled=schedule.sampled,
        ledger=ledger,
        options=options,
        started=started,
        finished=clock(),
        warning=warning,
    )
    return _with_copies_and_moves(
        report, found=found, ledger=ledger, compare=compare, moves=moves, stopped=stopped
    )


def _with_copies_and_moves(
    report: AuditReport,
    *,
    found: Discovery,
    ledger: Ledger,
    compare: bool,
    moves: MoveFinder,
    stopped: str,
) -> AuditReport:
    """The report with the copies' disagreements, the bags found moved (and those that
    may have moved but could not be told), and why it stopped."""
    if compare:
        report = replace(report, disagreements=find_disagreements(found, ledger.last_checks()))
    if moves.moved:
        report = replace(report, moves=tuple(sorted(moves.moved.items())))
    if moves.untold:
        report = replace(report, notes=tuple(sorted((*report.notes, *moves.untold))))
    return replace(report, stopped=stopped) if stopped else report


def _until_lost(results: Iterator[BagCheck]) -> Iterator[BagCheck | ClusterLost]:
    """The results, then the :class:`ClusterLost` that ended them early, if one did."""
    try:
        yield from results
    except ClusterLost as e:
        yield e


def _time_up(budget: Budget, started: datetime, now: datetime) -> bool:
    return budget.seconds is not None and (now - started).total_seconds() >= budget.seconds


def _record(
    ledger: Ledger, result: BagCheck, options: AuditOptions, clock: Clock, moved_from: str = ""
) -> BagCheck:
    if not options.accept_manifests:
        baseline = ledger.baseline(moved_from or result.bag)
        result = against_baseline(result, baseline)
    ledger.record(
        result,
        checked_at=clock(),
        agent=options.agent,
        preserve_version=__version__,
        moved_from=moved_from,
    )
    return result


def against_baseline(result: BagCheck, baseline: CheckRecord | None) -> BagCheck:
    """Fail a check whose manifests differ from those seen at the last passed check.

    This catches a payload edited together with its manifest and tag manifest: the bag
    is internally consistent again, but not with what the ledger saw (AUD-006).
    """
    if baseline is None or not baseline.check.digests or result.outcome == "inaccessible":
        return result
    if not result.digests:  # no manifest was read (the bag is gone, or has no bagit.txt)
        return result
    old: Mapping[str, str] = baseline.check.digests
    new = result.digests
    changes = tuple(
        FileChange(
            "manifest_changed",
            name,
            "sha256",
            old.get(name, ""),
            new.get(name, ""),
            last_passed_at=baseline.checked_at,
        )
        for name in sorted(set(old) | set(new))
        if old.get(name) != new.get(name)
    )
    if not changes:
        return result
    return replace(result, outcome="failed", changes=(*changes, *result.changes))


def _vanished(found: Discovery, before: Mapping[str, CheckRecord]) -> Iterator[BagCheck]:
    """Bags the ledger knows under the roots that were not found this time."""
    present = {b.path for b in found.bags}
    for bag in sorted(before):
        if bag in present or not found.covers(bag):
            continue
        reason = found.unreadable_reason(bag)
        root = next(r for r in found.roots if bag == r or bag.startswith(r.rstrip("/") + "/"))
        if reason is None and not any(b.path.startswith(root) for b in found.bags):
            reason = f"{root} holds no bags at all (is the storage mounted?)"
        if reason is not None:
            yield BagCheck(bag=bag, outcome="inaccessible", note=reason)
        else:
            note = f"{bag} is no longer under {root}: the bag was moved or deleted"
            yield BagCheck(bag=bag, outcome="failed", note=note)


def _report(
    *,
    found: Discovery,
    before: Mapping[str, CheckRecord],
    done: Mapping[str, BagCheck],
    sampled: frozenset[str],
    ledger: Ledger,
    options: AuditOptions,
    started: datetime,
    finished: datetime,
    warning: str | None,
) -> AuditReport:
    after = ledger.last_checks()
    not_bags = {p: n for p, n in ledger.not_bags().items() if p not in done and found.covers(p)}
    paths = sorted(({b.path for b in found.bags} | set(done)) - set(not_bags))
    outcomes = []
    for path in paths:
        result = done.get(path)
        last = after[path].checked_at if path in after else None
        previous = before[path].check.outcome if path in before else None
        outcomes.append(
            BagOutcome(
                bag=path,
                outcome=result.outcome if result else "not_run",
                previous=previous,
                last_checked=last,
                overdue=last is not None and is_overdue(last, finished, options.max_age),
                sampled=path in sampled,
                check=result,
            )
        )
    return AuditReport(
        started_at=isoformat_z(started),
        finished_at=isoformat_z(finished),
        roots=found.roots,
        bags=tuple(outcomes),
        unreadable=found.unreadable,
        notes=tuple(sorted(not_bags.items())),
        warnings=(warning,) if warning else (),
        history=tuple(ledger.bytes_by_day()),
        ledger_path=str(ledger.path.absolute()),
        ledger_head=ledger.head(),
        max_age_days=options.max_age.total_seconds() / 86400,
    )


def audit_status(ledger: Ledger, *, max_age: timedelta, clock: Clock = utc_now) -> AuditStatus:
    """Every bag the ledger knows (checked, or found by an audit and never checked): its
    last check, that check's outcome, and whether it is overdue."""
    now = clock()
    rows = [
        StatusRow(bag, r.checked_at, r.check.outcome, is_overdue(r.checked_at, now, max_age))
        for bag, r in ledger.last_checks().items()
    ]
    rows += [StatusRow(bag, None, None, False) for bag in ledger.never_checked()]
    return AuditStatus(tuple(sorted(rows, key=lambda r: r.bag)))
