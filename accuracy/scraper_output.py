"""``make accuracy``: corpus-qa on two real extractors' native dumps, scored on their labels.

``corpus-qa check`` runs on ``trafilatura.jsonl`` and ``newspaper4k.jsonl`` of the
scraper-output corpus (``--corpus``, default ``../shared/corpora/scraper-output``) as a
user runs it: a subprocess, no ``--field``. Findings are joined to ``labels.jsonl`` by
record id. Check ids come from the findings, not from a list: a check that does not
exist yet is absent. What is scored (see the corpus' README for the labels):

- ``byline.missing`` against ``author_result == "lost"``; none on ``matches``;
- ``byline.junk``, on records with a gold author: precision is the share of flagged
  records where some flagged token (the finding's evidence) is no gold author's name
  (letters and digits compared; a token within a gold name is that name); recall is over the
  records whose tool byline holds a token that is no gold name and that the harness's
  own, deliberately simple detector calls a non-name (:data:`NON_NAME`: a URL or
  domain, an e-mail or handle, a social network, a digit, a lower-case slug), or more
  than eight names;
- ``date.*`` findings on ``same_day`` (must be none), ``wrong_day`` and ``missing``;
- ``page.*``, ``body.*``, ``text.*`` findings on records whose gold article segments
  are all in the text (``n_misses == 0``: must be none);
- ``boilerplate.*`` spans: the share of leaked segments of 40+ characters they touch,
  and the share of article segments (``with_found``) they touch (at most 1%); also per
  split (``splits``: dev and holdout pages as ``accuracy.run`` splits them, so rules
  tuned on dev can be judged on pages nobody read);
- outlets: distinct outlets in report.json against distinct sites.

Spans of findings index the stored body; a body whose paragraphs the tool separated
with single newlines is stored with blank lines (``corpus_qa.ingest.fields``), so
spans are mapped back to the tool's ``text`` before they are compared with labels.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from accuracy.run import split_of
from corpus_qa.ingest.fields import BLANK_LINE
from corpus_qa.ingest.outlets import url_domain

TOOLS = ("trafilatura", "newspaper4k")
CONTENT_PREFIXES = ("page.", "body.", "text.")
#: Leaked boilerplate segments at least this long are the ones a check should find.
LONG_LEAK = 40
Span = tuple[int, int]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def run_check(dump: Path, out: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """``corpus-qa check DUMP`` in a subprocess, as a user runs it (no ``--field``)."""
    script = shutil.which("corpus-qa", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "corpus_qa.cli"]
    done = subprocess.run(
        [*command, "check", str(dump), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"corpus-qa check {dump} exited {done.returncode}: {done.stderr.strip()}")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return read_jsonl(out / "findings.jsonl"), report


def tool_offsets(text: str) -> list[int] | None:
    """Body offset of each offset of the tool's ``text`` when the body was stored with
    its single newlines doubled (``None``: stored as is)."""
    if "\n" not in text or re.search(BLANK_LINE, text):
        return None
    offsets, shift = [], 0
    for k, char in enumerate(text):
        offsets.append(k + shift)
        shift += char == "\n"
    offsets.append(len(text) + shift)
    return offsets


def to_text_span(start: int, end: int, offsets: list[int] | None) -> Span:
    """A body span as a span of the tool's text."""
    if offsets is None:
        return start, end
    return bisect_right(offsets, start) - 1, bisect_right(offsets, end - 1)


def _overlaps(span: Span, spans: Iterable[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def _ratio(hit: int, total: int) -> float | None:
    return round(hit / total, 4) if total else None


def _pr(flagged: set[str], positive: set[str], judged: set[str]) -> dict[str, Any]:
    """Precision over flagged records that have a label, recall over the positives."""
    labelled = flagged & judged
    true = flagged & positive
    return {
        "positives": len(positive),
        "true_positives": len(true),
        "precision": _ratio(len(true), len(labelled)),
        "recall": _ratio(len(true), len(positive)),
    }


def _ids(labels: list[dict[str, Any]], test: Any) -> set[str]:
    return {label["id"] for label in labels if test(label)}


#: The harness's own test of a byline token that is no person's name, independent of
#: the check under test and deliberately plain: a URL or domain (also as trafilatura
#: writes one, "Facebook Com"), an e-mail or handle, a social network, a digit, a
#: lower-case slug ("thomas-beaumont", "robert.stitz"), or an author label alone.
NON_NAME = re.compile(
    r"(?i:https?:|www\.|@|\b[\w-]+\.[a-z]{2,6}\b|\s(?:com|de|net|org|at|ch)$"
    r"|\b(?:facebook|twitter|instagram|linkedin|youtube|tiktok|mailto)\b|\d"
    r"|^(?:author|autor|auteur|autore|name|by)\b)|^[a-z]+(?:[-.][a-z]+)+$"
)
#: More names than a byline plausibly holds.
CROWD = 8


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _gold_names(label: dict[str, Any]) -> list[str]:
    names = re.split(r";|,|&|/|\|| and | und | et ", label["gold_author"])
    return [_letters(name) for name in names if len(_letters(name)) >= 4]


def _is_gold(token: str, gold: list[str]) -> bool:
    """``token`` is (part of) a gold author's name; a list that merely includes one is not."""
    key = _letters(token)
    return bool(key) and any(key in name for name in gold)


def _junk_truth(label: dict[str, Any]) -> bool:
    gold = _gold_names(label)
    others = [name for name in label["tool_authors"] if not _is_gold(name, gold)]
    return len(label["tool_authors"]) > CROWD or any(NON_NAME.search(n) for n in others)


def score_junk(rows: list[dict[str, Any]], labels: list[dict[str, Any]]) -> dict[str, Any]:
    """``byline.junk`` on records with a gold author (see the module doc)."""
    by_id = {label["id"]: label for label in labels if label["author_status"] == "gold"}
    flagged: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.get("record_id") in by_id:
            flagged[row["record_id"]].append(str(row.get("evidence") or ""))
    true = {
        rid
        for rid, evidence in flagged.items()
        if any(not _is_gold(token, _gold_names(by_id[rid])) for token in evidence)
    }
    positive = {rid for rid, label in by_id.items() if _junk_truth(label)}
    return {
        "positives": len(positive),
        "true_positives": len(true),
        "precision": _ratio(len(true), len(flagged)),
        "recall": _ratio(len(positive & set(flagged)), len(positive)),
        "on_matches": len(set(flagged) & _ids(labels, lambda x: x["author_result"] == "matches")),
        "on_annotated_empty": sum(
            1
            for row in rows
            if row.get("record_id")
            in _ids(labels, lambda x: x["author_status"] == "annotated_empty")
        ),
    }


def score_byline(flagged: set[str], labels: list[dict[str, Any]]) -> dict[str, Any]:
    """``byline.missing`` against ``author_result == "lost"``; none on ``matches``."""
    judged = _ids(labels, lambda x: x["author_result"] is not None)
    positive = _ids(labels, lambda x: x["author_result"] == "lost")
    scored = _pr(flagged, positive, judged)
    scored["on_matches"] = len(flagged & _ids(labels, lambda x: x["author_result"] == "matches"))
    scored["on_annotated_empty"] = len(
        flagged & _ids(labels, lambda x: x["author_status"] == "annotated_empty")
    )
    return scored


def score_date(flagged: set[str], labels: list[dict[str, Any]]) -> dict[str, Any]:
    by_result = {
        result: flagged & _ids(labels, lambda x, r=result: x["date_result"] == r)
        for result in ("same_day", "wrong_day", "missing")
    }
    positive = _ids(labels, lambda x: x["date_result"] in ("wrong_day", "missing"))
    scored = _pr(flagged, positive, _ids(labels, lambda x: x["date_result"] is not None))
    scored |= {f"on_{result}": len(ids) for result, ids in by_result.items()}
    return scored


def score_content(flagged: set[str], labels: list[dict[str, Any]]) -> dict[str, Any]:
    complete = _ids(labels, lambda x: x["n_misses"] == 0)
    lost_all = _ids(labels, lambda x: x["n_with"] > 0 and x["n_misses"] == x["n_with"])
    return {
        "on_complete_text": len(flagged & complete),
        "on_some_miss": len(flagged - complete),
        "on_all_missed": len(flagged & lost_all),
        "all_missed": len(lost_all),
    }


def _body_spans(findings: list[dict[str, Any]], texts: dict[str, str]) -> dict[str, list[Span]]:
    """Body spans of ``findings`` per record, as spans of the tool's text."""
    spans: dict[str, list[Span]] = defaultdict(list)
    for finding in findings:
        if finding.get("field") != "body" or finding.get("start") is None:
            continue
        record = finding["record_id"]
        offsets = tool_offsets(texts.get(record, ""))
        spans[record].append(to_text_span(finding["start"], finding["end"], offsets))
    return spans


def score_boilerplate(
    findings: list[dict[str, Any]],
    labels: list[dict[str, Any]],
    texts: dict[str, str],
    *,
    splits: bool = False,
) -> dict[str, Any]:
    """Leaks of 40+ characters and article segments touched by these findings' spans;
    ``splits``: the same per dev and holdout page."""
    if splits:
        scored = score_boilerplate(findings, labels, texts)
        scored["splits"] = {
            name: score_boilerplate(
                findings, [x for x in labels if split_of(x["id"]) == name], texts
            )
            for name in ("dev", "holdout")
        }
        return scored
    spans = _body_spans(findings, texts)
    leaks = touched_leaks = segments = touched_segments = 0
    for label in labels:
        found = spans.get(label["id"], [])
        for leak in label["leaks"]:
            if leak["chars"] >= LONG_LEAK:
                leaks += 1
                touched_leaks += _overlaps_any(leak["spans"], found)
        for segment in label["with_found"]:
            segments += 1
            touched_segments += _overlaps_any(segment["spans"], found)
    return {
        "long_leaks": leaks,
        "long_leaks_covered": touched_leaks,
        "leak_coverage": _ratio(touched_leaks, leaks),
        "article_segments": segments,
        "article_segments_touched": touched_segments,
        "article_touched_share": _ratio(touched_segments, segments),
    }


def missed_leaks(
    findings: list[dict[str, Any]], labels: list[dict[str, Any]], texts: dict[str, str]
) -> list[dict[str, Any]]:
    """The leaks of 40+ characters no boilerplate finding's span touches, each with its
    record, split and the tool's line around it (for ``--misses``)."""
    spans = _body_spans([f for f in findings if f["check"].startswith("boilerplate.")], texts)
    missed = []
    for label in labels:
        found = spans.get(label["id"], [])
        for leak in label["leaks"]:
            if leak["chars"] < LONG_LEAK or _overlaps_any(leak["spans"], found):
                continue
            text = texts.get(label["id"], "")
            start, end = leak["spans"][0] if leak["spans"] else (0, 0)
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            missed.append(
                {
                    "id": label["id"],
                    "split": split_of(label["id"]),
                    "leak": leak["text"],
                    "line": text[line_start : len(text) if line_end < 0 else line_end],
                }
            )
    return missed


def _overlaps_any(spans: list[list[int]], found: list[Span]) -> bool:
    return any(_overlaps((start, end), found) for start, end in spans)


def score_tool(
    findings: list[dict[str, Any]],
    labels: list[dict[str, Any]],
    texts: dict[str, str],
    outlets: dict[str, int],
) -> dict[str, Any]:
    """Per check (as the findings name them): findings, records flagged and the scores."""
    by_check: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in findings:
        by_check[finding["check"]].append(finding)
    checks: dict[str, dict[str, Any]] = {}
    for check, rows in sorted(by_check.items()):
        flagged = {row["record_id"] for row in rows if row.get("record_id") is not None}
        entry: dict[str, Any] = {"findings": len(rows), "records": len(flagged)}
        if check == "byline.missing":
            entry |= score_byline(flagged, labels)
        elif check == "byline.junk":
            entry |= score_junk(rows, labels)
        elif check.startswith("date."):
            entry |= score_date(flagged, labels)
        elif check.startswith(CONTENT_PREFIXES):
            entry |= score_content(flagged, labels)
        elif check.startswith("boilerplate."):
            entry |= score_boilerplate(rows, labels, texts)
        checks[check] = entry
    boilerplate = [f for f in findings if f["check"].startswith("boilerplate.")]
    sites = {url_domain(label["url"]) or label["url"] for label in labels}
    return {
        "records": len(labels),
        "checks": checks,
        "boilerplate": score_boilerplate(boilerplate, labels, texts, splits=True),
        "outlets": {
            "distinct": len(outlets),
            "sites": len(sites),
            "urls_as_outlets": sum(1 for name in outlets if "://" in name),
        },
    }


#: The issue's targets: (check or prefix, key, bound, "min" or "max").
TARGETS = (
    ("byline.missing", "recall", 0.98, "min"),
    ("byline.missing", "on_matches", 0, "max"),
    ("byline.junk", "precision", 0.90, "min"),
    ("byline.junk", "recall", 0.80, "min"),
    ("date.", "on_same_day", 0, "max"),
    ("page.", "on_complete_text", 0, "max"),
    ("body.", "on_complete_text", 0, "max"),
    ("text.flattened", "on_complete_text", 0, "max"),
)


def targets(scored: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of a check that raised findings, with its value and whether it is met."""
    met = []
    for check, entry in scored["checks"].items():
        for name, key, bound, side in TARGETS:
            if not (check == name or (name.endswith(".") and check.startswith(name))):
                continue
            value = entry.get(key)
            ok = value is not None and (value >= bound if side == "min" else value <= bound)
            met.append({"check": check, "key": key, "bound": bound, "value": value, "ok": ok})
    share = scored["boilerplate"]["article_touched_share"]
    met.append(
        {
            "check": "boilerplate.*",
            "key": "article_touched_share",
            "bound": 0.01,
            "value": share,
            "ok": share is None or share <= 0.01,
        }
    )
    return met


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1%}"
    return str(value)


COLUMNS = (
    ("findings", "findings"),
    ("records", "records"),
    ("precision", "prec"),
    ("recall", "recall"),
    ("on_matches", "on_match"),
    ("on_same_day", "same_day"),
    ("on_wrong_day", "wrong_day"),
    ("on_missing", "no_date"),
    ("on_complete_text", "complete"),
    ("leak_coverage", "leaks40"),
    ("article_touched_share", "article"),
)


def table(results: dict[str, dict[str, Any]]) -> str:
    """A compact table: one row per tool and check."""
    header = f"{'tool':<12} {'check':<30}" + "".join(f" {name:>9}" for _, name in COLUMNS)
    lines = [header]
    for tool, scored in results.items():
        for check, entry in scored["checks"].items():
            cells = "".join(f" {_cell(entry.get(key)):>9}" for key, _ in COLUMNS)
            lines.append(f"{tool:<12} {check:<30}{cells}")
        bp = scored["boilerplate"]
        outlets = scored["outlets"]
        lines.append(
            f"{tool:<12} boilerplate (all): {bp['long_leaks_covered']}/{bp['long_leaks']} leaks "
            f"of 40+ chars touched, {bp['article_segments_touched']}/{bp['article_segments']} "
            f"article segments touched; outlets {outlets['distinct']} for {outlets['sites']} "
            f"sites ({outlets['urls_as_outlets']} URLs)"
        )
        lines.append(
            f"{tool:<12} boilerplate by split: "
            + "; ".join(
                f"{name} {part['long_leaks_covered']}/{part['long_leaks']} leaks, "
                f"{part['article_segments_touched']}/{part['article_segments']} article"
                for name, part in bp.get("splits", {}).items()
            )
        )
        missed = [t for t in scored["targets"] if not t["ok"]]
        lines.append(
            f"{tool:<12} targets: {len(scored['targets']) - len(missed)} of "
            f"{len(scored['targets'])} met"
            + "".join(
                f"; MISSED {t['check']} {t['key']} {_cell(t['value'])} (bound {_cell(t['bound'])})"
                for t in missed
            )
        )
    return "\n".join(lines)


def evaluate(
    corpus: Path, tools: Iterable[str] = TOOLS, *, misses: bool = False
) -> dict[str, dict[str, Any]]:
    """Each tool's scores; ``misses``: print each leak of 40+ characters left uncovered."""
    labels = read_jsonl(corpus / "labels.jsonl")
    results: dict[str, dict[str, Any]] = {}
    for tool in tools:
        dump = corpus / f"{tool}.jsonl"
        with tempfile.TemporaryDirectory() as out:
            findings, report = run_check(dump, Path(out))
        texts = {r["id"]: r.get("text") or "" for r in read_jsonl(dump)}
        mine = [label for label in labels if label["tool"] == tool]
        results[tool] = score_tool(findings, mine, texts, report["outlets"])
        results[tool]["verdict"] = report["gate"]["verdict"]
        results[tool]["fields"] = report.get("fields", {}).get("roles", {})
        results[tool]["targets"] = targets(results[tool])
        if misses:
            for miss in missed_leaks(findings, mine, texts):
                print(f"MISS {tool} {miss['id']} ({miss['split']}): {miss['leak']!r}")
                if miss["line"].strip() != miss["leak"].strip():
                    print(f"     line: {miss['line'][:400]!r}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora/scraper-output"))
    parser.add_argument("--out", type=Path, default=Path("accuracy/scraper_results.json"))
    parser.add_argument(
        "--misses", action="store_true", help="print each 40+ leak no finding covers"
    )
    parser.add_argument("--tool", choices=TOOLS, action="append", help="only this tool")
    args = parser.parse_args(argv)
    results = evaluate(args.corpus, args.tool or TOOLS, misses=args.misses)
    print(table(results))
    counts = Counter(check for scored in results.values() for check in scored["checks"])
    print(f"checks with findings: {', '.join(sorted(counts))}")
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
