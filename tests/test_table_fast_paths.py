"""The tables' fast paths agree with the per-value and grouped forms they replace."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpus_qa.tables.build import _holding, _positions, _resolve_proxied, resolve_sources

_SOURCES = st.lists(
    st.one_of(
        st.none(),
        st.sampled_from(
            [
                "https://img.example.org/a.jpg",
                "https://x.example/_next/image?url=%2Fa.png&w=640",
                "/cdn-cgi/image/width=300/https://b.example/c.jpg",
                "https://c.example/p.jpg?w=800",
                "=",
                "/_next/image",
                "?",
                "",
                "é=ü",
            ]
        ),
        st.text(alphabet="=/_?nextimage-cdn", max_size=16),
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(_SOURCES, st.sampled_from(["=", "/_next/image?", "/cdn-cgi/image/", "é"]), st.data())
@example(["/_next/", "image?"], "/_next/image?", None)  # across two values: in neither
def test_holding_is_a_per_value_search(
    values: list[str | None], literal: str, data: st.DataObject | None
) -> None:
    array = pa.array(values, pa.large_string())
    if data is not None and len(values):
        # Sliced and chunked arrays too: their values' bytes start past offset 0.
        start = data.draw(st.integers(0, len(values)))
        array = array.slice(start)
        values = values[start:]
        if data.draw(st.booleans()):
            array = pa.chunked_array([array[: len(values) // 2], array[len(values) // 2 :]])
    want = [v is not None and literal in v for v in values]
    assert _holding(array, literal).tolist() == want


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=30))
def test_positions_count_within_each_article(counts: list[int]) -> None:
    rows = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    want = pd.Series(rows).groupby(rows).cumcount().to_numpy(dtype="int64")
    assert _positions(rows).tolist() == want.tolist()
    shuffled = rows[::-1].copy()
    want = pd.Series(shuffled).groupby(shuffled).cumcount().to_numpy(dtype="int64")
    assert _positions(shuffled).tolist() == want.tolist()


@settings(max_examples=150, deadline=None)
@given(_SOURCES)
def test_resolve_sources_screens_change_nothing(values: list[str | None]) -> None:
    src = pd.Series([v or "" for v in values], dtype="str")
    resolved, width = resolve_sources(src)
    # The unscreened form: every pattern over every source.
    want_resolved, want_width = _resolve_proxied(src)
    assert resolved.tolist() == want_resolved.tolist()
    assert width.astype(object).where(width.notna(), None).tolist() == (
        want_width.astype(object).where(want_width.notna(), None).tolist()
    )
