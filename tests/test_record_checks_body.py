"""body.empty, body.short and title.missing on small realistic records."""

from __future__ import annotations

import pandas as pd

from corpus_qa.checks.builtin.body import BodyEmpty, BodyShort, TitleMissing, word_counts


def _articles(**columns: list[str | None]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(v, dtype="str") for name, v in columns.items()})


LONG_DE = (
    "Die Stadtverwaltung hat am Dienstag den Haushalt für das kommende Jahr vorgestellt. "
    "Der Kämmerer rechnet mit höheren Einnahmen aus der Gewerbesteuer, warnt aber vor "
    "steigenden Kosten für Personal und Energie in den städtischen Einrichtungen."
)
LONG_ZH = "半月谈记者史卫燕报道，益水之阳，是名益阳。这个洞庭湖区的重要城市，六十年前就曾在作家笔下展现风貌。"
SHORT_FR = "Lire la suite sur notre site."


def test_empty_and_whitespace_bodies_are_flagged_once() -> None:
    articles = _articles(body=[LONG_DE, "", " \n\t ", None, SHORT_FR])
    got = BodyEmpty().run(articles, pd.DataFrame())
    assert got["row"].tolist() == [1, 2, 3]
    assert set(got["field"]) == {"body"}


def test_short_bodies_count_words_by_script() -> None:
    articles = _articles(body=[LONG_DE, LONG_ZH, SHORT_FR, "", "みんなの意見", "Nur ein Satz."])
    got = BodyShort({"min_words": 15}).run(articles, pd.DataFrame())
    # The Chinese paragraph has two spaces' worth of tokens but ~25 words; the empty
    # body is body.empty's, not a short one.
    assert got["row"].tolist() == [2, 4, 5]
    assert got["message"].iloc[0] == "body of 6 words (fewer than 15)"


def test_word_counts_halve_unspaced_scripts() -> None:
    counts = word_counts(pd.Series(["二〇二五年七月一日", "three plain words", "東京 と 大阪"]))
    assert counts.tolist()[1] == 3
    assert counts.tolist()[0] >= 3
    assert counts.tolist()[2] == 3 + 2


def test_extractor_record_with_only_id_and_url_is_empty_and_untitled() -> None:
    articles = _articles(
        title=[None, "Haushalt 2026 vorgestellt", "  "], body=["", LONG_DE, LONG_DE]
    )
    assert TitleMissing().run(articles, pd.DataFrame())["row"].tolist() == [0, 2]
    assert BodyEmpty().run(articles, pd.DataFrame())["row"].tolist() == [0]


def test_titles_of_parsed_pages_are_the_parsers_pick_and_not_judged() -> None:
    articles = _articles(title=[None, None], body=[LONG_DE, LONG_DE], role=["main", "record"])
    assert TitleMissing().run(articles, pd.DataFrame())["row"].tolist() == [1]
