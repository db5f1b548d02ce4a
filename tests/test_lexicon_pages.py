"""Every language the parser reads parses a page in that language: its byline is
found, its share and comments headers are section headers, the comments stay out of
the body.

Adding a language to the parser is its tables in the lexicon file (``byline``,
``sections``, ...) and one fixture page under ``tests/fixtures/pages/<lang>.md``, with
its expectations in :data:`EXPECTED`. A language whose file holds only the checks'
tables (``byline_junk``, ``dates.relative``, ...) is tested with those checks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_qa.lexicons import categories, languages
from corpus_qa.parse import parse_page
from corpus_qa.parse.blocks import features, is_section_header
from corpus_qa.parse.lines import split_lines
from tests.test_parse_pages import assert_accounting

PAGES = Path(__file__).parent / "fixtures" / "pages"

#: language -> (byline, header lines that open a non-article section, comment text)
EXPECTED: dict[str, tuple[str, tuple[str, ...], str]] = {
    "da": ("Mette Jensen", ("## Del", "## Kommentarer"), "Endelig en beslutning"),
    "de": ("Anna Beispiel", ("## Artikel teilen", "## Kommentare (3)"), "Endlich eine"),
    "en": ("Jane Harper", ("## Share this article", "## 2 Comments"), "Finally a decision"),
    "es": ("Lucía Fernández", ("## Compartir", "## Comentarios"), "Por fin una decisión"),
    "fr": ("Claire Dupont", ("## Partager cet article", "## Commentaires"), "Enfin une"),
    "it": ("Giulia Bianchi", ("## Condividi", "## Commenti"), "Finalmente una decisione"),
    "nl": ("Sanne de Vries", ("## Delen", "## Reacties"), "Eindelijk een besluit"),
    "no": ("Kari Nordmann", ("## Del", "## Kommentarer"), "Endelig et vedtak"),
    "pl": ("Anna Kowalska", ("## Udostępnij", "## Komentarze"), "Wreszcie decyzja"),
    "pt": ("Ana Souza", ("## Leia também",), "Nova ciclovia"),
    "ru": ("Анна Смирнова", ("## Поделиться", "## Комментарии"), "Наконец-то решение"),
    "sv": ("Anna Lindqvist", ("## Dela", "## Kommentarer"), "Äntligen ett beslut"),
    "tr": ("Ayşe Yılmaz", ("## Paylaş", "## Yorumlar"), "Sonunda bir karar"),
    "zh": ("王小明", ("## 网友评论",), "终于有了决定"),
}


#: The lexicon tables the page parser reads.
PARSER_TABLES = ("byline.", "sections.")


def test_every_parser_language_has_a_fixture_page() -> None:
    parser_languages = {
        lang for lang in languages() if any(c.startswith(PARSER_TABLES) for c in categories([lang]))
    }
    assert parser_languages == set(EXPECTED)
    assert {p.stem for p in PAGES.glob("*.md")} == set(EXPECTED)


@pytest.mark.parametrize("lang", sorted(EXPECTED))
def test_fixture_page_parses_in_its_language(lang: str) -> None:
    byline, headers, comment = EXPECTED[lang]
    text = (PAGES / f"{lang}.md").read_text(encoding="utf-8")
    parsed = parse_page(text, f"{lang}.md")
    assert parsed.layout == "page"
    assert_accounting(text, parsed)
    article = parsed.articles[0]
    assert article.byline == byline
    assert comment in text and comment not in article.body
    lines = {line.text: line for line in split_lines(text)}
    for header in headers:
        assert is_section_header(features(lines[header])), header
        assert header not in article.body
        spans = [s for s in parsed.chrome if s.line_start <= lines[header].no <= s.line_end]
        assert spans and "section header" in spans[0].reason, header
