"""``report.html``: one self-contained page a person reads to see why a dump failed.

The page holds report.json's aggregates and capped samples only (never every
finding), so its size does not grow with the dump. Everything is inline: CSS and JS
from ``assets/``, charts drawn as SVG by the script, data as JSON in a
``<script type="application/json">``. A Content-Security-Policy forbids any remote
load; the inline style and script are allowed by their sha256, so nothing injected
from the dump could run even if it escaped its escaping.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from corpus_qa.reports.atomic import write_text
from corpus_qa.reports.bound import LEVELS, MAX_PAGE_BYTES, bound_page
from corpus_qa.reports.escape import printable
from corpus_qa.reports.history_html import history_html
from corpus_qa.reports.times import time_html

#: report.json keys the page needs; inputs are capped, chrome/quarantine lists left out.
_KEYS = (
    "schema_version",
    "tool",
    "started_at",
    "finished_at",
    "duration_seconds",
    "dump",
    "counts",
    "policy",
    "gate",
    "checks",
    "outlets",
    "distributions",
    "records",
    "baseline",
)
_MAX_INPUTS = 200
#: The page lists failing checks first, then warnings and notices, then the rest.
_STATUS_ORDER = {"fail": 0, "warn": 1, "notice": 2, "pass": 3, "skipped": 4}
# Inside <script>, "</script" or "<!--" would end or confuse the element; in JS source,
# U+2028/2029 were line terminators before ES2019. JSON allows \u escapes for all.
_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)

# JSON escapes C0 controls itself; C1 controls, bidi overrides and lone surrogates it
# writes raw: as \u escapes the file holds no control character, and still parses.
_RAW = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _u_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def embed_json(data: object) -> str:
    """JSON that is inert inside a ``<script>`` element, whatever strings it holds."""
    text = json.dumps(data, ensure_ascii=False, default=str, separators=(",", ":"))
    # One str.replace per character: each is a C scan of the text, where str.translate
    # looks up every character in a table in Python, slow on a large page.
    for char, escape in _JSON_ESCAPES:
        text = text.replace(char, escape)
    return _RAW.sub(_u_escape, text)


def _asset(name: str) -> str:
    return resources.files("corpus_qa.reports").joinpath("assets", name).read_text("utf-8")


def _sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def page_data(report: dict[str, Any]) -> dict[str, Any]:
    """What the page embeds: report.json minus what is unbounded or unused."""
    data = {key: report[key] for key in _KEYS if key in report}
    data["inputs"] = report.get("inputs", [])[:_MAX_INPUTS]
    data["checks"] = sorted(data.get("checks", []), key=lambda c: _STATUS_ORDER.get(c["status"], 5))
    return data


def bounded_page(report: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The page's data at the first level of :data:`~corpus_qa.reports.bound.LEVELS`
    whose JSON fits :data:`~corpus_qa.reports.bound.MAX_PAGE_BYTES`, and that JSON."""
    data = page_data(report)
    for level in LEVELS:
        bounded = bound_page(data, level)
        text = embed_json(bounded)
        # The last level fits any report whose check count is sane; it is used regardless.
        if len(text.encode()) <= MAX_PAGE_BYTES:
            break
    return bounded, text


def _verdict_html(report: dict[str, Any]) -> str:
    """The verdict, rendered here so it reads first even before (or without) the script."""
    gate = report["gate"]
    counts = report["counts"]

    def esc(text: str) -> str:
        return html.escape(printable(text))

    word = "pass" if gate["passed"] else "fail"
    reasons = "".join(f"<li>{esc(reason)}</li>" for reason in gate["reasons"])
    return (
        f'<header id="verdict" class="{"pass" if gate["passed"] else "fail"}">'
        f'<h1 id="verdict-text">Gate: {word}</h1>'
        f'<div class="meta">{esc(str(report["dump"]["path"]))}: {counts["articles"]:,} articles, '
        f"{counts['findings']:,} findings; the gate fails on {esc(gate['fail_on'])} "
        f"(policy sha256 {esc(str(report['policy']['sha256'])[:12])}); "
        f"corpus-qa {esc(report['tool']['version'])}, finished {time_html(report['finished_at'])}"
        f"</div>"
        + (
            f'<ul id="reasons">{reasons}</ul>'
            if reasons
            else "<p>Every check is within its limits.</p>"
        )
        + "</header>"
    )


def build_html(report: dict[str, Any]) -> str:
    # Everything shown, header included, comes from the bounded data; the history
    # section renders its own capped summary (corpus_qa.reports.history_html).
    history = history_html(report)
    report, data_json = bounded_page(report)
    css, js = _asset("report.css"), _asset("report.js")
    csp = (
        "default-src 'none'; "
        f"script-src {_sha256(js)}; style-src {_sha256(css)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    title = f"corpus-qa: {report['gate']['verdict']} - {report['dump']['path']}"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(printable(title))}</title>
<link rel="icon" href="data:,">
<style>{css}</style>
</head>
<body>
<main>
{_verdict_html(report)}
{history}
<div class="cards" id="cards"></div>
<nav id="filters" aria-label="filters">
<select id="f-check" aria-label="check"></select>
<select id="f-severity" aria-label="severity"></select>
<select id="f-outlet" aria-label="outlet"></select>
<input id="f-q" type="search" placeholder="search evidence, messages, ids" aria-label="search">
<button id="f-clear" type="button">clear filters</button>
<span id="evidence-count" class="msg"></span>
</nav>
<section id="record" class="hidden" aria-live="polite"></section>
<h2>Checks</h2>
<p class="msg">Click a check to list its evidence; rates are records affected over articles.</p>
<table id="check-table"></table>
<h2>Outlets by check</h2>
<p class="msg">Rate of each check per outlet, darker is worse; outlets furthest above the dump's rate come first. Click a cell to see its evidence.</p>
<div class="scroll"><table id="outlet-table"></table></div>
<section id="baseline"></section>
<h2>Charts</h2>
<div class="charts" id="chart-box"></div>
<h2 id="evidence">Evidence</h2>
<p class="msg">Capped samples per check, highlighted in about 80 characters of context; every finding is in findings.jsonl.</p>
<div id="evidence-list"></div>
<noscript><p>The tables and evidence need JavaScript; report.json holds the same data.</p></noscript>
<footer>corpus-qa report schema {html.escape(str(report["schema_version"]))}. Nothing on this page is loaded from the network; links from the dump are shown as text.</footer>
</main>
<script type="application/json" id="report-data">{data_json}</script>
<script>{js}</script>
</body>
</html>
"""


def write_html(report: dict[str, Any], path: Path) -> None:
    write_text(path, build_html(report))
