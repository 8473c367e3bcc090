"""The fixity ledger: an append-only, hash-chained SQLite record of every check.

One :class:`Ledger` wraps one connection. Writes go through :meth:`Ledger.atomic`,
which opens ``BEGIN IMMEDIATE`` (so concurrent audits queue for the single writer
lock instead of failing, waited for up to the busy timeout) and uses SAVEPOINTs when
nested. The database runs in WAL mode so readers never block the writer. Each check
is committed on its own, so a crash loses at most the bag being checked.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

from preserve._types import StrPath
from preserve.audit.ledger.chain import (
    FILE_FIELDS_WHEN_SET,
    GENESIS,
    ChainReport,
    row_hash,
    verify_rows,
)
from preserve.audit.ledger.identity import identity_of
from preserve.audit.ledger.migrations import MIGRATIONS
from preserve.audit.ledger.moves import Move, moves, unbacked_moves
from preserve.audit.model import OWN_FIELD, BagCheck, FileChange
from preserve.clock import isoformat_z
from preserve.errors import LedgerError, UsageError

MIN_WITNESS_DIGITS = 16
"""The fewest hex digits accepted as an abbreviated witness (64 bits)."""

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """One check as the ledger holds it (a :class:`BagCheck` plus when, who and the chain)."""

    seq: int
    check_id: str
    checked_at: str
    agent: str
    preserve_version: str
    check: BagCheck
    prev_hash: str
    row_hash: str
    moved_from: str = ""
    """The location the bag was found moved from by this check (``""``: not moved)."""


class Ledger:
    """The ledger at *path*; use :meth:`open` and close it (or use it as a context manager)."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self._depth = 0

    @classmethod
    def open(
        cls,
        path: StrPath,
        *,
        create: bool = True,
        read_only: bool = False,
        busy_timeout_s: float = 60.0,
    ) -> Ledger:
        """Open (and, when *create*, create and migrate) the ledger at *path*.

        :param read_only: only read it, never create, migrate or write it: the file may be
            on a read-only mount, a snapshot or write-once storage, or be a read-only file.
        :raises LedgerError: the file is missing (``create=False`` or *read_only*), not a
            ledger, on a full or read-only disk (for writing), or locked for longer than
            the busy timeout.
        """
        target = Path(path)
        if (read_only or not create) and not target.is_file():
            msg = f"no ledger at {target}: give the path of an existing ledger with --ledger"
            raise LedgerError(msg)
        if read_only:
            return cls(_connect_read_only(target, busy_timeout_s), target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(target, timeout=busy_timeout_s, isolation_level=None)
        except (OSError, sqlite3.Error) as e:
            raise storage_error(e, target) from e
        db.row_factory = sqlite3.Row
        ledger = cls(db, target)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            # Before anything writes (WAL mode rewrites the header): another program's
            # database is refused, never turned into a ledger.
            _refuse_foreign(db, target, new_ok=True)
            db.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode: a committed check survives a crash of the process; a
            # power loss may roll back the last few commits but never corrupts the file or
            # the chain. FULL (an fsync per bag) doubled the cost of auditing small bags.
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            ledger._migrate()
        except LedgerError:  # not a ledger, or one a newer preserve wrote
            db.close()
            raise
        except sqlite3.Error as e:
            db.close()
            raise storage_error(e, target) from e
        return ledger

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """A transaction (``BEGIN IMMEDIATE``), or a SAVEPOINT inside one when nested."""
        self._depth += 1
        name = f"preserve_sp{self._depth}"
        outer = self._depth == 1
        try:
            self._db.execute("BEGIN IMMEDIATE" if outer else f"SAVEPOINT {name}")
        except sqlite3.Error as e:
            self._depth -= 1
            if _primary(e) != sqlite3.SQLITE_BUSY:
                raise storage_error(e, self.path) from e
            msg = f"ledger {self.path} is locked by another writer ({e}); try again later"
            raise LedgerError(msg) from e
        try:
            yield self._db
        except BaseException:
            with suppress(sqlite3.Error):  # the first error is the one to report
                self._db.execute("ROLLBACK" if outer else f"ROLLBACK TO {name}")
                if not outer:
                    self._db.execute(f"RELEASE {name}")
            raise
        else:
            self._db.execute("COMMIT" if outer else f"RELEASE {name}")
        finally:
            self._depth -= 1

    def _migrate(self) -> None:
        with self.atomic() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS migrations ("
                "number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = {int(r[0]) for r in db.execute("SELECT number FROM migrations")}
            known = {m.number for m in MIGRATIONS}
            if done - known:
                msg = (
                    f"ledger {self.path} was written by a newer preserve (migration "
                    f"{max(done)}); upgrade preserve to use it"
                )
                raise LedgerError(msg)
            for migration in MIGRATIONS:
                if migration.number not in done:
                    log.info(
                        "ledger %s: migration %d (%s)", self.path, migration.number, migration.name
                    )
                    for statement in _statements(migration.sql):
                        db.execute(statement)
                    db.execute(
                        "INSERT INTO migrations VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ'))",
                        (migration.number, migration.name),
                    )

    def migrations(self) -> list[tuple[int, str, str]]:
        """``(number, name, applied_at)`` of every applied migration."""
        rows = self._db.execute("SELECT number, name, applied_at FROM migrations ORDER BY number")
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    def record(
        self,
        check: BagCheck,
        *,
        checked_at: datetime,
        agent: str,
        preserve_version: str,
        moved_from: str = "",
    ) -> CheckRecord:
        """Append *check* (and its file rows) to the chain, in one transaction.

        :param moved_from: the location the bag was found moved from (its history
            continues at ``check.bag``); recorded in the chain with the check.
        :raises LedgerError: the disk is full or read-only, or another writer holds the lock.
        """
        try:
            return self._record(check, checked_at, agent, preserve_version, moved_from)
        except sqlite3.Error as e:
            raise storage_error(e, self.path) from e

    def _record(
        self,
        check: BagCheck,
        checked_at: datetime,
        agent: str,
        preserve_version: str,
        moved_from: str,
    ) -> CheckRecord:
        with self.atomic() as db:
            last = db.execute("SELECT seq, row_hash FROM checks ORDER BY seq DESC LIMIT 1")
            top = last.fetchone()
            seq, prev = (int(top[0]) + 1, str(top[1])) if top else (1, GENESIS)
            row = _row_values(
                check=check,
                seq=seq,
                checked_at=checked_at,
                agent=agent,
                version=preserve_version,
                prev=prev,
            )
            row["moved_from"] = moved_from
            files = [_file_values(change) for change in check.changes]
            digest = row_hash(row, files)
            # Column names come from _row_values, never from input.
            db.execute(
                f"INSERT INTO checks ({', '.join(row)}, row_hash) "  # noqa: S608
                f"VALUES ({', '.join('?' * len(row))}, ?)",
                (*row.values(), digest),
            )
            db.executemany(
                "INSERT INTO check_files (check_seq, kind, path, algorithm, expected, found, "
                "other_path, moved_to, reason, last_passed_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(seq, *f.values()) for f in files],
            )
        return _record(row, files, digest)

    def head(self) -> str:
        """The last row's hash: the witness value to write down elsewhere."""
        top = self._db.execute("SELECT row_hash FROM checks ORDER BY seq DESC LIMIT 1").fetchone()
        return str(top[0]) if top else GENESIS

    def expand_witness(self, text: str) -> str:
        """The full head that *text* (a witness written down earlier) stands for.

        A witness is hex; it may be abbreviated to :data:`MIN_WITNESS_DIGITS` or more
        digits when exactly one row's hash starts with it. An abbreviation no row starts
        with is returned as given, so :meth:`verify` reports it missing from the chain.

        :raises UsageError: *text* is not hex, is too short, or fits several rows.
        """
        value = text.strip().lower()
        if not re.fullmatch(r"[0-9a-f]+", value) or len(value) > len(GENESIS):
            msg = (
                f"--witness {text!r} is not a ledger head: give the hex value "
                "'preserve ledger head' printed (64 digits)"
            )
            raise UsageError(msg)
        if len(value) == len(GENESIS):
            return value
        if len(value) < MIN_WITNESS_DIGITS:
            msg = (
                f"--witness {text!r} is too short to identify a ledger head: give at least "
                f"{MIN_WITNESS_DIGITS} hex digits, better all 64 'preserve ledger head' printed"
            )
            raise UsageError(msg)
        rows = self._db.execute(
            "SELECT row_hash FROM checks WHERE substr(row_hash, 1, ?) = ? LIMIT 2",
            (len(value), value),
        ).fetchall()
        if len(rows) > 1:
            msg = (
                f"--witness {text!r} fits more than one ledger row: give more digits "
                "(all 64 that 'preserve ledger head' printed)"
            )
            raise UsageError(msg)
        return str(rows[0][0]) if rows else value

    def verify(self, *, witness: str | None = None) -> ChainReport:
        """Recompute the chain; see :func:`preserve.audit.ledger.chain.verify_rows`.

        Also reports each move recorded outside the chain (``bag_moves``, before
        migration 5) that chained checks do not back (see :mod:`.moves`).
        Reads one snapshot (a read transaction), so audits may append meanwhile.
        """
        self._db.execute("BEGIN DEFERRED")
        try:
            report = verify_rows(self._iter_rows(), witness=witness)
            unbacked = tuple(unbacked_moves(self._db))
            if unbacked:
                report = replace(report, ok=False, unbacked_moves=unbacked)
            return replace(report, ledger=str(self.path))
        finally:
            self._db.execute("COMMIT")

    def _iter_rows(self) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        files = self._db.cursor()
        for row in self._db.execute("SELECT * FROM checks ORDER BY seq"):
            found = files.execute(
                "SELECT * FROM check_files WHERE check_seq = ? ORDER BY id", (row["seq"],)
            )
            yield dict(row), [dict(f) for f in found]

    def records(self, bag: str | None = None) -> list[CheckRecord]:
        """Every check (of *bag*, when given, at its location and those it moved from),
        oldest first."""
        return [_record(row, files, row["row_hash"]) for row, files in self._select(bag)]

    def _select(self, bag: str | None) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        if bag is None:
            yield from self._iter_rows()
            return
        places = self.locations(bag)
        marks = ", ".join("?" * len(places))
        query = f"SELECT * FROM checks WHERE bag_path IN ({marks}) ORDER BY seq"  # noqa: S608
        for row in self._db.execute(query, places):
            found = self._db.execute(
                "SELECT * FROM check_files WHERE check_seq = ? ORDER BY id", (row["seq"],)
            )
            yield dict(row), [dict(f) for f in found]

    def resolve_bag(self, name: str) -> str:
        """The bag path (as recorded) that *name* means: a path, a folder name or an
        External-Identifier, when exactly one recorded bag fits.

        :raises LedgerError: no recorded bag fits *name*.
        :raises UsageError: several do.
        """
        rows = self._db.execute("SELECT DISTINCT bag_path, bag_identity FROM checks").fetchall()
        paths = sorted({str(r[0]) for r in rows})
        for absolute in (os.path.realpath(name), os.path.abspath(name)):  # audit keys real paths
            if absolute in paths:
                return absolute
        fits = sorted({str(r[0]) for r in rows if name in (os.path.basename(str(r[0])), str(r[1]))})
        if len(fits) == 1:
            return fits[0]
        if fits:
            listed = ", ".join(fits[:5]) + (" …" if len(fits) > 5 else "")
            msg = f"{name!r} fits {len(fits)} bags in ledger {self.path} ({listed}); give its path"
            raise UsageError(msg)
        msg = (
            f"no bag {name!r} in ledger {self.path} ({len(paths)} bags recorded): give the "
            "path of a bag the audit has checked ('preserve audit status' lists them)"
        )
        raise LedgerError(msg)

    def last_checks(self) -> dict[str, CheckRecord]:
        """The latest check of every bag the ledger knows, by bag path (a location the
        bag has moved away from, and not been checked at since, is left out: its
        history continues at the new location)."""
        query = "SELECT * FROM checks WHERE seq IN (SELECT max(seq) FROM checks GROUP BY bag_path)"
        last = {
            str(row["bag_path"]): _record(dict(row), [], row["row_hash"])
            for row in self._db.execute(query)
        }
        for move in self.moves():
            if move.old in last and _hidden_by(move, last[move.old]):
                del last[move.old]
        return last

    def baseline(self, bag: str) -> CheckRecord | None:
        """The latest *passed* check of *bag*: the manifests seen then are the baseline.

        A bag moved here with no passed check at its new location yet takes the baseline
        of the location it moved from.
        """
        for path in self.locations(bag):
            row = self._db.execute(
                "SELECT * FROM checks WHERE bag_path = ? AND outcome = 'passed' "
                "ORDER BY seq DESC LIMIT 1",
                (path,),
            ).fetchone()
            if row:
                return _record(dict(row), [], row["row_hash"])
        return None

    def locations(self, bag: str) -> list[str]:
        """*bag*, then the locations it moved from, most recent first."""
        came_from = {move.new: move.old for move in self.moves()}
        out = [bag]
        while out[-1] in came_from and came_from[out[-1]] not in out:
            out.append(came_from[out[-1]])
        return out

    def moves(self) -> list[Move]:
        """Every recorded move to go by, oldest first (see :mod:`.moves`: a move outside
        the chain that chained checks do not back is left out)."""
        return moves(self._db)

    def identities(self) -> dict[str, str]:
        """The identity of the bag at each location, from its latest check that had one."""
        out: dict[str, str] = {}
        for row in self._db.execute(
            "SELECT bag_path, bag_identity, digests FROM checks ORDER BY seq"
        ):
            found = identity_of(str(row[1]), json.loads(row[2]))
            if found:
                out[str(row[0])] = found
        return out

    def record_found(
        self, bags: Iterable[str], *, covered: Callable[[str], bool], found_at: datetime
    ) -> None:
        """Remember the bags an audit found under its roots (checked or not).

        Bags remembered earlier that lie under the roots (*covered*) but were not found
        this time, and were never checked, are forgotten: they were moved or deleted
        before any check, and the chain has nothing to say about them.
        """
        present = set(bags)
        checked = {str(r[0]) for r in self._db.execute("SELECT DISTINCT bag_path FROM checks")}
        with self.atomic() as db:
            known = {str(r[0]) for r in db.execute("SELECT bag_path FROM bags_found")}
            gone = [(b,) for b in known - present if covered(b) and b not in checked]
            db.executemany("DELETE FROM bags_found WHERE bag_path = ?", gone)
            db.executemany(
                "INSERT OR IGNORE INTO bags_found (bag_path, found_at) VALUES (?, ?)",
                [(b, isoformat_z(found_at)) for b in sorted(present - known)],
            )

    def never_checked(self) -> dict[str, str]:
        """Bags an audit found but the ledger holds no check of: path -> when first found."""
        if not self._has_table("bags_found"):  # a ledger not migrated yet (opened read-only)
            return {}
        rows = self._db.execute(
            "SELECT bag_path, found_at FROM bags_found WHERE not_a_bag = '' "
            "AND bag_path NOT IN (SELECT bag_path FROM checks) ORDER BY bag_path"
        )
        return {str(r[0]): str(r[1]) for r in rows}

    def mark_not_a_bag(self, path: str, note: str) -> None:
        """Remember that the archive at *path* holds no bag (so it is never "never checked")."""
        with self.atomic() as db:
            db.execute("UPDATE bags_found SET not_a_bag = ? WHERE bag_path = ?", (note, path))

    def not_bags(self) -> dict[str, str]:
        """Archives found under audit roots that hold no bag: path -> why."""
        if not self._has_table("bags_found"):
            return {}
        rows = self._db.execute(
            "SELECT bag_path, not_a_bag FROM bags_found WHERE not_a_bag != '' ORDER BY bag_path"
        )
        return {str(r[0]): str(r[1]) for r in rows}

    def _has_table(self, name: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        return row is not None

    def bytes_by_day(self) -> list[tuple[str, int]]:
        """``(YYYY-MM-DD, bytes checked)`` for every day with checks, oldest first."""
        rows = self._db.execute(
            "SELECT substr(checked_at, 1, 10) AS day, sum(bytes_checked) FROM checks "
            "GROUP BY day ORDER BY day"
        )
        return [(str(r[0]), int(r[1])) for r in rows]

    def throughput(self) -> float | None:
        """Bytes per second over all recorded checks, or None without history."""
        row = self._db.execute("SELECT sum(bytes_checked), sum(duration_s) FROM checks").fetchone()
        if not row or not row[0] or not row[1]:
            return None
        return float(row[0]) / float(row[1])


def _hidden_by(move: Move, last: CheckRecord) -> bool:
    """Whether *move* ends the history at its old location, whose last check is *last*."""
    if move.seq is not None:  # in the chain: the bag left after that check
        return last.seq < move.seq
    # A move recorded outside the chain never hides a check that did not pass.
    return last.checked_at <= move.moved_at and last.check.outcome == "passed"


def _connect_read_only(target: Path, busy_timeout_s: float) -> sqlite3.Connection:
    """Open *target* for reading only (``mode=ro``), never writing to it or beside it.

    A WAL ledger needs its ``-shm`` index, which SQLite creates beside the file; where it
    cannot (a read-only mount or snapshot, with the ledger cleanly closed so no ``-wal``
    is left), the file is opened as immutable instead. A ``-wal`` file with content that
    cannot be read that way is refused rather than silently ignored.
    """
    uri = f"file:{quote(str(target.absolute()))}?mode=ro"
    try:
        return _probe(sqlite3.connect(uri, uri=True, timeout=busy_timeout_s), target)
    except sqlite3.Error as first:
        wal = target.with_name(target.name + "-wal")
        if wal.is_file() and wal.stat().st_size > 0:
            msg = (
                f"cannot read ledger {target} read-only: {first}; its {wal.name} holds "
                "checks not yet merged into it, and the folder cannot be written. Copy the "
                f"ledger with its {wal.name} and -shm files to writable storage and read that"
            )
            raise LedgerError(msg) from first
        try:
            db = sqlite3.connect(f"{uri}&immutable=1", uri=True, timeout=busy_timeout_s)
            return _probe(db, target)
        except sqlite3.Error as e:
            raise storage_error(e, target) from e


def _probe(db: sqlite3.Connection, target: Path) -> sqlite3.Connection:
    """Check that *db* reads as a ledger this preserve understands; close it if not."""
    db.row_factory = sqlite3.Row
    db.isolation_level = None
    try:
        _refuse_foreign(db, target, new_ok=False)
        done = {int(r[0]) for r in db.execute("SELECT number FROM migrations")}
    except (sqlite3.Error, LedgerError):
        db.close()
        raise
    if done - {m.number for m in MIGRATIONS}:
        db.close()
        msg = (
            f"ledger {target} was written by a newer preserve (migration {max(done)}); "
            "upgrade preserve to read it"
        )
        raise LedgerError(msg)
    return db


_MIGRATIONS_COLUMNS = ("number", "name", "applied_at")


def _refuse_foreign(db: sqlite3.Connection, target: Path, *, new_ok: bool) -> None:
    """Refuse a database that is not a preserve ledger, before anything is written to it.

    A preserve ledger has a ``migrations`` table of ``(number, name, applied_at)``. A
    database with no tables at all is a new ledger when *new_ok* (it is being created).

    :raises LedgerError: *target* holds tables but no such ``migrations`` table (another
        program's database), or no tables at all and *new_ok* is false.
    :raises sqlite3.DatabaseError: *target* is not an SQLite database.
    """
    tables = sorted(
        str(r[0]) for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    )
    if not tables and new_ok:
        return
    columns = tuple(str(r[1]) for r in db.execute("PRAGMA table_info(migrations)"))
    if columns == _MIGRATIONS_COLUMNS:
        return
    listed = ", ".join(tables[:5]) + (" …" if len(tables) > 5 else "")
    holds = f"its tables are {listed}" if tables else "it has no tables"
    msg = (
        f"{target} is not a preserve ledger ({holds}); it was left unchanged. Give the "
        "path of a preserve ledger, or of a new file, with --ledger"
    )
    raise LedgerError(msg)


def _primary(e: sqlite3.Error) -> int:
    return int(getattr(e, "sqlite_errorcode", 0)) & 0xFF


def storage_error(e: BaseException, target: Path) -> LedgerError:
    """A :class:`LedgerError` that says what happened to the ledger's storage, and what to do."""
    folder = target.parent
    code = _primary(e) if isinstance(e, sqlite3.Error) else 0
    os_errno = e.errno if isinstance(e, OSError) else None
    if (
        code == sqlite3.SQLITE_FULL
        or os_errno in (errno.ENOSPC, errno.EDQUOT)
        or (code == sqlite3.SQLITE_IOERR and _nearly_full(folder))
    ):
        msg = (
            f"the disk is full: ledger {target} cannot be written; free space in {folder} "
            "and run again (checks recorded before this are kept)"
        )
    elif (
        code == sqlite3.SQLITE_READONLY
        or os_errno in (errno.EROFS, errno.EACCES, errno.EPERM)
        or (code == sqlite3.SQLITE_CANTOPEN and not _writable(folder))
    ):
        msg = (
            f"ledger {target} cannot be written: {folder} is read-only (a read-only mount, "
            "snapshot or file); audit into a writable ledger (--ledger), or use "
            "'preserve audit status' and 'preserve ledger verify|head|events', which only read"
        )
    elif code == sqlite3.SQLITE_CANTOPEN or isinstance(e, OSError):
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        msg = f"cannot open ledger {target}: {reason}; check the path and its permissions"
    elif code == sqlite3.SQLITE_NOTADB:
        msg = (
            f"{target} is not a preserve ledger (not an SQLite database); it was left "
            "unchanged. Give the path of a preserve ledger, or of a new file, with --ledger"
        )
    elif code == sqlite3.SQLITE_IOERR:
        msg = f"disk I/O error on ledger {target} ({e}); check the disk and its mount"
    else:
        msg = f"cannot use ledger {target}: {e}; is it a preserve ledger (SQLite)?"
    return LedgerError(msg)


def _writable(folder: Path) -> bool:
    """False when *folder* is on a read-only file system or cannot be written by us."""
    try:
        return not os.statvfs(folder).f_flag & os.ST_RDONLY and os.access(folder, os.W_OK)
    except OSError:
        return True  # missing: the error is about the path, not about writing


def _nearly_full(folder: Path) -> bool:
    """True when the file system holding *folder* has (almost) no space left."""
    try:
        return shutil.disk_usage(folder).free < 64 * 1024
    except OSError:
        return False


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (triggers contain ``;`` inside BEGIN … END)."""
    out: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    return [s for s in out if s]


def _row_values(
    check: BagCheck, seq: int, checked_at: datetime, agent: str, version: str, prev: str
) -> dict[str, Any]:
    return {
        "seq": seq,
        "check_id": str(uuid.uuid4()),
        "checked_at": isoformat_z(checked_at),
        "agent": agent,
        "preserve_version": version,
        "bag_path": check.bag,
        "bag_identity": check.identity,
        "outcome": check.outcome,
        "bytes_checked": check.bytes_checked,
        "files_checked": check.files_checked,
        "duration_s": round(check.duration_s, 6),
        "digests": json.dumps(dict(sorted(check.digests.items())), separators=(",", ":")),
        "note": check.note,
        "prev_hash": prev,
    }


def _file_values(change: FileChange) -> dict[str, str]:
    return {
        "kind": change.kind,
        "path": change.path,
        "algorithm": change.algorithm,
        "expected": change.expected,
        "found": change.found,
        "other_path": "",  # written before migration 3 only; see _file_change
        "moved_to": change.moved_to,
        "reason": change.reason,
        "last_passed_at": change.last_passed_at,
    }


def _file_change(f: Mapping[str, Any]) -> FileChange:
    """A file row as a :class:`FileChange`, written before migration 3 or after.

    Before migration 3, ``other_path`` held the one kind-specific value a change has;
    an old row's value goes to its kind's field (:data:`OWN_FIELD`), or to ``reason``
    for a kind that had none, so nothing recorded is dropped. A ledger opened read-only
    before migration 3 has no new columns.
    """
    fields = {name: str(f.get(name, "")) for name in FILE_FIELDS_WHEN_SET}
    old = str(f["other_path"])
    if old:
        fields[OWN_FIELD.get(str(f["kind"]), "reason")] = old
    return FileChange(
        f["kind"],
        str(f["path"]),
        str(f["algorithm"]),
        str(f["expected"]),
        str(f["found"]),
        moved_to=fields["moved_to"],
        reason=fields["reason"],
        last_passed_at=fields["last_passed_at"],
    )


def _record(row: Mapping[str, Any], files: list[dict[str, Any]], digest: str) -> CheckRecord:
    check = BagCheck(
        bag=str(row["bag_path"]),
        outcome=row["outcome"],
        identity=str(row["bag_identity"]),
        bytes_checked=int(row["bytes_checked"]),
        files_checked=int(row["files_checked"]),
        digests=json.loads(row["digests"]),
        changes=tuple(_file_change(f) for f in files),
        note=str(row["note"]),
        duration_s=float(row["duration_s"]),
    )
    return CheckRecord(
        seq=int(row["seq"]),
        check_id=str(row["check_id"]),
        checked_at=str(row["checked_at"]),
        agent=str(row["agent"]),
        preserve_version=str(row["preserve_version"]),
        check=check,
        prev_hash=str(row["prev_hash"]),
        row_hash=str(digest),
        moved_from=str(row.get("moved_from") or ""),
    )
