"""The parser and the accuracy harness agree on what a visible date is: a page whose
lines near the title carry a date in any form the harness's detector accepts
(``accuracy.run.date_visible``), in any lexicon language, gets a published date and
no ``date.missing`` (``parse/date_forms.py``, ``parse/dateline.py``)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from accuracy.run import date_visible
from checks.dates import DateMissing
from corpus_qa.lexicons import languages, phrases
from corpus_qa.parse import parse_page
from corpus_qa.parse.dateline import read_date, read_datetime, read_days
from corpus_qa.tables.build import build_tables, drafts_frame
from tests.conftest import examples
from tests.test_parse_dateline import PROSE_DE, PROSE_EN
from tests.test_parse_dateline_forms import PROSE_ES, PROSE_FR

REF = datetime(2025, 7, 25, 12, 0, tzinfo=UTC)
DAYS = st.dates(min_value=date(1995, 1, 1), max_value=date(2035, 12, 31))
PROSE_IT = (
    "Il consiglio comunale ha votato martedì la chiusura del vecchio terminal dei traghetti "
    "dopo che gli ingegneri avevano trovato nel molo crepe che non si potevano riparare. "
)
PROSE_PL = (
    "Rada miasta zagłosowała we wtorek za zamknięciem starego terminalu promowego, gdy "
    "inżynierowie znaleźli w molo pęknięcia, których nie dało się naprawić w budżecie. "
)
#: Prose and a by-word per language; other lexicon languages borrow English prose
#: (the date's language is what is tested, not the story's).
PROSE = {"de": PROSE_DE, "en": PROSE_EN, "es": PROSE_ES, "fr": PROSE_FR, "it": PROSE_IT,
         "pl": PROSE_PL}  # fmt: skip


def _month_langs() -> list[str]:
    out = []
    for lang in languages():
        try:
            if phrases("date_months.m01", [lang]):
                out.append(lang)
        except KeyError:
            continue
    return out


MONTH_LANGS = _month_langs()


@st.composite
def written_dates(draw: st.DrawFn, day: date) -> str:
    """``day`` in a form the harness's detector accepts, with the words around it
    datelines print: a weekday, an ordinal, a time, a zone."""
    lang = draw(st.sampled_from(MONTH_LANGS))
    name = draw(st.sampled_from(phrases(f"date_months.m{day.month:02d}", [lang])))
    name = draw(st.sampled_from([name, name.rstrip("."), name.upper(), name.lower()]))
    d, dd = str(day.day), f"{day.day:02d}"
    m, mm, y = str(day.month), f"{day.month:02d}", str(day.year)
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(day.day, "th")
    form = draw(
        st.sampled_from([
            f"{y}-{mm}-{dd}", f"{d}.{m}.{y}", f"{dd}.{mm}.{y}", f"{dd}/{mm}/{y}", f"{d}-{m}-{y}",
            f"{m}/{d}/{y}", f"{dd}. {mm}. {y}", f"{d}. {name} {y}", f"{d} {name} {y}",
            f"{dd} {name}, {y}", f"{d} de {name} de {y}", f"{name} {d}, {y}", f"{name} {d} {y}",
            f"{name} {d}{suffix}, {y}", f"{d}{suffix} {name} {y}", f"{d}º de {name} de {y}",
            f"le {d}{'er' if day.day == 1 else ''} {name} {y}",
        ])
    )  # fmt: skip
    before = draw(st.sampled_from(["", "Tuesday, ", "Dienstag, ", "mardi ", "Di., "]))
    after = draw(
        st.sampled_from(["", ", 14:45", " um 9:30 Uhr", " at 4:05 p.m. EDT", " à 9h30",
                         " 10:00 GMT+2", " (MEZ)", " | 3 min read", "T09:30:00+02:00"])
    )  # fmt: skip
    return before + form + after


@given(data=st.data(), day=DAYS)
def test_every_form_the_detector_sees_the_parser_reads(data: st.DataObject, day: date) -> None:
    written = data.draw(written_dates(day))
    assume(date_visible(written, day.isoformat()))
    # The day itself, or the other reading of a slashed date both numbers could mean.
    assert datetime(day.year, day.month, day.day, tzinfo=UTC) in read_days(written), written


#: A line opening like an ordered list item ("01. 01. 2000"), which html2text escapes.
_LIST_LIKE = re.compile(r"^([0-9]+)\. ", re.MULTILINE)


def _page(lang: str, title: str, meta: list[str], lede: str = "") -> str:
    """A whole-page scrape: a menu, the title, lines under it, the article, teasers;
    escaped as html2text writes a page (``01\\. 01. 2000``)."""
    meta = [_LIST_LIKE.sub(r"\1\\. ", m) for m in meta]
    prose = PROSE.get(lang, PROSE_EN)
    menu = "\n".join(f"  * [Rubrik {i}](https://www.example.org/r{i})" for i in range(6))
    body = "\n\n".join(prose * 2 for _ in range(5))
    teasers = "\n".join(
        f"  * [Weitere Meldung {i}](https://www.example.org/t{i})" for i in range(3)
    )
    lead = _LIST_LIKE.sub(r"\1\\. ", f"{lede}\n\n") if lede else ""
    return f"{menu}\n\n# {title}\n\n" + "\n\n".join(meta) + f"\n\n{lead}{body}\n\n{teasers}\n"


def _main(text: str, reference: datetime | None = None) -> tuple[pd.Series, int]:
    """The page's main article row and how many ``date.missing`` rows its table gets."""
    articles, images = build_tables(
        drafts_frame(parse_page(text, "page.md").articles), reference_time=reference
    )
    missing = DateMissing().run(articles, images)
    return articles[articles["role"] == "main"].iloc[0], len(missing)


@st.composite
def dated_pages(draw: st.DrawFn) -> tuple[str, date]:
    """A page whose early lines show a date where themes print one."""
    day = draw(DAYS)
    lang = draw(st.sampled_from(MONTH_LANGS))
    written = draw(written_dates(day))
    label = draw(st.sampled_from(["", *phrases("dates.dateline.published", [lang])[:2]]))
    dateline = f"{label} {written}".strip()
    by = draw(st.sampled_from(phrases("byline.by_words", [lang]) or ("By",)))
    place = draw(
        st.sampled_from(["own_line", "byline", "above", "linked", "list", "lede", "badge"])
    )
    byline = f"{by.capitalize()} [Greta Sommer](https://www.example.org/autor/greta-sommer)"
    meta, lede, above = [byline], "", ""
    if place == "own_line":
        meta.append(dateline)
    elif place == "byline":
        meta = [f"{byline} | {dateline}"]
    elif place == "above":
        above = dateline
    elif place == "linked":
        meta.append(f"[{dateline}](https://www.example.org/{day.year}/{day.month}/)")
    elif place == "list":
        meta.append(
            f"  * [{dateline}](https://www.example.org/archiv)\n  * [Teilen](https://x.example)"
        )
    elif place == "lede":
        lede = f"{dateline} – " + PROSE.get(lang, PROSE_EN) * 2
    else:
        assume(" " in written and written[:2].strip().isdigit())
        head, _, rest = written.partition(" ")
        meta.append(f"{head}\n\n{rest}")
    text = _page(lang, "Fährterminal wird nach Rissen im Pier geschlossen", meta, lede)
    if above:
        above = _LIST_LIKE.sub(r"\1\\. ", above)
        text = text.replace("\n\n# ", f"\n\n{above}\n\n# ", 1)
    return text, day


@settings(max_examples=examples(400))
@given(page=dated_pages())
def test_a_page_showing_its_date_gets_one_and_no_date_missing(page: tuple[str, date]) -> None:
    text, day = page
    assume(date_visible(text, day.isoformat()))
    row, missing = _main(text)
    assert missing == 0, text
    assert row["published_source"] in ("dateline", "page_date", "page_text")
    read = read_days(str(row["published_raw"]))
    assert datetime(day.year, day.month, day.day, tzinfo=UTC) in read, row["published_raw"]


@settings(max_examples=examples(200))
@given(
    hours=st.integers(min_value=1, max_value=23),
    form=st.sampled_from(["vor {n} Stunden", "{n} hours ago", "il y a {n} heures",
                          "hace {n} horas"]),
)  # fmt: skip
def test_a_relative_dateline_resolves_against_the_reference_time(hours: int, form: str) -> None:
    text = _page("en", "Ferry terminal to close after cracks found", [form.format(n=hours)])
    row, missing = _main(text, REF)
    assert missing == 0
    assert row["published"] == pd.Timestamp(REF - timedelta(hours=hours))


def test_numeric_orders_and_cjk_dates_read() -> None:
    for written in ("2022年5月3日", "2022年05月03日 14:30", "2022년 5월 3일", "2022/05/03",
                    "2022. 5. 3.", "2022.05.03", "1° maggio 2022", "1.º de maio de 2022"):  # fmt: skip
        found = read_date(written)
        assert found is not None, written
        assert found.date() in (date(2022, 5, 3), date(2022, 5, 1)), written
    moment = read_datetime("2022年5月3日 14:30")
    assert moment is not None and moment.hour == 14
    # A version number is no date: "2022.1.2" unpadded, "2022.05.03.1" a fourth part.
    for version in ("PyCharm 2022.1.2", "Release 2022.05.03.1"):
        assert read_date(version) is None, version


def test_a_date_only_a_teaser_list_prints_is_the_weakest_guess() -> None:
    teasers = "\n".join(
        f"  * [Weitere Meldung {i}](https://www.example.org/t{i}) {i + 1}. März 2014"
        for i in range(3)
    )
    row, missing = _main(_page("de", "Streit ums Feuerholz im Gemeindewald", [teasers]))
    assert missing == 0
    assert row["published_source"] == "page_text"
    assert row["published"].date() == date(2014, 3, 1)


def test_a_date_printed_across_lines_is_read() -> None:
    badge = "03\n\nMai 2022"
    row, missing = _main(_page("de", "Streit ums Feuerholz im Gemeindewald", [badge]))
    assert missing == 0
    assert row["published_source"] == "page_text"
    assert row["published"].date() == date(2022, 5, 3)


def test_a_labelled_date_in_a_closing_sentence_is_the_page_date() -> None:
    closing = (
        "Erstellt am Dienstag 6. Mai 2014 um 23:30 und abgelegt unter "
        "[Linux](https://www.example.org/c/linux), [Tutorials](https://www.example.org/c/t)"
    )
    text = _page("de", "Streit ums Feuerholz im Gemeindewald", []) + f"\n{closing}\n"
    row, missing = _main(text)
    assert missing == 0
    assert row["published_source"] == "page_date"
    assert row["published"].date() == date(2014, 5, 6)


def test_a_page_with_no_date_in_its_text_is_still_undated() -> None:
    text = _page("en", "Ferry terminal to close after cracks found", ["By Greta Sommer"])
    text += "\n![](https://www.example.org/uploads/2022-05-03-pier.jpg)\n"
    row, missing = _main(text)
    assert pd.isna(row["published_raw"])
    assert missing == 1
    assert not date_visible(text, "2022-05-03")


def test_a_plain_article_finds_its_date_as_a_full_page_does() -> None:
    # No site chrome: the generic layout, whose date line search looks only at the
    # lines right under the title.
    text = (
        "# Rathaus schließt das alte Fährterminal\n\n"
        + PROSE_DE * 2
        + "\n\n"
        + PROSE_DE
        + "\n\nDie Sitzung vom 03.05.2022 dauerte bis spät in die Nacht.\n"
    )
    parsed = parse_page(text, "page.md")
    assert parsed.layout == "generic"
    row, missing = _main(text)
    assert missing == 0
    assert row["published"].date() == date(2022, 5, 3)
