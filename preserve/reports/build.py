"""Reporters for ``preserve bag``: a summary for people, versioned JSON for scripts."""

from __future__ import annotations

from preserve.bags.build.result import BuildResult
from preserve.reports.base import Reporter, counted, write_json


class BuildTextReporter(Reporter[BuildResult]):
    """``Built BAG: N files, B bytes (sha512, sha256)`` and any warnings."""

    def report(self, result: BuildResult) -> None:
        verb = "Converted" if result.in_place else "Replaced" if result.replaced else "Built"
        algs = ", ".join(result.algorithms)
        held = f"{counted(result.files, 'file')}, {counted(result.bytes, 'byte')}"
        self.stream.write(f"{verb} {result.shown}: {held} ({algs})\n")
        if self.verbosity < 0:
            return
        for f in result.findings:
            self.stream.write(f"  {f.severity} {f.code}: {f.message}\n")


class BuildJsonReporter(Reporter[BuildResult]):
    """The result's ``to_dict()`` (:class:`~preserve.bags.build.result.BuildReport`)."""

    def report(self, result: BuildResult) -> None:
        write_json(self.stream, result.to_dict())
