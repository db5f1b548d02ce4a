"""Datelines on Markdown pages: written forms with times and zones, relative dates,
where on the page the date stands, and the last-resort page date
(``parse/dateline.py``, ``parse/relative_dates.py``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.model import ArticleDraft, Evidence, ParsedPage
from corpus_qa.parse import parse_page
from corpus_qa.parse.dateline import read_datetime
from corpus_qa.parse.datelines import parse_published
from corpus_qa.parse.evidence import apply_evidence
from corpus_qa.parse.relative_dates import find_relative
from corpus_qa.tables.build import build_tables, drafts_frame
from tests.test_parse_dateline import PROSE_DE, PROSE_EN, main_article, site_page

REF = datetime(2025, 7, 25, 12, 0, tzinfo=UTC)

PROSE_ES = (
    "El concejo municipal votó el martes el cierre de la vieja terminal de transbordadores "
    "después de que los ingenieros encontraran grietas en el muelle que no podían repararse. "
)
PROSE_FR = (
    "Le conseil municipal a voté mardi la fermeture de l'ancien terminal des ferries après "
    "que des ingénieurs ont trouvé dans la jetée des fissures impossibles à réparer. "
)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("06.07.2018, 10:29", "2018-07-06 10:29"),
        ("11.12.2022 - 05:00", "2022-12-11 05:00"),
        ("04/05/2022 05:49", "2022-05-04 05:49"),
        ("08/05/2022 02:14 a.m.", "2022-05-08 02:14"),
        ("12/25/2022", "2022-12-25 00:00"),
        ("19. Oktober 2019, 19:08 Uhr", "2019-10-19 19:08"),
        ("1. Januar 2023 um 9:30 Uhr (MEZ)", "2023-01-01 08:30"),
        ("4 de mayo de 2022, 12:00 A. M.", "2022-05-04 00:00"),
        ("jeudi 13 juin 2019 à 9h30", "2019-06-13 09:30"),
        ("Thursday, August 6, 2020 9:09:24 PM", "2020-08-06 21:09"),
        ("May 3, 2022 at 4:05 p.m. EDT", "2022-05-03 20:05"),
        ("5 May 2022 10:00 GMT+2", "2022-05-05 08:00"),
        ("2022-05-03T14:45+02:00", "2022-05-03 12:45"),
        ("2018-08-29 14:15:57", "2018-08-29 14:15"),
    ],
)
def test_read_datetime_keeps_time_and_zone(written: str, expected: str) -> None:
    moment = read_datetime(written)
    assert moment is not None
    assert moment.strftime("%Y-%m-%d %H:%M") == expected
    assert moment.tzinfo is not None


def test_dotted_dates_are_never_month_first() -> None:
    assert read_datetime("Rechnung 12.13.2022") is None
    assert read_datetime("13/12/2022") == datetime(2022, 12, 13, tzinfo=UTC)


@given(
    moment=st.datetimes(min_value=datetime(1995, 1, 1), max_value=datetime(2035, 12, 31)),
    sep=st.sampled_from([".", "/", "-"]),
)
def test_day_first_numbers_with_a_time_read_back(moment: datetime, sep: str) -> None:
    written = f"{moment.day:02d}{sep}{moment.month:02d}{sep}{moment.year}, {moment:%H:%M}"
    expected = moment.replace(second=0, microsecond=0, tzinfo=UTC)
    assert read_datetime(written) == expected


def test_a_dateline_row_is_read_day_first_by_the_table() -> None:
    raw = pd.Series(["04/05/2022", "04/05/2022", "06.07.2018, 10:29"], dtype="str")
    printed = pd.Series([True, False, True])
    out = parse_published(raw, None, printed)
    assert out.iloc[0].date() == date(2022, 5, 4)
    # A scraper's field keeps the generic reading (month first).
    assert out.iloc[1].date() == date(2022, 4, 5)
    assert str(out.iloc[2]) == "2018-07-06 10:29:00+00:00"


@pytest.mark.parametrize(
    ("written", "back"),
    [
        ("vor 3 Stunden", timedelta(hours=3)),
        ("il y a 2 jours", timedelta(days=2)),
        ("hace 5 minutos", timedelta(minutes=5)),
        ("há 2 dias", timedelta(days=2)),
        ("4h ago", timedelta(hours=4)),
        ("Gestern, 14:30 Uhr", REF - datetime(2025, 7, 24, 14, 30, tzinfo=UTC)),
        ("hier à 9h30", REF - datetime(2025, 7, 24, 9, 30, tzinfo=UTC)),
    ],
)
def test_relative_datelines_count_back_from_the_reference(written: str, back: timedelta) -> None:
    assert read_datetime(written) is None
    assert read_datetime(written, REF) == REF - back


def test_a_day_word_alone_is_no_dateline() -> None:
    assert find_relative("Gestern sagte der Bürgermeister") == []
    assert find_relative("Subscribe today") == []
    assert [m.group(0) for m in find_relative("Von Ana Ruiz · vor 3 Stunden")] == ["vor 3 Stunden"]


def test_spanish_publication_label_wins_over_the_update() -> None:
    text = site_page(
        "Cierran la terminal de transbordadores",
        ["Actualizado: 5 de mayo de 2022, 10:15 | Publicado: 4 de mayo de 2022, 08:00"],
        PROSE_ES,
        teaser_date="3 de mayo de 2022",
    )
    row = main_article(text)
    assert row["published_raw"] == "4 de mayo de 2022, 08:00"
    assert str(row["published"]) == "2022-05-04 08:00:00+00:00"


def test_french_dateline_with_time_and_an_update() -> None:
    text = site_page(
        "Le terminal des ferries va fermer",
        ["Publié le 3 mai 2022 à 9h30, mis à jour le 4 mai 2022 à 11h00"],
        PROSE_FR,
    )
    row = main_article(text)
    assert row["published"] == pd.Timestamp("2022-05-03 09:30", tz="UTC")
    assert row["published_source"] == "dateline"


def test_a_label_on_the_line_above_the_date_counts() -> None:
    text = site_page(
        "Fährterminal wird geschlossen",
        ["Stand: 05.05.2022", "##### Datum:", "03.05.2022"],
        PROSE_DE,
    )
    assert main_article(text)["published"].date() == date(2022, 5, 3)


def test_a_date_line_beats_a_date_inside_a_short_sentence() -> None:
    text = site_page(
        "Neue Präsidentin gewählt",
        ["Generalsekretär ist seit 1. Januar 2020 Marc Frings, der zuvor in Ramallah war.",
         "19.11.2021"],
        PROSE_DE,
    )  # fmt: skip
    assert main_article(text)["published"].date() == date(2021, 11, 19)


def test_of_two_dates_on_one_line_the_earlier_is_published() -> None:
    text = site_page("Ferry terminal to close", ["2018-08-29 14:15 2018-06-22 10:20"], PROSE_EN)
    assert main_article(text)["published"].date() == date(2018, 6, 22)


def test_share_buttons_between_date_and_title_do_not_count() -> None:
    shares = "\n".join(f"  * [Share {i}](https://share.example.org/{i})" for i in range(16))
    icons = "\n\n".join(f"![](https://www.example.org/icon{i}.svg)" for i in range(6))
    body = "\n\n".join(PROSE_EN * 2 for _ in range(6))
    text = (
        "  * [Home](https://www.example.org/)\n\nMay 3, 2022\n\n"
        f"{shares}\n\n{icons}\n\n# Ferry terminal to close\n\n{body}\n\n© 2024 Example\n"
    )
    row = main_article(text)
    assert row["published_raw"] == "May 3, 2022"
    assert row["published_source"] == "dateline"


def test_a_date_far_from_the_article_is_the_last_resort_page_date() -> None:
    header = "\n\n".join(f"Wetter in Region {i}: sonnig" for i in range(14))
    text = f"Samstag, 9. September 2017\n\n{header}\n\n" + site_page(
        "Fährterminal wird geschlossen", [], PROSE_DE
    )
    row = main_article(text)
    assert row["published_raw"] == "9. September 2017"
    assert row["published_source"] == "page_date"
    assert row["published"].date() == date(2017, 9, 9)


def test_a_relative_dateline_is_resolved_against_the_reference_time() -> None:
    text = site_page(
        "Fährterminal wird geschlossen",
        ["Von [Greta Sommer](https://www.example.org/autor/greta-sommer) · vor 3 Stunden"],
        PROSE_DE,
    )
    drafts = drafts_frame(parse_page(text, "page.md").articles)
    articles, _ = build_tables(drafts, reference_time=REF)
    row = articles[articles["role"] == "main"].iloc[0]
    assert row["published_raw"] == "vor 3 Stunden"
    assert row["published"] == pd.Timestamp(REF - timedelta(hours=3))
    # Without a reference time the date stays unresolved but present (no date.missing).
    articles, _ = build_tables(drafts)
    assert pd.isna(articles[articles["role"] == "main"].iloc[0]["published"])


def test_an_absolute_date_near_the_title_beats_a_relative_one() -> None:
    text = site_page("Ferry terminal to close", ["2 hours ago", "May 3, 2022"], PROSE_EN)
    assert main_article(text)["published_raw"] == "May 3, 2022"


def dated_page(source: str, raw: str = "9. September 2017") -> ParsedPage:
    """One HTML page's main draft, dated ``raw`` from ``source``."""
    draft = ArticleDraft(
        record_id="p#0",
        source_path="p.html",
        line_start=1,
        line_end=2,
        role="main",
        title="T",
        title_line=1,
        body="text",
        body_lines=[2],
        published_raw=raw,
        published_source=source,  # type: ignore[arg-type]
    )
    return ParsedPage("p.html", [draft], [], "page")


@pytest.mark.parametrize(("source", "kept"), [("page_date", False), ("dateline", True)])
def test_html_evidence_beats_a_page_date_but_not_a_dateline(source: str, kept: bool) -> None:
    page = dated_page(source)
    apply_evidence(page, [Evidence("published", "2017-09-12", "htmldate", 1)], None)
    main = page.articles[0]
    assert (main.published_raw == "9. September 2017") is kept
    assert main.published_source == (source if kept else "htmldate")


@given(st.text(alphabet="0123456789 .:/-+apmAPMUTCGESTh,()MaiJanvierhace", max_size=40))
def test_reading_never_raises(value: str) -> None:
    moment = read_datetime(value, REF)
    assert moment is None or moment.tzinfo is not None
