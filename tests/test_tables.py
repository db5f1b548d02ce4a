"""drafts_frame / build_tables: dtypes, schema, images, record-dump frames, vectorization."""

from __future__ import annotations

from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.model import (
    ARTICLE_COLUMNS,
    BYLINE_EVIDENCE_COLUMNS,
    DRAFT_COLUMNS,
    IMAGE_COLUMNS,
    ArticleDraft,
    ImageDraft,
)
from corpus_qa.parse.image_tags import (
    CDN_CGI_PATTERN,
    NEXT_IMAGE_PATTERN,
    QUERY_WIDTH_PATTERN,
    resolve_src,
)
from corpus_qa.schemas.articles import ArticlesSchema
from corpus_qa.schemas.images import ImagesSchema
from corpus_qa.tables.build import (
    _resolve_proxied,
    build_tables,
    drafts_frame,
    resolve_sources,
)
from tests.conftest import examples

ARTICLE_DTYPES = {
    "record_id": "str", "source_path": "str", "line_start": "int64", "line_end": "int64",
    "role": "str", "outlet": "str", "url": "str", "title": "str", "title_line": "Int64",
    "body": "str", "body_lines": "object", "byline": "str", "byline_source": "str",
    "credit": "str", "genre": "str", "published_raw": "str",
    "published": "datetime64[us, UTC]", "published_source": "str", "n_images": "int64",
    "byline_evidence": "str", "byline_evidence_source": "str", "byline_evidence_line": "Int64",
}  # fmt: skip
IMAGE_DTYPES = {
    "record_id": "str", "position": "int64", "alt": "str", "src": "str",
    "resolved_src": "str", "width": "Int64", "line": "Int64",
}  # fmt: skip


def record_frame(n: int) -> pd.DataFrame:
    """A frame shaped like a record-dump reader's output (role "record", no body_lines)."""
    return pd.DataFrame(
        {
            "record_id": [f"feed.jsonl#{i}" for i in range(n)],
            "source_path": "feed.jsonl",
            "line_start": range(1, n + 1),
            "line_end": range(1, n + 1),
            "role": "record",
            "outlet": ["Harbor Times", None] * (n // 2),
            "url": [f"https://harbortimes.example/{i}" for i in range(n)],
            "title": ["[Editorial] Fix the port", "Clinic closure sparks protest"] * (n // 2),
            "title_line": None,
            "body": ["Text.\n\nMore text. (AP)", "By Ana Souza\n\nResidents gathered."] * (n // 2),
            "body_lines": None,
            "byline": ["Jonas Weber", None] * (n // 2),
            "byline_source": ["field", None] * (n // 2),
            "published_raw": ["2024-08-08T10:30:00Z", "3 days ago"] * (n // 2),
            "images": [
                [{"alt": "Port", "src": "/cdn-cgi/image/width=640/https://a.example/p.jpg"}],
                [],
            ]
            * (n // 2),
        }
    )


def test_drafts_frame_columns_and_empty() -> None:
    frame = drafts_frame([])
    # A page's drafts carry the byline evidence columns too (a record's frame does not).
    assert tuple(frame.columns) == (*DRAFT_COLUMNS, *BYLINE_EVIDENCE_COLUMNS)
    articles, images = build_tables(frame)
    assert tuple(articles.columns) == ARTICLE_COLUMNS and tuple(images.columns) == IMAGE_COLUMNS
    assert {c: str(t) for c, t in articles.dtypes.items()} == ARTICLE_DTYPES
    assert {c: str(t) for c, t in images.dtypes.items()} == IMAGE_DTYPES
    ArticlesSchema.validate(articles, lazy=True)
    ImagesSchema.validate(images, lazy=True)


def test_the_models_columns_are_the_schemas_in_their_order() -> None:
    assert tuple(ArticlesSchema.to_schema().columns) == ARTICLE_COLUMNS
    assert tuple(ImagesSchema.to_schema().columns) == IMAGE_COLUMNS


def test_page_drafts_to_tables() -> None:
    drafts = [
        ArticleDraft(
            "p.md#0", "p.md", 1, 6, "main", "Harbor expansion", 1,
            "By Jane Doe\n\nThe port grew.", [2, 4],
            images=[ImageDraft("Cranes", "https://a.example/c.jpg?w=1200", 3),
                    ImageDraft("Cranes", "https://a.example/c.jpg?w=1200", 5)],
            published_raw="Aug 08, 2024",
        ),
        ArticleDraft("p.md#1", "p.md", 8, 9, "related", None, None, "", []),
    ]  # fmt: skip
    articles, images = build_tables(drafts_frame(drafts))
    ArticlesSchema.validate(articles, lazy=True)
    ImagesSchema.validate(images, lazy=True)
    assert articles["n_images"].tolist() == [2, 0]
    assert articles["body_lines"].tolist() == [[2, 4], []]
    assert articles.loc[0, "byline"] == "Jane Doe" and articles.loc[0, "byline_source"] == "by_line"
    assert articles["title"].isna().tolist() == [False, True]
    assert articles.loc[1, "body"] == ""
    assert images["position"].tolist() == [0, 1] and images["line"].tolist() == [3, 5]
    assert images["width"].tolist() == [1200, 1200]


def test_record_frames() -> None:
    articles, images = build_tables(
        record_frame(400), reference_time=pd.Timestamp("2025-07-25", tz="UTC")
    )
    ArticlesSchema.validate(articles, lazy=True)
    ImagesSchema.validate(images, lazy=True)
    assert {c: str(t) for c, t in articles.dtypes.items()} == ARTICLE_DTYPES
    assert articles["body_lines"].isna().all()
    assert articles["byline"].iloc[:2].tolist() == ["Jonas Weber", "Ana Souza"]
    assert articles["byline_source"].iloc[:2].tolist() == ["field", "by_line"]
    assert articles["credit"].iloc[0] == "AP" and articles["genre"].iloc[0] == "editorial"
    assert str(articles["published"].iloc[1]) == "2025-07-22 00:00:00+00:00"
    assert len(images) == 200 and images["line"].isna().all()
    assert images["resolved_src"].iloc[0] == "https://a.example/p.jpg"
    assert images["width"].iloc[0] == 640


def test_non_default_index_and_missing_image_lists() -> None:
    frame = record_frame(4)
    frame.index = [10, 20, 30, 40]
    images_column: list[object] = [None, [], [{"alt": "x", "src": "a.png", "line": 3}], None]
    images_column[3] = float("nan")
    frame["images"] = pd.Series(images_column, index=frame.index, dtype=object)
    articles, images = build_tables(frame)
    assert articles["n_images"].tolist() == [0, 0, 1, 0]
    assert images["record_id"].tolist() == ["feed.jsonl#2"]


def test_a_large_chunk_builds_one_article_per_record_in_order() -> None:
    # How fast a chunk builds is `make bench`'s to measure; this checks a chunk of that
    # size comes out whole and in record order.
    frame = record_frame(20_000)
    articles, images = build_tables(frame)
    assert articles["record_id"].tolist() == frame["record_id"].tolist()
    assert articles["n_images"].tolist() == [1, 0] * 10_000
    assert len(images) == 10_000


_src = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda host, path, w: f"{host}/_next/image?url={path}&w={w}&q=75",
        st.sampled_from(["", "https://site.example"]),
        st.text(alphabet="abc%2F3A._-", max_size=30),
        st.integers(0, 5000),
    ),
    st.builds(
        lambda host, opts, inner: f"{host}/cdn-cgi/image/{opts}/{inner}",
        st.sampled_from(["", "https://h.example"]),
        st.sampled_from(["width=800,quality=75", "format=auto", "w=48", "fit=cover,width=0"]),
        st.sampled_from(["https://a.example/p.jpg", "uploads/p.jpg", "x"]),
    ),
    # Plain sources with a query width (or its look-alikes), beside the proxies.
    st.builds(
        lambda sep, key, w, tail: f"https://i.example/p.jpg{sep}{key}={w}{tail}",
        st.sampled_from(["?", "&", "?q=1&", "/"]),
        st.sampled_from(["w", "width", "h"]),
        st.sampled_from(["640", "0", "12345678901", "x"]),
        st.sampled_from(["", "&q=75", "#top", "x"]),
    ),
)


# Each example builds a whole frame (~25 ms); the 2,000-example CI budget is for the
# byte-level reader and parser properties (tests/test_hostile_properties.py).
@settings(max_examples=examples(300))
@given(st.lists(_src, max_size=25))
def test_vectorized_resolution_matches_scalar_reference(sources: list[str]) -> None:
    resolved, width = resolve_sources(pd.Series(sources, dtype="str"))
    expected = [resolve_src(s) for s in sources]
    assert resolved.tolist() == [r for r, _ in expected]
    assert [None if pd.isna(w) else int(w) for w in width] == [w for _, w in expected]


@settings(max_examples=examples(300))
@given(st.lists(_src, max_size=25), st.randoms(use_true_random=False))
def test_plain_sources_skip_the_proxy_patterns(sources: list[str], rng: Any) -> None:
    # The shortcut only sends sources holding a proxy's literal down the full path.
    assert "/_next/image\\?" in NEXT_IMAGE_PATTERN and "/cdn-cgi/image/" in CDN_CGI_PATTERN
    # ... and reads a plain source's width only where it holds an "=".
    assert ")=(?P<width>" in QUERY_WIDTH_PATTERN
    index = list(range(len(sources)))
    rng.shuffle(index)
    src = pd.Series(sources, index=index, dtype="str")
    resolved, width = resolve_sources(src)
    plain_resolved, plain_width = _resolve_proxied(src)
    pd.testing.assert_series_equal(resolved, plain_resolved, check_names=False)
    pd.testing.assert_series_equal(width, plain_width, check_names=False)
