"""A Markdown page opening with a one-line navigation bar (issue 19): the bar is site
chrome, the title and the byline under it are found as on a page without it.

Pages are written here: a nav bar of links between separators, a title, a byline in
the page's language, a few paragraphs of news prose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.parse.layouts import parse_page
from corpus_qa.parse.navbar import is_nav_bar
from corpus_qa.tables.build import build_tables, drafts_frame
from tests.conftest import run_check
from tests.test_parse_pages import assert_accounting

PROSE = {
    "en": (
        "The council voted late on Tuesday to keep the old harbour warehouse after a long "
        "debate about its future. Most members backed a renovation, with the city and the "
        "region sharing the cost.",
        "Residents had collected signatures for months; the campaign called the vote a "
        "success but warned that the tender could still be delayed.",
        "Work is due to start in the autumn and take about two years, the council said. "
        "Until then the building stays closed to visitors.",
    ),
    "de": (
        "Der Stadtrat hat am Dienstagabend nach langer Debatte über die Zukunft des alten "
        "Hafenspeichers entschieden. Die Mehrheit stimmte für eine Sanierung, die Kosten "
        "sollen sich Stadt und Land teilen.",
        "Anwohner hatten zuvor monatelang Unterschriften gesammelt; die Initiative spricht "
        "von einem Erfolg, warnt aber vor weiteren Verzögerungen bei der Ausschreibung.",
        "Die Arbeiten sollen im Herbst beginnen und rund zwei Jahre dauern, teilte die "
        "Verwaltung mit. Bis dahin bleibt das Gebäude für Besucher geschlossen.",
    ),
    "fr": (
        "Le conseil municipal a voté mardi soir la rénovation de l'ancien entrepôt du port "
        "après un long débat. La ville et la région partageront les coûts des travaux.",
        "Les riverains avaient recueilli des signatures pendant des mois ; le collectif "
        "salue une victoire mais craint de nouveaux retards dans l'appel d'offres.",
        "Les travaux doivent commencer à l'automne et durer environ deux ans, a précisé la "
        "mairie. D'ici là, le bâtiment reste fermé au public.",
    ),
    "es": (
        "El ayuntamiento aprobó el martes por la noche la rehabilitación del antiguo "
        "almacén del puerto tras un largo debate. La ciudad y la región compartirán el coste.",
        "Los vecinos habían recogido firmas durante meses; la plataforma habla de un éxito, "
        "pero teme nuevos retrasos en la licitación de las obras.",
        "Las obras comenzarán en otoño y durarán unos dos años, según el ayuntamiento. "
        "Hasta entonces el edificio permanecerá cerrado a los visitantes.",
    ),
}
TITLES = {
    "en": "Harbour warehouse to be renovated",
    "de": "Hafenspeicher wird saniert",
    "fr": "L'entrepôt du port sera rénové",
    "es": "El almacén del puerto será rehabilitado",
}
BYLINES = {
    "en": ("By", "Jane Doe"),
    "de": ("Von", "Anna Keller"),
    "fr": ("Par", "Camille Martin"),
    "es": ("Por", "Lucía Fernández"),
}
SECTIONS = ("Home", "Politik", "Wirtschaft", "Sport", "Kultur", "Wissen", "Reisen", "Auto")


def nav_bar(links: int, sep: str) -> str:
    return sep.join(f"[{SECTIONS[k % 8]}](/{SECTIONS[k % 8].lower()}{k})" for k in range(links))


def article(lang: str, head: str, *, byline: str | None = None, body_extra: str = "") -> str:
    by, name = BYLINES[lang]
    parts = [head, f"# {TITLES[lang]}", byline or f"{by} {name}", *PROSE[lang]]
    if body_extra:
        parts.insert(4, body_extra)
    return "\n\n".join(part for part in parts if part) + "\n"


def main_row(text: str) -> tuple[str | None, str | None, str]:
    parsed = parse_page(text, "p.md")
    assert_accounting(text, parsed)
    articles, _ = build_tables(drafts_frame(parsed.articles))
    row = articles.iloc[0]
    byline = row["byline"] if isinstance(row["byline"], str) else None
    return byline, row["title"], str(row["body"])


@pytest.mark.parametrize("lang", sorted(BYLINES))
@pytest.mark.parametrize(
    ("links", "sep"), [(2, " | "), (3, " · "), (5, " / "), (7, " • "), (10, " "), (4, "|")]
)
def test_byline_under_a_nav_bar_is_found(lang: str, links: int, sep: str) -> None:
    byline, title, body = main_row(article(lang, nav_bar(links, sep)))
    assert title == TITLES[lang]
    assert byline == BYLINES[lang][1]
    assert body.startswith(PROSE[lang][0])
    assert "](/" not in body


def test_same_byline_and_title_as_without_the_bar() -> None:
    # English: a bare article's opening "By" line is read without any chrome around it.
    plain = main_row(article("en", ""))
    assert plain[0] == "Jane Doe"
    assert main_row(article("en", nav_bar(4, " | ")))[:2] == plain[:2]


def test_nav_bar_is_chrome_in_the_accounting() -> None:
    text = article("de", nav_bar(5, " | "))
    spans = parse_page(text, "p.md").chrome
    assert [(s.line_start, s.kind) for s in spans if s.line_start == 1] == [(1, "chrome")]


def test_body_paragraph_with_inline_links_stays_in_the_body() -> None:
    inline = (
        "Der [Stadtrat](/stadtrat) folgte damit einem Antrag der [Initiative](/ini) | "
        "wie schon im vergangenen Jahr / beim Freibad."
    )
    assert not is_nav_bar(inline)
    byline, _title, body = main_row(article("de", nav_bar(3, " | "), body_extra=inline))
    assert byline == "Anna Keller"
    assert inline in body


def test_a_byline_of_links_is_a_byline_not_a_nav_bar() -> None:
    line = "By [Jane Doe](/author/jane-doe) | [Tom Hale](/author/tom-hale)"
    assert not is_nav_bar(line)
    byline, title, _ = main_row(article("en", nav_bar(4, " | "), byline=line))
    assert title == TITLES["en"]
    assert byline is not None and "Jane Doe" in byline


def test_related_links_inside_the_body_do_not_move_the_title() -> None:
    related = "[Neue Buslinie ab Mai](/bus) | [Freibad öffnet früher](/freibad)"
    text = article("de", nav_bar(4, " · "), body_extra=related)
    byline, title, body = main_row(text)
    assert (byline, title) == ("Anna Keller", TITLES["de"])
    assert PROSE["de"][2] in body


@pytest.mark.parametrize(
    "line",
    [
        "[Home](/)",  # one link: a heading's link, a "read more"
        "[Home](/) | Politik",  # a word of its own
        "Mehr zum Thema: [A](/a) | [B](/b)",
        "[](/a) | [](/b)",  # no text in the links
        "* Home | Politik | Sport",
    ],
)
def test_not_a_nav_bar(line: str) -> None:
    assert not is_nav_bar(line)


_LABEL = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=12)


@given(
    st.lists(_LABEL, min_size=2, max_size=10), st.sampled_from([" | ", " · ", " / ", " • ", " "])
)
def test_links_and_separators_are_a_nav_bar(labels: list[str], sep: str) -> None:
    line = sep.join(f"[{label}](/{k})" for k, label in enumerate(labels))
    assert is_nav_bar(line)
    assert not is_nav_bar("Lesen Sie " + line)


@pytest.mark.slow
def test_cli_markdown_page_and_scraper_record(tmp_path: Path) -> None:
    """Through the CLI: the printed byline, not ``byline.missing`` nor the metadata's."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "hafen.md").write_text(article("de", nav_bar(5, " | ")), encoding="utf-8")
    _, report, findings = run_check(pages, tmp_path / "out-pages")
    assert not [f for f in findings if f["check"] == "byline.missing"]
    assert [r["byline"] for r in report["records"].values()] == ["Anna Keller"]
    record = {
        "markdown": article("fr", nav_bar(4, " · ")),
        "metadata": {
            "title": TITLES["fr"],
            "sourceURL": "https://www.lequai.example/local/entrepot",
            "author": "Rédaction Le Quai",
            "language": "fr",
        },
    }
    dump = tmp_path / "firecrawl.jsonl"
    dump.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    _, report, findings = run_check(dump, tmp_path / "out-records")
    rows = list(report["records"].values())
    assert [(r["title"], r["byline"], r["byline_source"]) for r in rows] == [
        (TITLES["fr"], "Camille Martin", "by_line")
    ]
    assert not [f for f in findings if f["check"] == "byline.missing"]
