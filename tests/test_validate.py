"""validate_chunk: Pandera failures of a chunk's tables as findings."""

from __future__ import annotations

import pandas as pd

from corpus_qa.model import ArticleDraft, ImageDraft
from corpus_qa.tables.build import build_tables, drafts_frame
from corpus_qa.tables.validate import validate_chunk


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    drafts = [
        ArticleDraft(
            record_id=f"a{i}",
            source_path="feed.jsonl",
            line_start=i + 1,
            line_end=i + 1,
            role="record",
            title=f"Title {i}",
            title_line=None,
            body="Body text.",
            body_lines=None,
            outlet="Outlet",
            images=[ImageDraft(alt="A photo", src=f"https://x.test/{i}.jpg", line=i + 1)],
        )
        for i in range(3)
    ]
    return build_tables(drafts_frame(drafts))


def test_a_conforming_chunk_has_no_findings() -> None:
    articles, images = _tables()
    assert validate_chunk(articles, images).empty


def test_an_image_of_no_article_in_the_chunk_is_a_finding() -> None:
    articles, images = _tables()
    images.loc[1, "record_id"] = "elsewhere"
    found = validate_chunk(articles, images)
    assert found["check"].tolist() == ["schema.images.record_id"]
    assert found["evidence"].tolist() == ["elsewhere"]
    assert found["line"].tolist() == [2]
    assert "isin" in found["message"].iloc[0]
