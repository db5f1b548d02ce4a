"""page.blocked: walls and stubs in several languages, not articles that mention them."""

from __future__ import annotations

import pandas as pd

from corpus_qa.checks.builtin.blocked import PageBlocked


def _flagged(bodies: list[str]) -> dict[int, str]:
    articles = pd.DataFrame({"body": pd.Series(bodies, dtype="str")})
    got = PageBlocked({"max_words": 120}).run(articles, pd.DataFrame())
    return {int(r): str(m) for r, m in zip(got["row"], got["message"], strict=True)}


WALLS = [
    "Access Denied\n\nYou don't have permission to access this resource on this server. "
    "Reference #18.2f6e1002.1715904000.3a1b",
    "Checking your browser before accessing example.com. This process is automatic. "
    "Your browser will redirect to your requested content shortly.",
    "Bitte aktivieren Sie JavaScript, um diese Seite zu nutzen.",
    "Seite nicht gefunden\n\nDie angeforderte Seite existiert leider nicht mehr. Zur Startseite",
    "Página no encontrada. Lo sentimos, la página que buscas no existe o ha sido movida.",
    "Cet article est réservé aux abonnés. Déjà abonné ? Connectez-vous.",
    "Datenschutzeinstellungen\n\nWir verwenden Cookies und andere Technologien auf unserer "
    "Website. Einige von ihnen sind essenziell.",
    "页面不存在，请返回首页。",
    "Доступ запрещен. Подтвердите, что вы не робот.",
]


def test_walls_in_several_languages_are_flagged() -> None:
    got = _flagged(WALLS)
    assert sorted(got) == list(range(len(WALLS)))
    assert got[0] == "an access-denied page instead of the article: 'Access Denied'"
    assert got[5].startswith("a paywall stub")
    assert got[6].startswith("a cookie wall")


def test_articles_that_mention_walls_are_not_flagged() -> None:
    article = (
        "Google has changed how its reCAPTCHA works. Until now, users had to tick a box "
        "saying I'm not a robot, or pick traffic lights from a grid of photos. The new "
        "version scores each visitor in the background and only shows a challenge when "
        "the score is low. Privacy advocates say the scoring relies on tracking across "
        "sites, and several data protection authorities in Europe have asked the company "
        "to explain which signals it collects, how long it keeps them and whether site "
        "owners can opt out. Google says the data is used only to fight spam and abuse, "
        "and that the checks make life easier for the vast majority of people who never "
        "see a puzzle again. Web developers welcomed fewer interruptions."
    )
    short_news = (
        "Der Gemeinderat hat am Dienstag den Bau der neuen Sporthalle beschlossen. Die "
        "Kosten liegen bei 4,2 Millionen Euro, die Hälfte übernimmt das Land. Baubeginn "
        "ist im Frühjahr, eröffnet werden soll die Halle zum Schuljahr 2027. Die Vereine "
        "hatten seit Jahren auf einen Ersatz für die alte Turnhalle gedrängt, deren Dach "
        "im vergangenen Winter gesperrt werden musste. Wir verwenden Cookies."
    )
    assert _flagged([article, short_news, ""]) == {}


def test_a_chunk_without_short_bodies_gives_the_same_empty_frame() -> None:
    """No body short enough to search (or no rows): no search, and the same columns
    and dtypes as a chunk whose search found nothing."""
    check = PageBlocked({"max_words": 120})
    searched = check.run(
        pd.DataFrame({"body": pd.Series(["A short note."], dtype="str")}), pd.DataFrame()
    )
    long_only = check.run(
        pd.DataFrame({"body": pd.Series([" ".join(["word"] * 400)], dtype="str")}), pd.DataFrame()
    )
    no_rows = check.run(pd.DataFrame({"body": pd.Series([], dtype="str")}), pd.DataFrame())
    assert searched.empty
    for got in (long_only, no_rows):
        assert got.empty
        assert list(got.columns) == list(searched.columns)
        assert got.dtypes.tolist() == searched.dtypes.tolist()
