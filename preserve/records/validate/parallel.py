"""Check big JSON Lines files in worker processes (issue 2, "Measure").

The parent reads the file and sends :class:`~preserve.records.validate.loaders.Chunk` items of
lines to the workers; each worker parses its lines, runs the schema and the
per-record rules, and returns each record's findings and compact cross-record keys
(:func:`~preserve.records.validate.check.check_one`). The parent merges the keys in
input order, so the findings and their order are the same as in one process.

At most a few chunks are in flight at a time, so memory does not grow with the file.
Workers are started with ``spawn``: they do not inherit the parent's threads (a
progress bar) or state, and Python's string hashes, which differ between
processes, are only ever taken in the parent.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from preserve.errors import RecordError
from preserve.findings import Finding
from preserve.records.defaults import apply_defaults
from preserve.records.validate.check import Checked, check_one
from preserve.records.validate.crosscheck import RecordKeys, Seen
from preserve.records.validate.items import Item
from preserve.records.validate.loaders import Chunk, jsonl_items
from preserve.records.validate.schema import record_schema

PARALLEL_MIN_BYTES = 4 * 1024 * 1024
"""A JSON Lines file this big (about 4,000 records) is checked in worker processes.
Smaller inputs are not: starting the workers costs about half a second."""

IN_FLIGHT = 3
"""Chunks sent ahead per worker: enough to keep the workers busy, few enough to bound memory."""

_defaults: Mapping[str, Any] | None = None


def _start(defaults: Mapping[str, Any] | None) -> None:
    global _defaults
    _defaults = defaults


def check_chunk(chunk: Chunk) -> list[Any]:
    """In a worker: the input findings and checked records of *chunk*, in order.

    A checked record comes as ``(findings or None, label, line, keys)``; :func:`pooled`
    turns it back into a :class:`~preserve.records.validate.check.Checked`.
    """
    schema = record_schema()
    out: list[Any] = []
    for item in jsonl_items(chunk.lines, chunk.source, chunk.position):
        if isinstance(item, Finding):
            out.append(item)
            continue
        record = item.record
        if _defaults is not None and isinstance(record, dict):
            record = apply_defaults(record, _defaults)
        checked = check_one(schema, record, item)
        # Plain tuples, not named ones: they pickle several times faster, and the
        # parent knows the source (the chunk's) and the row (none in JSON Lines).
        seen, keys = checked.seen, checked.keys
        label = None if seen is None else seen.label
        out.append((checked.found or None, label, item.line, None if keys is None else tuple(keys)))
    return out


def pooled(
    items: Iterable[Item | Chunk], *, workers: int, defaults: Mapping[str, Any] | None
) -> Iterator[Any]:
    """*items* in order, each :class:`Chunk` replaced by what :func:`check_chunk` made of it.

    The pool starts only when the first chunk comes, so small inputs never pay for it.
    """
    pool: ProcessPoolExecutor | None = None
    pending: deque[_Sent | Item] = deque()
    limit = IN_FLIGHT * workers
    try:
        for item in items:
            if isinstance(item, Chunk):
                pool = pool or _pool(workers, defaults)
                pending.append(_Sent(item.source, pool.submit(check_chunk, item)))
            else:
                pending.append(item)  # behind the chunks before it, if any
            while pending and (not isinstance(pending[0], _Sent) or len(pending) > limit):
                yield from _result(pending.popleft())
        while pending:
            yield from _result(pending.popleft())
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


@dataclass(frozen=True, slots=True)
class _Sent:
    """A chunk sent to a worker (not a tuple: records come as ``Loaded`` tuples)."""

    source: str
    future: Future[list[Any]]


def _pool(workers: int, defaults: Mapping[str, Any] | None) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start, initargs=(defaults,)
    )


def _result(entry: _Sent | Item) -> Iterator[Any]:
    if not isinstance(entry, _Sent):
        yield entry
        return
    source, future = entry.source, entry.future
    try:
        results = future.result()
    except BrokenProcessPool as e:
        msg = (
            f"a worker process checking records stopped unexpectedly ({e}); "
            "run again with one worker (workers=1) to check the records in this process"
        )
        raise RecordError(msg) from e
    for result in results:
        if isinstance(result, Finding):
            yield result
            continue
        found, label, line, keys = result
        if keys is None:
            yield Checked(found or [])
        else:
            yield Checked(found or [], Seen(label, source, line), RecordKeys(*keys))
