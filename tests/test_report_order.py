"""report.html: failing checks first, then warnings, then passing; readable times."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from corpus_qa.reports.html_report import build_html, page_data
from corpus_qa.reports.times import readable, time_html
from tests.conftest import SEED_DUMP, run_check

RANK = {"fail": 0, "warn": 1, "notice": 2, "pass": 3, "skipped": 4}


def test_page_lists_failing_then_warning_then_passing_checks(tmp_path: Path) -> None:
    _, report, _ = run_check(SEED_DUMP, tmp_path / "out", "--jobs", "1")
    statuses = [check["status"] for check in report["checks"]]
    assert {"fail", "pass"} <= set(statuses)
    shown = [check["status"] for check in page_data(report)["checks"]]
    assert shown == sorted(statuses, key=RANK.__getitem__)
    # Within one status the report's order is kept; report.json itself is not reordered.
    failing = [c["id"] for c in report["checks"] if c["status"] == "fail"]
    assert [c["id"] for c in page_data(report)["checks"] if c["status"] == "fail"] == failing
    embedded = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>',
        build_html(report),
        re.S,
    )
    assert embedded is not None
    page_checks = json.loads(embedded.group(1))["checks"]
    assert page_checks[0]["status"] == "fail"


def test_times_are_readable_with_the_iso_value_in_the_tooltip(tmp_path: Path) -> None:
    assert readable("2026-12-06T14:02:13.951610+00:00") == "6 Dec 2026, 14:02 UTC"
    # Another zone is shown in UTC (the page's script then shows the reader's own).
    assert readable("2025-07-25T09:00:00+09:00") == "25 Jul 2025, 00:00 UTC"
    assert readable("not a time") == "not a time"
    assert time_html("2025-07-25T09:00:00+00:00") == (
        '<time datetime="2025-07-25T09:00:00+00:00" title="2025-07-25T09:00:00+00:00">'
        "25 Jul 2025, 09:00 UTC</time>"
    )
    assert time_html('"><script>') == (
        '<time datetime="&quot;&gt;&lt;script&gt;" title="&quot;&gt;&lt;script&gt;">'
        "&quot;&gt;&lt;script&gt;</time>"
    )
    _, report, _ = run_check(SEED_DUMP, tmp_path / "out", "--jobs", "1")
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    iso = report["finished_at"]
    assert f'<time datetime="{iso}" title="{iso}">{readable(iso)}</time>' in page


@pytest.mark.browser
def test_browser_shows_failing_first_and_local_times(tmp_path: Path, browser: Any) -> None:
    _, report, _ = run_check(SEED_DUMP, tmp_path / "out", "--jobs", "1")
    path = tmp_path / "out" / "report.html"
    errors: list[str] = []
    # A reader nine hours ahead of UTC sees the finish time in their own zone.
    context = browser.new_context(timezone_id="Asia/Seoul", locale="en-GB")
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-rendered]", state="attached", timeout=60_000)
        words = page.locator("#check-table td.status").all_text_contents()
        finished = page.locator("#verdict time")
        tooltip = finished.get_attribute("title")
        shown = finished.inner_text()
    finally:
        context.close()
    assert errors == []
    statuses = [RANK[word.strip()] for word in words]
    assert statuses == sorted(statuses) and statuses[0] == RANK["fail"]
    assert tooltip == report["finished_at"]
    seoul = datetime.fromisoformat(report["finished_at"]).astimezone(ZoneInfo("Asia/Seoul"))
    assert seoul.strftime("%H:%M") in shown
    assert "T" not in shown
