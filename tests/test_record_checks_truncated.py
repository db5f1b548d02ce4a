"""text.truncated: bodies cut off, in several languages, and complete ones that are not."""

from __future__ import annotations

import pandas as pd

from corpus_qa.checks.builtin.truncated import TextTruncated

LEDE = "Der Stadtrat hat am Dienstag den Haushalt beschlossen. "


def _evidence(bodies: list[str]) -> dict[int, str]:
    articles = pd.DataFrame({"body": pd.Series(bodies, dtype="str")})
    got = TextTruncated().run(articles, pd.DataFrame())
    return {
        int(r): bodies[int(r)][int(s) : int(e)]
        for r, s, e in zip(got["row"], got["start"], got["end"], strict=True)
    }


def test_cut_bodies_in_several_languages() -> None:
    bodies = [
        LEDE + "Die Kosten liegen bei 4,2 Millionen Euro.\nWeiterlesen",
        "Le conseil a adopté le budget. Le maire a promis une nouvelle bibliothèque.\nLire la suite »",
        "The council approved the budget. The mayor said the library would open in spring, according to the",
        LEDE + "Der Kämmerer rechnet mit höheren Einnahmen aus der Gewerbesteuer und",
        "El consejo aprobó el presupuesto. Según el alcalde, la biblioteca abrirá en primavera con la ayuda de la",
        "The minister told reporters on Friday that the plan would be presented to parliament before the summ...",
        "政府表示，新的图书馆将于明年春天开放。\n阅读全文",
    ]
    assert _evidence(bodies) == {
        0: "Weiterlesen",
        1: "Lire la suite",
        2: "the",
        3: "und",
        4: "la",
        5: "...",
        6: "阅读全文",
    }


def test_complete_bodies_and_captions_are_not_cut() -> None:
    bodies = [
        LEDE + "Die Kosten liegen bei 4,2 Millionen Euro.",
        LEDE + "\nFoto: Stefan Mang",
        LEDE + "\nMehr Infos unter www.example.de",
        "Please log in. Already subscribed? Log in",
        "Die Blüte bleibt im Sommer ohne Wasser aus",
        "Kurzum: Sie gilt uns allen. Und der Friede Gottes…",
        "",
    ]
    assert _evidence(bodies) == {}
