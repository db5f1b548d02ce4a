"""encoding.mojibake and text.html_residue on realistic text in several languages."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.checks.builtin.markup import TextHtmlResidue
from corpus_qa.checks.builtin.mojibake import EncodingMojibake

CLEAN = [
    "Müller in Zürich: „Die Straße bleibt gesperrt“",
    "Crème brûlée à la française, déjà vu — « c’est ça »",
    "Ärger über Öl – »Zitat« © 2024",
    "Ñandú, pingüino y señor Núñez en São Paulo",
    "Привет, мир! Москва — столица",
    "東京で会議、ソウルでも회의",
    "Łódź, Kraków i Gdańsk; Ørsted og Århus",
    "AT&T and Johnson & Johnson; if a < b and c > d then go",
]


def _rows(check: object, titles: list[str]) -> dict[int, str]:
    articles = pd.DataFrame(
        {
            "title": pd.Series(titles, dtype="str"),
            "body": pd.Series([""] * len(titles), dtype="str"),
        }
    )
    got = check.run(articles, pd.DataFrame())  # type: ignore[attr-defined]
    return {
        int(r): titles[int(r)][int(s) : int(e)]
        for r, s, e in zip(got["row"], got["start"], got["end"], strict=True)
    }


def test_mojibake_of_several_languages_is_found() -> None:
    broken = [t.encode("utf-8").decode("cp1252", errors="replace") for t in CLEAN[:5]]
    broken.append("Itâ€™s the budget, says MÃ¼ller")
    got = _rows(EncodingMojibake(), broken)
    assert sorted(got) == list(range(len(broken)))
    assert got[5] == "â€™"


def test_clean_text_in_many_scripts_is_not_mojibake() -> None:
    assert _rows(EncodingMojibake(), CLEAN) == {}


# Words as they are written: a capital only first, a lower-case letter after it (a
# lone capital before a quote, "Ä“", is also exactly the mojibake of "ē").
WORD = st.tuples(
    st.sampled_from(["", "Ä", "Ö", "Ü", "É", "Å", "M"]),
    st.text(alphabet=st.sampled_from("aeinrstäöüßéèçñøå"), min_size=3, max_size=8),
).map("".join)
QUOTED = st.tuples(
    st.sampled_from(["", "„", "»", "«", "‘", "("]),
    WORD,
    st.sampled_from(["", "“", "«", "»", "’", ")", ",", ".", "…"]),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(QUOTED.map("".join), max_size=8))
def test_words_with_diacritics_and_quotes_are_not_mojibake(words: list[str]) -> None:
    assert _rows(EncodingMojibake(), [" ".join(words)]) == {}


def test_html_entities_and_tags_are_residue() -> None:
    titles = [
        "The council approved the budget &amp; the new library",
        "Le maire l&#8217;a confirmé",
        "Haushalt&nbsp;2026 beschlossen",
        "<p>El consejo aprobó el presupuesto.</p>",
        "Erster Absatz<br>Zweiter Absatz",
        'Mehr <a href="https://example.de">hier</a>',
    ]
    assert _rows(TextHtmlResidue(), titles) == {
        0: "&amp;",
        1: "&#8217;",
        2: "&nbsp;",
        3: "<p>",
        4: "<br>",
        5: '<a href="https://example.de">',
    }


def test_ampersands_and_comparisons_are_not_residue() -> None:
    titles = [*CLEAN, "Smith &Co; Partners", "x <5 and y> 3", "M&A deals rise"]
    assert _rows(TextHtmlResidue(), titles) == {}
