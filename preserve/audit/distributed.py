"""Run the per-bag checks on a Dask distributed cluster (``--scheduler tcp://HOST:8786``).

Workers read the bags from storage they share with the client (the same paths must
resolve on every worker); only the client writes the ledger, so the ledger's single
writer and its hash chain are the same as in a local run. Dask is imported only here:
it is the optional extra ``preserve-toolkit[dask]``.

A cluster can break. Before any bag is sent, the executor checks that the scheduler has
workers and that every worker runs this preserve version. While running it polls: the
time budget ends the run (what is still queued is cancelled, "not run"), and a cluster
that is gone (no worker left for :data:`LOST_AFTER_S`, or the scheduler unreachable)
raises :class:`ClusterLost`, which :func:`preserve.audit.run.run_audit` turns into a
report that could not finish: what was checked is recorded, the rest is "not run".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import partial
from typing import Any

from preserve import __version__
from preserve.audit.model import BagCheck
from preserve.audit.run import Checker, ClusterLost, Executor
from preserve.errors import AuditError

MISSING_DASK = (
    "--scheduler needs Dask distributed, which is not installed; "
    "install it with: pip install 'preserve-toolkit[dask]'"
)
LOST_AFTER_S = 15.0
"""A cluster with no worker for this long is lost (a restarting worker takes seconds)."""
POLL_S = 0.5


def _client_class() -> Any:
    try:
        from distributed import Client
    except ImportError as e:
        raise AuditError(MISSING_DASK) from e
    return Client


def silence_dask_logs() -> None:
    """Mute Dask's own log handlers (for the CLI).

    Dask logs every reconnection attempt to a lost scheduler with a traceback on stderr;
    the audit reports a lost cluster itself, once, in one line.
    """
    _client_class()  # Dask sets up its loggers when imported
    for name in ("", *sorted(logging.root.manager.loggerDict)):
        if name.startswith(("distributed", "tornado", "asyncio")):
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def preserve_version() -> str:
    """Runs on a worker: the preserve version it imports."""
    return __version__


@contextmanager
def dask_executor(
    address: str,
    *,
    timeout_s: float = 30.0,
    budget_s: float | None = None,
    lost_after_s: float = LOST_AFTER_S,
) -> Iterator[Executor]:
    """Connect to the scheduler at *address* and yield an executor that runs checks there.

    :param timeout_s: how long to wait for the scheduler and for a first worker.
    :param budget_s: stop waiting for results this long after entering (the time budget).
    :param lost_after_s: give up when the cluster has had no worker for this long.
    :raises AuditError: Dask is not installed, the scheduler cannot be reached, it has no
        workers, or a worker cannot import preserve or runs another version.
    """
    client_class = _client_class()
    started = time.monotonic()
    try:
        client = client_class(address, timeout=timeout_s)
    except (OSError, TimeoutError, ValueError) as e:
        msg = (
            f"cannot reach the Dask scheduler at {address} ({e}); check that it runs and "
            "that --scheduler names it (tcp://HOST:8786)"
        )
        raise AuditError(msg) from e
    try:
        _check_workers(client, address, timeout_s)
        deadline = None if budget_s is None else started + budget_s
        yield partial(_run_on, client, address, deadline, lost_after_s)
    finally:
        with suppress(Exception):  # a dead scheduler must not turn into a traceback here
            client.close(timeout=5)


def _check_workers(client: Any, address: str, timeout_s: float) -> None:
    """Workers exist, import preserve, and run this version of it."""
    try:
        client.wait_for_workers(1, timeout=timeout_s)
    except (OSError, TimeoutError) as e:
        msg = (
            f"the Dask scheduler at {address} has no workers (waited {timeout_s:g} s); start "
            f"'dask worker {address}' on machines that mount the storage"
        )
        raise AuditError(msg) from e
    try:
        versions: dict[str, str] = client.run(preserve_version)
    except Exception as e:
        msg = (
            f"a Dask worker of {address} cannot run preserve ({type(e).__name__}: {e}); "
            f"install preserve {__version__} on every worker"
        )
        raise AuditError(msg) from e
    other = {w: v for w, v in sorted(versions.items()) if v != __version__}
    if other:
        listed = ", ".join(f"{w} has {v}" for w, v in other.items())
        msg = (
            f"Dask workers of {address} run another preserve version ({listed}; this is "
            f"{__version__}); install the same version everywhere so every bag is checked alike"
        )
        raise AuditError(msg)


def _check_batch(check: Checker, bags: Sequence[str]) -> list[BagCheck]:
    """Runs on a worker: check a few bags in one task (a task costs ~10 ms to schedule)."""
    return [check(bag) for bag in bags]


def _batches(bags: Sequence[str], workers: int) -> list[list[str]]:
    """About eight tasks per worker, so the cluster stays busy and a stop is prompt."""
    size = max(1, len(bags) // (max(workers, 1) * 8))
    return [list(bags[i : i + size]) for i in range(0, len(bags), size)]


def _run_on(
    client: Any,
    address: str,
    deadline: float | None,
    lost_after_s: float,
    bags: Sequence[str],
    check: Checker,
) -> Iterator[BagCheck]:
    """Submit the bags in batches, yield results as batches finish; cancel the rest on close.

    Stops (without error) at *deadline*; raises :class:`ClusterLost` when the scheduler
    cannot be reached or no worker has been seen for *lost_after_s*.
    """
    from distributed import wait

    if not bags:
        return
    workers = len(client.scheduler_info().get("workers", {}))
    futures = [
        client.submit(_check_batch, check, batch, pure=False) for batch in _batches(bags, workers)
    ]
    pending = set(futures)
    seen_worker = time.monotonic()
    try:
        while pending:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                if _worker_count(client, address) == 0:  # the budget is spent, but not on bags
                    raise _gone(address, "no worker left")
                return
            wait_s = POLL_S if deadline is None else max(min(POLL_S, deadline - now), 0.01)
            with _asking(address), suppress(TimeoutError):
                wait(pending, timeout=wait_s, return_when="FIRST_COMPLETED")  # type: ignore[no-untyped-call]
            finished = {f for f in pending if f.done()}
            pending -= finished
            for future in sorted(finished, key=futures.index):
                yield from _result(future, address)
            if _worker_count(client, address) > 0:
                seen_worker = time.monotonic()
            elif time.monotonic() - seen_worker >= lost_after_s:
                raise _gone(address, f"no worker left for {lost_after_s:g} s")
    finally:
        with suppress(Exception):
            client.cancel([f for f in futures if not f.done()])


def _result(future: Any, address: str) -> list[BagCheck]:
    if future.status == "error":
        error = future.exception()
        msg = f"a check failed on a Dask worker of {address}: {type(error).__name__}: {error}"
        raise ClusterLost(msg)
    with _asking(address):
        return list(future.result())


def _worker_count(client: Any, address: str) -> int:
    if client.status not in ("running", "connecting"):
        raise _gone(address, "the scheduler is gone")
    with _asking(address):
        return len(client.nthreads())


@contextmanager
def _asking(address: str) -> Iterator[None]:
    """Around a call to the cluster: whatever Dask raises becomes one :class:`ClusterLost`."""
    try:
        yield
    except Exception as e:
        raise _lost(address, e) from e


def _gone(address: str, reason: str) -> ClusterLost:
    return ClusterLost(f"the Dask cluster at {address} was lost ({reason})")


def _lost(address: str, error: BaseException) -> ClusterLost:
    """One line: Dask's own messages run over several lines and list every future."""
    if "cancelled" in type(error).__name__.lower() or "connection-lost" in str(error):
        return _gone(address, "the client lost its connection to the scheduler")
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return _gone(address, f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__)
