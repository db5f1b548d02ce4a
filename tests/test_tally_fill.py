"""The per-outlet fill tallies and the uniqueness rules' owner lookup, on real tables.

``ChunkStats`` tells a filled role from a blank one with Arrow's whitespace test
instead of stripping every value; it must say what ``str.strip()`` and a zero length
said. ``owner_columns`` reads each row's article's file and outlet by position.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.findings.tally import (
    BUCKETS_PER_OCTAVE,
    FILL_COLUMNS,
    UNKNOWN_OUTLET,
    ChunkStats,
    _blank,
)
from corpus_qa.tables.uniqueness import owner_columns

# Every kind of whitespace Python and Arrow know, with letters and marks between them.
_SPACES = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_TEXT = st.text(alphabet=st.sampled_from([*_SPACES, "a", "é", "\u200b", "\ufeff", "-"]))


@given(st.lists(st.none() | _TEXT, max_size=30), st.sampled_from(["object", "str"]))
def test_blank_is_what_strip_said(values: list[str | None], dtype: str) -> None:
    series = pd.Series(values, dtype=dtype)
    stripped = series.astype("str").str.strip().str.len().fillna(0).to_numpy() > 0
    assert (_blank(series) == ~stripped).all()


def test_fill_tallies_count_blank_roles_as_missing() -> None:
    articles = pd.DataFrame(
        {
            "outlet": ["a", "a", "b", None],
            "role": "record",
            "byline": pd.Series(["Ann Lee", "  \u3000", None, "Bo"], dtype="str"),
            "published": pd.Series(
                ["2024-01-01", None, None, "2024-02-01"], dtype="datetime64[us, UTC]"
            ),
            "title": pd.Series(["T", "", "\t", "U"], dtype="str"),
            "body": pd.Series(["one two", "\xa0\n", "x", ""], dtype="str"),
            "n_images": [1, 0, 2, 0],
        }
    )
    stats = ChunkStats()
    stats.count_tables(articles, articles.iloc[:0])
    assert stats.filled == {
        ("a", "byline"): 1,
        ("a", "date"): 1,
        ("a", "title"): 1,
        ("a", "body"): 1,
        ("b", "body"): 1,
        ("(unknown)", "byline"): 1,
        ("(unknown)", "date"): 1,
        ("(unknown)", "title"): 1,
    }
    assert stats.images_by_outlet == {"a": 1, "b": 2, "(unknown)": 0}
    assert sum(stats.body_length_buckets.values()) == 4


def test_owner_columns_name_each_images_article() -> None:
    articles = pd.DataFrame(
        {
            "record_id": pd.Series(["r1", "r2", "r2", "r3"], dtype="str"),
            "source_path": pd.Series(["f.jsonl"] * 3 + ["g.jsonl"], dtype="str"),
            "outlet": pd.Series(["a", None, "c", "d"], dtype="str"),
            "body": pd.Series(["x" * 50] * 4, dtype="str"),
            "n_images": [1, 0, 2, 1],
        }
    )
    images = pd.DataFrame({"record_id": pd.Series(["r1", "r2", "r2", "r3"], dtype="str")})
    owned = owner_columns(images, articles, "images")
    # The two images of the second "r2" are its own (by position), not the first's.
    assert owned["source_path"].tolist() == ["f.jsonl", "f.jsonl", "f.jsonl", "g.jsonl"]
    assert owned["outlet"].tolist() == ["a", "c", "c", "d"]
    own = owner_columns(articles, articles, "articles")
    assert own["outlet"].isna().tolist() == [False, True, False, False]
    # An image whose id no article has is "(unknown)", with no outlet.
    stray = pd.DataFrame({"record_id": pd.Series(["zz"], dtype="str")})
    lost = owner_columns(stray, articles.drop(columns="n_images"), "images")
    assert lost["source_path"].tolist() == ["(unknown)"] and lost["outlet"].tolist() == [None]
    none = owner_columns(articles.iloc[:0], articles.iloc[:0], "articles")
    assert len(none) == 0 and list(none.columns) == ["source_path", "outlet"]


def _grouped(articles: pd.DataFrame) -> tuple[Counter[object], ...]:
    """The per-outlet tallies as pandas' groupings give them (outlets sorted)."""
    outlet = articles["outlet"].astype("str").fillna(UNKNOWN_OUTLET)
    lengths = articles["body"].astype("str").str.len().fillna(0).to_numpy()
    frame = pd.DataFrame({"outlet": outlet.to_numpy()})
    for column, role in FILL_COLUMNS.items():
        values = articles[column]
        frame[role] = values.notna().to_numpy() & ~_blank(values.astype("str"))
    filled: Counter[object] = Counter()
    for name, row in frame.groupby("outlet").sum().iterrows():
        for role in FILL_COLUMNS.values():
            if row[role]:
                filled[(str(name), role)] += int(row[role])
    frame["bucket"] = np.floor(np.log2(lengths + 1.0) * BUCKETS_PER_OCTAVE).astype(int)
    frame["images"] = articles["n_images"].astype(int).to_numpy()
    buckets: Counter[object] = Counter()
    for name, bucket, n in (
        frame.groupby(["outlet", "bucket"]).size().reset_index().itertuples(index=False, name=None)
    ):
        buckets[(str(name), int(bucket))] += int(n)
    images: Counter[object] = Counter()
    for name, n in frame.groupby("outlet")["images"].sum().items():
        images[str(name)] += int(n)
    return filled, buckets, images


_CELL = st.none() | st.sampled_from(["", " ", "x", "Ann Lee", "é" * 40, "word " * 300])


@given(
    st.lists(
        st.tuples(
            st.none() | st.sampled_from(["b", "a", "Zeit", "zeit", "é", UNKNOWN_OUTLET]),
            _CELL,
            _CELL,
            _CELL,
            st.integers(0, 5),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_outlet_tallies_are_the_groupings_in_their_order(
    rows: list[tuple[str | None, str | None, str | None, str | None, int]],
) -> None:
    outlets, bylines, titles, bodies, images = zip(*rows, strict=True)
    articles = pd.DataFrame(
        {
            "outlet": pd.Series(outlets, dtype="str"),
            "role": "record",
            "byline": pd.Series(bylines, dtype="str"),
            "published": pd.Series(
                [None if t is None else "2024-01-01" for t in titles], dtype="datetime64[us, UTC]"
            ),
            "title": pd.Series(titles, dtype="str"),
            "body": pd.Series(bodies, dtype="str"),
            "n_images": list(images),
        }
    )
    stats = ChunkStats()
    stats.count_tables(articles, articles.iloc[:0])
    filled, buckets, images_by_outlet = _grouped(articles)
    # Same counts in the same order: the history writes them as they come.
    assert list(stats.filled.items()) == list(filled.items())
    assert list(stats.body_length_by_outlet.items()) == list(buckets.items())
    assert list(stats.images_by_outlet.items()) == list(images_by_outlet.items())
