"""The HTML report: self-contained, and it renders in a real browser (headless Chromium)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from lxml import html

from preserve.audit.ledger import Ledger
from preserve.audit.run import run_audit
from preserve.reports.audit_html import bar_chart_svg, write_html
from tests.unit.audit.conftest import SteppingClock

CHROMIUM = "/usr/bin/chromium"


def _report_file(store: Path, ledger: Ledger, clock: SteppingClock, tmp_path: Path) -> Path:
    run_audit([store], ledger=ledger, clock=clock)
    clock.advance(days=1)
    (store / "shelf" / "b1" / "data" / "a.txt").write_text("<script>alert(1)</script>")
    report = run_audit([store], ledger=ledger, clock=clock)
    target = tmp_path / "out" / "report.html"
    write_html(report, target)
    return target


def test_page_is_self_contained_and_escaped(
    store: Path, ledger: Ledger, clock: SteppingClock, tmp_path: Path
) -> None:
    page = _report_file(store, ledger, clock, tmp_path).read_text()
    assert "<script" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "<svg" in page


def test_chart_scales_bars_to_the_largest_day() -> None:
    svg = bar_chart_svg([("2026-01-01", 50), ("2026-01-02", 100)], height=180)
    heights = [float(h) for h in re.findall(r'<rect[^>]* height="([\d.]+)"', svg)]
    assert heights == [70.0, 140.0]
    assert "No checks" in bar_chart_svg([])


def _text(dom: html.HtmlElement, ident: str) -> str:
    (element,) = dom.xpath(f'//*[@id="{ident}"]')
    assert isinstance(element, html.HtmlElement)
    return str(element.text_content())


@pytest.mark.chromium
def test_report_renders_in_chromium(
    store: Path, ledger: Ledger, clock: SteppingClock, tmp_path: Path
) -> None:
    page = _report_file(store, ledger, clock, tmp_path)
    shot = tmp_path / "shot.png"
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            "--window-size=1200,1600",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    dom = html.fromstring(done.stdout)
    counts = {
        key: _text(dom, f"count-{key}") for key in ("passed", "failed", "inaccessible", "not_run")
    }
    assert counts == {"passed": "2", "failed": "1", "inaccessible": "0", "not_run": "0"}
    assert _text(dom, "status") == "failed"
    assert _text(dom, "n-newly-failed") == "1"
    assert dom.xpath('count(//svg[@id="chart"]//rect)') == 2  # two days of checks
    assert shot.stat().st_size > 0
