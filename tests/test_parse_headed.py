"""An article with no prose (a results table under its dated, signed title) is still
an article; a page with no prose and no such title still has none."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.parse import parse_page
from tests.conftest import examples, run_check
from tests.test_html_pages import main_row
from tests.test_parse_pages import assert_accounting

NAV = "\n".join(
    f'<li><a href="https://lauf.example/{slug}/">{label}</a></li>'
    for slug, label in [
        ("termine", "Termine"),
        ("ergebnisse", "Ergebnisse"),
        ("statistik", "Statistik"),
        ("bestenliste", "Bestenliste"),
        ("vereine", "Vereine"),
        ("lehrteam", "Lehrteam"),
        ("kontakt", "Kontakt"),
        ("impressum", "Impressum"),
    ]
)
ROWS = [
    ("1.", "Brandt, Lea", "2009", "TSV Ostdorf", "12,91"),
    ("2.", "Keller, Mia", "2009", "LG Westtal", "13,05"),
    ("3.", "Yilmaz, Ela", "2010", "SV Nordheim", "13,22"),
    ("4.", "Roth, Jana", "2009", "TSV Ostdorf", "13,48"),
]


def _table(event: str) -> str:
    rows = "\n".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in ROWS)
    return (
        f"<table><tr><td><b>{event}</b></td><td>14.06.2025</td></tr></table>\n<table>{rows}</table>"
    )


def _results_page(meta: str) -> str:
    """A WordPress theme's post whose body is a ``<pre>`` block of result tables: no
    line of prose, as club and league sites publish results."""
    tables = "\n".join(_table(event) for event in ("100 m W15", "Weitsprung W15", "Kugel W15"))
    sidebar = "\n".join(
        f'<li><a href="https://lauf.example/ergebnisse/{y}/">Ergebnisse {y}</a></li>'
        for y in range(2018, 2026)
    )
    return f"""<!DOCTYPE html>
<html lang="de">
<head><meta charset="utf-8"><title>Ergebnisse: Kreismeisterschaften 2025 | Laufkreis</title></head>
<body>
<header><a href="https://lauf.example/"><img src="/logo.png" alt="Laufkreis"></a>
<nav><ul>
{NAV}
</ul></nav></header>
<div id="main-content"><article class="post type-post">
<h1 class="entry-title">Ergebnisse: Kreismeisterschaften 2025</h1>
{meta}
<div class="entry-content">
<h3>TSV Ostdorf / Kreismeisterschaften U16</h3>
<p>am 14.06.2025 in Ostdorf</p>
<pre>
<h4>Ergebnisliste</h4>
{tables}
</pre>
</div>
</article>
<section id="respond"><h3>Schreibe einen Kommentar</h3>
<form><label>Kommentar</label><textarea></textarea><label>Name *</label><input></form>
</section>
<aside id="sidebar"><h4>Aktuelle Inhalte</h4><ul>
{sidebar}
</ul></aside></div>
<footer><p>© 2025 Laufkreis. Alle Rechte vorbehalten.</p></footer>
</body>
</html>
"""


SIGNED = (
    '<p class="post-meta">von <a href="https://lauf.example/author/greta/" rel="author" '
    'title="Beiträge von Greta Sommer">Greta Sommer</a> | 15. Juni 2025 | '
    '<a href="https://lauf.example/kategorie/ergebnisse/">Ergebnisse</a></p>'
)


def test_results_table_under_a_signed_title_is_the_article(tmp_path: Path) -> None:
    row = main_row(tmp_path, _results_page(SIGNED))
    assert row["title"] == "Ergebnisse: Kreismeisterschaften 2025"
    assert row["byline"] == "Greta Sommer"
    assert row["body"].count("Roth, Jana") == 3  # every table's rows
    # The comment form and the sidebar below stay out of the article.
    assert "Kommentar" not in row["body"] and "Ergebnisse 2019" not in row["body"]


def test_results_page_alone_runs_through_check(tmp_path: Path) -> None:
    # Alone, a page with no article stops the run ("no article could be read").
    path = tmp_path / "ergebnisse.html"
    path.write_text(_results_page(SIGNED), encoding="utf-8")
    code, report, _ = run_check(path, tmp_path / "out", "--no-html")
    assert code == 0 and report["counts"]["articles"] == 1


def test_a_dated_title_alone_opens_the_article_too(tmp_path: Path) -> None:
    meta = '<p class="post-meta"><time datetime="2025-06-15">15.06.2025</time></p>'
    row = main_row(tmp_path, _results_page(meta))
    assert row["title"] == "Ergebnisse: Kreismeisterschaften 2025"
    assert "Keller, Mia" in row["body"]


MD_NAV = "\n".join(f"  * [Rubrik {i}](https://lauf.example/r{i}/)" for i in range(8))
MD_TABLE = "\n".join(" | ".join(row) for row in ROWS)


def test_markdown_results_page_accounts_for_every_line() -> None:
    text = (
        f"{MD_NAV}\n\n# Ergebnisse: Kreismeisterschaften 2025\n\n"
        "von [Greta Sommer](https://lauf.example/author/greta/) | 15. Juni 2025\n\n"
        f"#### Ergebnisliste\n\n{MD_TABLE}\n\n### Schreibe einen Kommentar\n\nName *\n"
    )
    page = parse_page(text, "ergebnisse.md")
    (article,) = page.articles
    assert article.byline == "Greta Sommer"
    assert article.title == "Ergebnisse: Kreismeisterschaften 2025"
    assert_accounting(text, page)


def test_no_prose_and_no_signed_title_is_no_article() -> None:
    # A topic page: a title with teaser links under it, no byline, no date. Nothing
    # says an article stands there.
    teasers = "\n".join(
        f"  * [Kreismeisterschaften {y}: alle Ergebnisse](https://lauf.example/{y}/)"
        for y in range(2015, 2025)
    )
    text = f"{MD_NAV}\n\n# Thema: Kreismeisterschaften\n\n{teasers}\n\n{MD_TABLE}\n"
    page = parse_page(text, "thema.md")
    assert page.articles == []
    assert_accounting(text, page)


def test_a_signed_title_right_above_the_comments_is_no_article() -> None:
    text = (
        f"{MD_NAV}\n\n# Ergebnisse: Kreismeisterschaften 2025\n\n"
        "### Schreibe einen Kommentar\n\nvon [Greta Sommer](https://lauf.example/author/greta/)\n"
    )
    assert parse_page(text, "leer.md").articles == []


def test_prose_still_decides_where_there_is_some() -> None:
    # A signed, dated title over a table and a story in prose further down: the prose
    # run is the article, as before; the fallback is only for pages with none.
    prose = (
        "Der Stadtrat hat am Dienstag den Haushalt für das kommende Jahr beschlossen, "
        "nachdem die Fraktionen sich in langen Sitzungen auf neue Schwerpunkte geeinigt hatten. "
    )
    text = (
        f"{MD_NAV}\n\n# Ergebnisse: Kreismeisterschaften 2025\n\n15. Juni 2025\n\n{MD_TABLE}\n\n"
        "### Weitere Meldungen\n\n# Stadtrat beschließt Haushalt\n\n"
        + "\n\n".join(prose * 2 for _ in range(4))
        + "\n"
    )
    (article,) = parse_page(text, "mixed.md").articles
    assert article.title == "Stadtrat beschließt Haushalt"


@settings(max_examples=examples(80), deadline=None)
@given(
    st.lists(st.sampled_from(ROWS), min_size=1, max_size=30),
    st.sampled_from(
        [
            "von [Greta Sommer](https://lauf.example/author/greta/) | 15. Juni 2025",
            "15.06.2025",
            "By Claire Morel",
            "",
        ]
    ),
    st.booleans(),
)
def test_no_prose_pages_account_for_every_line(
    rows: list[tuple[str, ...]], meta: str, comments: bool
) -> None:
    table = "\n".join(" | ".join(row) for row in rows)
    tail = "### Schreibe einen Kommentar\n\nName *\n" if comments else ""
    text = f"{MD_NAV}\n\n# Ergebnisse 2025\n\n{meta}\n\n{table}\n\n{tail}"
    page = parse_page(text, "p.md")
    assert_accounting(text, page)
    assert len(page.articles) == (1 if meta else 0)
