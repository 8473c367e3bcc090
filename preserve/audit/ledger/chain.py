"""The hash chain over ledger rows: canonical form, row hash, and verification.

Each ``checks`` row stores ``row_hash = sha256(canonical(row content, its file rows,
prev_hash))`` where ``prev_hash`` is the previous row's ``row_hash``. Editing,
deleting or reordering any row (even with the triggers dropped and sqlite3 used
directly) breaks the chain at that row or the next; deleting the *last* rows is
caught only by comparing with a witness value recorded earlier (``preserve ledger head``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from preserve._types import JSONObject
from preserve.audit.codes import AUDIT_RULES
from preserve.findings import Finding

GENESIS = "0" * 64
"""The ``prev_hash`` of the first row."""

CHECK_FIELDS = (
    "seq",
    "check_id",
    "checked_at",
    "agent",
    "preserve_version",
    "bag_path",
    "bag_identity",
    "outcome",
    "bytes_checked",
    "files_checked",
    "duration_s",
    "digests",
    "note",
    "prev_hash",
)
CHECK_FIELDS_WHEN_SET = ("moved_from",)
"""Check-row fields (migration 5) a row's hash covers only when set, like
:data:`FILE_FIELDS_WHEN_SET`: a move is part of the chain, and rows without one hash as before."""

FILE_FIELDS = ("kind", "path", "algorithm", "expected", "found", "other_path")
"""The file-row fields every row's hash covers (``other_path`` is empty since migration 3)."""

FILE_FIELDS_WHEN_SET = ("moved_to", "reason", "last_passed_at")
"""File-row fields (migration 3) a row's hash covers only when set: rows written before
them hash as they always did, and setting, clearing or moving a value still changes the hash."""


def canonical(row: Mapping[str, Any], files: Sequence[Mapping[str, Any]]) -> bytes:
    """The bytes hashed for a row: sorted-key compact JSON of its fields and file rows."""
    body = {name: row[name] for name in CHECK_FIELDS}
    body.update({name: row[name] for name in CHECK_FIELDS_WHEN_SET if row.get(name)})
    body["files"] = [_file_body(f) for f in files]
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _file_body(file: Mapping[str, Any]) -> dict[str, Any]:
    body = {name: file[name] for name in FILE_FIELDS}
    body.update({name: file[name] for name in FILE_FIELDS_WHEN_SET if file.get(name)})
    return body


def row_hash(row: Mapping[str, Any], files: Sequence[Mapping[str, Any]]) -> str:
    """sha256 (hex) of :func:`canonical`."""
    return hashlib.sha256(canonical(row, files)).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainReport:
    """What :func:`verify_rows` concluded.

    :param ok: the chain is intact (and matches the witness, when one was given).
    :param rows: how many rows were read.
    :param head: the last row's hash (the value to publish as a witness).
    :param broken_row: ``seq`` of the first row that does not verify (``None`` when ok).
    :param reason: what is wrong with that row.
    :param ledger: the ledger's path (set by :meth:`~preserve.audit.ledger.Ledger.verify`).
    :param unbacked_moves: why each move recorded outside the chain (before migration 5)
        that chained checks do not back cannot be trusted (AUD-013 each; ``ok`` is false).
    """

    ok: bool
    rows: int
    head: str
    broken_row: int | None = None
    reason: str = ""
    ledger: str = ""
    unbacked_moves: tuple[str, ...] = ()

    @property
    def findings(self) -> tuple[Finding, ...]:
        """AUD-011 naming the first broken row, and AUD-013 for each move not backed by
        the chain; nothing when all is well."""
        broken = (
            (AUDIT_RULES.finding("AUD-011", source=self.ledger, row=self.broken_row, reason=r),)
            if (r := self.reason)
            else ()
        )
        moves = tuple(
            AUDIT_RULES.finding("AUD-013", source=self.ledger, reason=why)
            for why in self.unbacked_moves
        )
        return broken + moves

    def to_dict(self) -> JSONObject:
        """What ``preserve ledger verify --format json`` prints."""
        return {
            "version": 1,
            "ledger": self.ledger,
            "ok": self.ok,
            "rows": self.rows,
            "head": self.head,
            "findings": [f.to_dict() for f in self.findings],
        }


def verify_rows(
    rows: Iterable[tuple[Mapping[str, Any], Sequence[Mapping[str, Any]]]],
    *,
    witness: str | None = None,
) -> ChainReport:
    """Walk rows in ``seq`` order and report the first one that breaks the chain.

    :param rows: ``(check row, its file rows)`` pairs ordered by ``seq``.
    :param witness: a head recorded earlier; the chain must contain it.
    """
    prev = GENESIS
    count = 0
    seen_witness = witness is None or witness == GENESIS
    for row, files in rows:
        count += 1
        seq = int(row["seq"])
        problem = _row_problem(row, files, prev, count)
        if problem:
            return ChainReport(ok=False, rows=count, head=prev, broken_row=seq, reason=problem)
        prev = str(row["row_hash"])
        seen_witness = seen_witness or prev == witness
    if not seen_witness:
        reason = f"witness {witness} is not in the chain: rows after it were deleted or rewritten"
        return ChainReport(ok=False, rows=count, head=prev, broken_row=count + 1, reason=reason)
    return ChainReport(ok=True, rows=count, head=prev)


def _row_problem(
    row: Mapping[str, Any], files: Sequence[Mapping[str, Any]], prev: str, position: int
) -> str:
    seq = int(row["seq"])
    if seq != position:
        return f"has seq {seq} where {position} was expected: a row before it was deleted"
    if row["prev_hash"] != prev:
        return "does not follow the row before it: a row was deleted, inserted or reordered"
    if row_hash(row, files) != row["row_hash"]:
        return "was edited after it was written: its content does not match its hash"
    return ""
