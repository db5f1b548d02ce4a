"""The per-outlet fill tallies and the uniqueness rules' owner lookup, on real tables.

``ChunkStats`` tells a filled role from a blank one with Arrow's whitespace test
instead of stripping every value; it must say what ``str.strip()`` and a zero length
said. ``owner_columns`` reads each row's article's file and outlet by position.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.findings.tally import ChunkStats, _blank
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
