"""Run the per-bag checks on a Dask distributed cluster (``--scheduler tcp://HOST:8786``).

Workers read the bags from storage they share with the client (the same paths must
resolve on every worker); only the client writes the ledger, so the ledger's single
writer and its hash chain are the same as in a local run. Dask is imported only here:
it is the optional extra ``preserve-toolkit[dask]``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

from preserve.audit.model import BagCheck
from preserve.audit.run import Checker, Executor
from preserve.errors import AuditError

MISSING_DASK = (
    "--scheduler needs Dask distributed, which is not installed; "
    "install it with: pip install 'preserve-toolkit[dask]'"
)


def _client_class() -> Any:
    try:
        from distributed import Client
    except ImportError as e:
        raise AuditError(MISSING_DASK) from e
    return Client


@contextmanager
def dask_executor(address: str, *, timeout_s: float = 30.0) -> Iterator[Executor]:
    """Connect to the scheduler at *address* and yield an executor that runs checks there.

    :raises AuditError: Dask is not installed, or the scheduler cannot be reached.
    """
    client_class = _client_class()
    try:
        client = client_class(address, timeout=timeout_s)
    except (OSError, TimeoutError, ValueError) as e:
        msg = (
            f"cannot reach the Dask scheduler at {address} ({e}); check that it runs and "
            "that --scheduler names it (tcp://HOST:8786)"
        )
        raise AuditError(msg) from e
    try:
        yield partial(_run_on, client)
    finally:
        client.close()


def _check_batch(check: Checker, bags: Sequence[str]) -> list[BagCheck]:
    """Runs on a worker: check a few bags in one task (a task costs ~10 ms to schedule)."""
    return [check(bag) for bag in bags]


def _batches(bags: Sequence[str], workers: int) -> list[list[str]]:
    """About eight tasks per worker, so the cluster stays busy and a stop is prompt."""
    size = max(1, len(bags) // (max(workers, 1) * 8))
    return [list(bags[i : i + size]) for i in range(0, len(bags), size)]


def _run_on(client: Any, bags: Sequence[str], check: Checker) -> Iterator[BagCheck]:
    """Submit the bags in batches, yield results as batches finish; cancel the rest on close."""
    from distributed import as_completed

    if not bags:
        return
    workers = len(client.scheduler_info().get("workers", {}))
    batches = _batches(bags, workers)
    futures = [client.submit(_check_batch, check, batch, pure=False) for batch in batches]
    try:
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            yield from future.result()
    finally:
        client.cancel([f for f in futures if not f.done()])
