"""A self-contained HTML page for an audit run: no scripts, no external resources.

Counts by outcome, what changed since the last run, overdue bags, and a bar chart of
bytes checked per day drawn as inline SVG from the ledger's history.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from html import escape
from pathlib import Path

from preserve._atomic import atomic_writer
from preserve.audit.model import ReportOutcome
from preserve.audit.result import AuditReport, BagOutcome, overall_status
from preserve.errors import AuditError
from preserve.units import human_size

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:70em}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse}td,th{padding:.25em .8em;border-bottom:1px solid #ddd;
text-align:left}.num{text-align:right;font-variant-numeric:tabular-nums}
.passed{color:#176117}.failed{color:#b00020}.inaccessible{color:#8a5a00}.not_run{color:#555}
.cards{display:flex;gap:1em}.card{border:1px solid #ccc;border-radius:6px;padding:.6em 1.2em}
.card b{display:block;font-size:2em}code{font-size:.9em}
"""

_LABELS: dict[ReportOutcome, str] = {
    "passed": "Passed",
    "failed": "Failed",
    "inaccessible": "Inaccessible",
    "not_run": "Not run",
}


def render_html(report: AuditReport) -> str:
    """The whole page as a string."""
    counts = report.counts()
    cards = "".join(
        f'<div class="card {key}"><b id="count-{key}">{counts[key]}</b>{_LABELS[key]}</div>'
        for key in _LABELS
    )
    status = overall_status(report)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>preserve audit</title>"
        f"<style>{_STYLE}</style></head><body>"
        f'<h1>Fixity audit: <span id="status" class="{status}">{status}</span></h1>'
        f"<p>Run from {escape(report.started_at)} to {escape(report.finished_at)}; "
        f"{human_size(report.bytes_checked)} checked. Ledger <code>"
        f'{escape(report.ledger_path)}</code>, head <code id="head">'
        f"{escape(report.ledger_head)}</code>.</p>"
        f'<div class="cards">{cards}</div>'
        + _warnings(report)
        + _disagreements(report)
        + _section("Newly failed", "newly-failed", report.newly_failed)
        + _section("Fixed since the last check", "fixed", report.fixed)
        + _section(
            f"Overdue (not checked within {report.max_age_days:g} days)", "overdue", report.overdue
        )
        + _section("Never checked", "never-checked", report.never_checked)
        + _section("Not passed", "problems", [b for b in report.bags if b.outcome != "passed"])
        + "<h2>Bytes checked per day</h2>"
        + bar_chart_svg(report.history)
        + "</body></html>\n"
    )


def _warnings(report: AuditReport) -> str:
    items = [f"Cannot read {escape(f)}: {escape(r)}" for f, r in report.unreadable]
    items += [f"AUD-010 {escape(w)}" for w in report.warnings]
    notes = "".join(f"<li>{escape(note)}</li>" for _, note in report.notes)
    out = '<h2>Notes</h2><ul id="notes">' + notes + "</ul>" if notes else ""
    if not items:
        return out
    return (
        '<h2>Warnings</h2><ul id="warnings">'
        + "".join(f"<li>{i}</li>" for i in items)
        + "</ul>"
        + out
    )


def _disagreements(report: AuditReport) -> str:
    if not report.disagreements:
        return ""
    rows = "".join(
        f"<tr><td><code>{escape(d.bag)}</code></td><td>AUD-012 {escape(d.reason)}</td><td>"
        + "<br>".join(f"{escape(c.outcome)} <code>{escape(c.path)}</code>" for c in d.copies)
        + "</td></tr>"
        for d in report.disagreements
    )
    return (
        f'<h2>Copies that disagree: <span id="n-disagree">{len(report.disagreements)}</span>'
        '</h2><table id="disagree"><tr><th>Bag</th><th>Why</th><th>Copies</th></tr>'
        f"{rows}</table>"
    )


def _section(title: str, ident: str, bags: Sequence[BagOutcome]) -> str:
    head = f'<h2>{escape(title)}: <span id="n-{ident}">{len(bags)}</span></h2>'
    if not bags:
        return head + "<p>None.</p>"
    rows = "".join(
        f'<tr><td><code>{escape(b.bag)}</code></td><td class="{b.outcome}">'
        f"{_LABELS[b.outcome]}</td><td>{escape(b.last_checked or 'never')}</td>"
        f"<td>{_details(b)}</td></tr>"
        for b in bags
    )
    return (
        f'{head}<table id="{ident}"><tr><th>Bag</th><th>Outcome</th><th>Last check</th>'
        f"<th>Details</th></tr>{rows}</table>"
    )


def _details(bag: BagOutcome) -> str:
    findings = bag.findings()
    shown = "<br>".join(f"{f.code} <code>{escape(f.path or '')}</code>" for f in findings[:5])
    more = f"<br>… and {len(findings) - 5} more" if len(findings) > 5 else ""
    return shown + more


def bar_chart_svg(points: Sequence[tuple[str, int]], *, width: int = 640, height: int = 180) -> str:
    """An inline SVG bar chart of ``(label, value)`` points (one bar per day)."""
    if not points:
        return '<p id="chart">No checks recorded yet.</p>'
    top = max(value for _, value in points) or 1
    pad, base = 40, height - 30
    step = min((width - pad) / len(points), 48.0)  # one day alone is not a wall of blue
    bars = []
    for index, (label, value) in enumerate(points):
        h = (base - 10) * value / top
        x = pad + index * step
        bars.append(
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{max(step - 2, 1):.1f}" '
            f'height="{h:.1f}" fill="#3b6ea8"><title>{escape(label)}: '
            f"{human_size(value)}</title></rect>"
        )
    labels = f'<text x="{pad}" y="{height - 10}" font-size="11">{escape(points[0][0])}</text>'
    if len(points) > 1:
        labels += (
            f'<text x="{pad + step * len(points):.1f}" y="{height - 10}" font-size="11" '
            f'text-anchor="end">{escape(points[-1][0])}</text>'
        )
    labels += f'<text x="0" y="12" font-size="11">{human_size(top)}</text>'
    return (
        f'<svg id="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" role="img" aria-label="bytes checked per day">'
        f'<line x1="{pad}" y1="{base}" x2="{width}" y2="{base}" stroke="#888"/>'
        + "".join(bars)
        + labels
        + "</svg>"
    )


def write_html(report: AuditReport, target: Path) -> None:
    """Write the page to *target* atomically (temporary file, then rename)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_writer(target) as handle:
            handle.write(render_html(report).encode("utf-8"))
    except OSError as e:
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            msg = (
                f"the disk is full: the HTML report {target} was not written; free space in "
                f"{target.parent} and run again (the checks are recorded in the ledger)"
            )
        else:
            msg = f"cannot write the HTML report {target}: {e.strerror or e}; check the path"
        raise AuditError(msg) from e
