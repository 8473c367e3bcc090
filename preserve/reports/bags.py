"""Reporters for ``preserve verify``: text for people, versioned JSON for scripts."""

from __future__ import annotations

from collections.abc import Sequence

from preserve._types import JSONValue
from preserve.bags.verify.result import BagResult
from preserve.reports.base import Reporter, counted, finding_line, write_json
from preserve.units import human_size

JSON_VERSION = 1


def _surrogates_shown(text: str) -> str:
    """*text* with bytes of a file name that were not UTF-8 (kept by the file system as
    lone surrogates) written as the text ``\\udcXX``: a JSON value any tool can decode.
    (Text output needs no such step: every reporter's stream escapes what a terminal
    would act on, see :class:`~preserve.reports.base.SafeStream`.)"""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _printable_json(value: JSONValue) -> JSONValue:
    if isinstance(value, str):
        return _surrogates_shown(value)
    if isinstance(value, list):
        return [_printable_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _printable_json(v) for k, v in value.items()}
    return value


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
        if bag.ok and bag.mode == "completeness":
            state = "complete"
        elif bag.ok and bag.mode == "fast":
            unchecked = any(f.code == "BAG-046" for f in bag.findings)  # no Payload-Oxum
            state = (
                "complete; sizes not checked (no Payload-Oxum)"
                if unchecked
                else "complete, Payload-Oxum matches"
            )
        version = f"BagIt {bag.version}" if bag.version else "no BagIt version"
        counts = f"{counted(len(bag.errors), 'error')}, {counted(len(bag.warnings), 'warning')}"
        name = bag.bag
        size = human_size(bag.bytes)
        self.stream.write(
            f"{name}: {state} ({version}, {counted(bag.files, 'file')}, {size}; {counts})\n"
        )
        if self.verbosity < 0:
            return
        for f in bag.findings:
            self.stream.write(f"  {finding_line(f)}\n")


class VerifyJsonReporter(Reporter[Sequence[BagResult]]):
    """``{"version": 1, "bags": [{"bag", "valid", "bagit_version", ...}]}``."""

    def report(self, result: Sequence[BagResult]) -> None:
        bags: list[JSONValue] = [r.to_dict() for r in result]
        write_json(self.stream, {"version": JSON_VERSION, "bags": _printable_json(bags)})
