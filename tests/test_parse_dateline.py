"""The dateline a whole page prints near its title or byline (``parse/dateline.py``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.parse import parse_page
from corpus_qa.parse.dateline import read_date
from corpus_qa.parse.datelines import parse_published
from corpus_qa.tables.build import build_tables, drafts_frame

PROSE_DE = (
    "Der Gemeinderat hat am Dienstag beschlossen, das alte Fährterminal zu schließen, "
    "nachdem Ingenieure Risse im Pier gefunden hatten, die sich nicht reparieren ließen. "
)
PROSE_EN = (
    "The harbour authority voted on Tuesday to close the old ferry terminal after "
    "engineers found cracks in the pier that could not be repaired within the budget. "
)


def site_page(title: str, meta: list[str], prose: str, teaser_date: str = "") -> str:
    """A whole-page scrape: menu, title, metadata lines, article, teasers, footer."""
    menu = "\n".join(f"  * [Rubrik {i}](https://www.example.org/r{i})" for i in range(8))
    body = "\n\n".join(prose * 2 for _ in range(6))
    teasers = "\n".join(
        f"  * [Weitere Meldung {i} {teaser_date}](https://www.example.org/t{i})" for i in range(4)
    )
    return (
        f"{menu}\n\n# {title}\n\n"
        + "\n\n".join(meta)
        + f"\n\n{body}\n\n## Mehr zum Thema\n\n{teasers}\n\n© 2024 Example\n"
    )


def main_article(text: str) -> pd.Series:
    articles, _ = build_tables(drafts_frame(parse_page(text, "page.md").articles))
    return articles[articles["role"] == "main"].iloc[0]


def test_german_dateline_with_label_beside_the_byline() -> None:
    text = site_page(
        "Fährterminal wird geschlossen",
        ["Von [Greta Sommer](https://www.example.org/autor/greta-sommer)",
         "Veröffentlicht am 3. Mai 2022, 14:45 Uhr"],
        PROSE_DE,
    )  # fmt: skip
    row = main_article(text)
    assert row["published_raw"] == "3. Mai 2022, 14:45 Uhr"
    assert row["published_source"] == "dateline"
    assert row["published"].date() == date(2022, 5, 3)
    assert row["byline"] == "Greta Sommer"


def test_publication_label_wins_over_an_update_and_a_teaser_date() -> None:
    text = site_page(
        "Ferry terminal to close",
        ["Updated June 1, 2023 | Published May 30, 2023 | By Ana Ruiz"],
        PROSE_EN,
        teaser_date="12.04.2021",
    )
    row = main_article(text)
    assert row["published_raw"] == "May 30, 2023"
    assert row["published"].date() == date(2023, 5, 30)


def test_update_date_counts_only_when_no_other_is_shown() -> None:
    text = site_page("Ferry terminal to close", ["Last updated 02.06.2023"], PROSE_EN)
    assert main_article(text)["published"].date() == date(2023, 6, 2)


def test_a_date_inside_the_story_is_not_the_dateline() -> None:
    story = (
        "On 3 May 2022 the harbour authority voted to close the old ferry terminal after "
        "engineers found cracks in the pier that could not be repaired within the budget. "
    )
    text = site_page("Ferry terminal to close", [story * 2], PROSE_EN)
    row = main_article(text)
    # Only the weakest guess, which says so: the page shows no other date.
    assert row["published_source"] == "page_text"
    assert row["published"].date() == date(2022, 5, 3)


def test_no_calendar_day_is_no_date() -> None:
    assert read_date("31.02.2022") is None
    assert read_date("Order no. 12.13.2022") is None
    assert read_date("1850-01-01") is None


_WRITTEN = {
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
}  # fmt: skip


@given(
    day=st.dates(min_value=date(1995, 1, 1), max_value=date(2035, 12, 31)),
    form=st.sampled_from(["iso", "dots", "de", "fr", "en", "es"]),
)
def test_read_date_reads_every_form_it_promises(day: date, form: str) -> None:
    written = {
        "iso": day.isoformat(),
        "dots": f"{day.day}.{day.month:02d}.{day.year}",
        "de": f"{day.day}. {_WRITTEN['de'][day.month - 1]} {day.year}",
        "fr": f"le {day.day} {_WRITTEN['fr'][day.month - 1]} {day.year} à 9h30",
        "en": f"{_WRITTEN['en'][day.month - 1]} {day.day}, {day.year}",
        "es": f"{day.day} de {_WRITTEN['es'][day.month - 1]} de {day.year}",
    }[form]
    assert read_date(written) == datetime(day.year, day.month, day.day, tzinfo=UTC)
    # The table's parser reads the same value to the same day.
    assert parse_published(pd.Series([written])).iloc[0].date() == day
