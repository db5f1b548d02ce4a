"""The byline inference's fast paths agree with the whole-column scans they replace."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpus_qa.parse.bylines import drafts
from corpus_qa.parse.bylines.drafts import (
    HEAD_WINDOW,
    _Opening,
    found_group,
    genre_of,
    infer_bylines,
    may_close_with_paren,
    trailing_credit,
)
from corpus_qa.text.re2 import extract, tail

# Pieces that make the patterns match, nearly match, or sit across the windows' edges.
_PIECES = st.sampled_from(
    [
        "By Jane Doe",
        "BY: John Smith, Staff Writer\n",
        "by AFP",
        "SEOUL, March 3 (Yonhap) -- ",
        "(AP) - ",
        "(Reuters)",
        "(Yonhap)",
        " (Xinhua) .",
        ")",
        "(",
        " ",
        "\t",
        ".",
        "\n",
        "\n\n",
        "Ünïcödé Ärticle ",
        "기사 ",
        "— ",
        "The council met on Monday. ",
        "x" * 90,
        "é" * 85,
    ]
)
_BODIES = st.lists(_PIECES, max_size=12).map("".join)


def _reference_opening(body: pd.Series, pattern: str, name: str) -> pd.Series:
    return extract(body.str.slice(0, HEAD_WINDOW), pattern)[name]


def _reference_trailing(body: pd.Series) -> pd.Series:
    return extract(tail(body, 80), drafts._TRAILING_CREDIT)["credit"]


def _same(got: pd.Series, want: pd.Series) -> None:
    assert got.isna().tolist() == want.isna().tolist()
    assert got.dropna().tolist() == want.dropna().tolist()
    assert str(got.dtype) == str(want.dtype)


@settings(max_examples=300, deadline=None)
@given(st.lists(_BODIES, min_size=1, max_size=8))
@example(["By Jane Doe" + " " * 400 + "x"])
@example(["A" * 70 + " (Yonhap)" + " " * 250 + "-- text"])
@example(["Seoul (Yonhap) " + "." * 20])
def test_fast_paths_match_the_whole_column_scans(bodies: list[str]) -> None:
    body = pd.Series(bodies, dtype="str")
    opening = _Opening(body)
    for pattern, name in ((drafts._BY_LINE, "cand"), (drafts._DATELINE_CREDIT, "credit")):
        _same(opening.group(pattern, name), _reference_opening(body, pattern, name))
    _same(trailing_credit(body), _reference_trailing(body))


@settings(max_examples=200, deadline=None)
@given(st.lists(_BODIES, min_size=1, max_size=8), st.integers(1, 12))
def test_may_close_with_paren_never_misses_a_closing_paren(bodies: list[str], steps: int) -> None:
    maybe = may_close_with_paren(pa.array(bodies, pa.large_string()), steps)
    for text, flagged in zip(bodies, maybe, strict=True):
        if text.rstrip(" \t.").endswith(")"):
            assert flagged
        if len(text) - len(text.rstrip(" \t.")) < steps:
            # Decided within the steps: flagged exactly when it closes with ")".
            assert flagged == text.rstrip(" \t.").endswith(")")


def test_trailing_credit_reads_only_bodies_that_close_with_a_paren() -> None:
    body = pd.Series(
        ["Markets fell. (Yonhap)", "No credit here.", "", "Ends (AFP) .. ", "(AP) opens"],
        dtype="str",
    )
    assert may_close_with_paren(pa.array(body)).tolist() == [True, False, False, True, False]
    credits = trailing_credit(body)
    assert credits.iloc[0] == "Yonhap"
    assert credits.iloc[3] == "AFP"
    assert credits.iloc[[1, 2, 4]].isna().all()


def test_genre_of_reads_tags_only_where_titles_have_them() -> None:
    title = pd.Series(
        ["[Editorial] Rates", "[Robert J. Fouser] Letters", "Plain title", None, "OPINION: x"],
        dtype="str",
    )
    genre, tag = genre_of(title)
    assert genre.iloc[0] == "editorial"
    assert pd.isna(genre.iloc[1]) and tag.iloc[1] == "Robert J. Fouser"
    assert genre.iloc[[2, 3]].isna().all() and tag.iloc[[0, 2, 3, 4]].isna().all()
    assert genre.iloc[4] == "opinion"


def test_inferred_names_fill_only_rows_without_a_byline_field() -> None:
    frame = pd.DataFrame(
        {
            "title": ["[Robert J. Fouser] Letters", "News", "News", "Wire"],
            "body": ["Text.", "By Jane Doe\nText.", "By Jane Doe\nText.", "Text. (Yonhap)"],
            "byline": [None, "Field Name", None, None],
            "byline_source": [None, None, None, None],
            "outlet": ["Daily", "Daily", "Daily", "Daily"],
        },
        index=[10, 11, 12, 13],
    )
    out = infer_bylines(frame)
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out["byline"].tolist()[:3] == ["Robert J. Fouser", "Field Name", "Jane Doe"]
    assert out["byline_source"].tolist()[:3] == ["title_bracket", "field", "by_line"]
    assert pd.isna(out["byline"].iloc[3]) and out["credit"].iloc[3] == "Yonhap"


_TITLE_PIECES = st.sampled_from(
    [
        "[Editorial] ",
        "[Robert J. Fouser] ",
        " [Sunday Interview]",
        "[",
        "]",
        "OPINION: ",
        "Opinion | ",
        "Review:",
        "Rates rise ",
        "Ünïcödé ",
        "기사 ",
        "\n",
        " ",
        "",
    ]
)
_BIO_PIECES = st.sampled_from(
    [
        "Robert J. Fouser, a former professor, writes on Korea.",
        ". Jane Doe is a columnist.",
        "\nAnn Lee, who teaches law.",
        "Jane Doe, the editor",
        " wrote ",
        "Text ends. ",
        ".",
        "\n",
        "Ünïcödé Ärticle ",
        "é" * 40,
        "x" * 90,
    ]
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.lists(_TITLE_PIECES, max_size=5).map("".join)), max_size=8),
    st.lists(st.lists(_BIO_PIECES, max_size=8).map("".join), max_size=8),
)
@example(["[Editorial] Rates", None, "OPINION: x"], ["Text. Jane Doe is a columnist."])
def test_found_group_is_the_whole_column_extract(
    titles: list[str | None], bodies: list[str]
) -> None:
    title = pd.Series(titles, dtype="str", index=range(5, 5 + len(titles)))
    body = pd.Series(bodies, dtype="str")
    for values, pattern, name in (
        (title, drafts._TAG, "tag"),
        (title, drafts._GENRE_PREFIX, "g"),
        (body, drafts._BIO, "bio"),
    ):
        got = found_group(values, pattern, name)
        _same(got, extract(values, pattern)[name])
        assert got.index.equals(values.index)


def test_the_most_trusted_inferred_name_wins() -> None:
    bio = " Text ends. Ann Lee, a former professor, writes on Korea."
    frame = pd.DataFrame(
        {
            "title": ["[Robert J. Fouser] Letters", "[Robert J. Fouser] Letters", "News", "News"],
            "body": ["By Jane Doe\nText." + bio, "Text." + bio, "Text." + bio, "Text."],
            "byline": [None, None, None, None],
            "byline_source": [None, None, None, None],
            "outlet": ["Daily"] * 4,
        }
    )
    out = infer_bylines(frame)
    assert out["byline"].tolist()[:3] == ["Jane Doe", "Robert J. Fouser", "Ann Lee"]
    assert out["byline_source"].tolist()[:3] == ["by_line", "title_bracket", "bio"]
    assert out[["byline", "byline_source"]].iloc[3].isna().all()
