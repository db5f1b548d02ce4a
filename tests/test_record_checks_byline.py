"""byline.junk on realistic bylines in several languages."""

from __future__ import annotations

import pandas as pd

from corpus_qa.checks.builtin.byline_junk import BylineJunk


def _run(
    bylines: list[str | None], urls: list[str] | None = None, **options: object
) -> dict[int, str]:
    urls = urls or ["https://www.example-news.com/2025/07/01/story"] * len(bylines)
    articles = pd.DataFrame(
        {
            "byline": pd.Series(bylines, dtype="str"),
            "url": pd.Series(urls, dtype="str"),
            "outlet": pd.Series([None] * len(bylines), dtype="str"),
        }
    )
    got = BylineJunk({"max_names": 8, **options}).run(articles, pd.DataFrame())
    out = {}
    for row, start, end in zip(got["row"], got["start"], got["end"], strict=True):
        out[int(row)] = str(bylines[row])[int(start) : int(end)]
    return out


def test_real_names_agencies_and_desks_are_not_junk() -> None:
    clean = [
        "Ludwig van Beethoven",
        "Ana de la Cruz",
        "Bashar al-Assad, Yonhap",
        "Reuters",
        "AFP",
        "Redaktion",
        "Anne-Sophie Müller und Jean-Pierre Dubois",
        "Autor: Anna Weber",
        "Text und Foto: Anna Weber",
        "J. R. R. Tolkien",
        "María José García y Pablo Ruiz",
        "作者：张三",
        "김민수 기자",
        None,
    ]
    assert _run(clean) == {}


def test_tokens_that_are_not_names_are_the_evidence() -> None:
    bylines = [
        "Marco Kratzenberg, www.facebook.com",
        "cipha[at]cipha.net",
        "Williams Perdomo @wperdomod",
        "thomas-beaumont",
        "Follow",
        "Teilen",
        "Afficher mon profil complet",
        "Nuño Domínguez Twitter",
        "Redaktion 17.11.2019",
        "https://frolleinherr.com/author/karoherr/#author",
        "Поделиться",
        "Tweet This",
        "Anna Weber Link kopieren",
    ]
    assert _run(bylines) == {
        0: "www.facebook.com",
        1: "cipha[at]cipha.net",
        2: "@wperdomod",
        3: "thomas-beaumont",
        4: "Follow",
        5: "Teilen",
        6: "Afficher mon profil complet",
        7: "Twitter",
        8: "17.11.2019",
        9: "https://frolleinherr.com/author/karoherr/#author",
        10: "Поделиться",
        11: "Tweet",
        12: "Link kopieren",
    }


def test_the_outlets_own_name_is_junk_but_a_personal_site_is_not() -> None:
    bylines = [
        "Badische Zeitung; Anna Weber",
        "Stol It; Suedtirol Online",
        "Wolfgang Michal",
        "Reuters",
        "Badische Zeitung",
    ]
    urls = [
        "https://www.badische-zeitung.de/freiburg/story",
        "https://web.archive.org/web/2012/http://www.stol.it/Artikel/x",
        "https://www.wolfgangmichal.de/2017/06/07/sorgfalt/",
        "https://www.reuters.com/world/story",
        "https://www.badische-zeitung.de/freiburg/other",
    ]
    # The outlet's name alone is an organisation signing as itself unless asked.
    assert _run(bylines, urls) == {0: "Badische Zeitung", 1: "Stol It"}
    alone = _run(bylines, urls, outlet_alone=True)
    assert alone == {0: "Badische Zeitung", 1: "Stol It", 4: "Badische Zeitung"}


def test_a_crowd_of_names_is_junk() -> None:
    crowd = ", ".join(f"Autorin Nummer{i} Beispiel" for i in range(10))
    got = _run([crowd, "Eric Levitz, Chas Danner and Ed Kilgore"])
    assert list(got) == [0]
