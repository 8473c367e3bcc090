"""Reporters for ``preserve bag``: a summary for people, versioned JSON for scripts."""

from __future__ import annotations

from typing import TypedDict

from preserve._types import JSONObject
from preserve.bags.build.result import BuildResult
from preserve.reports.base import Reporter, write_json

JSON_VERSION = 1


class BuildReport(TypedDict):
    """The shape of ``preserve bag --format json``."""

    version: int
    ok: bool
    bag: str
    files: int
    bytes: int
    algorithms: list[str]
    bag_info: list[list[str]]
    tag_files: list[str]
    replaced: bool
    in_place: bool
    findings: list[JSONObject]
    warnings: list[JSONObject]


class BuildTextReporter(Reporter[BuildResult]):
    """``Built BAG: N files, B bytes (sha512, sha256)`` and any warnings."""

    def report(self, result: BuildResult) -> None:
        verb = "Converted" if result.in_place else "Replaced" if result.replaced else "Built"
        algs = ", ".join(result.algorithms)
        self.stream.write(
            f"{verb} {result.shown}: {result.files} files, {result.bytes} bytes ({algs})\n"
        )
        if self.verbosity < 0:
            return
        for f in result.findings:
            self.stream.write(f"  {f.severity} {f.code}: {f.message}\n")


class BuildJsonReporter(Reporter[BuildResult]):
    """The :class:`BuildReport` as JSON."""

    def report(self, result: BuildResult) -> None:
        write_json(self.stream, build_dict(result))


def build_dict(result: BuildResult) -> BuildReport:
    """The :class:`BuildReport` of *result* (``BuildResult.to_dict``)."""
    return {
        "version": JSON_VERSION,
        "ok": result.ok,
        "bag": result.shown,
        "files": result.files,
        "bytes": result.bytes,
        "algorithms": list(result.algorithms),
        "bag_info": [[label, value] for label, value in result.bag_info],
        "tag_files": list(result.tag_files),
        "replaced": result.replaced,
        "in_place": result.in_place,
        "findings": [f.to_dict() for f in result.findings],
        "warnings": [f.to_dict() for f in result.findings],  # its old name (version 1)
    }
