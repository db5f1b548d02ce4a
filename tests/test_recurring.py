"""boilerplate.recurring: paragraphs repeated across one outlet's articles."""

from __future__ import annotations

import pandas as pd

from corpus_qa.checks.recurring import BoilerplateRecurring
from corpus_qa.model import ArticleDraft
from corpus_qa.tables import build_tables, drafts_frame

PROMO = "Unterstützen Sie unabhängigen Journalismus mit einem Abo."


def _draft(i: int, outlet: str, promo: bool) -> ArticleDraft:
    paragraphs = [f"Article {i} reports something different from every other article here."]
    if promo:
        paragraphs.append(PROMO)
    return ArticleDraft(
        record_id=f"p{i}.md#0",
        source_path=f"p{i}.md",
        line_start=1,
        line_end=5,
        role="main",
        title=f"Title {i}",
        title_line=1,
        body="\n\n".join(paragraphs),
        body_lines=[3, 5][: len(paragraphs)],
        outlet=outlet,
    )


def _findings(drafts: list[ArticleDraft], **options: int) -> pd.DataFrame:
    check = BoilerplateRecurring(options)
    articles, images = build_tables(drafts_frame(drafts))
    half = len(articles) // 2  # two chunks: the state must merge across them
    states = [
        check.observe(articles.iloc[:half].reset_index(drop=True), images),
        check.observe(articles.iloc[half:].reset_index(drop=True), images),
    ]
    return check.finalize(pd.concat(states, ignore_index=True))


def test_recurring_paragraph_of_one_outlet_is_flagged_with_its_span() -> None:
    drafts = [_draft(i, "Nord Kurier", True) for i in range(5)]
    drafts += [_draft(i + 10, "Other Daily", i < 4) for i in range(6)]
    found = _findings(drafts, min_pages=5)
    assert sorted(found["record_id"]) == [f"p{i}.md#0" for i in range(5)]
    assert set(found["line"]) == {5}
    body = drafts[0].body
    row = found.iloc[0]
    assert body[row["start"] : row["end"]] == row["evidence"] == PROMO


def test_below_threshold_or_short_is_not_flagged() -> None:
    drafts = [_draft(i, "Nord Kurier", True) for i in range(4)]
    assert _findings(drafts, min_pages=5).empty
    assert _findings(drafts, min_pages=4, min_chars=200).empty
