"""How big is report.html for a 1,000,000-record dump, and how fast does Chromium show it?

``make bench-report`` (or ``python -m bench.bench_report``) synthesizes the report.json
of a million-article run with realistic sizes (12 checks, 50 samples each with their
articles' text, 200 outlets, a 10-report baseline history), renders its HTML with
``corpus_qa.reports.html_report`` and opens it from file:// in headless Chromium.
It records the HTML's size, the time to the ``load`` event and to the first frame
after it, and the time a filter takes; results go to bench/report_results.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from bench.chromium import launch
from corpus_qa.reports.html_report import build_html
from corpus_qa.testing.synth import SENTENCES

ARTICLES = 1_000_000
CHECKS = (
    ("byline.missing", "error", 0.06),
    ("email.truncated", "error", 0.004),
    ("email.obfuscated", "error", 0.003),
    ("boilerplate.leak", "error", 0.008),
    ("date.relative", "warning", 0.04),
    ("date.missing", "warning", 0.02),
    ("text.flattened", "warning", 0.05),
    ("image.duplicate_tag", "warning", 0.03),
    ("image.logo_as_content", "warning", 0.02),
    ("record.duplicate", "error", 0.005),
    ("record.duplicate_id", "error", 0.0001),
    ("schema.articles.url", "error", 0.0002),
)
OUTLETS = 200
SAMPLES = 50
HISTORY = 10


def _body(rng: random.Random) -> str:
    paragraphs = [
        " ".join(rng.choice(SENTENCES) + "." for _ in range(rng.randint(3, 6)))
        for _ in range(rng.randint(6, 14))
    ]
    return "\n\n".join(paragraphs)


def synthesize(seed: int = 1) -> dict[str, Any]:
    """A report.json dict shaped like a real million-record run's."""
    rng = random.Random(seed)
    outlets = {f"Outlet {i:03d} News": 0 for i in range(OUTLETS)}
    weights = [1 / (i + 1) for i in range(OUTLETS)]  # a few big outlets, a long tail
    total = sum(weights)
    for name, weight in zip(outlets, weights, strict=True):
        outlets[name] = max(50, int(ARTICLES * weight / total))
    names = list(outlets)
    broken = names[7]  # one outlet whose template broke: byline.missing at 100%
    checks, records = [], {}
    for check_id, severity, rate in CHECKS:
        by_outlet = {}
        for name, articles in outlets.items():
            local = 1.0 if (check_id == "byline.missing" and name == broken) else rate
            local = min(1.0, max(0.0, rng.gauss(local, local / 3))) if local < 1 else 1.0
            hits = round(articles * local)
            by_outlet[name] = {"articles": articles, "records": hits, "rate": hits / articles}
        affected = sum(row["records"] for row in by_outlet.values())
        samples = []
        for n in range(SAMPLES):
            record_id = f"part-{rng.randint(0, 99):03d}.jsonl.gz#{rng.randint(0, 10**7)}"
            outlet = rng.choice(names)
            body = _body(rng)
            start = rng.randint(0, len(body) - 40)
            end = start + rng.randint(5, 30)
            samples.append(
                {
                    "check": check_id,
                    "severity": severity,
                    "record_id": record_id,
                    "source_path": record_id.split("#")[0],
                    "line": rng.randint(1, 10_000),
                    "field": "body",
                    "evidence": body[start:end],
                    "start": start,
                    "end": end,
                    "message": f"{check_id} finding {n}",
                    "outlet": outlet,
                    "context_before": body[max(0, start - 80) : start],
                    "context_after": body[end : end + 80],
                }
            )
            records[record_id] = {
                "record_id": record_id,
                "source_path": record_id.split("#")[0],
                "line_start": 1,
                "line_end": 1,
                "role": "main",
                "outlet": outlet,
                "url": f"https://news.example.org/{n}",
                "title": f"A headline for sample {n} of {check_id}",
                "byline": None,
                "byline_source": None,
                "credit": None,
                "genre": None,
                "published_raw": "2025-07-01",
                "body": body,
                "body_truncated": False,
                "images": [
                    {
                        "position": 0,
                        "alt": "A photo",
                        "src": "/a.jpg",
                        "resolved_src": None,
                        "line": 3,
                    }
                ],
            }
        checks.append(
            {
                "id": check_id,
                "name": check_id.replace(".", " "),
                "severity": severity,
                "scope": "record",
                "count": int(affected * 1.2),
                "records": affected,
                "rate": affected / ARTICLES,
                "denominator": ARTICLES,
                "max_rate": 0.05,
                "max_count": None,
                "exempted": 0,
                "enabled": True,
                "status": "fail" if affected / ARTICLES > 0.05 else "pass",
                "reason": None,
                "by_outlet": by_outlet,
                "samples": samples,
            }
        )
    history = [
        {
            "path": f"history/{i}/report.json",
            "finished_at": f"2025-06-{i + 1:02d}",
            "verdict": "pass",
        }
        for i in range(HISTORY)
    ]
    baseline = {
        "path": history[-1]["path"],
        "finished_at": history[-1]["finished_at"],
        "history": history,
        "warnings": [],
        "checks": {
            c["id"]: {
                "then": c["rate"] * 0.9,
                "now": c["rate"],
                "change_pp": c["rate"] * 10,
                "max_increase": 5,
                "history": [c["rate"] * rng.uniform(0.7, 1.1) for _ in range(HISTORY)]
                + [c["rate"]],
            }
            for c in checks
        },
        "outlets": {
            c["id"]: {
                o: {
                    "then": r["rate"],
                    "now": r["rate"],
                    "articles_then": r["articles"],
                    "articles_now": r["articles"],
                }
                for o, r in c["by_outlet"].items()
            }
            for c in checks
        },
        "template_breaks": [],
        "reasons": [],
    }
    return {
        "schema_version": "1.0",
        "tool": {"name": "corpus-qa", "version": "bench"},
        "status": "complete",
        "started_at": "2025-07-01T00:00:00+00:00",
        "finished_at": "2025-07-01T01:00:00+00:00",
        "duration_seconds": 3600.0,
        "dump": {"path": "s3-mirror/2025-07-01/*.jsonl.gz", "fingerprint": "0" * 64, "files": 100},
        "inputs": [],
        "counts": {
            "pages": 0,
            "articles": ARTICLES,
            "images": 1_400_000,
            "records_read": ARTICLES,
            "records_checked": ARTICLES,
            "records_quarantined": 0,
            "files_skipped": 0,
            "chrome_lines_removed": 0,
            "unplaced_lines": 0,
            "findings": sum(c["count"] for c in checks),
            "exempted": 0,
            "roles": {"main": ARTICLES},
        },
        "policy": {"path": "checks/policy.toml", "sha256": "0" * 64, "fail_on": "error"},
        "gate": {
            "verdict": "fail",
            "passed": False,
            "fail_on": "error",
            "reasons": ["template break: Outlet 007 News byline.missing 6% -> 100% (n=1,000)"],
        },
        "checks": checks,
        "outlets": dict(sorted(outlets.items(), key=lambda kv: -kv[1])),
        "distributions": {
            "body_length": {str(k * 500): int(ARTICLES * 0.9**k / 10) for k in range(60)},
            "images_per_article": {str(k): int(ARTICLES * 0.5**k / 2) for k in range(11)},
        },
        "records": records,
        "baseline": baseline,
    }


def measure(path: Path, runs: int) -> dict[str, Any]:
    """Median times over ``runs`` fresh pages: load event, first frame, one filter."""
    load, frame, dom, filtering, requests = [], [], [], [], set()
    marks: list[dict[str, float]] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda r: requests.add(r.url.split("#")[0]))
            start = time.perf_counter()
            page.goto(path.as_uri(), wait_until="load")
            load.append(time.perf_counter() - start)
            # The first frame painted after load: the page as the reader first sees it.
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
            frame.append(time.perf_counter() - start)
            nav = page.evaluate("() => performance.getEntriesByType('navigation')[0].toJSON()")
            marks.append(
                page.evaluate(
                    "() => Object.fromEntries(performance.getEntriesByType('mark')"
                    ".map(m => [m.name, m.startTime / 1000]))"
                )
            )
            dom.append(nav["domContentLoadedEventEnd"] / 1000)
            assert page.get_attribute("body", "data-rendered") == "1"
            started = time.perf_counter()
            page.select_option("#f-outlet", "Outlet 007 News")
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")
            filtering.append(time.perf_counter() - started)
            page.close()
        browser.close()
    return {
        "runs": runs,
        "load_event_seconds": round(statistics.median(load), 3),
        "first_render_seconds": round(statistics.median(frame), 3),
        "dom_content_loaded_seconds": round(statistics.median(dom), 3),
        "outlet_filter_seconds": round(statistics.median(filtering), 3),
        "script_marks_seconds": {
            name: round(statistics.median(m[name] for m in marks), 3) for name in marks[0]
        },
        "requests": sorted(requests),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("report_results.json"))
    args = parser.parse_args()
    report = synthesize()
    started = time.perf_counter()
    page = build_html(report)
    build_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.html"
        path.write_text(page, encoding="utf-8")
        timings = measure(path, args.runs)
        # Anything but the document itself would be a network request: list it as is.
        timings["requests"] = [
            "report.html" if url == path.as_uri() else url for url in timings["requests"]
        ]
    results = {
        "articles": ARTICLES,
        "checks": len(report["checks"]),
        "samples_per_check": SAMPLES,
        "outlets": OUTLETS,
        "records_embedded": len(report["records"]),
        "baseline_history": HISTORY,
        "html_bytes": len(page.encode()),
        "html_megabytes": round(len(page.encode()) / 1e6, 2),
        "build_html_seconds": round(build_seconds, 3),
        **timings,
    }
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
