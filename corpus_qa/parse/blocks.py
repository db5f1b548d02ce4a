"""Line features for full-page Markdown: link density, list items, chrome vocabulary.

A full page (html2text output of a whole site page) holds the article amid site
chrome: navigation lists, share bars, cookie and newsletter boxes, related-links
blocks, comments and the footer. These features let :mod:`corpus_qa.parse.fullpage`
tell prose from chrome without knowing the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus_qa.lexicons import languages, phrases
from corpus_qa.lexicons.compile import words
from corpus_qa.parse.lines import Line

#: A Markdown link; the second branch takes share links whose target holds spaces
#: (``mailto:?subject=A title``, ``whatsapp://send?text=...``), which html2text writes
#: unescaped and which would otherwise count as prose.
_LINK_RE = re.compile(
    r"\[([^\[\]]*)\]\((?:(?:[^()\s]|\([^()]*\))*(?:\s+\"[^\n]*?\")?\s*"
    r"|[A-Za-z][A-Za-z0-9+.-]*:[^()\n]*)\)"
)
_EMPTY_LINK_RE = re.compile(r"\[\s*\]\([^)]*\)")
_LIST_RE = re.compile(r"^\s*(?:[*+-]|\d{1,3}\.)\s+")
_MARK_RE = re.compile(r"[*_`\\]|^#{1,6}\s*|^>\s*")
_SENTENCE_END = (".", "!", "?", '"', "”", "“", "'", "’", ")", ":", "…", "«", "»", "。", "！", "？")

_COMMENTS = words("sections.comments")


def _related() -> str:
    """ "Related articles", "Weitere spannende Artikel": an opener, up to three words, a
    noun, all in one language ("Top Artikel" is a German site's menu)."""
    rules = []
    for lang in languages():
        if phrases("sections.related_openers", [lang]) and phrases(
            "sections.related_nouns", [lang]
        ):
            opener = words("sections.related_openers", langs=(lang,))
            noun = words("sections.related_nouns", langs=(lang,))
            rules.append(rf"{opener}(?: [a-zäöü]+){{0,3}} {noun}")
    return "|".join(rules)


#: Headers that open a non-article section, in the languages of the lexicons: related
#: links, comments, newsletter, sharing, tags, author boxes, cookie notices. Matched
#: against a whole short line (markup removed, trailing colon allowed).
SECTION_WORDS = (
    # "Related articles", "Weitere spannende Artikel": an opener, a few words, a noun.
    rf"{_related()}|{words('sections.headers')}|{words('sections.comment_invites')}"
    # A lead and the topic or name it introduces ("More from Politics", "Cookies?").
    rf"|{words('sections.lead_ins')} .{{1,40}}|{words('sections.leads')}.{{0,40}}"
    rf"|{words('sections.prefixes', bounds=False)}.{{0,40}}"
    rf"|{words('sections.notices', bounds=False)}.{{0,60}}"
    rf"|{_COMMENTS}|(?:\d+ )?{words('sections.comments_counted')}(?: \(\d+\))?"
    rf"|(?:\d+ )?{_COMMENTS} {words('sections.comments_on')} .{{1,100}}"
    # Previous / next post navigation, which may carry the other post's title and excerpt.
    rf"|(?:{words('sections.post_nav_words')} {words('sections.post_nav_nouns')}"
    rf"|{words('sections.post_nav_phrases')})(?: ?[»›→])?"
    rf"|.{{0,30}}\b{words('sections.newsletter', bounds=False)}(?: \w+)?"
    rf"|{words('sections.more_words')} [\w-]+ {words('sections.more_from')} .{{1,40}}"
)
#: A header may open with a decoration (":: Related", "» Mehr zum Thema").
_SECTION_RE = re.compile(rf"(?i)^[:|»›•·]*\s*(?:{SECTION_WORDS})\s*[:.…!?]*\s*$")
#: A comment form ("Your email address will not be published", "Name (required)").
_REQUIRED = words("chrome.form_required", bounds=False)
_FORM_RE = re.compile(
    rf"(?i)(?:{words('chrome.comment_form', bounds=False)}"
    rf"|^{words('chrome.form_fields', bounds=False)}\s*"
    rf"(?:\*|\((?:{_REQUIRED}|{words('chrome.form_optional', bounds=False)})[^)]*\))\s*$"
    rf"|^\({_REQUIRED}\)$)"
)
#: Cookie and consent text: a line that asks for consent is chrome wherever it is.
_CONSENT_RE = re.compile(
    rf"(?i)\b{words('consent.words', bounds=False)}\b"
    # An embed held back until the reader agrees ("... um den Inhalt von X zu laden").
    r"|\binhalte? (?:von .{1,60} )?(?:zu )?(?:laden|entsperren)\b"
    rf"|\b{words('consent.load_content', bounds=False)}\b"
)
#: Consent itself ("consent", "Einwilligung", "Zustimmung") is also what news is about
#: ("Free, Prior and Informed Consent", "die Zustimmung des Parlaments"): it makes a
#: consent notice only when the line addresses the reader or speaks as the site.
_CONSENT_WORD_RE = re.compile(rf"(?i)\b{words('consent.agree', bounds=False)}\b")
_ADDRESS_RE = re.compile(rf"\b{words('consent.address', bounds=False)}\b")
#: A comment byline ("Anna sagt:", "John says:", "Antworten", "Reply").
_COMMENT_RE = re.compile(
    rf"(?i)(?:\b{words('chrome.comment_says', bounds=False)}:\s*$"
    rf"|^{words('chrome.reply', bounds=False)}\s*[↓]?$"
    # The heading of a reply form, which carries its "cancel reply" link.
    rf"|\b{words('chrome.cancel_reply', bounds=False)}\b)"
)
#: Footer lines: copyright and "all rights reserved".
_FOOTER_RE = re.compile(
    r"(?i)(?:^(?:©|\(c\)|copyright)\s*(?:\d{4}|.{0,80}\b(?:19|20)\d\d\b)"
    rf"|{words('footer.rights', bounds=False)})"
)

#: Image captions and credits ("Foto: X", "(Bild: Y)", "Abbildung 4: ..."): they
#: describe a picture, they are not article text.
_CAPTION_RE = re.compile(rf"(?i)^\(?{words('captions.labels', bounds=False)}(?: \d{{1,3}})?\s*:|^©")
#: A caption's closing credit: "... © Agency", "(Foto: X)", "Photograph: Getty Images",
#: "/ (C) Name", "(Symbolbild)". Not "(Quelle: X)": a short news paragraph ends so.
_CREDIT_END_RE = re.compile(
    rf"(?i)(?:©|\(c\)|\b{words('captions.end_labels', bounds=False)}\s*:)"
    rf"[^.!?]{{0,60}}\)?\.?$|\({words('captions.file_photos', bounds=False)}\)\.?$"
)


#: A numbered figure or table caption ("Abbildung 4: ...", "Fig. 2.", "Tabelle 1 –"):
#: article text never opens so, so it is a caption at any length.
_NUMBERED_CAPTION_RE = re.compile(
    rf"(?i)^\(?{words('captions.figures', bounds=False)} ?[0-9]{{1,3}}[a-z]?(?::|\.| [–-]|\))"
)


@dataclass(frozen=True)
class Features:
    """What the body finder needs to know about one line."""

    plain: str
    link_chars: int
    links: int
    list_item: bool
    heading: int
    #: The text outside links ("Schreibe einen Kommentar" of a heading that ends with a
    #: "[cancel reply](...)" link), for matching section headers.
    unlinked: str = ""

    @property
    def link_ratio(self) -> float:
        return self.link_chars / max(1, len(self.plain))


#: The end of a link whose text began on an earlier line ("Back to the list](/news)").
_DANGLING_RE = re.compile(r"^[^\[\]]+\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\n]*?\")?\s*\)")


def _reopen(words: str) -> str:
    """``words`` with the opening bracket of a link that ends on this line restored."""
    return "[" + words if _DANGLING_RE.match(words) else words


def plain_text(words: str) -> tuple[str, int, int]:
    """(text with links reduced to their text and markup removed, link chars, links)."""
    # The list marker goes first: a link's own text may open like one ("[1. Januar
    # 2023](...)", a date linked to its archive) and must keep its number.
    text = _EMPTY_LINK_RE.sub(" ", _reopen(_LIST_RE.sub("", words, count=1)))
    link_chars = 0
    links = 0

    def keep(match: re.Match[str]) -> str:
        nonlocal link_chars, links
        inner = match.group(1).strip()
        link_chars += len(inner)
        links += 1
        return inner

    text = _LINK_RE.sub(keep, text)
    if "](" in text:  # a link around a block that holds links (a teaser's "read more")
        text = _LINK_RE.sub(keep, text)
    text = " ".join(_MARK_RE.sub("", text).split())
    return text, min(link_chars, len(text)), links


def features(line: Line) -> Features:
    plain, link_chars, links = plain_text(line.words)
    unlinked = ""
    if links:
        outside = _LINK_RE.sub(" ", _EMPTY_LINK_RE.sub(" ", _reopen(line.words)))
        outside = _LINK_RE.sub(" ", outside) if "](" in outside else outside
        unlinked = " ".join(_MARK_RE.sub("", _LIST_RE.sub("", outside)).split()).strip(" ,|·•-")
    list_item = bool(_LIST_RE.match(line.text))
    return Features(plain, link_chars, links, list_item, line.heading_level, unlinked)


def is_prose(feat: Features) -> bool:
    """Article-like text: long enough, mostly not links, not a list of links, not a
    drop-down's options."""
    n = text_weight(feat.plain)
    if feat.link_ratio > 0.5 or (feat.list_item and feat.link_ratio > 0.3):
        return False
    if n >= 120 and is_option_list(feat.plain):
        return False
    return n >= 120 or (n >= 50 and feat.plain.endswith(_SENTENCE_END))


#: Ideographs, kana and hangul: a sentence in these scripts holds a third of the
#: characters of a European one, so each weighs as much as this many letters.
CJK_WEIGHT = 3
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def text_weight(plain: str) -> int:
    """The length of ``plain`` in European letters (CJK characters weigh more)."""
    cjk = len(_CJK_RE.findall(plain)) if plain and not plain.isascii() else 0
    return len(plain) + (CJK_WEIGHT - 1) * cjk


#: A drop-down's options in one line ("Monat auswählen Februar 2020 (3) Januar 2020
#: (4) ...", "Pays Afghanistan Afrique du Sud Albanie ..."): many words, no sentence
#: punctuation, nearly all capitalized or numbers.
OPTION_WORDS = 20
OPTION_CAPITALS = 0.7
_PUNCT_RE = re.compile(r"[.,;:!?。，、]")


def is_option_list(plain: str) -> bool:
    words = plain.split()
    if len(words) < OPTION_WORDS or _PUNCT_RE.search(plain):
        return False
    capitals = sum(1 for w in words if w[0].isupper() or w[0].isdigit() or w[0] == "(")
    return capitals >= OPTION_CAPITALS * len(words)


def is_link_chrome(feat: Features) -> bool:
    """Navigation and link lists: a line that is (almost) only links, or empty after markup."""
    return not feat.plain or (feat.links > 0 and feat.link_ratio > 0.6)


def is_section_header(feat: Features) -> bool:
    """A short line that opens a related, comments, share, tags or footer section."""
    if len(feat.plain) <= 120 and _SECTION_RE.match(feat.plain) is not None:
        return True
    # A header followed by a link ("Leave a reply [Cancel reply](...)").
    return 3 <= len(feat.unlinked) <= 80 and _SECTION_RE.match(feat.unlinked) is not None


def is_consent(feat: Features) -> bool:
    plain = feat.plain
    if _CONSENT_RE.search(plain) is not None:
        return True
    return _CONSENT_WORD_RE.search(plain) is not None and _ADDRESS_RE.search(plain) is not None


def is_comment_marker(feat: Features) -> bool:
    if len(feat.plain) <= 200 and _FORM_RE.search(feat.plain) is not None:
        return True
    return len(feat.plain) <= 80 and _COMMENT_RE.search(feat.plain) is not None


#: A blog post's closing metadata ("This entry was posted in X and tagged Y",
#: "Erstellt am ... und abgelegt unter ..."): after it comes the blog, not the post.
_POST_META_RE = re.compile(
    rf"(?i)\b(?:{words('chrome.post_meta', bounds=False)}|posted in .{{1,120}} tagged"
    r"|dieser eintrag wurde .{0,40}veröffentlicht)\b"
)


def is_footer(feat: Features) -> bool:
    return len(feat.plain) <= 200 and _FOOTER_RE.search(feat.plain) is not None


def is_post_meta(feat: Features) -> bool:
    """A blog post's closing metadata line (where the article ends, not a barrier:
    on a short post the text after it can outweigh the post itself)."""
    return len(feat.plain) <= 400 and _POST_META_RE.search(feat.plain) is not None


def is_caption(feat: Features) -> bool:
    """An image caption or credit: a credit prefix ("Foto: X"), or a short line that
    ends with one ("The harbour at dawn. © Agency")."""
    if len(feat.plain) <= 160 and _CAPTION_RE.match(feat.plain) is not None:
        return True
    if _NUMBERED_CAPTION_RE.match(feat.plain) is not None:
        return True
    return len(feat.plain) <= 250 and _CREDIT_END_RE.search(feat.plain) is not None


#: A button: at most two words and an action verb ("Artikel drucken", "Tipp melden",
#: "Rezept bewerten", "Imprimer"), never article text.
_ACTION_RE = re.compile(rf"(?i)^(?:[\w-]+ ){{0,2}}{words('chrome.actions', bounds=False)}\W*$")


def is_action_label(feat: Features) -> bool:
    return not feat.heading and len(feat.plain) <= 40 and _ACTION_RE.match(feat.plain) is not None
