"""Bounding report.json, and escaping the control characters in what it shows.

report.json lists every outlet in every check, a record view per sample (all its
images) and the dump's strings whole: a record with 200,000 images, four 1 MB titles
or 20,000 outlets once made a report of 40-250 MB. So, as for report.html
(:mod:`corpus_qa.reports.bound`), every string is cut to a fixed length and marked as
cut, a record view lists a fixed number of images, and each check lists its largest
and most affected outlets; stricter levels apply until the file is under
:data:`MAX_REPORT_BYTES`. What was left out is counted: ``samples_omitted`` and
``by_outlet_omitted`` per check, ``omitted`` for the rest. findings.jsonl keeps every
finding and its evidence raw.

Strings are escaped too: control characters (but newline and tab), C1 controls, bidi
overrides and isolates, line separators and lone surrogates become ``\\xNN`` /
``\\uNNNN`` text, so no reader of a value (a terminal, a diff, a browser) sees them raw.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from corpus_qa.reports.bound import Level, _flagged_images, _kept_outlets, _record
from corpus_qa.reports.escape import is_printable, printable, truncate

#: The bound on report.json's size (UTF-8 bytes).
MAX_REPORT_BYTES = 8_000_000
#: Tried in order; the first whose report fits :data:`MAX_REPORT_BYTES` is written.
LEVELS = (
    Level(chars=4_000, body_chars=50_000, images=1_000, samples=None, outlets=1_000),
    Level(chars=1_000, body_chars=10_000, images=100, samples=20, outlets=400),
    Level(chars=200, body_chars=1_000, images=10, samples=5, outlets=50),
    Level(chars=80, body_chars=200, images=0, samples=1, outlets=10),
)
#: Most entries of the other lists (anomalies, template breaks, gate reasons) kept.
_LISTED = 1_000


def escape_controls(text: str) -> str:
    """``text`` with every control character but newline and tab escaped (see module)."""
    if "\n" not in text and "\t" not in text:
        return printable(text)
    # Each part of each line comes back as it is when the whole does, tabs and
    # newlines left out: one test instead of one per part.
    if is_printable(text.replace("\n", "").replace("\t", "")):
        return text
    return "\n".join(
        "\t".join(printable(part) for part in line.split("\t")) for line in text.split("\n")
    )


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return escape_controls(value)
    if isinstance(value, dict):
        return {_escaped(k) if isinstance(k, str) else k: _escaped(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_escaped(item) for item in value]
    return value


def _cut_key(name: str, chars: int) -> str:
    """A key cut like any string, plus a digest of the whole: two long outlet names
    that share their first ``chars`` characters stay two keys."""
    if len(name) <= chars:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{truncate(name, chars)[:-1]}, sha256 {digest}]"


def _cut_all(value: Any, chars: int) -> Any:
    """``value`` with every string cut to ``chars`` characters (keys with a digest)."""
    if isinstance(value, str):
        return truncate(value, chars)
    if isinstance(value, dict):
        return {
            _cut_key(k, chars) if isinstance(k, str) else k: _cut_all(v, chars)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_cut_all(item, chars) for item in value]
    return value


def shown_key(name: str) -> str:
    """How report.json names an outlet (or any key) at its loosest level: compare a
    name from a run with one read back from an earlier report.json through this."""
    return escape_controls(_cut_key(name, LEVELS[0].chars))


def _head(items: Iterable[Any], limit: int) -> tuple[list[Any], int]:
    listed = list(items)
    return listed[:limit], max(0, len(listed) - limit)


def _affected(rows: dict[str, Any], limit: int) -> set[str]:
    """The ``limit`` outlets with most records hit in one check's ``by_outlet``."""
    hit = [o for o, row in rows.items() if isinstance(row, dict) and row.get("records")]
    hit.sort(key=lambda o: (-int(rows[o].get("records") or 0), o))
    return set(hit[:limit])


def _bounded(report: dict[str, Any], level: Level) -> dict[str, Any]:
    data = dict(report)
    omitted: dict[str, int] = {}
    limit = level.outlets if level.outlets is not None else len(data.get("outlets") or {})
    keep = _kept_outlets(data, limit)
    outlets = data.get("outlets") or {}
    if len(outlets) > len(keep):
        data["outlets"] = {o: n for o, n in outlets.items() if o in keep}
        omitted["outlets"] = len(outlets) - len(data["outlets"])
    checks = []
    kept_by_check: dict[str, set[str]] = {}
    for check in data.get("checks") or []:
        check = dict(check)
        rows = check.get("by_outlet") or {}
        shown = keep | _affected(rows, limit)
        kept_by_check[str(check.get("id"))] = shown
        check["by_outlet"] = {o: row for o, row in rows.items() if o in shown}
        check["by_outlet_omitted"] = len(rows) - len(check["by_outlet"])
        samples = list(check.get("samples") or [])
        if level.samples is not None:
            samples = samples[: level.samples]
        check["samples"] = samples
        check["samples_omitted"] = max(0, int(check.get("count") or 0) - len(samples))
        checks.append(check)
    if "checks" in data:
        data["checks"] = checks
    samples = [s for check in checks for s in check["samples"]]
    cited = {str(s.get("record_id")) for s in samples}
    flagged = _flagged_images(samples)
    views = data.get("records") or {}
    records = {
        record_id: _record(view, level, flagged.get(record_id, set()))
        for record_id, view in views.items()
        if record_id in cited
    }
    if len(records) < len(views):
        omitted["records"] = len(views) - len(records)
    images = sum(
        int(v["images_total"]) - len(v.get("images") or [])
        for v in records.values()
        if "images_total" in v
    )
    if images:
        omitted["images"] = images
    if "gate" in data:
        gate = dict(data["gate"])
        gate["reasons"], omitted["gate_reasons"] = _head(gate.get("reasons") or [], _LISTED)
        data["gate"] = gate
    if isinstance(data.get("baseline"), dict):
        data["baseline"] = _baseline(data["baseline"], kept_by_check, omitted)
    if isinstance(data.get("history"), dict):
        history = dict(data["history"])
        anomalies = history.get("anomalies") or []
        history["anomalies"], omitted["anomalies"] = _head(anomalies, _LISTED)
        data["history"] = history
    data.pop("records", None)
    data = _cut_all(data, level.chars)
    if "checks" in report:
        # A body has its own, longer cut (in _record); every other string gets the level's.
        data["records"] = {
            _cut_key(record_id, level.chars): {
                key: value if key == "body" else _cut_all(value, level.chars)
                for key, value in view.items()
            }
            for record_id, view in records.items()
        }
    data["omitted"] = {key: n for key, n in omitted.items() if n}
    return _escaped(data)  # type: ignore[no-any-return]


def _baseline(
    baseline: dict[str, Any], kept: dict[str, set[str]], omitted: dict[str, int]
) -> dict[str, Any]:
    baseline = dict(baseline)
    breaks, omitted["template_breaks"] = _head(baseline.get("template_breaks") or [], _LISTED)
    baseline["template_breaks"] = breaks
    named = {(str(b.get("check")), str(b.get("outlet"))) for b in breaks}
    rows_left = 0
    outlets: dict[str, dict[str, Any]] = {}
    for check_id, rows in (baseline.get("outlets") or {}).items():
        shown = kept.get(check_id, set())
        outlets[check_id] = {
            o: row for o, row in rows.items() if o in shown or (check_id, o) in named
        }
        rows_left += len(rows) - len(outlets[check_id])
    baseline["outlets"] = outlets
    omitted["baseline_outlets"] = rows_left
    baseline["reasons"], omitted["baseline_reasons"] = _head(baseline.get("reasons") or [], _LISTED)
    return baseline


def dumps_report(report: dict[str, Any]) -> str:
    """report.json's text: ``report`` bounded (see module) and escaped, valid JSON."""
    text = ""
    for level in LEVELS:
        text = json.dumps(_bounded(report, level), indent=2, ensure_ascii=False, default=str)
        if len(text.encode("utf-8", "surrogatepass")) <= MAX_REPORT_BYTES:
            break
    return text + "\n"
