"""Per-record checks' fast paths agree with the pandas forms they replace (issue 22)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.checks.builtin.image import ImageDuplicateTag, _duplicate_tags_with_missing
from corpus_qa.checks.builtin.record import RecordDuplicate
from corpus_qa.findings.rows import image_owners
from corpus_qa.tables.uniqueness import uniqueness_checks
from corpus_qa.tables.validate import articles_schema, images_schema_base
from corpus_qa.text.keys import joined_keys

# Few distinct values, so that repeats within an article are common; blank alts and
# multi-byte text among them.
ALTS = st.sampled_from(["", " ", "Photo", "photo", "Fotó 中", "\u00a0", "Photo "])
SOURCES = st.sampled_from(["/a.jpg", "/b.jpg", "/logo.png", "/ä.jpg", ""])


@st.composite
def image_tables(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An articles table (ids may repeat) and its images in article order, some owned
    by no article of the chunk when ``n_images`` is left out."""
    ids = draw(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=6))
    counts = draw(st.lists(st.integers(0, 5), min_size=len(ids), max_size=len(ids)))
    rows: list[dict[str, object]] = []
    for record, count in zip(ids, counts, strict=True):
        positions = draw(st.permutations(list(range(count))))
        for position in positions:
            rows.append(
                {
                    "record_id": record,
                    "position": position,
                    "alt": draw(ALTS),
                    "resolved_src": draw(SOURCES),
                }
            )
    images = pd.DataFrame(rows, columns=["record_id", "position", "alt", "resolved_src"])
    images = images.astype({"record_id": "str", "alt": "str", "resolved_src": "str"})
    images["position"] = images["position"].astype("int64")
    articles = pd.DataFrame({"record_id": pd.array(ids, dtype="str")})
    if draw(st.booleans()):
        articles["n_images"] = counts
    elif len(articles) > 1:
        articles = articles.iloc[1:].reset_index(drop=True)  # images of "no article"
    return articles, images


@given(image_tables())
def test_duplicate_tag_codes_agree_with_pandas_grouping(
    tables: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    articles, images = tables
    got = ImageDuplicateTag().run(articles, images)
    frame = images.reset_index(drop=True)
    want = _duplicate_tags_with_missing(frame.copy(), image_owners(frame, articles))
    pd.testing.assert_frame_equal(got, want)


@given(image_tables(), st.lists(st.sampled_from(["x.org", "y.org", None]), min_size=6, max_size=6))
def test_uniqueness_observe_keeps_the_object_path_frame(
    tables: tuple[pd.DataFrame, pd.DataFrame], outlets: list[str | None]
) -> None:
    articles, images = tables
    n = len(articles)
    articles = articles.assign(
        source_path=pd.array([f"dump-{i % 2}.jsonl" for i in range(n)], dtype="str"),
        line_start=range(1, n + 1),
        outlet=pd.array(outlets[:n], dtype="str"),
    )
    images = images.assign(
        line=pd.array([None, 3] * (len(images) // 2) + [4] * (len(images) % 2), dtype="Int64")
    )
    for check in uniqueness_checks(articles_schema(), images_schema_base()):
        frame = articles if check.table == "articles" else images
        strings = [frame[c].astype("str") for c in check.columns]
        values = [pa.array(v, type=pa.large_string()) for v in strings]
        line = "line_start" if check.table == "articles" else "line"
        want = check._observe_objects(frame, articles, strings, values, line)
        pd.testing.assert_frame_equal(check.observe(articles, images), want)


@given(
    st.lists(
        st.tuples(st.sampled_from(["T", "t ", ""]), st.sampled_from(["Body", " ", "Bödy\n\nx"])),
        max_size=8,
    ),
    st.lists(st.sampled_from(["x.org", None]), min_size=8, max_size=8),
)
def test_record_duplicate_state_is_the_object_path_frame(
    texts: list[tuple[str, str]], outlets: list[str | None]
) -> None:
    n = len(texts)
    articles = pd.DataFrame(
        {
            "record_id": pd.array([f"r{i}" for i in range(n)], dtype="str"),
            "source_path": pd.array(["d.jsonl"] * n, dtype="str"),
            "line_start": np.arange(1, n + 1, dtype="int64"),
            "outlet": pd.array(outlets[:n], dtype="str"),
            "title": pd.array([t for t, _ in texts], dtype="str"),
            "body": pd.array([b for _, b in texts], dtype="str"),
        }
    )
    keys, keep = joined_keys(articles["title"], articles["body"])
    want = pd.DataFrame(
        {
            "key": keys[keep],
            "record_id": articles["record_id"].to_numpy()[keep],
            "source_path": articles["source_path"].to_numpy()[keep],
            "line": articles["line_start"].to_numpy()[keep],
            "outlet": articles["outlet"].to_numpy()[keep],
        }
    )
    pd.testing.assert_frame_equal(RecordDuplicate().observe(articles, articles.iloc[:0]), want)
