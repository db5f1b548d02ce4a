"""Golden test: the seed aggregator page, parsed and tabled, pinned field by field."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from corpus_qa.parse import parse_page
from corpus_qa.schemas.articles import ArticlesSchema
from corpus_qa.schemas.images import ImagesSchema
from corpus_qa.tables.build import build_tables, drafts_frame

SEED = Path(__file__).resolve().parents[1] / "samples" / "seed-dump" / "000_d1a80b0d19a21746.txt"
PATH = "000_d1a80b0d19a21746.txt"
LOGO = "https://all-logos-bucket.s3.amazonaws.com/koreaherald.com.png"
PHOTO = (
    "https://wimg.heraldcorp.com/news/cms/2025/07/24/"
    "news-p.v1.20250724.3531c2cf50c74e47b90e2c7eec5e6df7_T1.jpg"
)


@pytest.fixture(scope="module")
def page_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tables(page_text: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    parsed = parse_page(page_text, PATH)
    return build_tables(drafts_frame(parsed.articles))


def test_layout_articles_and_chrome(page_text: str) -> None:
    parsed = parse_page(page_text, PATH)
    assert parsed.layout == "aggregator"
    ranges = [(a.line_start, a.line_end) for a in parsed.articles]
    assert ranges == [(2, 9), (18, 22), (23, 29), (30, 35)]
    assert [a.role for a in parsed.articles] == ["main", "related", "related", "related"]
    assert [a.record_id for a in parsed.articles] == [f"{PATH}#{i}" for i in range(4)]
    chrome_lines = {n for span in parsed.chrome for n in range(span.line_start, span.line_end + 1)}
    assert chrome_lines == {11, 12, 13, 14, 15}
    assert {span.kind for span in parsed.chrome} == {"chrome"}
    assert "Try Our AI Features" in parsed.chrome[0].text
    for article in parsed.articles:
        for phrase in ("Try Our AI Features", "No comments yet", "Related Articles"):
            assert phrase not in article.body


def test_main_article(page_text: str, tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    articles, _images = tables
    lines = page_text.split("\n")
    main = articles.iloc[0]
    assert main["title"] == "Lee, Kazakh president hold phone talks, discuss bilateral cooperation"
    assert main["title_line"] == 2
    assert main["body_lines"] == [3, 4, 5, 6, 7, 8, 9]
    assert main["body"] == "\n\n".join(lines[2:9])
    assert main["credit"] == "Yonhap"
    assert pd.isna(main["byline"]) and pd.isna(main["byline_source"])
    assert pd.isna(main["published_raw"]) and pd.isna(main["outlet"])
    assert main["n_images"] == 0
    assert main["role"] == "main"


def test_first_teaser(page_text: str, tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    articles, images = tables
    teaser = articles.iloc[1]
    assert teaser["outlet"] == "Korea Herald"
    assert teaser["published_raw"] == "21 minutes ago"
    assert pd.isna(teaser["published"])
    assert teaser["title_line"] == 21
    assert teaser["title"] == (
        "Lutnick says he could hear 'expletives' out of Korea following trade deal with Japan"
    )
    assert teaser["body_lines"] == [22]
    assert teaser["body"] == page_text.split("\n")[21].rstrip()
    assert "- Korea Herald" not in teaser["body"]
    assert pd.isna(teaser["byline"])
    assert teaser["n_images"] == 0
    assert not (images["record_id"] == f"{PATH}#1").any()


def test_fouser_teaser(tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    articles, images = tables
    teaser = articles.iloc[2]
    assert teaser["title"] == "[Robert J. Fouser] Japan lurches right"
    assert teaser["title_line"] == 28
    assert teaser["byline"] == "Robert J. Fouser"
    assert teaser["byline_source"] == "title_bracket"
    assert pd.isna(teaser["genre"])
    assert teaser["published_raw"] == "4 hours ago"
    assert teaser["body_lines"] == [29]
    assert teaser["body"].endswith("The views expressed here are the writer's own. -- Ed.")
    assert teaser["n_images"] == 2
    own = images[images["record_id"] == f"{PATH}#2"]
    assert own["position"].tolist() == [0, 1]
    assert own["alt"].tolist() == ["[Robert J. Fouser] Japan lurches right"] * 2
    assert own["resolved_src"].tolist() == [PHOTO, LOGO]
    assert own["width"].tolist() == [3840, 48]
    assert own["line"].tolist() == [23, 24]
    assert own["src"].iloc[0].startswith("/_next/image?url=https%3A%2F%2Fwimg.heraldcorp.com")


def test_editorial_teaser(tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    articles, images = tables
    teaser = articles.iloc[3]
    assert teaser["title"] == "[Editorial] Securing a fair deal"
    assert teaser["genre"] == "editorial"
    assert pd.isna(teaser["byline"])
    assert teaser["published_raw"] == "4 hours ago"
    own = images[images["record_id"] == f"{PATH}#3"]
    assert own[["resolved_src", "width", "line", "position"]].values.tolist() == [[LOGO, 48, 30, 0]]


def test_tables_validate_against_schemas(tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    articles, images = tables
    ArticlesSchema.validate(articles, lazy=True)
    ImagesSchema.validate(images, lazy=True)
    assert len(articles) == 4 and len(images) == 3


def test_crlf_copy_parses_identically(page_text: str) -> None:
    plain = parse_page(page_text, PATH)
    crlf = parse_page(page_text.replace("\n", "\r\n"), PATH)
    assert crlf.articles == plain.articles
    assert crlf.chrome == plain.chrome
