"""Datelines as whole-page scrapes print them: glued repeats, two-digit years, dates
linked in lists, embedded posts, headers behind menus; the last-resort page date's
precision; relative counts in words; a printed dateline against HTML metadata
(``parse/dateline.py``, ``parse/relative_dates.py``, ``parse/evidence.py``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.model import Evidence
from corpus_qa.parse import parse_page
from corpus_qa.parse.dateline import read_date, read_days
from corpus_qa.parse.evidence import apply_evidence
from corpus_qa.tables.build import build_tables, drafts_frame
from tests.test_parse_dateline import PROSE_DE, PROSE_EN, main_article, site_page
from tests.test_parse_dateline_forms import PROSE_ES, PROSE_FR, dated_page

REF = datetime(2025, 7, 25, 12, 0, tzinfo=UTC)
MONTHS_DE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
             "September", "Oktober", "November", "Dezember")  # fmt: skip


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("21\\. Januar 202221\\. Januar 2022", date(2022, 1, 21)),
        ("21.01.202221.01.2022", date(2022, 1, 21)),
        ("17/11/201917/11/2019", date(2019, 11, 17)),
        ("August 2, 2019August 2, 2019", date(2019, 8, 2)),
        ("Posted on28. Juli 201928. Juli 2019Author", date(2019, 7, 28)),
        ("3 de mayo de 202221:25", date(2022, 5, 3)),
        ("19.10.19, 18:56", date(2019, 10, 19)),
        ("mardi 10.12.19", date(2019, 12, 10)),
        ("01.21.2020 07:00 AM", date(2020, 1, 21)),
    ],
)
def test_dates_as_themes_print_them(written: str, day: date) -> None:
    found = read_date(written.replace("\\", ""))
    assert found is not None and found.date() == day


@pytest.mark.parametrize(
    "text", ["Version 10.10.10.1", "Kapitel 3.10.19", "dismay 3, 2022", "Rechnung 12.13.2022"]
)
def test_numbers_that_are_no_dates(text: str) -> None:
    assert read_date(text) is None


@given(
    day=st.dates(min_value=date(1995, 1, 1), max_value=date(2035, 12, 31)),
    form=st.sampled_from(["{d}. {m} {y}", "{dd}.{mm}.{y}", "{dd}/{mm}/{y}", "{y}-{mm}-{dd}"]),
)
def test_a_date_printed_twice_glued_reads_as_once(day: date, form: str) -> None:
    written = form.format(
        d=day.day, dd=f"{day.day:02d}", m=MONTHS_DE[day.month - 1], mm=f"{day.month:02d}",
        y=day.year,
    )  # fmt: skip
    once, twice = read_date(written), read_date(written + written)
    assert once is not None and once.date() == day
    assert twice == once


def test_glued_published_and_updated_dates_beside_the_label() -> None:
    text = site_page(
        "Mit der richtigen Konfliktkultur zum Erfolg",
        ["Veröffentlicht am [19\\. Dezember 202219\\. Dezember 2022](https://www.example.org/"
         "konfliktkultur/) von [Redaktion](https://www.example.org/author/redaktion/)"],
        PROSE_DE,
    )  # fmt: skip
    row = main_article(text)
    assert row["published_source"] == "dateline"
    assert row["published"].date() == date(2022, 12, 19)


def test_a_two_digit_year_beside_the_byline() -> None:
    text = site_page("Grab-Bote fliegt nach Singapur", ["Von: Björn Jahner | 31.10.23"], PROSE_DE)
    row = main_article(text)
    assert row["published_raw"] == "31.10.23"
    assert row["published"].date() == date(2023, 10, 31)


@pytest.mark.parametrize(
    "item",
    [
        "  * [13\\. Februar 2017](https://www.example.org/streit-ums-feuerholz/)",
        "  * [ VERÖFFENTLICHT AM  13\\. Feb 2017  ](https://www.example.org/post/2017/02/13/)",
    ],
)
def test_a_date_linked_in_a_list_under_the_title(item: str) -> None:
    meta = [item, "  * [0 Kommentare](https://www.example.org/streit-ums-feuerholz/#respond)"]
    row = main_article(site_page("Streit ums Feuerholz", meta, PROSE_DE))
    assert row["published_source"] == "dateline"
    assert row["published"].date() == date(2017, 2, 13)


def test_a_teaser_list_date_is_no_dateline() -> None:
    related = "\n".join(
        f"  * [Weitere Meldung {i}](https://www.example.org/t{i}) {i + 1}. März 2014"
        for i in range(3)
    )
    text = site_page("Streit ums Feuerholz", [related, "13.02.2017"], PROSE_DE)
    assert main_article(text)["published"].date() == date(2017, 2, 13)


def test_an_embedded_post_prints_its_own_date() -> None:
    tweet = (
        "> Kim Jong Un appeared in public today.\n>\n> — Jane Doe (@janedoe) "
        "[May 2, 2020](https://twitter.com/janedoe/status/1256696015702425601)"
    )
    text = site_page("Kim Jong Un is back", [tweet, "May 4, 2020 · 3 min read"], PROSE_EN)
    assert main_article(text)["published"].date() == date(2020, 5, 4)


def test_a_header_date_behind_the_menu_is_far_from_the_title() -> None:
    menu = "\n".join(f"  * [Rubrik {i}](https://www.example.org/r{i})" for i in range(40))
    text = (
        f"Anzeige\n\n__12\\. Dezember 2022   \n\n{menu}\n\n"
        "# Ammoniak-Spaltung durch LEDs statt Hitze\n\n"
        "## Neuartiger Lichtreaktor erleichtert die Rückgewinnung\n\n28\\. November 2022\n\n"
        + "\n\n".join(PROSE_DE * 2 for _ in range(6))
        + "\n\n© 2022 Example\n"
    )
    assert main_article(text)["published"].date() == date(2022, 11, 28)


def _sidebar_page(title: str, sidebar: str) -> str:
    """A blog post with no dateline near its title and a sidebar far below it."""
    body = "\n\n".join(PROSE_DE * 2 for _ in range(6))
    widgets = "\n\n".join(f"Widget {i}: Neuigkeiten aus der Region" for i in range(25))
    menu = "\n".join(f"  * [Rubrik {i}](https://www.example.org/r{i})" for i in range(8))
    return f"{menu}\n\n# {title}\n\n{body}\n\n## Teilen\n\n{widgets}\n\n{sidebar}\n"


CALENDAR = (
    "## Veranstaltungen\n\nSa. 13.11.2021\n\n[Erlebnisraum Kirche](https://www.example.org/e1)"
    "\n\nSo. 14.11.2021\n\n[Gospelgottesdienst](https://www.example.org/e2)"
)
TEASERS = (
    "Jul 3, 2019\n\n[Her mit den schönen Kleidern](https://www.example.org/k)\n\n"
    "Jul 3, 2019\n\nJul 3, 2019"
)


@pytest.mark.parametrize(("listed", "day"), [(CALENDAR, 13), (TEASERS, 3)])
def test_a_list_date_only_when_the_page_prints_no_other(listed: str, day: int) -> None:
    row = main_article(_sidebar_page("Trauern digital am Ewigkeitssonntag", listed))
    assert row["published_source"] == "page_date"
    assert row["published"].day == day


def test_a_dateline_and_byline_printing_the_same_day_are_no_list() -> None:
    sidebar = "medellín 04 de mayo 2022, 12:00 A. M.\n\nSm\n\nDavid Calle 04 de mayo 2022"
    row = main_article(_sidebar_page("Elecciones en la universidad", sidebar))
    assert row["published_source"] == "page_date"
    assert row["published"].date() == date(2022, 5, 4)


@pytest.mark.parametrize(
    ("meta", "prose", "hours"),
    [
        ("Strava · Publiziert vor einer Stunde", PROSE_DE, 1),
        ("Par Jeanne Martin · il y a une heure", PROSE_FR, 1),
        ("Por Ana Ruiz · hace un día", PROSE_ES, 24),
        ("By Ana Ruiz · an hour ago", PROSE_EN, 1),
    ],
)
def test_a_relative_count_of_one_in_words(meta: str, prose: str, hours: int) -> None:
    text = site_page("Ferry terminal to close", [meta], prose)
    drafts = drafts_frame(parse_page(text, "page.md").articles)
    articles, _ = build_tables(drafts, reference_time=REF)
    row = articles[articles["role"] == "main"].iloc[0]
    assert row["published"] == pd.Timestamp(REF - timedelta(hours=hours))


def test_vague_counts_stay_unresolved() -> None:
    text = site_page("Ferry terminal to close", ["By Ana Ruiz · a few hours ago"], PROSE_EN)
    drafts = drafts_frame(parse_page(text, "page.md").articles)
    articles, _ = build_tables(drafts, reference_time=REF)
    assert pd.isna(articles[articles["role"] == "main"].iloc[0]["published"])


@pytest.mark.parametrize(
    ("dateline", "stated", "kept"),
    [
        # Metadata on the printed day is more exact: it wins.
        ("Stand: 28.04.2020 18:00 Uhr", "2020-04-28T16:00:00+00:00", False),
        # On another day too (the page's own statement), unless a UTC time one day off.
        ("Stand: 28.04.2020 18:00 Uhr", "2020-04-20T11:52:23+02:00", False),
        ("Stand: 28.04.2020 18:00 Uhr", "2020-04-27T23:00:00Z", True),
        # A numeric dateline that reads either way, confirmed month first; the UTC
        # rule holds for either reading.
        ("11/01/2021, 05:00", "2021-11-01T05:00:00+01:00", False),
        ("11/01/2021, 05:00", "2021-10-31T23:00:00Z", True),
    ],
)
def test_a_printed_dateline_against_html_metadata(dateline: str, stated: str, kept: bool) -> None:
    page = dated_page("dateline", dateline)
    apply_evidence(page, [Evidence("published", stated, "jsonld", 3)], None)
    main = page.articles[0]
    assert (main.published_raw == dateline) is kept
    assert main.published_source == ("dateline" if kept else "jsonld")


def test_read_days_gives_both_readings_only_when_ambiguous() -> None:
    assert [d.date() for d in read_days("11/01/2021")] == [date(2021, 1, 11), date(2021, 11, 1)]
    assert [d.date() for d in read_days("25/01/2021")] == [date(2021, 1, 25)]
    assert [d.date() for d in read_days("05.05.2021")] == [date(2021, 5, 5)]
    assert [d.date() for d in read_days("01.02.2021")] == [date(2021, 2, 1)]
    assert read_days("no date") == ()
