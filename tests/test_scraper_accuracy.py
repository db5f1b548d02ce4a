"""The scraper-output accuracy harness scores findings against labels as documented."""

from __future__ import annotations

from typing import Any

from accuracy.scraper_output import (
    missed_leaks,
    score_tool,
    table,
    targets,
    to_text_span,
    tool_offsets,
)


def _label(i: str, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "tool": "trafilatura",
        "id": i,
        "url": f"https://www.site-{i}.de/a",
        "author_status": "gold",
        "author_result": "matches",
        "author_overlaps_gold": False,
        "gold_author": "Anna Weber",
        "tool_authors": ["Anna Weber"],
        "date_result": "same_day",
        "n_with": 1,
        "n_misses": 0,
        "leaks": [],
        "with_found": [],
    }
    return base | fields


def _finding(
    check: str,
    record: str,
    start: int | None = None,
    end: int | None = None,
    evidence: str | None = None,
) -> Any:
    field = "body" if start is not None else "byline"
    return {
        "check": check,
        "record_id": record,
        "field": field,
        "start": start,
        "end": end,
        "evidence": evidence,
    }


# Record "b": the tool's text has single-newline paragraphs, stored with blank lines.
TEXT_B = (
    "Erster Absatz über den Stadtrat.\nNewsletter abonnieren und nichts verpassen, jetzt!\nEnde."
)
LEAK = "Newsletter abonnieren und nichts verpassen, jetzt!"
LEAK_AT = TEXT_B.index(LEAK)
LABELS = [
    _label("a", author_result="lost"),
    _label(
        "b",
        author_result="lost",
        leaks=[{"chars": len(LEAK), "spans": [[LEAK_AT, LEAK_AT + len(LEAK)]]}],
        with_found=[{"i": 0, "spans": [[0, 32]]}],
    ),
    # "c": a domain beside the right name (junk); "d": the gold name in another
    # spelling, flagged wrongly; "f": a handle the check misses.
    _label(
        "c",
        author_result="wrong",
        author_overlaps_gold=True,
        tool_authors=["Anna Weber", "www.facebook.com"],
        date_result="wrong_day",
    ),
    _label("d", author_result="wrong", tool_authors=["ANNA WEBER"], date_result="missing"),
    _label("f", author_result="wrong", tool_authors=["@stadt_news"], date_result="same_day"),
    _label("e", author_status="annotated_empty", author_result=None, n_misses=1, n_with=1),
]
FINDINGS = [
    _finding("byline.missing", "a"),
    _finding("byline.missing", "e"),
    _finding("byline.junk", "c", evidence="www.facebook.com"),
    _finding("byline.junk", "d", evidence="ANNA WEBER"),
    _finding("date.implausible", "c"),
    _finding("date.implausible", "a"),
    _finding("body.short", "e"),
    _finding("body.short", "a"),
    # The leak's span in the stored body: one newline before it became two.
    _finding("boilerplate.leak", "b", LEAK_AT + 1, LEAK_AT + 1 + len(LEAK)),
]


def test_scores_follow_the_labels() -> None:
    texts = {"b": TEXT_B}
    scored = score_tool(FINDINGS, LABELS, texts, {"Stadtanzeiger": 3, "site-e.de": 2})
    checks = scored["checks"]
    missing = checks["byline.missing"]
    assert (missing["precision"], missing["recall"]) == (1.0, 0.5)
    assert missing["on_annotated_empty"] == 1 and missing["on_matches"] == 0
    junk = checks["byline.junk"]
    # Precision: "c" flags a non-gold token, "d" flags the gold name. Recall: of the
    # bylines holding a non-name token ("c", "f"), "c" is flagged.
    assert (junk["precision"], junk["recall"]) == (0.5, 0.5)
    date = checks["date.implausible"]
    assert (date["on_same_day"], date["on_wrong_day"], date["on_missing"]) == (1, 1, 0)
    assert checks["body.short"]["on_complete_text"] == 1
    assert checks["body.short"]["on_some_miss"] == 1
    bp = scored["boilerplate"]
    assert (bp["long_leaks"], bp["long_leaks_covered"]) == (1, 1)
    assert (bp["article_segments"], bp["article_segments_touched"]) == (1, 0)
    # Per split, the pages of each add up to the whole.
    parts = bp["splits"].values()
    assert sum(part["long_leaks"] for part in parts) == bp["long_leaks"]
    assert sum(part["article_segments"] for part in parts) == bp["article_segments"]
    assert scored["outlets"] == {"distinct": 2, "sites": 6, "urls_as_outlets": 0}
    # Checks that raised nothing are absent, not zero.
    assert "page.blocked" not in checks
    missed = {(t["check"], t["key"]) for t in targets(scored) if not t["ok"]}
    assert missed == {
        ("byline.missing", "recall"),
        ("byline.junk", "precision"),
        ("byline.junk", "recall"),
        ("date.implausible", "on_same_day"),
        ("body.short", "on_complete_text"),
    }
    scored["targets"] = targets(scored)
    assert "byline.junk" in table({"trafilatura": scored})


def test_spans_map_back_to_the_tools_text() -> None:
    offsets = tool_offsets(TEXT_B)
    body = TEXT_B.replace("\n", "\n\n")
    start = body.index(LEAK)
    assert to_text_span(start, start + len(LEAK), offsets) == (LEAK_AT, LEAK_AT + len(LEAK))
    assert tool_offsets("Eins.\n\nZwei.\nDrei.") is None


def test_missed_leaks_are_the_long_leaks_no_boilerplate_span_covers() -> None:
    leak = {"text": LEAK, "chars": len(LEAK), "spans": [[LEAK_AT, LEAK_AT + len(LEAK)]]}
    labels = [_label("b", leaks=[leak]), _label("g", leaks=[leak])]
    texts = {"b": TEXT_B, "g": TEXT_B}
    findings = [
        _finding("boilerplate.leak", "b", LEAK_AT + 1, LEAK_AT + 1 + len(LEAK)),
        # Another check's span on "g" does not cover its leak.
        _finding("text.flattened", "g", LEAK_AT + 1, LEAK_AT + 1 + len(LEAK)),
    ]
    missed = missed_leaks(findings, labels, texts)
    assert [(m["id"], m["leak"], m["line"]) for m in missed] == [("g", LEAK, LEAK)]
