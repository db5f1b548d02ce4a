"""boilerplate.comments: readers' comments appended to a body, never the article's text."""

from __future__ import annotations

import pandas as pd
import pytest

from corpus_qa.checks.builtin.comments import AppendedComments

ARTICLE = (
    "Der Stadtrat hat am Dienstag den Haushalt für das kommende Jahr beschlossen. Nach "
    "einer langen Debatte stimmten 31 Mitglieder dafür, 12 dagegen.\n"
    "Die Kürzungen bei der Stadtbibliothek sollen im Frühjahr noch einmal geprüft werden, "
    "sagte der Kämmerer am Abend."
)
GERMAN = (
    "3 Kommentare\nAnna K. 12.03.2021, 14:22\nEndlich tut sich was in der Innenstadt!\n"
    "Bernd M. 12.03.2021, 15:01\nUnd wer zahlt das am Ende? Wir Bürger natürlich.\n"
    "Antworten"
)
ENGLISH = (
    "Comments (2)\nTom Baker – 3 hours ago\nGreat reporting, thanks for following this.\n"
    "Reply\nsandra_77 – 2 hours ago\nThe library cuts are a disgrace.\nReply"
)
FRENCH = (
    "Commentaires\nJean Dupont le 04/05/2022 à 09:15\nMerci pour cet article très clair.\n"
    "Marie le 04/05/2022 à 10:02\nEt les transports, on en parle quand ?"
)


@pytest.mark.parametrize("block", [GERMAN, ENGLISH, FRENCH], ids=["de", "en", "fr"])
def test_trailing_comment_block_is_found_from_its_heading(block: str) -> None:
    body = f"{ARTICLE}\n{block}"
    found = AppendedComments().run(pd.DataFrame({"body": [body]}, dtype="str"), pd.DataFrame())
    assert [body[s:e] for s, e in zip(found["start"], found["end"], strict=True)] == [block]


def test_article_that_mentions_comments_is_not_flagged() -> None:
    bodies = [
        f"{ARTICLE}\nKommentare\nDie Kommentare der Leser waren am 12.03.2021 zahlreich.",
        "Comments made on 3 March at 14:22 by the minister drew criticism.\n" + ARTICLE,
        f"{ARTICLE}\nKommentare",
    ]
    found = AppendedComments().run(pd.DataFrame({"body": bodies}, dtype="str"), pd.DataFrame())
    assert found.empty
