"""Learned boilerplate on realistic multi-page outlets: recurring lines and foreign headlines.

Three outlets of 20 to 150 pages, written as real extractors write them (a paragraph a
line like trafilatura, or between blank lines like newspaper4k), with the site text such
outlets carry: a newsletter promo on most pages, read-also links to other pages'
headlines, related-headline blocks, a quote two articles share.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pytest

from corpus_qa.checks.api import GlobalCheck
from corpus_qa.checks.builtin.headlines import ForeignHeadline
from corpus_qa.checks.builtin.recurring import BoilerplateRecurring
from corpus_qa.model import ArticleDraft
from corpus_qa.tables.build import build_tables, drafts_frame

SUBJECTS = {
    "en": [
        "The harbour board",
        "City council",
        "The ferry operator",
        "Local fishermen",
        "The port union",
        "Residents of Eastgate",
        "The school district",
        "A regional bank",
        "Hospital managers",
        "The mayor",
    ],
    "de": [
        "Der Stadtrat",
        "Die Feuerwehr",
        "Der Landkreis",
        "Die Stadtwerke",
        "Ein Bauunternehmen",
        "Die Polizei",
        "Der Sportverein",
        "Die Kreisverwaltung",
        "Das Klinikum",
        "Die Bürgerinitiative",
    ],
    "no": [
        "Bystyret",
        "Havnevesenet",
        "Fylkeskommunen",
        "Politiet",
        "Skolen på Nordnes",
        "Fiskerne i Sandviken",
        "Brannvesenet",
        "Sykehuset",
        "Kommunen",
        "Idrettslaget",
    ],
}
ACTIONS = {
    "en": ["approves", "rejects", "delays", "questions", "funds", "reviews", "expands", "cuts"],
    "de": ["genehmigt", "stoppt", "verschiebt", "prüft", "fördert", "erweitert", "kürzt", "plant"],
    "no": [
        "godkjenner",
        "stanser",
        "utsetter",
        "vurderer",
        "finansierer",
        "utvider",
        "kutter",
        "planlegger",
    ],
}
OBJECTS = {
    "en": [
        "the new pier",
        "night bus routes",
        "the library budget",
        "a flood barrier",
        "school meals",
        "the fish market",
        "bike lanes",
        "the water tariff",
    ],
    "de": [
        "den neuen Radweg",
        "das Hallenbad",
        "die Ortsumgehung",
        "den Schulneubau",
        "die Buslinie 7",
        "das Gewerbegebiet",
        "die Kita-Gebühren",
        "den Hochwasserschutz",
    ],
    "no": [
        "den nye kaien",
        "nattbussene",
        "bibliotekbudsjettet",
        "flomvernet",
        "skolematen",
        "fisketorget",
        "sykkelfeltene",
        "vannavgiften",
    ],
}
SENTENCES = {
    "en": "{s} said on {d} that {o} would cost about {n} million, {k} more than planned in the spring, "
    "and that a final decision was expected before the {m} meeting.",
    "de": "{s} teilte am {d} mit, dass {o} rund {n} Millionen Euro kosten werde, {k} mehr als im "
    "Frühjahr geplant, und dass vor der Sitzung im {m} entschieden werden solle.",
    "no": "{s} opplyste {d} at {o} vil koste rundt {n} millioner kroner, {k} mer enn planlagt i "
    "vår, og at en endelig beslutning ventes før møtet i {m}.",
}
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["March", "June", "September", "November"]


@dataclass
class Outlet:
    name: str
    lang: str
    pages: int
    separator: str
    promo: str
    promo_every: int
    drafts: list[ArticleDraft] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)


def _title(lang: str, i: int) -> str:
    s = SUBJECTS[lang][i % 10]
    a = ACTIONS[lang][(i // 10) % 8]
    o = OBJECTS[lang][(i // 80 + i) % 8]
    return f"{s} {a} {o} ({2020 + i % 5}/{i})"


def _paragraph(lang: str, i: int, j: int) -> str:
    return SENTENCES[lang].format(
        s=SUBJECTS[lang][(i + j) % 10],
        d=DAYS[(i + j) % 5],
        o=OBJECTS[lang][(i * 3 + j) % 8],
        n=10 + i * 7 + j,
        k=f"{(i * 13 + j * 5) % 40 + 1} %",
        m=MONTHS[(i + j) % 4],
    )


def build(outlet: Outlet, read_more: str, block: str, quote: str) -> Outlet:
    outlet.titles = [f"{_title(outlet.lang, i)}" for i in range(outlet.pages)]
    for i in range(outlet.pages):
        lines = [_paragraph(outlet.lang, i, j) for j in range(4)]
        if i in (3, 4):
            lines.insert(2, quote)  # two articles quote one statement
        if i % 3 == 0:
            lines.insert(2, f"{read_more} {outlet.titles[(i + 1) % outlet.pages]}")
        if i % outlet.promo_every:
            lines.append(outlet.promo)
        if i % 4 == 1:
            lines += [
                block,
                outlet.titles[(i + 5) % outlet.pages],
                outlet.titles[(i + 9) % outlet.pages],
            ]
        # The page's own title opening the body is no other article's headline.
        lines.insert(0, outlet.titles[i])
        outlet.drafts.append(
            ArticleDraft(
                record_id=f"{outlet.name}-{i}",
                source_path=f"{outlet.lang}.jsonl",
                line_start=i + 1,
                line_end=i + 1,
                role="main",
                title=f"{outlet.titles[i]} | {outlet.name}",
                title_line=None,
                body=outlet.separator.join(lines),
                body_lines=None,
                outlet=outlet.name,
            )
        )
    return outlet


QUOTES = {
    "en": "“We will not back down on the pier, whatever the board decides,” the union leader said.",
    "de": "„Wir lassen uns beim Radweg nicht auf später vertrösten“, sagte die Sprecherin der Initiative.",
    "no": "– Vi gir oss ikke før kaien er på plass, sa lederen i fiskarlaget til avisen.",
}


def outlets() -> list[Outlet]:
    return [
        build(
            Outlet(
                "Harbor Times",
                "en",
                60,
                "\n",
                "Get the best of Harbor Times by signing up to our free weekly newsletter.",
                6,
            ),
            "READ MORE:",
            "Related stories",
            QUOTES["en"],
        ),
        build(
            Outlet(
                "Nord Kurier",
                "de",
                20,
                "\n",
                "Unterstützen Sie unabhängigen Journalismus mit einem Abo.",
                3,
            ),
            "Lesen Sie auch:",
            "Schon gelesen?",
            QUOTES["de"],
        ),
        build(
            Outlet(
                "Bergen Avis",
                "no",
                150,
                "\n\n",
                "Abonner på vårt nyhetsbrev og få de viktigste sakene rett i innboksen.",
                8,
            ),
            "Les også:",
            "Mest lest",
            QUOTES["no"],
        ),
    ]


def _findings(check: GlobalCheck, drafts: list[ArticleDraft]) -> pd.DataFrame:
    articles, images = build_tables(drafts_frame(drafts))
    third = len(articles) // 3  # three chunks: the state must merge across them
    states = [
        check.observe(articles.iloc[a:b].reset_index(drop=True), images)
        for a, b in ((0, third), (third, 2 * third), (2 * third, len(articles)))
    ]
    return check.finalize(pd.concat(states, ignore_index=True))


@pytest.fixture(scope="module")
def dump() -> tuple[list[Outlet], dict[str, ArticleDraft]]:
    built = outlets()
    return built, {d.record_id: d for o in built for d in o.drafts}


def _spans(found: pd.DataFrame, drafts: dict[str, ArticleDraft]) -> list[tuple[str, str]]:
    return [
        (rid, drafts[rid].body[s:e])
        for rid, s, e in zip(found["record_id"], found["start"], found["end"], strict=True)
    ]


def test_recurring_promos_are_found_on_every_page_with_their_span(dump) -> None:  # type: ignore[no-untyped-def]
    built, drafts = dump
    found = _spans(_findings(BoilerplateRecurring({"min_pages": 5}), list(drafts.values())), drafts)
    for outlet in built:
        with_promo = {d.record_id for d in outlet.drafts if outlet.promo in d.body}
        promo_hits = {rid for rid, text in found if text == outlet.promo}
        assert promo_hits == with_promo, outlet.name
    # The quote two articles share, and every article paragraph, are never flagged.
    texts = {text for _, text in found}
    assert not texts & set(QUOTES.values())
    assert not any(
        " would cost about " in t or " kosten werde" in t or " vil koste " in t for t in texts
    )


def test_other_pages_headlines_and_read_also_lines_are_found(dump) -> None:  # type: ignore[no-untyped-def]
    built, drafts = dump
    found = _spans(_findings(ForeignHeadline(), list(drafts.values())), drafts)
    by_record: dict[str, set[str]] = {}
    for rid, text in found:
        by_record.setdefault(rid, set()).add(text)
    for outlet in built:
        for i, draft in enumerate(outlet.drafts):
            flagged = by_record.get(draft.record_id, set())
            # Its own title opening the body is never flagged.
            assert outlet.titles[i] not in flagged
            for line in draft.body.split(outlet.separator):
                foreign = line in outlet.titles[:i] + outlet.titles[i + 1 :]
                read_more = any(
                    line.startswith(lead) for lead in ("READ MORE:", "Lesen Sie auch:", "Les også:")
                )
                if foreign or read_more:
                    assert line in flagged, (draft.record_id, line)
            for text in flagged:
                assert " would cost about " not in text and " kosten werde" not in text
                assert " vil koste " not in text and text not in QUOTES.values()


def test_a_headline_of_another_outlet_is_not_this_outlets() -> None:
    harbor = outlets()[0].drafts[:3]
    other = [
        ArticleDraft(
            record_id=f"gazette-{k}",
            source_path="gazette.jsonl",
            line_start=k + 1,
            line_end=k + 1,
            role="main",
            title=f"Gazette story {k}",
            title_line=None,
            body=f"{_paragraph('en', 90 + k, 0)}\n{draft.title.split(' | ')[0]}",
            body_lines=None,
            outlet="Other Gazette",
        )
        for k, draft in enumerate(harbor)
    ]
    found = _findings(ForeignHeadline(), [*harbor, *other])
    assert not found["record_id"].str.startswith("gazette").any()


def _one(body: str, outlet: str = "Harbor Times") -> list[str]:
    draft = ArticleDraft(
        record_id="r0",
        source_path="d.jsonl",
        line_start=1,
        line_end=1,
        role="main",
        title="A title of this page",
        title_line=None,
        body=body,
        body_lines=None,
        outlet=outlet,
    )
    found = _findings(ForeignHeadline(), [draft])
    return [body[s:e] for s, e in zip(found["start"], found["end"], strict=True)]


def test_a_list_of_headlines_after_the_last_paragraph_is_found() -> None:
    heads = [
        "Harbour Board Approves New Pier Despite Protests",
        "[Ferry Strike Ends After Three Days](https://harbor.example/ferry-strike)",
        "Library Hours Cut as City Faces Budget Gap",
    ]
    body = "\n".join([_paragraph("en", 1, 0), _paragraph("en", 1, 1), *heads])
    assert _one(body) == heads


def test_short_closing_lines_of_an_article_are_not_a_headline_list() -> None:
    facts = [
        "Eintritt frei, Spenden erwünscht",
        "Beginn am Samstag um 19 Uhr",
        "Anmeldung bei der Stadt",
    ]
    body = "\n".join([_paragraph("de", 2, 0), _paragraph("de", 2, 1), *facts])
    assert _one(body, "Nord Kurier") == []


def test_a_read_also_block_ends_at_the_subheading_of_the_next_paragraph() -> None:
    block = [
        "Mehr zum Thema",
        "Corona und Kinderbetreuung",
        "Wer zahlt, wenn Eltern ihre Kinder zuhause betreuen müssen?",
        "Krankmeldung",
        "Diese Rechte haben Arbeitgeber, wenn Mitarbeiter krank sind",
    ]
    subhead = "Woher bekommt der Mitarbeiter dann sein Geld?"
    body = "\n\n".join(
        [_paragraph("de", 3, 0), *block, subhead, _paragraph("de", 3, 1), _paragraph("de", 3, 2)]
    )
    assert _one(body, "Nord Kurier") == block
