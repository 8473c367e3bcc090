"""Reporters for ``preserve verify``: text for people, versioned JSON for scripts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from preserve.bags.result import BagResult
from preserve.reports.base import Reporter, write_json

JSON_VERSION = 1


def _size(octets: int) -> str:
    value = float(octets)
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{octets} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError  # pragma: no cover - the loop always returns


class VerifyTextReporter(Reporter[Sequence[BagResult]]):
    """One summary line per bag, then its findings (not with ``--quiet``), then a total."""

    def report(self, result: Sequence[BagResult]) -> None:
        for bag in result:
            self._bag(bag)
        if len(result) > 1:
            valid = sum(1 for r in result if r.ok)
            self.stream.write(f"{len(result)} bags: {valid} valid, {len(result) - valid} invalid\n")

    def _bag(self, bag: BagResult) -> None:
        state = "valid" if bag.ok else "INVALID"
        if bag.ok and bag.mode != "full":
            state = {"fast": "complete, Payload-Oxum matches", "completeness": "complete"}[bag.mode]
        version = f"BagIt {bag.version}" if bag.version else "no BagIt version"
        counts = f"{len(bag.errors)} errors, {len(bag.warnings)} warnings"
        self.stream.write(
            f"{bag.bag}: {state} ({version}, {bag.files} files, {_size(bag.bytes)}; {counts})\n"
        )
        if self.verbosity < 0:
            return
        for f in bag.findings:
            where = f.source or ""
            if where and f.line:
                where += f":{f.line}"
            located = f" [{where}]" if where else ""
            self.stream.write(f"  {f.severity} {f.code}{located}: {f.message}\n")


class VerifyJsonReporter(Reporter[Sequence[BagResult]]):
    """``{"version": 1, "bags": [{"bag", "valid", "bagit_version", ...}]}``."""

    def report(self, result: Sequence[BagResult]) -> None:
        write_json(self.stream, {"version": JSON_VERSION, "bags": [r.to_dict() for r in result]})


REPORTERS: dict[str, type[Reporter[Sequence[BagResult]]]] = {
    "text": VerifyTextReporter,
    "json": VerifyJsonReporter,
}


def reporter(name: str, stream: TextIO, *, quiet: bool) -> Reporter[Sequence[BagResult]]:
    """The reporter called *name* (``text`` or ``json``) writing to *stream*."""
    return REPORTERS[name](stream, verbosity=-1 if quiet else 0)
