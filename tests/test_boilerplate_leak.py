"""boilerplate.leak: site text of the lexicon, in every language, never the article's own."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.checks.builtin import _sitetext as sitetext
from corpus_qa.checks.builtin.boilerplate import BoilerplateLeak

ARTICLE = (
    "The council approved the budget on Tuesday after a debate that lasted well into "
    "the evening, with several members warning that the cuts to library hours would "
    "fall hardest on families without internet access at home."
)

# (body, the site text in it) as real extractors leave them, one line a paragraph.
LEAKS = [
    (
        f"{ARTICLE}\nGet the best of Tom's Guide by signing up to our free weekly newsletter.",
        "Get the best of Tom's Guide by signing up to our free weekly newsletter.",
    ),
    (
        f"{ARTICLE}\nSign up for breaking news, reviews, opinion, top tech deals, and more.",
        "Sign up for breaking news, reviews, opinion, top tech deals, and more.",
    ),
    (
        f"Der BR24 Newsletter informiert Sie über die wichtigsten Nachrichten des Tages.\n{ARTICLE}",
        "Der BR24 Newsletter informiert Sie über die wichtigsten Nachrichten des Tages.",
    ),
    (
        f"{ARTICLE}\n\nHier geht es zur neuen BR24 App\n\nMehr Text folgt hier im Artikel.",
        "Hier geht es zur neuen BR24 App",
    ),
    (
        f"{ARTICLE}\nTu suscripción se está usando en otro dispositivo",
        "Tu suscripción se está usando en otro dispositivo",
    ),
    (f"{ARTICLE}\nSUBSCRIBE FOR MORE ARTICLES", "SUBSCRIBE FOR MORE ARTICLES"),
    (f"{ARTICLE}\nFollow Reuters on Google News", "Follow Reuters on Google News"),
    (
        "We independently select everything we recommend. Buying through us may earn us "
        f"a commission.\n{ARTICLE}",
        "We independently select everything we recommend. Buying through us may earn us "
        "a commission.",
    ),
    (
        f"{ARTICLE}\nThis advertisement has not loaded yet, but your article continues below.\n"
        f"{ARTICLE}",
        "This advertisement has not loaded yet, but your article continues below.",
    ),
    (
        f"{ARTICLE}\nDeine Privatsphäre-Einstellungen verhindern das Laden des Videos.",
        "Deine Privatsphäre-Einstellungen verhindern das Laden des Videos.",
    ),
    (
        f"{ARTICLE}\n\nExterner Inhalt nicht verfügbar\n\n{ARTICLE}",
        "Externer Inhalt nicht verfügbar",
    ),
    (f"{ARTICLE}\nANZEIGE - Heute mal ausgehen?", "ANZEIGE - Heute mal ausgehen?"),
    (f"{ARTICLE}\nReklama\n{ARTICLE}", "Reklama"),
    (
        f"{ARTICLE}\nPodpiszcie się. Zapisz się do naszego newslettera",
        "Podpiszcie się. Zapisz się do naszego newslettera",
    ),
    (f"{ARTICLE}\nFølg oss på Facebook og Instagram", "Følg oss på Facebook og Instagram"),
    (f"{ARTICLE}\nLämna en kommentar", "Lämna en kommentar"),
    (f"{ARTICLE}\nПодпишитесь на нашу рассылку", "Подпишитесь на нашу рассылку"),
    (f"{ARTICLE}\nBizi takip edin: Twitter, Instagram", "Bizi takip edin: Twitter, Instagram"),
    (f"{ARTICLE}\nこの記事は有料会員限定です。", "この記事は有料会員限定です。"),
    (f"{ARTICLE}\n扫码关注我们的公众号", "扫码关注我们的公众号"),
    (f"{ARTICLE}\n무단전재 및 재배포 금지", "무단전재 및 재배포 금지"),
    (
        f"{ARTICLE}\nThis post contains affiliate links. " + ARTICLE,
        "This post contains affiliate links.",
    ),
    # Picture credits: leading a caption line, closing one, or in parentheses after it.
    (f"{ARTICLE}\nFoto: MDR/Bernd Cramer", "Foto: MDR/Bernd Cramer"),
    (
        f"Einen Studienplatz, aber keine Wohnung? Foto: Ingo Schneider\n{ARTICLE}",
        "Einen Studienplatz, aber keine Wohnung? Foto: Ingo Schneider",
    ),
    (
        f"{ARTICLE}\n(Credit: Jane Roe / Harbor Times)\n{ARTICLE}",
        "(Credit: Jane Roe / Harbor Times)",
    ),
    (f"{ARTICLE}\n© 1994-2020 Harbor Times", "© 1994-2020 Harbor Times"),
    (f"{ARTICLE}\nCrédit photo : KB / Agence", "Crédit photo : KB / Agence"),
    (
        f"{ARTICLE}\nLa alcaldesa anticipó que renunciará al cargo. (Teresa Ruiz Vega)\n{ARTICLE}",
        "La alcaldesa anticipó que renunciará al cargo. (Teresa Ruiz Vega)",
    ),
    (f"{ARTICLE}\nThe mayor speaks. (AP Photo/Evan Doe)", "The mayor speaks. (AP Photo/Evan Doe)"),
    # A picture agency's name: a credit only as a short line of names.
    (f"{ARTICLE}\npicture alliance / dpa / Oliver Berg", "picture alliance / dpa / Oliver Berg"),
    (f"Getty Images\n{ARTICLE}", "Getty Images"),
    # Promos, consent and comment widgets in other wordings and languages.
    (
        f"{ARTICLE}\nPssst! Kennst du schon unseren Newsletter?",
        "Pssst! Kennst du schon unseren Newsletter?",
    ),
    (f"{ARTICLE}\nCONTINUA DEPOIS DA PUBLICIDADE\n{ARTICLE}", "CONTINUA DEPOIS DA PUBLICIDADE"),
    (
        f"{ARTICLE}\nWir würden hier gerne eine Newsletter Anmeldung zeigen. Leider haben Sie "
        "uns hierfür keine Zustimmung gegeben.",
        "Wir würden hier gerne eine Newsletter Anmeldung zeigen. Leider haben Sie "
        "uns hierfür keine Zustimmung gegeben.",
    ),
    (
        f"{ARTICLE}\nEn remplissant ce formulaire vous pourrez être inscrit à notre lettre.",
        "En remplissant ce formulaire vous pourrez être inscrit à notre lettre.",
    ),
    (f"{ARTICLE}\nAlready subscribed? Log in", "Already subscribed? Log in"),
    (f"{ARTICLE}\nPublier un nouveau commentaire", "Publier un nouveau commentaire"),
    (f"{ARTICLE}\nTodos los derechos reservados.", "Todos los derechos reservados."),
]

# Article text that mentions a newsletter, an app, a subscription: no site text.
CLEAN = [
    ARTICLE,
    "The paper said its newsletter, which reaches 40,000 readers, would move to a paid "
    "model next year, and that readers who sign up for our newsletter page before March "
    "keep free access, according to a statement published on Monday by the company.",
    "Ihr Newsletter informiert Sie nun auch über Baustellen, sagte der Sprecher der Stadt "
    "am Montag, und die neue App der Verkehrsbetriebe soll ab Herbst zur Verfügung stehen. "
    "Bis dahin bleibt die Hotline geschaltet, die seit dem Frühjahr rund 4000 Anrufe zählte.",
    "Analysts said the company's decision to download the app onto every device was a "
    "mistake, and that users could follow us on Google News only through a workaround "
    "the firm had not disclosed to regulators at the time of the launch in 2021.",
    "Comments made by the minister on Tuesday drew criticism from the opposition.",
    "Reklama w telewizji publicznej budzi kontrowersje od lat, mówi ekspertka z Krakowa.",
    # Words of the lexicon's entries in an article's own sentences.
    "Folgen Sie dem Weg bis zur Kreuzung, dann links in die Otto-Straße.",
    "Close to 400 people attended the rally on Saturday, police said.",
    "The agency released a photo: the suspect, Mark Doe, leaving the bank at noon on "
    "Friday. Investigators said the picture was taken by a security camera.",
    "The law was passed in 2019. (Ley 3/2018)",
    "Reuters reported on Monday that the talks had failed after two days.",
    "AP said on Monday that the talks had failed after two days of meetings in Geneva.",
    "Die Kommission sprach von einem Erfolg. (Partei der Mitte)",
    'He said: "I am fine with that", and left the room before the vote was taken.',
]


def _run(bodies: list[str], titles: list[str] | None = None) -> pd.DataFrame:
    articles = pd.DataFrame(
        {"title": titles or ["A title"] * len(bodies), "body": bodies}, dtype="str"
    )
    return BoilerplateLeak().run(articles, pd.DataFrame())


@pytest.mark.parametrize(("body", "site_text"), LEAKS, ids=[s[:30] for _, s in LEAKS])
def test_site_text_is_found_with_the_span_of_its_line_or_sentence(
    body: str, site_text: str
) -> None:
    found = _run([body])
    spans = [body[s:e] for s, e in zip(found["start"], found["end"], strict=True)]
    assert site_text in spans


@pytest.mark.parametrize("body", CLEAN, ids=[b[:30] for b in CLEAN])
def test_article_text_that_mentions_site_things_is_not_flagged(body: str) -> None:
    assert _run([body]).empty


def test_a_phrase_in_the_title_is_flagged_where_it_stands() -> None:
    found = _run([ARTICLE], ["Sign up for our newsletter | Harbor Times"])
    assert found["field"].tolist() == ["title"]
    assert (found["start"].iloc[0], found["end"].iloc[0]) == (0, 26)


def test_an_agency_named_in_the_title_is_not_a_credit() -> None:
    assert _run([ARTICLE], ["Reuters: talks fail after two days"]).empty


def test_policy_options_extend_the_lexicon() -> None:
    body = f"{ARTICLE}\nHarbor Club members read free\nTICKER"
    articles = pd.DataFrame({"title": ["t"], "body": [body]}, dtype="str")
    found = BoilerplateLeak({"phrases": ["Harbor Club members"], "line_phrases": ["TICKER"]}).run(
        articles, pd.DataFrame()
    )
    got = {body[s:e] for s, e in zip(found["start"], found["end"], strict=True)}
    assert got == {"Harbor Club members read free", "TICKER"}


PIECES = st.sampled_from(
    [
        "Sign up for our newsletter",
        "newsletter",
        "Newsletter",
        "NEWSLETTER.",
        "Anzeige",
        "Kommentare:",
        "Read more",
        "Abonnieren Sie unseren Newsletter",
        "扫码关注",
        "said the mayor.",
        "Foto:",
        "©",
        "Crédit photo :",
        "x",
        ".",
        "»",
    ]
)


def bodies_of(pieces: st.SearchStrategy[str]) -> st.SearchStrategy[list[str]]:
    """Up to six bodies of pieces joined by a space, a line break or a blank line."""
    return st.lists(
        st.lists(st.tuples(pieces, st.sampled_from([" ", "\n", "\n\n"])), max_size=10).map(
            lambda parts: "".join(p + s for p, s in parts)
        ),
        max_size=6,
    )


@settings(max_examples=150, deadline=None)
@given(bodies_of(PIECES))
def test_anchored_search_finds_what_trying_every_phrase_finds(bodies: list[str]) -> None:
    # Pieces are whitespace-separated: a phrase glued to the word before it is not
    # screened in (the documented limit of anchoring on words).
    table = sitetext.entries(sitetext.ALL_CLASSES)
    values = pd.Series(bodies, dtype="str")
    assert sitetext.find(values, table) == sitetext.find(values, table, screened=False)
