"""``preserve audit run --format html``: the audit's HTML page on stdout (the same page
``--html FILE`` writes; the text and JSON reporters are in :mod:`preserve.audit.reports`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from preserve.reports.base import Reporter

if TYPE_CHECKING:
    from preserve.audit.result import AuditReport


class HtmlAuditReporter(Reporter["AuditReport"]):
    """The self-contained HTML page of one run."""

    def report(self, result: AuditReport) -> None:
        from preserve.audit.html import render_html

        self.stream.write(render_html(result))
