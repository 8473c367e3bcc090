"""Text reporters for ``preserve compare``, ``preserve repair`` and ``preserve ledger verify``
(their JSON is the result's ``to_dict()``, :class:`~preserve.reports.base.JsonReporter`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from preserve.reports.base import Reporter, counted, finding_line

if TYPE_CHECKING:
    from preserve.audit.ledger.chain import ChainReport
    from preserve.replicas.compare import Comparison
    from preserve.replicas.repair import RepairResult


class CompareTextReporter(Reporter["Comparison"]):
    """One line per copy (intact or damaged), one per file that is not alike, a verdict."""

    def report(self, result: Comparison) -> None:
        names = [c.bag for c in result.copies]
        for copy in result.copies:
            state = "intact " if copy.ok else "DAMAGED"
            self.stream.write(f"{state} {copy.bag} ({counted(len(copy.errors), 'error')})\n")
            for why in copy.findings:  # a copy not there, or that cannot be read at all
                if why.code == "BAG-012":
                    self.stream.write(f"  {finding_line(why)}\n")
        for f in result.files:
            states = ", ".join(f"{n}: {s}" for n, s in zip(names, f.states, strict=True))
            odd = f"; odd one out: {', '.join(names[i] for i in f.odd)}" if f.odd else ""
            agree = "copies agree" if f.agree else "copies differ"
            self.stream.write(f"  {f.path}: {agree} ({states}){odd}\n")
        verdict = "all copies intact and identical" if result.ok else "copies differ"
        self.stream.write(verdict + "\n")


class RepairTextReporter(Reporter["RepairResult"]):
    """What was repaired, what was not and why, and the copy's state after."""

    def report(self, result: RepairResult) -> None:
        for path in result.repaired:
            self.stream.write(f"repaired {path} from {result.source}\n")
        for path, why in result.refused:
            self.stream.write(f"NOT repaired {path}: {why}\n")
        state = "valid" if result.ok else "still damaged"
        self.stream.write(f"{result.damaged}: {state} after the repair\n")
        for finding in result.after.errors:  # why it is still damaged
            self.stream.write(f"  {finding_line(finding)}\n")


class ChainTextReporter(Reporter["ChainReport"]):
    """``OK`` with the rows and the head, or ``BROKEN`` with the finding."""

    def report(self, result: ChainReport) -> None:
        if result.ok:
            self.stream.write(f"OK: {result.rows} rows, chain intact; head {result.head}\n")
        for finding in result.findings:
            self.stream.write(f"BROKEN: {finding_line(finding)}\n")
