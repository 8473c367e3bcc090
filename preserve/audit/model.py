"""The data an audit passes around: what one check of one bag found.

Kept apart from the checker so the ledger, the schedule, the reports and the Dask
workers share one small vocabulary (and so a different verifier can be adapted to it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass, field
from typing import Literal, TypeAlias

Outcome: TypeAlias = Literal["passed", "failed", "inaccessible"]
"""What a check recorded in the ledger concluded (``not run`` is never recorded)."""

ReportOutcome: TypeAlias = Literal["passed", "failed", "inaccessible", "not_run"]
"""A bag's outcome in one audit run's report."""

ChangeKind: TypeAlias = Literal[
    "changed", "missing", "added", "moved", "unreadable", "tag_changed", "manifest_changed"
]

CHANGE_CODES: Mapping[str, str] = {
    "changed": "AUD-001",
    "missing": "AUD-002",
    "added": "AUD-003",
    "moved": "AUD-004",
    "tag_changed": "AUD-005",
    "manifest_changed": "AUD-006",
    "unreadable": "AUD-007",
}
"""The AUD code for each kind of file change."""

OWN_FIELD: Mapping[str, str] = {
    "moved": "moved_to",
    "unreadable": "reason",
    "manifest_changed": "last_passed_at",
}
"""The :class:`FileChange` field that belongs to a kind of change (the others have none)."""


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file found not as the manifests say.

    :param kind: what happened to the file.
    :param path: the path as written in the manifest (``data/…``), or the tag file's name.
    :param algorithm: the digest algorithm compared (empty when no digest was computed).
    :param expected: the digest the manifest (or the last audit) records.
    :param found: the digest computed now (empty when the file is missing or unreadable).
    :param moved_to: for ``moved``: the path (``data/…``) where the content is now
        (*path* is where the manifest lists it).
    :param reason: for ``unreadable``: why the file could not be read.
    :param last_passed_at: for ``manifest_changed``: when the last passed check saw the
        manifest as it was (UTC ISO 8601 with Z).

    The last three are keyword-only and empty for the other kinds.
    """

    kind: ChangeKind
    path: str
    algorithm: str = ""
    expected: str = ""
    found: str = ""
    _: KW_ONLY
    moved_to: str = ""
    reason: str = ""
    last_passed_at: str = ""


@dataclass(frozen=True, slots=True)
class BagCheck:
    """The result of checking one bag once.

    :param bag: the bag's path (absolute), its key in the ledger.
    :param outcome: ``passed``, ``failed`` (something changed) or ``inaccessible`` (the
        storage or a file could not be read: nothing is concluded about missing data).
    :param identity: the bag's ``External-Identifier`` from bag-info.txt, if any.
    :param bytes_checked: payload bytes read and hashed (tag files not counted: this is
        the figure Payload-Oxum declares).
    :param files_checked: payload files read and hashed.
    :param digests: sha256 of each manifest and tag manifest, by file name.
    :param changes: every file found changed, missing, added, moved or unreadable.
    :param note: why the bag was inaccessible or structurally broken (empty otherwise).
    :param duration_s: seconds spent checking.
    :param not_a_bag: the path is an archive that holds no bag (no ``bagit.txt`` in it):
        a note for the report, never recorded as a check of a bag.
    """

    bag: str
    outcome: Outcome
    identity: str = ""
    bytes_checked: int = 0
    files_checked: int = 0
    digests: Mapping[str, str] = field(default_factory=dict)
    changes: tuple[FileChange, ...] = ()
    note: str = ""
    duration_s: float = 0.0
    not_a_bag: bool = False
