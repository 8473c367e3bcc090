"""Copies of the same bags under several roots (``preserve audit ROOT --replica ROOT``).

Every copy is found, checked and recorded in the ledger under its own location, as any
bag is. Then the copies of one bag (the same path under each root) are compared through
their latest checks: a bag *disagrees* when one copy passes and another fails, when
copies that pass hold different manifests (their digests differ), or when a root that
was read holds no copy of it. A copy not checked yet (the budget ran out) or that could
not be read is shown but concludes nothing: it is reported as such on its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from preserve.audit.discover import Discovery, _under
from preserve.audit.ledger import CheckRecord


@dataclass(frozen=True, slots=True)
class CopyState:
    """One copy of a bag as the latest check of it left it.

    :param outcome: ``passed``, ``failed``, ``inaccessible``, ``not_run`` (never
        checked) or ``absent`` (its root was read and holds no copy).
    :param digests: sha256 of each manifest and tag manifest at that check.
    """

    root: str
    path: str
    outcome: str
    digests: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A bag whose copies disagree.

    :param bag: the bag's path relative to its root (``.`` when the roots are bags).
    :param reason: what differs between the copies.
    """

    bag: str
    reason: str
    copies: tuple[CopyState, ...]


def relative(path: str, root: str) -> str:
    """*path* relative to *root* (``.`` for the root itself)."""
    return path[len(root) :].lstrip("/") or "."


def find_disagreements(
    found: Discovery, last: Mapping[str, CheckRecord]
) -> tuple[Disagreement, ...]:
    """The bags whose copies under ``found.roots`` disagree, by relative path.

    :param found: the bags found under every root (each root holds one set of copies).
    :param last: the latest check of each copy (by its location).
    """
    roots = found.roots
    names: dict[str, dict[str, str]] = {}
    for bag in found.bags:
        root = max((r for r in roots if _under(bag.path, r)), key=len, default=None)
        if root is not None:
            names.setdefault(relative(bag.path, root), {})[root] = bag.path
    out = []
    for name in sorted(names):
        copies = tuple(_state(root, name, names[name].get(root), found, last) for root in roots)
        reason = _disagreement(copies)
        if reason:
            out.append(Disagreement(name, reason, copies))
    return tuple(out)


def _state(
    root: str, name: str, path: str | None, found: Discovery, last: Mapping[str, CheckRecord]
) -> CopyState:
    if path is None:  # named where the copy should be, not by its root
        unread = found.unreadable_reason(root)
        expected = f"{root.rstrip('/')}/{name}"
        return CopyState(root, expected, "inaccessible" if unread else "absent")
    record = last.get(path)
    if record is None:
        return CopyState(root, path, "not_run")
    return CopyState(root, path, record.check.outcome, record.check.digests)


def _disagreement(copies: Sequence[CopyState]) -> str:
    outcomes = {c.outcome for c in copies}
    absent = [c.root for c in copies if c.outcome == "absent"]
    if absent and outcomes - {"absent"}:
        return f"no copy under {', '.join(absent)}"
    if {"passed", "failed"} <= outcomes:
        bad = [c.path for c in copies if c.outcome == "failed"]
        return f"the copy at {', '.join(bad)} fails where another passes"
    passed = [c for c in copies if c.outcome == "passed" and c.digests]
    if len({tuple(sorted(c.digests.items())) for c in passed}) > 1:
        return "copies that pass hold different manifests (their digests differ)"
    return ""
