"""Moves: a listed file gone, and its content (same digest) under another path in the bag."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from preserve.audit.model import FileChange
from preserve.audit.tagread import STRENGTH


def preferred_algorithm(digests: Mapping[str, str]) -> str:
    """The strongest algorithm among *digests*' keys (``""`` when there are none)."""
    for algorithm in STRENGTH:
        if algorithm in digests:
            return algorithm
    return sorted(digests)[0] if digests else ""


def pair_moves(
    changes: Iterable[FileChange], extra: Mapping[str, Mapping[str, str]]
) -> list[FileChange]:
    """Turn each missing file whose content is among *extra* into one ``moved`` change.

    :param changes: the changes found so far (missing ones carry their expected digest).
    :param extra: digests (by algorithm) of the payload files no manifest lists.
    :returns: the changes with moves paired, and the remaining extra files as ``added``.
    """
    by_digest: dict[tuple[str, str], list[str]] = {}
    for path, digests in sorted(extra.items()):
        for algorithm, value in digests.items():
            by_digest.setdefault((algorithm, value), []).append(path)
    moved: set[str] = set()
    out: list[FileChange] = []
    for change in changes:
        candidates = by_digest.get((change.algorithm, change.expected), [])
        target = next((p for p in candidates if p not in moved), None)
        if change.kind == "missing" and change.expected and target is not None:
            moved.add(target)
            change = FileChange(
                "moved",
                change.path,
                change.algorithm,
                change.expected,
                change.expected,
                moved_to=target,
            )
        out.append(change)
    for path, digests in sorted(extra.items()):
        if path not in moved:
            algorithm = preferred_algorithm(digests)
            out.append(FileChange("added", path, algorithm, "", digests.get(algorithm, "")))
    return out
