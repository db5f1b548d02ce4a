"""Published dates: absolute formats to UTC, relative ones only with a reference time."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.parse.datelines import RELATIVE_DATE_PATTERN, is_date_line, parse_published
from tests.conftest import examples

REF = datetime(2025, 7, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-08-08", "2024-08-08 00:00:00+00:00"),
        ("2024-08-08T10:30:00+09:00", "2024-08-08 01:30:00+00:00"),
        ("2024-08-08T10:30:00Z", "2024-08-08 10:30:00+00:00"),
        ("Aug 08, 2024", "2024-08-08 00:00:00+00:00"),
        ("August 8, 2024 10:30 AM", "2024-08-08 10:30:00+00:00"),
        ("Thu, 08 Aug 2024 10:30:00 +0200", "2024-08-08 08:30:00+00:00"),
        ("Thu, 08 Aug 2024 10:30:00 GMT", "2024-08-08 10:30:00+00:00"),
        ("08.08.2024", "2024-08-08 00:00:00+00:00"),
        ("Published: Aug 8, 2024", "2024-08-08 00:00:00+00:00"),
        ("8 August 2024", "2024-08-08 00:00:00+00:00"),
    ],
)
def test_absolute_dates(raw: str, expected: str) -> None:
    for reference in (None, REF):
        out = parse_published(pd.Series([raw], dtype="str"), reference)
        assert str(out.iloc[0]) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("21 minutes ago", "2025-07-25 11:39:00+00:00"),
        ("4 hours ago", "2025-07-25 08:00:00+00:00"),
        ("an hour ago", "2025-07-25 11:00:00+00:00"),
        ("yesterday", "2025-07-24 12:00:00+00:00"),
        ("3 days ago", "2025-07-22 12:00:00+00:00"),
        ("4h ago", "2025-07-25 08:00:00+00:00"),
    ],
)
def test_relative_dates_need_a_reference(raw: str, expected: str) -> None:
    series = pd.Series([raw], dtype="str")
    assert pd.isna(parse_published(series).iloc[0])
    assert str(parse_published(series, REF).iloc[0]) == expected
    assert series.str.contains(RELATIVE_DATE_PATTERN, regex=True).iloc[0]


def test_relative_pattern_spares_absolute_dates_and_prose() -> None:
    values = pd.Series(
        ["Aug 08, 2024", "2024-08-08", "Korea Herald", "agony ago", None], dtype="str"
    )
    assert not values.str.contains(RELATIVE_DATE_PATTERN, regex=True, na=False).any()


def test_dtype_nulls_and_index_kept() -> None:
    raw = pd.Series([None, "garbage", "2024-08-08", "2024-08-08"], index=[7, 3, 9, 1], dtype="str")
    out = parse_published(raw, REF)
    assert str(out.dtype) == "datetime64[us, UTC]"
    assert out.index.tolist() == [7, 3, 9, 1]
    assert out.isna().tolist() == [True, True, False, False]
    empty = parse_published(pd.Series([], dtype="str"))
    assert str(empty.dtype) == "datetime64[us, UTC]" and empty.empty


def test_date_lines() -> None:
    for line in (
        "21 minutes ago",
        "4 hours ago",
        "Aug 08, 2024",
        "2024-08-08T10:30:00Z",
        "yesterday",
    ):
        assert is_date_line(line), line
    for line in ("Korea Herald", "- Korea Herald", "Yesterday's news was grim", "4 hours later"):
        assert not is_date_line(line), line


# Each example builds a whole frame (~25 ms); the 2,000-example CI budget is for the
# byte-level reader and parser properties (tests/test_hostile_properties.py).
@settings(max_examples=examples(300))
@given(st.lists(st.text(max_size=40), max_size=20))
def test_never_raises(values: list[str]) -> None:
    out = parse_published(pd.Series(values, dtype="str"), REF)
    assert len(out) == len(values)


_DATES = st.sampled_from(
    [
        "2024-08-08",
        "2024-08-08T10:30:00Z",
        "Aug 08, 2024",
        "Published: 8 August 2024",
        "04/05/2022",
        "4 hours ago",
        "yesterday",
        "garbage",
        "  2024-08-08  ",
        "2024-08-08 ",
        "Ünïcödé 2024",
    ]
)


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.one_of(st.none(), _DATES), max_size=12), st.data())
def test_each_row_reads_as_it_does_alone(values: list[str | None], data: st.DataObject) -> None:
    """Distinct values are parsed once and put back by row: each row gets what it
    gets alone, whatever repeats and nulls surround it."""
    index = data.draw(st.permutations(range(len(values))))
    printed = pd.Series(
        data.draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values)))
    )
    raw = pd.Series(values, dtype="str", index=index)
    out = parse_published(raw, REF, printed.set_axis(index))
    assert out.index.tolist() == list(index)
    for (row, value), flag in zip(raw.items(), printed, strict=True):
        alone = parse_published(pd.Series([value], dtype="str"), REF, pd.Series([flag]))
        got, want = out.loc[row], alone.iloc[0]
        assert (pd.isna(got) and pd.isna(want)) or got == want, value
