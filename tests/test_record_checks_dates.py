"""date.relative, date.unparseable and date.implausible on dates as scrapers store them."""

from __future__ import annotations

import pandas as pd
import pytest

from corpus_qa.checks.builtin._date_words import parse_written
from corpus_qa.checks.builtin.dates import DateImplausible, DateRelative, DateUnparseable
from corpus_qa.parse.datelines import parse_published


def _articles(raw: list[str | None], urls: list[str] | None = None) -> pd.DataFrame:
    series = pd.Series(raw, dtype="str")
    return pd.DataFrame(
        {
            "published_raw": series,
            "published": parse_published(series),
            "url": pd.Series(urls or ["https://example.org/news/story"] * len(raw), dtype="str"),
        }
    )


RELATIVE = [
    "2 hours ago",
    "4h ago",
    "vor 3 Stunden",
    "vor einer Stunde",
    "il y a 2 heures",
    "hace 2 horas",
    "2 ore fa",
    "há 2 horas",
    "2 uur geleden",
    "2 godziny temu",
    "för 2 timmar sedan",
    "for 2 timer siden",
    "3 часа назад",
    "3時間前",
    "3小时前",
    "3시간 전",
    "gestern",
    "Yesterday",
]
ABSOLUTE = ["2024-05-17", "17. März 2024", "1 juillet 2025", "Stundenplan 2024", "2024年5月17日"]


def test_relative_dates_in_every_development_language() -> None:
    got = DateRelative().run(_articles(RELATIVE + ABSOLUTE), pd.DataFrame())
    assert got["row"].tolist() == list(range(len(RELATIVE)))


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("1 juillet 2025", "2025-07-01"),
        ("17. März 2024, 10:30 Uhr", "2024-03-17"),
        ("17 de mayo de 2024", "2024-05-17"),
        ("5 мая 2024", "2024-05-05"),
        ("2024년 5월 17일", "2024-05-17"),
        ("1715904000", "2024-05-17"),
        ("1715904000000", "2024-05-17"),
        ("07/31/2025", "2025-07-31"),
    ],
)
def test_written_dates_are_read(value: str, day: str) -> None:
    parsed = parse_written(value)
    assert parsed is not None and parsed.date().isoformat() == day


def test_values_that_are_no_date_are_unparseable() -> None:
    raw = [
        "garbage-date",
        "2025-13-45",
        "1 juillet 2025",
        "vor 3 Stunden",
        None,
        "",
        "Datum",
        "1715904000",
    ]
    got = DateUnparseable().run(_articles(raw), pd.DataFrame())
    assert got["row"].tolist() == [0, 1, 6]
    assert got["message"].iloc[0] == "not a date: 'garbage-date'"


def test_implausible_dates() -> None:
    raw = [
        "2024-05-17T08:00:00+02:00",
        "2024-05-19",
        "1970-01-01",
        "2099-01-01",
        "17 mai 2024",
        "1 mai 2019",
    ]
    urls = [
        "https://example.com/2024/05/17/budget",
        "https://example.com/2024/05/17/budget",
        "https://example.com/news/x",
        "https://example.com/news/y",
        "https://example.fr/2024/05/17/budget",
        "https://example.fr/2024/05/17/budget",
    ]
    check = DateImplausible({"floor": "1990-01-01", "reference_time": "2025-01-01T00:00:00Z"})
    got = check.run(_articles(raw, urls), pd.DataFrame())
    assert got["row"].tolist() == [1, 2, 3, 5]
    assert "before 1990-01-01" in got["message"].iloc[1]
    assert "after the reference time" in got["message"].iloc[2]


def test_one_relative_pass_serves_the_chunk_and_never_another_column() -> None:
    # The three checks share one relative-date pass per column; a column with other
    # values (of the same length, with no release between) gets its own.
    first = _articles(["2 hours ago", "garbage-date", "2024-05-17"])
    second = _articles(["garbage-date", "3시간 전", "yesterday"])
    relative = DateRelative()
    unparseable = DateUnparseable()
    assert relative.run(first, pd.DataFrame())["row"].tolist() == [0]
    assert unparseable.run(first, pd.DataFrame())["row"].tolist() == [1]
    assert relative.run(second, pd.DataFrame())["row"].tolist() == [1, 2]
    assert unparseable.run(second, pd.DataFrame())["row"].tolist() == [0]
    # Views of the same column (the framework's shallow copies) share the pass.
    assert relative.run(second.copy(deep=False), pd.DataFrame())["row"].tolist() == [1, 2]
