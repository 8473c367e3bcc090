"""Repair a damaged copy of a bag from a good one, and record it (issue 14).

Only payload files whose digests fail (changed) or that are missing in the damaged
copy are replaced. Each replacement is streamed from the good copy into a temporary
file while it is hashed with every algorithm of the *damaged* copy's payload
manifests; it is written into the damaged copy only when every digest matches, so a
repair never puts in a file that does not match the manifest, and never edits a
payload manifest to make a bad file pass. The repaired copy is then verified again.

The repair is recorded in the bag's ``metadata/premis.xml`` (created if absent) as a
PREMIS *replication* event (LoC eventType ``rep``) followed by a *fixity check*
(``fix``) of the result; the tag manifests' lines for ``metadata/premis.xml`` are
updated, since that tag file changed (the only manifest lines a repair writes).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from preserve._types import JSONObject
from preserve.bags.manifests import algorithm_from_filename, hashlib_name, parse_manifest
from preserve.bags.verify.result import BagResult
from preserve.errors import BagError, UnreadableInputError
from preserve.findings import Finding
from preserve.replicas.premis_append import PREMIS_PATH, RepairEvent, append_repair_events
from preserve.replicas.verify import verify_stored_bag
from preserve.storage.base import ObjectInaccessibleError, ObjectStore, StorageError

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class RepairResult:
    """What :func:`repair_copy` did.

    :param repaired: payload paths replaced with a verified copy from the good copy.
    :param refused: paths not repaired, with the reason (the good copy's file did not
        match, or could not be read).
    :param before: the damaged copy's verification before the repair.
    :param after: its verification after the repair (and the PREMIS update).
    """

    damaged: str
    source: str
    repaired: tuple[str, ...]
    refused: tuple[tuple[str, str], ...]
    before: BagResult
    after: BagResult

    @property
    def ok(self) -> bool:
        """The repaired copy verifies."""
        return self.after.ok

    @property
    def findings(self) -> tuple[Finding, ...]:
        """What the verification after the repair found."""
        return self.after.findings

    def to_dict(self) -> JSONObject:
        """What ``preserve repair --format json`` prints."""
        return {
            "version": 1,
            "ok": self.ok,
            "damaged": self.damaged,
            "source": self.source,
            "repaired": list(self.repaired),
            "refused": [{"path": p, "reason": why} for p, why in self.refused],
            "valid": self.ok,
            "findings": [f.to_dict() for f in self.findings],
        }


def _manifest_digests(store: ObjectStore) -> dict[str, dict[str, str]]:
    """Path to hashlib name to digest, from the damaged copy's payload manifests."""
    out: dict[str, dict[str, str]] = {}
    # Manifests sit at the top: a folder deeper in that cannot be listed does not hide
    # them (the verify before the repair reports it, and its files stay unrepaired).
    for obj in store.list(gaps={}):
        kind = algorithm_from_filename(obj.key) if "/" not in obj.key else None
        name = hashlib_name(kind[1]) if kind and kind[0] == "payload" else None
        if name is None:
            continue
        text = store.read(obj.key).decode("utf-8", errors="replace")
        entries, _ = parse_manifest(enumerate(text.splitlines(), 1), source=obj.key)
        for e in entries:
            out.setdefault(e.path, {})[name] = e.digest
    return out


def _fetch_checked(good: ObjectStore, key: str, expected: dict[str, str], tmp: Path) -> str | None:
    """Copy *key* from *good* into *tmp*; ``None`` when its digests match, else why not."""
    hashers = {name: hashlib.new(name) for name in expected}
    try:
        with tmp.open("wb") as out:
            for piece in good.iter_chunks(key, _CHUNK):
                out.write(piece)
                for h in hashers.values():
                    h.update(piece)
    except StorageError as e:
        return f"cannot be read from the good copy ({e})"
    bad = [n for n, h in hashers.items() if h.hexdigest() != expected[n]]
    if bad:
        return f"the good copy's file does not match the manifest ({', '.join(bad)})"
    return None


def repair_copy(
    damaged: ObjectStore,
    good: ObjectStore,
    *,
    clock: Callable[[], datetime],
    concurrency: int = 8,
) -> RepairResult:
    """Replace the damaged copy's failing payload files with verified ones from *good*.

    :raises UnreadableInputError: when the damaged copy's manifests cannot be read
        (nothing to repair against).
    :raises BagError: when they cannot be fetched for another reason, or the good copy
        is not a bag.
    """
    before = verify_stored_bag(damaged, concurrency=concurrency)
    todo = sorted(
        {c.path for c in before.changed if c.path.startswith("data/")}
        | {p for p in before.missing if p.startswith("data/")}
    )
    try:
        expected = _manifest_digests(damaged)
    except ObjectInaccessibleError as e:  # an input that cannot be read: exit 1, as missing
        msg = f"{e}; the damaged copy's manifests are needed to repair it. Nothing was repaired."
        raise UnreadableInputError(msg) from e
    except StorageError as e:
        msg = f"{e}; the damaged copy's manifests are needed to repair it"
        raise BagError(msg) from e
    repaired: list[str] = []
    refused: list[tuple[str, str]] = []
    started = clock()
    with tempfile.TemporaryDirectory(prefix="preserve-repair-") as tmpdir:
        tmp = Path(tmpdir) / "object"
        for path in todo:
            why = (
                _fetch_checked(good, path, expected.get(path, {}), tmp)
                if path in expected
                else ("not in the damaged copy's payload manifests")
            )
            if why is not None:
                refused.append((path, why))
                continue
            with tmp.open("rb") as f:
                damaged.write(path, f, tmp.stat().st_size)
            repaired.append(path)
    after = verify_stored_bag(damaged, concurrency=concurrency)
    if repaired:
        event = RepairEvent(
            when=started,
            checked=clock(),
            damaged=damaged.url,
            source=good.url,
            repaired=tuple(repaired),
            refused=tuple(refused),
            verified=after.ok,
        )
        append_repair_events(damaged, event)
        after = verify_stored_bag(damaged, concurrency=concurrency)
    return RepairResult(
        damaged=damaged.url,
        source=good.url,
        repaired=tuple(repaired),
        refused=tuple(refused),
        before=before,
        after=after,
    )


__all__ = ["PREMIS_PATH", "RepairResult", "repair_copy"]
