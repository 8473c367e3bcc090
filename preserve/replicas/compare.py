"""Compare copies of one bag: which agree with their manifests, and with each other.

Every copy is verified in full (streamed, see :mod:`preserve.replicas.verify`); then,
file by file, the content each copy holds (its digests) is compared across copies.
A file is *intact* in a copy when it matches that copy's manifests, and *absent* from
a copy that neither holds nor lists it while another copy holds it; copies *agree*
on it when they all hold the same content. With three or more copies, a copy whose
content differs from what most copies hold is the *odd one out*.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

from preserve._types import JSONObject
from preserve.bags.codes import BAG
from preserve.bags.verify.result import BagResult
from preserve.errors import BagError
from preserve.replicas.verify import verify_stored_bag
from preserve.storage.base import ObjectStore

FileState: TypeAlias = Literal["intact", "changed", "missing", "unreadable", "added", "absent"]


@dataclass(frozen=True, slots=True)
class FileComparison:
    """One file across the copies (states in the order the copies were given).

    :param odd: indexes of the copies whose content differs from the majority (empty
        with two copies, where no majority exists, or when all agree).
    """

    path: str
    states: tuple[FileState, ...]
    agree: bool
    odd: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Every copy's verification and every file that is not intact and alike everywhere."""

    copies: tuple[BagResult, ...]
    files: tuple[FileComparison, ...]

    @property
    def ok(self) -> bool:
        """Every copy is valid and every file the same in all of them."""
        return all(c.ok for c in self.copies) and not self.files

    @property
    def odd_copies(self) -> tuple[int, ...]:
        """Copies that are the odd one out for at least one file."""
        return tuple(sorted({i for f in self.files for i in f.odd}))

    def to_dict(self) -> JSONObject:
        """What ``preserve compare --format json`` prints (copies named by location)."""
        names = [c.bag for c in self.copies]
        return {
            "version": 1,
            "ok": self.ok,
            "identical": self.ok,
            "copies": [
                {"copy": c.bag, "valid": c.ok, "findings": [f.to_dict() for f in c.findings]}
                for c in self.copies
            ],
            "files": [
                {
                    "path": f.path,
                    "states": dict(zip(names, f.states, strict=True)),
                    "agree": f.agree,
                    "odd_one_out": [names[i] for i in f.odd],
                }
                for f in self.files
            ],
        }


def _state(result: BagResult, path: str) -> FileState:
    if path in result.missing or "." in result.missing:
        return "missing"
    if path in result.unreadable or "." in result.unreadable:
        return "unreadable"
    if path in result.added:
        return "added"
    if any(c.path == path for c in result.changed):
        return "changed"
    return "intact"


def _content(digests: dict[str, str] | None) -> tuple[tuple[str, str], ...] | None:
    return tuple(sorted(digests.items())) if digests else None


def _same(a: tuple[tuple[str, str], ...] | None, b: tuple[tuple[str, str], ...] | None) -> bool:
    if a is None or b is None:
        return a is b
    common = dict(a).keys() & dict(b).keys()
    return bool(common) and all(dict(a)[k] == dict(b)[k] for k in common)


def compare_copies(stores: Sequence[ObjectStore], *, concurrency: int = 8) -> Comparison:
    """Verify every copy and compare them file by file.

    :param stores: two or more copies of one bag (folders or S3 prefixes, any mix).
    """
    results: list[BagResult] = []
    contents: list[dict[str, dict[str, str]]] = []
    for store in stores:
        digests: dict[str, dict[str, str]] = {}
        results.append(_verified(store, concurrency, digests))
        contents.append(digests)
    paths = sorted(
        ({p for c in contents for p in c} | {p for r in results for p in _paths(r)}) - {"."}
    )
    files = []
    for path in paths:
        states = tuple(
            _state(r, path) if path in c or _paths(r) & {path, "."} else "absent"
            for r, c in zip(results, contents, strict=True)
        )
        held = [_content(c.get(path)) for c in contents]
        absent = [s in ("absent", "missing") for s in states]  # not held by that copy
        agree = all(_same(held[0], h) for h in held[1:]) and len(set(absent)) == 1
        if agree and all(s == "intact" for s in states):
            continue
        files.append(FileComparison(path, states, agree, _odd(held) if not agree else ()))
    return Comparison(tuple(results), tuple(files))


def _verified(
    store: ObjectStore, concurrency: int, digests: dict[str, dict[str, str]]
) -> BagResult:
    """*store* verified; a copy that is not there is a finding of that copy (BAG-012,
    every file of it missing), and the other copies are still compared."""
    try:
        return verify_stored_bag(store, concurrency=concurrency, digests=digests)
    except BagError as e:
        reason = str(e).removesuffix("; check the location")
        finding = BAG.finding("BAG-012", reason=reason)
        return BagResult(store.url, "full", (finding,), None, 0, 0, missing=(".",))


def _paths(result: BagResult) -> set[str]:
    return {*result.missing, *result.unreadable, *result.added, *(c.path for c in result.changed)}


def _odd(held: list[tuple[tuple[str, str], ...] | None]) -> tuple[int, ...]:
    if len(held) < 3:
        return ()
    counts = Counter(held)
    value, count = counts.most_common(1)[0]
    if count * 2 <= len(held):
        return ()
    return tuple(i for i, h in enumerate(held) if not _same(h, value))
