"""boilerplate.recurring: paragraphs repeated across one outlet's articles."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.checks.builtin.recurring import BoilerplateRecurring, _common_rows, _thresholds
from corpus_qa.model import ArticleDraft
from corpus_qa.tables.build import build_tables, drafts_frame
from tests.conftest import examples

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
    # 4 of 40 pages: below the 5 a 40-page outlet needs.
    drafts += [_draft(i + 10, "Other Daily", i < 4) for i in range(40)]
    found = _findings(drafts, min_pages=5)
    assert sorted(found["record_id"]) == [f"p{i}.md#0" for i in range(5)]
    assert set(found["line"]) == {5}
    body = drafts[0].body
    row = found.iloc[0]
    assert body[row["start"] : row["end"]] == row["evidence"] == PROMO


def test_below_threshold_or_short_is_not_flagged() -> None:
    drafts = [_draft(i, "Nord Kurier", i < 4) for i in range(30)]
    assert _findings(drafts, min_pages=5).empty
    assert _findings(drafts, min_pages=4, min_chars=200).empty


def test_small_outlet_needs_fewer_pages_but_never_two() -> None:
    # An outlet of 4 pages: a line on 3 of them is its chrome...
    assert len(_findings([_draft(i, "Tiny Post", i < 3) for i in range(4)], min_pages=5)) == 3
    # ...but two articles quoting one statement are not, however small the outlet.
    assert _findings([_draft(i, "Tiny Post", i < 2) for i in range(3)], min_pages=5).empty


PARAGRAPH = st.text(st.sampled_from("ab ßẞΣς\t\nİ.é"), max_size=30)


@settings(max_examples=examples(60))
@given(st.lists(st.lists(PARAGRAPH, min_size=1, max_size=4), min_size=1, max_size=6))
def test_state_is_every_long_enough_line_with_its_offset(bodies: list[list[str]]) -> None:
    drafts = [
        ArticleDraft(
            record_id=f"r{i}",
            source_path="d.jsonl",
            line_start=i + 1,
            line_end=i + 1,
            role="main",
            title="T",
            title_line=None,
            body="\n\n".join(paragraphs),
            body_lines=None,
            outlet="Outlet",
        )
        for i, paragraphs in enumerate(bodies)
    ]
    articles, images = build_tables(drafts_frame(drafts))
    state = BoilerplateRecurring({"min_chars": 3}).observe(articles, images)
    expected = []
    for article in articles.itertuples():
        offset = 0
        for line in str(article.body).split("\n"):
            norm = " ".join(re.split(r"[\t\n\v\f\r ]+", line.strip("\t\n\v\f\r "))).casefold()
            if len(norm) >= 3:
                expected.append((article.record_id, offset, line[:120], norm))
            offset += len(line) + 1
    assert list(zip(state["record_id"], state["offset"], state["evidence"], strict=True)) == [
        e[:3] for e in expected
    ]
    keys = state["key"].tolist()
    for i, a in enumerate(expected):
        for j, b in enumerate(expected):
            assert (keys[i] == keys[j]) == (a[3] == b[3])


@given(
    st.lists(st.integers(0, 2**64 - 1) | st.sampled_from([7, 2**63 + 7, 1024 + 7]), max_size=60),
    st.integers(1, 6),
    st.sampled_from([1, 2, 8, 1024]),
    st.sampled_from([1, 3, 16, 1 << 18]),
)
def test_common_rows_are_the_rows_of_keys_on_enough_rows(
    keys: list[int], min_pages: int, buckets: int, part_rows: int
) -> None:
    # Few buckets force collisions (and the sampled keys share their low bits): the
    # bucket counts may only let more rows through, never hold one back. Small
    # partitions cut the keys by their top bits (the sampled keys differ there too).
    array = np.array(keys, dtype=np.uint64)
    counts = pd.Series(array).value_counts()
    expected = [i for i, key in enumerate(keys) if counts[np.uint64(key)] >= min_pages]
    assert _common_rows(array, min_pages, buckets, part_rows).tolist() == expected
    assert _common_rows(array, min_pages).tolist() == expected


@given(
    st.lists(st.tuples(st.integers(-1, 3), st.integers(-1, 6)), max_size=80),
    st.integers(1, 8),
    st.sampled_from([0.0, 0.1, 0.5]),
    st.sampled_from(["int32", "str"]),
)
def test_thresholds_follow_each_outlets_distinct_records(
    rows: list[tuple[int, int]], min_pages: int, share: float, kind: str
) -> None:
    # Codes as the state keeps them (-1 missing), or the strings of an unspilled state.
    group = np.array([g for g, _ in rows], dtype=np.int32)
    record = np.array([r for _, r in rows], dtype=np.int32)
    if kind == "str":
        state = pd.DataFrame(
            {
                "group": pd.Series([f"g{g}" if g >= 0 else None for g in group], dtype="str"),
                "record_id": pd.Series([f"r{r}" if r >= 0 else None for r in record], dtype="str"),
            }
        )
    else:
        state = pd.DataFrame({"group": group, "record_id": record})
    # The definition: an outlet's pages are its distinct record ids (pandas' nunique).
    known = pd.DataFrame({"g": group, "r": record})[(group >= 0) & (record >= 0)]
    pages_of = known.groupby("g")["r"].nunique()
    pages = np.array([int(pages_of.get(g, 0)) if g >= 0 else 0 for g in group], dtype=np.int64)
    low = np.minimum(min_pages, -(-pages // 4))
    expected = np.maximum(np.maximum(low, np.ceil(share * pages).astype(np.int64)), 3)
    at = np.arange(len(rows))[::-1].copy()
    assert _thresholds(state, min_pages, share, at).tolist() == expected[at].tolist()


def test_outlets_are_grouped_once_a_chunk_and_never_stale() -> None:
    from corpus_qa.checks.builtin._outlets import outlet_groups
    from corpus_qa.text import chunk_caches

    articles = pd.DataFrame(
        {
            "outlet": ["Die Zeit", None, "ZEIT"],
            "url": ["https://a.de/x", "https://www.b.org/y", None],
        },
        dtype="str",
    )
    first = outlet_groups(articles)
    # The same columns (another frame, as each check gets its own shallow copy).
    again = outlet_groups(articles.reset_index(drop=True).copy(deep=False))
    assert first.tolist() == again.tolist() == ["die zeit", "b.org", "zeit"]
    other = articles.assign(outlet=pd.Series(["X", None, "Z"], dtype="str"))
    assert outlet_groups(other).tolist() == ["x", "b.org", "z"]
    chunk_caches.release()
    assert outlet_groups(articles).tolist() == ["die zeit", "b.org", "zeit"]


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.sampled_from(["Die ZEIT", "STRASSE", "Straße", "İz", "ΣΟΦΙΑ", ""]),
            st.text(max_size=8),
        ),
        max_size=12,
    )
)
def test_outlets_fold_as_pandas_folds_each_value(outlets: list[str | None]) -> None:
    from corpus_qa.checks.builtin._outlets import outlet_groups
    from corpus_qa.text import chunk_caches

    chunk_caches.release()
    articles = pd.DataFrame(
        {"outlet": outlets, "url": ["https://www.example.org/a"] * len(outlets)}, dtype="str"
    )
    expected = articles["outlet"].str.casefold().fillna("example.org")
    pd.testing.assert_series_equal(outlet_groups(articles), expected)
