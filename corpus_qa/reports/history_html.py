"""report.html's history section: the run's anomalies first, then each check's trend
over the accepted runs of ``--history`` (inline SVG, no script needed)."""

from __future__ import annotations

import html
from typing import Any

from corpus_qa.reports.escape import printable, truncate

_W, _H = 160, 28


def sparkline(values: list[float]) -> str:
    """An inline SVG line of ``values`` (the last one, this run, marked)."""
    if not values:
        return ""
    top = max(max(values), 1e-9)
    step = _W / max(len(values) - 1, 1)
    points = " ".join(
        f"{i * step:.1f},{_H - 2 - (v / top) * (_H - 4):.1f}" for i, v in enumerate(values)
    )
    x, y = points.split(" ")[-1].split(",")
    return (
        f'<svg class="trend" width="{_W}" height="{_H}" viewBox="0 0 {_W} {_H}" role="img" '
        f'aria-label="rate over {len(values)} runs">'
        f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{points}"/>'
        f'<circle cx="{x}" cy="{y}" r="2.5" fill="currentColor"/></svg>'
    )


#: Anomalies listed on the page (report.json has them all), and characters per value:
#: the page stays small whatever the history holds.
_SHOWN = 200
_CHARS = 500


def history_html(report: dict[str, Any]) -> str:
    """The section, or ``""`` for a run without ``--history``."""
    history = report.get("history")
    if not history:
        return ""

    def esc(text: str) -> str:
        return html.escape(printable(truncate(str(text), _CHARS)))

    parts = ['<section id="history"><h2>Against the history</h2>']
    if history.get("error"):
        parts.append(f'<p class="msg">The history could not be used: {esc(history["error"])}</p>')
    anomalies = history.get("anomalies", [])
    if anomalies:
        items = "".join(
            f'<li class="{esc(a["status"])}">{esc(a["reason"])}</li>' for a in anomalies[:_SHOWN]
        )
        more = len(anomalies) - _SHOWN
        if more > 0:
            items += f"<li>and {more:,} more anomalies: see report.json</li>"
        parts.append(f'<ul id="anomalies">{items}</ul>')
    else:
        parts.append(
            f'<p class="msg">No anomaly against {int(history.get("references", 0))} accepted runs.</p>'
        )
    trends = history.get("trends", {})
    if trends:
        flagged = {a["name"] for a in anomalies if a["kind"] == "check"}
        order = sorted(trends, key=lambda check: (check not in flagged, check))
        rows = "".join(
            f"<tr><td>{esc(check)}</td><td>{sparkline(trends[check])}</td>"
            f"<td>{trends[check][-1] * 100:.1f}%</td></tr>"
            for check in order
        )
        parts.append(
            '<table id="trend-table"><tr><th>check</th><th>dump-wide rate, accepted runs then this one</th>'
            f"<th>now</th></tr>{rows}</table>"
        )
    parts.append("</section>")
    return "".join(parts)
