"""``make accuracy``: run corpus-qa over a labelled corpus of full pages and score it.

The corpus (``CORPUS``, default ``../shared/corpora/trafilatura-eval``) is read at run
time and never copied. Findings come from the real pipeline (``corpus_qa.run.runner.run``
on the pages folder); the article tables are rebuilt with the same ingest, parser and
table builder the engine uses (the runner keeps findings, not tables).

The HTML pages of the same documents (``html/``) are scored too (``html.dev``,
``html.holdout`` in results.json): the engine renders them to Markdown and reads
their head metadata as evidence, so bylines and dates can differ from the Markdown
pages'. Scored against the same gold, by page id. The same HTML pages are also packed
into one gzipped WARC file (a ``response`` record each, target URI the page's URL) and
scored as ``warc.dev``, ``warc.holdout`` (``--no-warc`` leaves them out).

Pages are split by a hash of their id: ``int(sha1(id)[-1], 16) % 10 < 3`` is the
holdout (about 30%), never looked at while developing.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import hashlib
import json
import re
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from accuracy.score import (
    NOT_LEAKS,
    classify_without,
    gold_is_outlet,
    locate_stripped,
    names_match,
    strip_markup,
)
from corpus_qa.ingest import discover, iter_units
from corpus_qa.ingest.page_files import PageUnit
from corpus_qa.lexicons import phrases
from corpus_qa.parse import parse_unit
from corpus_qa.run.runner import RunOptions, run
from corpus_qa.tables.build import build_tables, drafts_frame

PRESENT = ("verbatim", "after_markup_strip")
#: Pages whose gold we judge wrong after reading the page (id -> why); not tuned to.
#: Only dev pages were read; the holdout is never looked at. The articles-table contract
#: sends the outlet's own name to ``credit``, never to ``byline``; an agency's credit
#: the page prints ("Quelle: dpa/bb") is a byline, and its gold is no error.
SUSPECT_GOLD: dict[str, str] = {
    "1ede6b864c39a9a0": "gold author 'telebasel' is the outlet's own name",
    "359f9a95e4d6a16b": "gold author 'Oekologisch-bauen' is the site's name",
    "513b691b9d159d61": "gold 'she works' is the outlet; the page's author link names "
    "Carolin Schäufele",
    "520e5f88f1ff04dd": "gold author 'przepisy.pl' is the site's domain",
    "5c85bc938c4da7dc": "gold 'hessenschau.de/bb' is a source credit ('Quelle: ...'), "
    "outlet plus initials",
    "5defe5658b300fb0": "gold author 'MEDELLÍN' is the dateline city (a section link)",
    "a5f9668c07c90c40": "gold author 'Deutschlandfunk' is the outlet (a broadcaster)",
    "3eafb6073473f635": "gold 'SWR Fernsehen' is the broadcaster's channel, shown as the "
    "programme's source beside its date; no person is credited",
    "be56667488b8589f": "gold author 'Fluessiggas.de' is the site's domain",
    "e525bb67bcfaa663": "gold author 'SolarServer' is the site's name",
    "61ffbeced4daaa10": "gold author 'Daheim Solar' is the site's name (its domain)",
    "d5ed7e1ecf1e4cc7": "gold author 'Greenpeace' is the site's name (its domain)",
    "e3dda16d366f5de9": "gold author 'nwx' is the site's name (its host)",
    "b6a0e75e80ff6a5d": "gold author 'Staff Writer' is a role; issue 7 rejects 'Staff'",
    "b65cbb6b16d65122": "gold 'FR mit dpa' is the outlet plus an agency (a credit); the page "
    "shows no such byline line, only photo credits",
    "807bdfa0ffc04c58": "gold names a person quoted in the article (with his job title); "
    "the page credits the outlet's desk",
    "99bcb816659e5877": "gold 'r23' is the forum user who posted an essay the post "
    "itself credits to another author ('von ...')",
}


def split_folder(folder: Path, files: Iterable[str], into: Path) -> Path:
    """A folder of symlinks to ``files`` of ``folder`` (one split's pages), so that one
    split is parsed and run alone; the corpus is never copied."""
    into.mkdir(parents=True)
    for name in files:
        if (folder / name).is_file():
            (into / name).symlink_to((folder / name).resolve())
    return into


def split_of(page_id: str) -> str:
    return "holdout" if int(hashlib.sha1(page_id.encode()).hexdigest()[-1], 16) % 10 < 3 else "dev"


def load_gold(corpus: Path) -> list[dict[str, Any]]:
    with (corpus / "gold.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


#: How a row or finding is named for scoring: ``(source_path, record_id) -> page file``.
Key = Callable[[str, str], "str | None"]


def _file_key(source_path: str, record_id: str) -> str:
    """A page file's row, named by the Markdown page's file name as gold.jsonl names it."""
    return Path(source_path).stem + ".md"


def page_tables(pages: Path, key: Key = _file_key) -> pd.DataFrame:
    """Main article per page: the same ingest, parser and tables as the engine."""
    drafts = []
    for unit in iter_units(discover(str(pages))):
        if isinstance(unit, PageUnit):
            drafts.extend(parse_unit(unit).articles)
    articles, _images = build_tables(drafts_frame(drafts))
    main = articles[articles["role"] == "main"]
    keys = pd.Series(
        [key(str(s), str(r)) for s, r in zip(main["source_path"], main["record_id"], strict=True)],
        index=main.index,
        dtype="object",
    )
    return main.assign(page_key=keys).drop_duplicates("page_key").set_index("page_key")


#: Boilerplate finding spans on a page's body: ``page file -> [(record_id, start, end)]``.
Spans = dict[str, list[tuple[str, int, int]]]


def page_findings(pages: Path, key: Key = _file_key) -> tuple[dict[str, set[str]], Spans]:
    """From one real run: pages with a ``byline.missing`` and with a ``date.missing``
    finding, and each page's ``boilerplate.*`` spans on a body."""
    flagged: dict[str, set[str]] = {
        "byline.missing": set(),
        "byline.unconfirmed": set(),
        "date.missing": set(),
    }
    spans: Spans = {}
    with tempfile.TemporaryDirectory() as out:
        result = run(RunOptions(dump=str(pages), out_dir=Path(out), samples=0))
        with result.findings_path.open(encoding="utf-8") as handle:
            for line in handle:
                finding = json.loads(line)
                name = key(finding["source_path"], finding.get("record_id") or "")
                if name is None:
                    continue
                if finding["check"] in flagged:
                    flagged[finding["check"]].add(name)
                elif (
                    finding["check"].startswith("boilerplate.")
                    and finding.get("field") == "body"
                    and finding.get("start") is not None
                ):
                    span = (str(finding.get("record_id")), finding["start"], finding["end"])
                    spans.setdefault(name, []).append(span)
    return flagged, spans


def pack_warc(html: Path, gold: list[dict[str, Any]], path: Path) -> Key:
    """Write every HTML page into one gzipped WARC file (a ``response`` record each,
    with the page's URL as target, as a crawler stores it); the key names a record's
    rows by the page file its byte offset holds."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    pages: dict[int, str] = {}
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for page in sorted(gold, key=lambda p: p["id"]):
            source = html / f"{page['id']}.html"
            if not source.is_file():
                continue
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
            )
            with source.open("rb") as payload:
                record = writer.create_warc_record(
                    page["url"], "response", payload=payload, http_headers=headers
                )
                pages[handle.tell()] = page["file"]
                writer.write_record(record)

    def key(source_path: str, record_id: str) -> str | None:
        _, _, rest = record_id.rpartition("@")
        offset = rest.partition("#")[0]
        return pages.get(int(offset)) if offset.isdigit() else None

    return key


@functools.cache
def _month_names() -> dict[int, tuple[str, ...]]:
    return {m: phrases(f"date_months.m{m:02d}") for m in range(1, 13)}


#: What a reader of a Markdown page never sees: a link's or an image's target (with
#: its title) and a bare address ("uploads/2022-02-08-photo.jpg", "?date=2023-10-31").
_INVISIBLE = re.compile(r"\]\([^)]*\)|<?\b(?:https?|mailto|whatsapp):[^\s>]*>?")


def visible_text(markdown: str) -> str:
    """``markdown`` without what a reader never sees (:data:`_INVISIBLE`)."""
    return _INVISIBLE.sub("]", markdown)


def date_visible(text: str, day: str) -> bool:
    """Whether ``text`` shows the calendar ``day`` (``YYYY-MM-DD``) in a common written
    form: ISO, day-month-year with ``.``, ``/`` or ``-`` (zero-padded or not, also
    month first), or with a month name of any lexicon language ("1. Januar 2023",
    "3 mai 2022", "May 3, 2022", "Jan. 5 2023"). Only the text a reader sees counts:
    link and image targets and bare addresses are left out (:func:`visible_text`).
    The harness's own plain detector of a visible publication date: deliberately not
    the parser's code."""
    text = visible_text(text)
    try:
        when = datetime.date.fromisoformat(day)
    except ValueError:
        return False  # a gold date that is no calendar day ("2022-25-10")
    year, month, dom = when.year, when.month, when.day
    d, m = rf"0?{dom}", rf"0?{month}"
    numeric = [
        rf"(?<!\d){year}-{month:02d}-{dom:02d}(?!\d)",
        rf"(?<!\d){d}\s*([./-])\s*{m}\s*\1\s*{year}(?!\d)",
        rf"(?<!\d){m}/{d}/{year}(?!\d)",
    ]
    if any(re.search(p, text) for p in numeric):
        return True
    names = "|".join(re.escape(n.rstrip(".")) for n in _month_names()[month])
    written = (
        rf"(?<![\w]){d}(?:\.|er|st|nd|rd|th|º)?\s+(?:de\s+)?(?:{names})\.?,?\s+(?:de\s+)?{year}(?!\d)",
        rf"(?<![\w])(?:{names})\.?\s+{d}(?:st|nd|rd|th)?,?\s+{year}(?!\d)",
    )
    return any(re.search(p, text, re.IGNORECASE) for p in written)


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def score(
    gold: Iterable[dict[str, Any]],
    main: pd.DataFrame,
    flagged: set[str],
    pages_dir: Path | None = None,
    date_flagged: set[str] | None = None,
    boilerplate: Spans | None = None,
    unconfirmed: set[str] | None = None,
) -> dict[str, Any]:
    """Figures for one split; ``pages_dir`` (the Markdown pages) lets the boilerplate
    scoring tell a duplicated passage from a leak (see :func:`classify_without`) and
    :func:`date_visible` find the pages that show their date, against which
    ``date_flagged`` (pages with a ``date.missing`` finding) is scored.
    ``boilerplate`` (each page's boilerplate finding spans) is scored against the gold
    segments found in the main article's body: article segments a span touches
    (must be none), leaks a span touches. ``unconfirmed`` (pages with a
    ``byline.unconfirmed`` finding) is counted on pages with and without a gold author."""
    pages = byl_eligible = byl_found = byl_match = byl_wrong_found = 0
    miss_fp = miss_flag_total = empty_pages = empty_flagged = empty_byline = 0
    unconf_total = unconf_gold = unconf_empty = 0
    with_total = with_in = without_total = without_in = without_substring = 0
    not_leaks = {kind: 0 for kind in NOT_LEAKS if kind != "absent"}
    trusted = trusted_ok = 0
    outlet_pages = byl_match_credit = 0
    dated = date_found = date_on_day = 0
    visible = visible_flagged = 0
    with_located = with_touched = leaks_located = leaks_touched = 0
    touched_segments: list[dict[str, Any]] = []
    date_sources: dict[str, list[int]] = {}
    byline_misses: list[dict[str, Any]] = []
    segment_misses: list[dict[str, Any]] = []
    for page in gold:
        pages += 1
        path = page["file"]
        row = main.loc[path] if path in main.index else None
        byline = None if row is None or pd.isna(row["byline"]) else str(row["byline"])
        title = "" if row is None or pd.isna(row["title"]) else str(row["title"])
        body = "" if row is None else str(row["body"])
        found_spans = [
            (start, end)
            for record, start, end in (boilerplate or {}).get(path, [])
            if row is not None and record == str(row["record_id"])
        ]
        text = strip_markup(title + "\n" + body)
        is_flagged = path in flagged
        is_unconfirmed = unconfirmed is not None and path in unconfirmed
        unconf_total += is_unconfirmed
        shown = page.get("date") and pages_dir is not None and (pages_dir / path).is_file()
        if shown and date_visible((pages_dir / path).read_text(encoding="utf-8"), page["date"]):
            visible += 1
            visible_flagged += date_flagged is not None and path in date_flagged
        if page.get("date"):
            dated += 1
            day = _day(row)
            date_found += day is not None
            date_on_day += day == page["date"]
            if row is not None and day is not None:
                tally = date_sources.setdefault(str(row["published_source"]), [0, 0])
                tally[0] += 1
                tally[1] += day == page["date"]
        miss_flag_total += is_flagged
        derived = page["derived"]
        if page["author_status"] == "gold" and derived["author_in_md"] in PRESENT:
            byl_eligible += 1
            byl_found += byline is not None
            ok = names_match(byline, page["author"], page["domain"])
            byl_match += ok
            # Scored the contract's way too: the outlet's own name belongs in credit.
            outlet_gold = isinstance(page["author"], str) and gold_is_outlet(
                page["author"], page["domain"]
            )
            outlet_pages += outlet_gold
            credit = None if row is None or pd.isna(row["credit"]) else str(row["credit"])
            as_credit = outlet_gold and names_match(
                byline or credit, page["author"], page["domain"]
            )
            byl_match_credit += ok or as_credit
            byl_wrong_found += byline is not None and not ok
            miss_fp += is_flagged
            unconf_gold += is_unconfirmed
            if page["id"] not in SUSPECT_GOLD:
                trusted += 1
                trusted_ok += ok
            if not ok:
                byline_misses.append(
                    {
                        "id": page["id"],
                        "gold": page["author"],
                        "got": byline,
                        "unconfirmed": is_unconfirmed,
                    }
                )
        elif page["author_status"] == "annotated_empty":
            empty_pages += 1
            empty_flagged += is_flagged
            empty_byline += byline is not None
            unconf_empty += is_unconfirmed
        # Misses name the segment by its index in gold.jsonl: results.json is
        # committed, and the corpus's text must not be copied into the repository.
        for k, (seg, where) in enumerate(zip(page["with"], derived["with_in_md"], strict=True)):
            if where in PRESENT:
                with_total += 1
                found = strip_markup(seg) in text
                with_in += found
                if not found:
                    segment_misses.append({"id": page["id"], "kind": "with", "index": k})
                at = locate_stripped(seg, body) if found else None
                if at is not None:
                    with_located += 1
                    if _touches(at, found_spans):
                        with_touched += 1
                        touched_segments.append({"id": page["id"], "kind": "with", "index": k})
        paragraphs = [title, *body.split("\n\n")]
        page_text = "\n".join(paragraphs)
        if pages_dir is not None and (pages_dir / path).is_file():
            page_text = (pages_dir / path).read_text(encoding="utf-8")
        pairs = zip(page["without"], derived["without_in_md"], strict=True)
        for k, (seg, where) in enumerate(pairs):
            if where != "not_in_html":
                without_total += 1
                outcome = classify_without(seg, paragraphs, page_text)
                without_substring += outcome != "absent"
                without_in += outcome == "leak"
                at = locate_stripped(seg, body) if outcome == "leak" else None
                if at is not None:
                    leaks_located += 1
                    leaks_touched += _touches(at, found_spans)
                if outcome in not_leaks:
                    not_leaks[outcome] += 1
                if outcome != "absent":
                    segment_misses.append(
                        {"id": page["id"], "kind": "without", "index": k, "outcome": outcome}
                    )
    return {
        "pages": pages,
        "byline": {
            "eligible": byl_eligible,
            "found": byl_found,
            "matching": byl_match,
            "precision": _ratio(byl_match, byl_found),
            "recall": _ratio(byl_match, byl_eligible),
            "wrong_when_found": byl_wrong_found,
            "recall_without_suspect_gold": _ratio(trusted_ok, trusted),
            "gold_is_outlet": outlet_pages,
            "matching_outlet_as_credit": byl_match_credit,
            "recall_outlet_as_credit": _ratio(byl_match_credit, byl_eligible),
        },
        "byline.missing": {
            "flagged": miss_flag_total,
            "false_positives": miss_fp,
            "false_positive_rate": _ratio(miss_fp, byl_eligible),
            "precision": _ratio(miss_flag_total - miss_fp, miss_flag_total),
            "annotated_empty_pages": empty_pages,
            "annotated_empty_flagged": empty_flagged,
            "annotated_empty_with_byline": empty_byline,
        },
        "byline.unconfirmed": {
            "flagged": unconf_total,
            "gold_author_pages": unconf_gold,
            "annotated_empty_pages": unconf_empty,
        },
        "published": {
            "gold_dates": dated,
            "found": date_found,
            "on_gold_day": date_on_day,
            "rate": _ratio(date_on_day, dated),
            "by_source": {k: {"found": v[0], "on_gold_day": v[1]} for k, v in date_sources.items()},
        },
        "date.missing": {
            "pages_showing_gold_date": visible,
            "flagged_though_shown": visible_flagged,
            "false_positive_rate": _ratio(visible_flagged, visible),
        },
        "body.with": {
            "segments": with_total,
            "in_body": with_in,
            "recall": _ratio(with_in, with_total),
        },
        "body.without": {
            "segments": without_total,
            "in_body": without_in,
            "leak_rate": _ratio(without_in, without_total),
            "in_body_as_substring": without_substring,
            "substring_leak_rate": _ratio(without_substring, without_total),
            "not_leaks": not_leaks,
            "precision_of_chrome_cut": _ratio(
                without_total - without_in,
                (without_total - without_in) + (with_total - with_in),
            ),
        },
        "boilerplate": {
            "article_segments": with_located,
            "article_segments_touched": with_touched,
            "article_touched_share": _ratio(with_touched, with_located),
            "leaks": leaks_located,
            "leaks_touched": leaks_touched,
            "touched_article_segments": touched_segments,
        },
        "byline_misses": byline_misses,
        "segment_misses": segment_misses,
    }


def _touches(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def _day(row: pd.Series | None) -> str | None:
    """The calendar day a page gives: the date as written where it is ISO 8601 (a
    timestamp's own offset, not UTC), else the parsed date."""
    if row is None or pd.isna(row["published"]):
        return None
    raw = str(row["published_raw"])
    if len(raw) >= 10 and raw[4] == "-" and raw[7] == "-" and raw[:4].isdigit():
        return raw[:10]
    return str(row["published"].date())


def _print(name: str, result: dict[str, Any]) -> None:
    b, m = result["byline"], result["byline.missing"]
    w, wo = result["body.with"], result["body.without"]
    print(f"== {name}: {result['pages']} pages")
    print(
        f"  byline            matching {b['matching']}/{b['eligible']} (recall {b['recall']}),"
        f" found {b['found']}, precision {b['precision']};"
        f" recall without suspect gold {b['recall_without_suspect_gold']}"
    )
    print(
        f"  byline or credit  matching {b['matching_outlet_as_credit']}/{b['eligible']}"
        f" (recall {b['recall_outlet_as_credit']}) where the gold spells the outlet"
        f" ({b['gold_is_outlet']} pages) and the credit names it"
    )
    print(
        f"  byline.missing    false positives {m['false_positives']}/{b['eligible']}"
        f" (rate {m['false_positive_rate']}), flagged {m['flagged']}, precision {m['precision']};"
        f" annotated-empty pages flagged {m['annotated_empty_flagged']}/{m['annotated_empty_pages']}"
    )
    u = result["byline.unconfirmed"]
    print(
        f"  byline.unconfirmed flagged {u['flagged']}: on {u['gold_author_pages']}/{b['eligible']}"
        f" pages with a gold author, {u['annotated_empty_pages']}/{m['annotated_empty_pages']}"
        " annotated-empty pages"
    )
    d = result["published"]
    print(
        f"  published         on the gold day {d['on_gold_day']}/{d['gold_dates']}"
        f" (rate {d['rate']}), found {d['found']}"
    )
    dm = result["date.missing"]
    print(
        f"  date.missing      false positives {dm['flagged_though_shown']}"
        f"/{dm['pages_showing_gold_date']} pages showing their gold date"
        f" (rate {dm['false_positive_rate']})"
    )
    print(f"  body  with        {w['in_body']}/{w['segments']} in body (recall {w['recall']})")
    print(
        f"  body  without     {wo['in_body']}/{wo['segments']} in body (leak {wo['leak_rate']}),"
        f" chrome-cut precision {wo['precision_of_chrome_cut']}"
    )
    artefacts = ", ".join(f"{kind} {n}" for kind, n in wo["not_leaks"].items())
    print(
        f"                    as plain substrings {wo['in_body_as_substring']}/{wo['segments']}"
        f" (leak {wo['substring_leak_rate']}); not leaks: {artefacts}"
    )
    bp = result["boilerplate"]
    print(
        f"  boilerplate.*     article segments touched {bp['article_segments_touched']}"
        f"/{bp['article_segments']}, leaks touched {bp['leaks_touched']}/{bp['leaks']}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora/trafilatura-eval"))
    parser.add_argument("--out", type=Path, default=Path("accuracy/results.json"))
    parser.add_argument("--split", choices=("dev", "holdout", "both"), default="both")
    parser.add_argument(
        "--no-html",
        dest="html",
        action="store_false",
        help="score only the Markdown pages, not the HTML pages (html/) as well",
    )
    parser.add_argument(
        "--no-warc",
        dest="warc",
        action="store_false",
        help="do not score the HTML pages packed into one WARC file",
    )
    parser.add_argument(
        "--modes",
        default="md,html,warc",
        help="comma-separated modes to score: md (Markdown pages), html, warc",
    )
    args = parser.parse_args(argv)
    modes = {m.strip() for m in args.modes.split(",") if m.strip()}
    if not args.html:
        modes -= {"html", "warc"}
    if not args.warc:
        modes.discard("warc")
    pages = args.corpus / "pages"
    if not pages.is_dir():
        print(f"corpus not found: {pages}", file=sys.stderr)
        return 2
    gold = load_gold(args.corpus)
    results: dict[str, Any] = {"corpus": str(args.corpus), "suspect_gold": SUSPECT_GOLD}
    splits = ("dev", "holdout") if args.split == "both" else (args.split,)
    chosen = [page for page in gold if split_of(page["id"]) in splits]
    html = args.corpus / "html"
    with tempfile.TemporaryDirectory() as scratch:
        md_in, html_in = pages, html
        if args.split != "both":  # parse and run only the split's pages
            md_in = split_folder(pages, [p["file"] for p in chosen], Path(scratch) / "md")
            ids = [f"{p['id']}.html" for p in chosen]
            html_in = split_folder(html, ids, Path(scratch) / "html") if html.is_dir() else html
        inputs: list[tuple[str, Path, Key]] = [("", md_in, _file_key)] if "md" in modes else []
        if html.is_dir():
            if "html" in modes:
                inputs.append(("html.", html_in, _file_key))
            if "warc" in modes:
                warc = Path(scratch) / "trafilatura-eval.warc.gz"
                inputs.append(("warc.", warc, pack_warc(html, chosen, warc)))
        for prefix, folder, key in inputs:
            main_rows = page_tables(folder, key)
            flags, spans = page_findings(folder, key)
            for name in splits:
                subset = [page for page in gold if split_of(page["id"]) == name]
                results[prefix + name] = score(
                    subset,
                    main_rows,
                    flags["byline.missing"],
                    pages,
                    flags["date.missing"],
                    spans,
                    flags["byline.unconfirmed"],
                )
                _print(prefix + name, results[prefix + name])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
