"""``preserve verify``'s engine as an audit checker (``preserve audit --engine verify``).

:func:`preserve.bags.verify.verify.verify_bag` checks a bag to the letter of RFC 8493; this
adapter turns its :class:`~preserve.bags.verify.result.BagResult` into a
:class:`~preserve.audit.model.BagCheck` and adds what an audit needs on top: the sha256 of
each manifest (the ledger's baseline), the expected digest of each missing file, and
moves (a missing file whose content is under a path no manifest lists). Any other error
finding (a malformed bagit.txt, a bad Payload-Oxum, an unsafe path …) fails the check and
is named in its note. The default audit engine (:mod:`preserve.audit.check`) reads only
what fixity needs and runs on injectable storage.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from preserve.audit.check import SinkProgress, check_archive, is_serialized
from preserve.audit.model import BagCheck, ChangeKind, FileChange, Outcome
from preserve.audit.moves import pair_moves, preferred_algorithm
from preserve.audit.tagread import (
    ManifestError,
    bag_info_value,
    declares_rfc8493,
    manifest_algorithm,
    new_hash,
    read_manifests,
)
from preserve.bags.verify.result import BagResult, ChangedFile
from preserve.bags.verify.verify import verify_bag
from preserve.errors import BagError

COVERED = frozenset(
    {
        "BAG-012",
        "BAG-030",
        "BAG-031",
        "BAG-032",
        "BAG-033",
        "BAG-040",
        "BAG-041",
        "BAG-042",
        "BAG-066",
    }
)
"""Codes whose files the adapter reports one by one (the rest go into the note)."""


@dataclass(frozen=True, slots=True)
class VerifyChecker:
    """``check(bag_path) -> BagCheck`` on top of ``verify_bag`` (picklable for Dask).

    :param processes: files hashed in parallel within one bag.
    :param strict: conformance warnings fail the check (``preserve audit --strict``).
    """

    processes: int = 1
    strict: bool = False

    def __call__(self, bag: str) -> BagCheck:
        path = Path(bag)
        started = time.perf_counter()
        result = (
            _archive(path, self.processes, strict=self.strict)
            if is_serialized(path.name)
            else _folder(path, path, self.processes, strict=self.strict)
        )
        return replace(result, duration_s=time.perf_counter() - started)


def _archive(archive: Path, processes: int, *, strict: bool) -> BagCheck:
    return check_archive(archive, lambda folder: _folder(folder, folder, processes, strict=strict))


def _folder(folder: Path, shown: Path, processes: int, *, strict: bool = False) -> BagCheck:
    try:
        result = verify_bag(folder, processes=processes, progress=SinkProgress(), strict=strict)
    except BagError as e:
        return BagCheck(bag=str(shown), outcome="inaccessible", note=str(e))
    digests, payload, identity = _read_tags(folder)
    changes = [_changed(c) for c in result.changed]
    changes += [_missing(path, payload) for path in result.missing]
    changes += [FileChange("unreadable", p, reason="could not be read") for p in result.unreadable]
    extra = {}
    for path in result.added:
        try:
            extra[path] = _digests(folder / path, payload)
        except OSError as e:
            changes.append(FileChange("unreadable", path, reason=e.strerror or str(e)))
    changes = pair_moves(changes, extra)
    # Errors the file changes do not stand for: of the whole bag (Payload-Oxum, bagit.txt)
    # or of a kind the adapter does not report file by file.
    structural = [f for f in result.errors if f.code not in COVERED or not f.path]
    return BagCheck(
        bag=str(shown),
        outcome=_outcome(changes, bool(structural), result),
        identity=identity,
        bytes_checked=result.bytes,
        files_checked=result.files,
        digests=digests,
        changes=tuple(sorted(changes, key=lambda c: (c.path, c.kind))),
        note="; ".join(f"{f.code} {f.message}" for f in structural),
    )


def _outcome(changes: list[FileChange], structural: bool, result: BagResult) -> Outcome:
    """Failed when something is wrong with the bag; inaccessible only when what could
    not be read is all that stands between it and passing."""
    if structural or any(c.kind != "unreadable" for c in changes):
        return "failed"
    if changes or result.unreadable:
        return "inaccessible"
    return "passed" if result.ok else "failed"


def _changed(change: ChangedFile) -> FileChange:
    kind: ChangeKind = "changed" if change.path.startswith("data/") else "tag_changed"
    return FileChange(kind, change.path, change.algorithm, change.expected, change.found)


def _missing(path: str, payload: Mapping[str, Mapping[str, str]]) -> FileChange:
    expected = {a: entries[path] for a, entries in payload.items() if path in entries}
    algorithm = preferred_algorithm(expected)
    return FileChange("missing", path, algorithm, expected.get(algorithm, ""))


def _digests(path: Path, payload: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    hashes = {a: new_hash(a) for a in payload}
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            for h in hashes.values():
                h.update(chunk)
    return {a: h.hexdigest() for a, h in hashes.items()}


def _read_tags(folder: Path) -> tuple[dict[str, str], dict[str, dict[str, str]], str]:
    """Manifest digests, payload manifest entries and External-Identifier (best effort:
    verify_bag has already reported whatever is wrong with them)."""
    digests: dict[str, str] = {}
    payload: dict[str, dict[str, str]] = {}
    identity = ""
    try:
        names = sorted(p.name for p in folder.iterdir() if p.is_file())
        bagit_txt = folder / "bagit.txt"
        rfc8493 = declares_rfc8493(bagit_txt.read_bytes()[:4096] if bagit_txt.is_file() else b"")
        for name in names:
            kind = manifest_algorithm(name)
            if kind is None:
                continue
            data = (folder / name).read_bytes()
            digests[name] = hashlib.sha256(data).hexdigest()
            with contextlib.suppress(ManifestError):  # one bad manifest spoils only itself
                payload.update(read_manifests({name: data}, rfc8493=rfc8493)[0])
        if (folder / "bag-info.txt").is_file():
            info = (folder / "bag-info.txt").read_text("utf-8", "replace")
            identity = bag_info_value(info, "External-Identifier")
    except OSError:
        pass
    return digests, payload, identity
