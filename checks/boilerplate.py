"""Site UI text that leaked into article titles and bodies."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from corpus_qa.checks.api import Check, hits
from corpus_qa.checks.builtin import _cards as cards
from corpus_qa.checks.builtin import _sitetext as sitetext
from corpus_qa.checks.options import CheckOptions
from corpus_qa.model import Severity
from corpus_qa.text.re2 import contains
from corpus_qa.text.screens import rows_closing_a_line

#: English core of the lexicon as plain phrase lists, for mirrors of this check outside
#: corpus-qa (the Great Expectations suite, plain Pandera) that take one regex: the
#: check itself matches the whole ``site_text`` lexicon with the text around it.
LEAK_PHRASES: tuple[str, ...] = (
    "Try Our AI Features",
    "No comments yet",
    "Be the first to comment",
    "Log in to comment",
    "Sign up for our newsletter",
    "Subscribe to our newsletter",
    "Share this article",
    "Share on Facebook",
    "Share on Twitter",
    "Accept all cookies",
    "We use cookies",
    "Skip to main content",
    "Download our app",
    "Enable JavaScript",
)
#: Short labels the mirrors look for as a whole line of the body.
LINE_PHRASES: tuple[str, ...] = (
    "Comments",
    "Related Articles",
    "Related Stories",
    "Advertisement",
    "ADVERTISEMENT",
    "Share",
    "Most Read",
)


def _alternation(phrases: Iterable[str]) -> str:
    """An RE2/``re`` alternation of literal phrases, longest first (for the mirrors)."""
    unique = sorted(set(phrases), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(p) for p in unique) + ")"


#: A caption closed by its picture credit in parentheses, "... a la presidencia.
#: (Teresa Canino Rivera)", "(AP Photo/Evan Vucci)": two to four capitalized words
#: (no digits: a law's number or a verse is the article's) after a sentence's end,
#: closing the line. The chunk is screened first for a line closing on ")" (a C pass,
#: ``rows_closing_a_line``), then by RE2 for the pattern; Python reads the few rows it keeps.
_PAREN_CREDIT_RE2 = (
    r"[.!?][\"'”’»]?[ \t]+\((?:\p{Lu}[\pL'’.-]*[ /]+){1,3}\p{Lu}[\pL'’.-]*\)[ \t]*(?:\n|$)"
)
_PAREN_CREDIT = re.compile(
    r"[.!?][\"'”’»]?[ \t]+\(((?:[^\W\d_][^\W\d_'’.-]*[ /]+){1,3}[^\W\d_][^\W\d_'’.-]*)\)[ \t]*$",
    re.MULTILINE,
)


#: A link of a feed or link list: a short line closed by its site's domain in
#: parentheses ("Widerruf des Vertrags vor oder nach Kündigung (example.de)"). One
#: such line may be the article's source; two in a body are a list of links.
_DOMAIN_LINE_RE2 = r"\(\.?(?:[A-Za-z0-9-]+\.)+[a-z]{2,6}\)[ \t]*(?:\n|$)"
_DOMAIN_LINE = re.compile(r"^[^\n]{10,}\(\.?(?:[A-Za-z0-9-]+\.)+[a-z]{2,6}\)[ \t]*$", re.MULTILINE)
#: A link line is at most this long; a list holds at least this many.
LINK_LINE = 160
LINK_LIST = 2


def caption_credits(bodies: pd.Series) -> list[sitetext.Hit]:
    """Lines that close on a parenthesized picture credit (see :data:`_PAREN_CREDIT_RE2`),
    and lists of lines that close on a parenthesized domain (:data:`_DOMAIN_LINE`)."""
    bodies = bodies.reset_index(drop=True)
    found: list[sitetext.Hit] = []
    closing = rows_closing_a_line(bodies, ")")
    if not len(closing):
        return found
    found.extend(_link_lists(bodies, closing[contains(bodies.iloc[closing], _DOMAIN_LINE_RE2)]))
    kept = closing[contains(bodies.iloc[closing], _PAREN_CREDIT_RE2)]
    for row, text in sitetext.values_at(bodies, kept.tolist()).items():
        for match in _PAREN_CREDIT.finditer(text):
            if not all(w[:1].isupper() for w in re.split(r"[ /]+", match.group(1))):
                continue
            start, end = sitetext._strip(text, *sitetext._line(text, match.start()))
            if end - start <= sitetext.CAPTION_LINE:
                found.append(sitetext.Hit(row, start, end, "credit"))
    return found


def _link_lists(bodies: pd.Series, rows: np.ndarray) -> list[sitetext.Hit]:
    found: list[sitetext.Hit] = []
    for row, text in sitetext.values_at(bodies, rows.tolist()).items():
        spans = [
            sitetext._strip(text, *match.span())
            for match in _DOMAIN_LINE.finditer(text)
            if len(match.group(0).strip()) <= LINK_LINE
        ]
        if len(spans) >= LINK_LIST:
            found.extend(sitetext.Hit(row, start, end, "links") for start, end in spans)
    return found


@dataclass(frozen=True)
class LeakOptions(CheckOptions):
    #: More phrases that are site text where they stand as the lexicon's phrases do.
    phrases: tuple[str, ...] = ()
    #: More labels that are site text as a whole line or leading one.
    line_phrases: tuple[str, ...] = ()


class BoilerplateLeak(Check):
    """Site UI text inside an article's title or body.

    What it catches
    ---------------
    Site text of the ``site_text`` lexicon (sixteen languages; newsletter and app
    promotions, paywall and subscription notices, follow/share bars, affiliate
    disclosures, ad placeholders, embed-consent placeholders, comment widgets, page
    UI and copyright lines, picture credits) in a title or body. A phrase counts in a
    body where the text around it reads as site text: it starts its sentence, or its
    line is short, or it is most of its line, or it speaks to the reader in the
    sentence that closes its paragraph ("... sind Sie immer auf dem aktuellen
    Stand."); a mention inside a long sentence of the article does not. A phrase of
    several words counts as pages write it: as in the lexicon, in capitals,
    capitalized, in title case or in lower case ("und unterstützen Sie uns dabei" is
    the article's). A phrase whose words are all shorter than four bytes or too
    common to look for anywhere ("Ads by", "Get the app", "Report this ad") counts
    only where it opens or closes a line. A line of up
    to 600 characters that speaks to the reader and holds two phrases of a promotion
    box (newsletter, app, subscription, affiliate), or one and a hint of the lexicon
    ("App Store", "on your smartphone or tablet"), is the box as a whole. Short
    labels ("Advertisement", "Anzeige", "Kommentare") count only as a whole line or
    leading a line ("ANZEIGE - ..."); a one-word UI label only as a whole line ("Tag"
    is an Italian label, "Tag: Samstag" a German fact box). A link back to the top of
    the page ("Nach oben", "Back to top") as a line of its own ends the page's text:
    up to three short lines after it that close the body go with it. A phrase of
    ``site_text.ending`` counts only where it closes the body's last sentence, one of
    up to 100 characters: a link to an overview ("Lawinenbulletins dieser
    Zeitperiode im Überblick.", "... at a glance") or a teaser's call to go and look
    ("To naprawdę pyszne danie – przekonaj się?"); before a colon (a list it
    announces), inside the text or in a title the words are the article's. The heading of
    a live ticker is a short line closed, after a separator, by a label of
    ``site_text.live`` ("Real Madrid vs. Sevilla, en vivo: minuto a minuto", "Budget
    vote – live"); "Bundesliga live: ..." or "played live" are the article's. The
    outlet's own promotion: in a body with other site text, a line of up to 100
    characters that names the outlet (a name of several words, or one that cannot
    be a common word: "FinCompare", "DiEM25") and speaks to the reader ("Nutzen Sie
    FinCompare als Wettbewerbsvorteil"), not as an interview's speaker label nor in a
    question; and the outlet's name counts as a hint of a promotion box, up to 800
    characters ("X war eine Zeitschrift ... Melden Sie sich an ..."). Two or more short lines
    closed by a domain in parentheses ("Widerruf ... Kündigung (example.de)") are a
    list of links. Picture credits make a caption line site text: a credit
    label leading or closing a short line ("Foto: MDR/Bernd Cramer", "... keine
    Wohnung? Foto: Ingo Schneider", "© 2021 Agency"), a short line of picture
    agencies ("picture alliance / dpa / Oliver Berg", "Getty Images"; in a title an
    agency is news, not a credit), and a caption sentence closed by a name in
    parentheses ("... la presidencia. (Teresa Canino Rivera)", "(AP Photo/Evan
    Vucci)"). Tag lists: a line of hashtags only ("#Klima #Energie #Politik") or a
    tag label of the ``site_text.tag_labels`` lexicon ("Tags:", "Schlagwörter:",
    "Mots-clés :") before a list of short items ("Tags: Klima, Energie"); a hashtag
    inside a sentence, or a label before a sentence, is the article's. The finding
    spans the whole short line or the sentence. Extend the lists with the policy
    options ``phrases`` and ``line_phrases``.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    Leaked UI text is the same on every page, so it dominates n-gram statistics,
    deduplication and any model trained on the corpus, and it shows the extractor
    has lost the article's boundaries: more of the page may have leaked than the
    phrase shows.

    Example
    -------
    ``Get the best of Tom's Guide by signing up to our free weekly newsletter.``;
    ``Der BR24 Newsletter informiert Sie über die wichtigsten Nachrichten.``;
    ``This advertisement has not loaded yet, but your article continues below.``

    How to fix the scraper
    ----------------------
    Restrict extraction to the article container and remove ``aside``, ``nav``,
    comment and promotion widgets before taking text; stop at the first
    related-articles block.
    """

    id: ClassVar[str] = "boilerplate.leak"
    name: ClassVar[str] = "Boilerplate in article text"
    severity: ClassVar[Severity] = "error"
    Options = LeakOptions
    options: LeakOptions

    def _table(self) -> tuple[sitetext.Entry, ...]:
        extra = tuple(
            [(str(p), "phrase") for p in self.options.phrases]
            + [(str(p), "label") for p in self.options.line_phrases]
        )
        # The whole lexicon: foreign_headline screens the chunk's bodies for the same table.
        table: tuple[sitetext.Entry, ...] = sitetext.entries(sitetext.ALL_CLASSES, extra)
        return table

    def prepare(self) -> None:
        sitetext.prepare(self._table())

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        table = self._table()
        classes = (*sitetext.LEAK_CLASSES, "custom")
        rows: list[int] = []
        fields: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        messages: list[str] = []
        # A title is short: a phrase in it is a leak wherever it stands (an agency's
        # name in a title is news, not a credit).
        # An ending phrase in a title ("Die Bundesliga im Überblick") is its topic.
        in_titles = tuple(c for c in classes if c not in ("credit", "ending"))
        for hit in sitetext.find(
            articles["title"], table, ("phrase",), anywhere=True, classes=in_titles
        ):
            rows.append(hit.row)
            fields.append("title")
            starts.append(hit.start)
            ends.append(hit.end)
            messages.append(f"site text in the title ({hit.site_class})")
        outlets = articles.get("outlet")
        found = sitetext.find(articles["body"], table, classes=classes, outlets=outlets)
        covered = {(hit.row, hit.start) for hit in found}
        found += [h for h in caption_credits(articles["body"]) if (h.row, h.start) not in covered]
        covered |= {(hit.row, hit.start) for hit in found}
        found += [h for h in cards.find_tags(articles["body"]) if (h.row, h.start) not in covered]
        for hit in found:
            rows.append(hit.row)
            fields.append("body")
            starts.append(hit.start)
            ends.append(hit.end)
            messages.append(f"site text in the article ({hit.site_class})")
        return hits(rows, fields, pd.Series(messages, dtype="str"), start=starts, end=ends)
