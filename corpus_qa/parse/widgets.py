"""Chrome inside the article's range: captions, header labels, promo boxes, author bios.

The densest prose run of :mod:`corpus_qa.parse.fullpage` holds more than the
article: a figure's caption between two paragraphs, the section label and the
author's handle between the title and the lede, a "support us" or newsletter box
between the last paragraph and the comments, an author bio. Each is recognized by
where it stands and what it repeats, not by a site rule:

- a caption repeats the alt text of the image it stands under or beside, or is a
  short line that is no sentence right under a picture;
- a header label is a short line that is no sentence, between the title and the
  first paragraph;
- a promo box asks the reader for something (money, a subscription, an e-mail
  address), in a short line, in the languages of the dumps;
- an author bio follows an author's picture or an "About <name>" heading and
  opens with the name, or is followed by the link to the author's other posts.

They stay owned by the article (metadata lines, out of the body); a promo box or a
bio after the last paragraph also ends the article (see :mod:`corpus_qa.parse.tail`).
"""

from __future__ import annotations

import re

from corpus_qa.lexicons.compile import words
from corpus_qa.parse.blocks import Features, is_prose
from corpus_qa.parse.lines import Line

#: Alt texts shorter than this say too little to identify a caption ("Foto", "Logo").
MIN_ALT = 15
#: How much of the caption and the alt text is compared (captions add a credit).
ALT_PREFIX = 40
#: A heading repeats an alt text as a caption only from this length on; a short one
#: is a listicle's item name over its picture ("## Peanut Butter Truffles").
CAPTION_HEADING = 60
#: Header labels: at most this long, within this many lines after the title.
LABEL_CHARS = 32
LABEL_REACH = 12

_FOLD_RE = re.compile(r"[\W_]+")
#: Ideographs and kana: a sentence in these scripts is short in characters.
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _fold(text: str) -> str:
    return _FOLD_RE.sub("", text).casefold()


def _previous(lines: list[Line], i: int) -> int | None:
    j = i - 1
    while j >= 0 and lines[j].blank:
        j -= 1
    return j if j >= 0 else None


def is_alt_caption(lines: list[Line], feats: list[Features], i: int) -> bool:
    """A line whose text repeats the alt text of an image on it or just above it.

    html2text writes a figure as the image tag, then its ``<figcaption>``; sites fill
    the alt text from the caption, so the caption reads as the alt text once more
    (often followed by a credit).
    """
    line, feat = lines[i], feats[i]
    if not line.words or not feat.plain:
        return False
    if feat.heading and len(feat.plain) < CAPTION_HEADING:
        return False
    alts = [tag.alt for tag in line.tags]
    j = _previous(lines, i)
    if j is not None and lines[j].image_only:
        alts.extend(tag.alt for tag in lines[j].tags)
    text = _fold(feat.plain)
    for alt in alts:
        folded = _fold(alt)
        if len(folded) < MIN_ALT:
            continue
        if text.startswith(folded[:ALT_PREFIX]) or folded.startswith(text[:ALT_PREFIX]):
            return True
    return False


#: A short line under a picture is its caption up to this length.
UNDER_CAPTION_CHARS = 120


def is_caption_under(lines: list[Line], feats: list[Features], i: int) -> bool:
    """A short line that is no sentence right under an image-only line: a figure's
    caption (or an ad's tagline) that repeats no alt text and carries no credit."""
    line, feat = lines[i], feats[i]
    if not feat.plain or feat.heading or feat.list_item or line.tags or is_prose(feat):
        return False
    if line.words.startswith(("**", "__", "|")) or line.words.count("|") >= 2:
        return False  # a subheading in bold, a table row ("A | B" alone: "Title | Site")
    if len(feat.plain) > UNDER_CAPTION_CHARS or _CJK_RE.search(feat.plain):
        return False
    if feat.plain.endswith((".", "!", "?", "…", ":", '"', "”", "“", "»", "«")):
        return False  # a sentence: a short paragraph or a verse after a picture
    j = _previous(lines, i)
    return j is not None and lines[j].image_only


def header_labels(
    lines: list[Line], feats: list[Features], first: int, end: int, meta: set[int]
) -> list[int]:
    """Short lines that are no sentence between the title ``first`` and the first
    paragraph: section kickers, handles, dates, "By Staff Writer", counters. Lines
    already in ``meta`` (share buttons, dates) do not count towards the reach."""
    out: list[int] = []
    seen = 0
    for i in range(first + 1, end + 1):
        line, feat = lines[i], feats[i]
        if line.blank or i in meta:
            continue
        seen += 1
        if seen > LABEL_REACH:
            return []  # no paragraph soon after the title: short lines are the text
        if is_prose(feat):
            return out
        if (
            feat.heading
            or feat.list_item
            or line.image_only
            or not feat.plain
            or len(feat.plain) > LABEL_CHARS
            or feat.plain.endswith((".", "!", "?"))
            or line.words.startswith(("**", "__"))
            or _CJK_RE.search(feat.plain)
        ):
            continue
        out.append(i)
    return []  # the article holds no paragraph: its short lines are its text


#: A promo box asks the reader to pay, subscribe or leave an e-mail address. The
#: wording is the only sign (the box is a short text like any other), so it is a
#: list, kept to generic asks in the dumps' languages: a site's name never occurs.
_NEWSLETTER = words("sections.newsletter", bounds=False)
_SUPPORT = words("promos.support_verbs", bounds=False)
_SUPPORTED = words("promos.support_objects", bounds=False)
_ASK_RE = re.compile(
    rf"(?i)\b{_SUPPORT}\b.{{0,40}}?\b(?:{_SUPPORTED}|{words('promos.amount_words', bounds=False)} \d)"
    rf"|\b{_SUPPORTED} (?:\w+ ){{0,3}}{_SUPPORT}\b"
    rf"|\b{words('promos.asks', bounds=False)}\b|\b{words('promos.ask_openings', bounds=False)}"
    rf"|\b{_NEWSLETTER}\b.{{0,80}}?\b{words('promos.subscribe_stems', bounds=False)}"
    rf"|\b{words('promos.subscribe_invites', bounds=False)}\b.{{0,80}}?\b{_NEWSLETTER}"
    rf"|\b{words('promos.order_offers', bounds=False)} (?:\w+ ){{0,3}}"
    rf"{words('promos.order_verbs', bounds=False)}\b"
)
#: Longer text that mentions donations or a newsletter is article text.
ASK_CHARS = 300


def is_ask(feat: Features) -> bool:
    """A short line asking for support, a subscription or an e-mail address, or any
    line whose link makes the ask ("[Order your copy here](...)")."""
    if _ASK_RE.search(feat.plain) is None:
        return False
    if len(feat.plain) <= ASK_CHARS:
        return True
    return feat.links > 0 and _ASK_RE.search(feat.unlinked) is None


def promo_lines(lines: list[Line], feats: list[Features], i: int) -> list[int]:
    """The ask at ``i`` and the heading right above it that opens its box
    ("Do you like reading us?" over "Show your appreciation!")."""
    if not is_ask(feats[i]):
        return []
    out = [i]
    j = _previous(lines, i)
    if j is not None and j == i - 1 and (feats[j].heading or lines[j].words.startswith("**")):
        out.append(j)
    return out


#: "About <name>" over an author's bio (not "About us": that is a section header).
_ABOUT_RE = re.compile(
    rf"(?i)^{words('byline.about', bounds=False)}\s+(?!{words('byline.about_not', bounds=False)}\b)"
    r"\w[\w.'’-]*(?:\s+\w[\w.'’-]*){0,2}\s*$"
)
#: A name as an image's alt text: one to three capitalized words ("Jane Roe", "Jane-Roe").
_NAME_ALT_RE = re.compile(r"^[A-ZÀ-Þ][\w'’.]+(?:[ -][A-ZÀ-Þ][\w'’.]+){0,2}$")
#: A bio is one short paragraph.
BIO_CHARS = 600


def _next(lines: list[Line], i: int) -> int | None:
    j = i + 1
    while j < len(lines) and lines[j].blank:
        j += 1
    return j if j < len(lines) else None


def _short_paragraph(lines: list[Line], feats: list[Features], i: int | None) -> bool:
    """A prose line of at most :data:`BIO_CHARS` with no prose right after it."""
    if i is None or not is_prose(feats[i]) or len(feats[i].plain) > BIO_CHARS:
        return False
    j = _next(lines, i)
    return j is None or not is_prose(feats[j])


def is_about_heading(lines: list[Line], feats: list[Features], i: int) -> bool:
    """ "About <name>" as a heading over a one-paragraph bio."""
    feat = feats[i]
    if not feat.heading or _ABOUT_RE.match(feat.plain) is None:
        return False
    return _short_paragraph(lines, feats, _next(lines, i))


def bio_lines(lines: list[Line], feats: list[Features], i: int) -> list[int]:
    """An author bio at ``i``, with the heading that names its author: a paragraph
    under "About <name>", or one under an author's picture (alt text: a name) that
    opens with that name ("Jane Roe is a professor of ...")."""
    if is_about_heading(lines, feats, i):
        j = _next(lines, i)
        return [i] if j is None else [i, j]
    if not _short_paragraph(lines, feats, i):
        return []
    above = _previous(lines, i)
    heading = None
    if above is not None and feats[above].heading and len(feats[above].plain) <= LABEL_CHARS:
        heading, above = above, _previous(lines, above)
    if above is None or not lines[above].tags or feats[above].plain:
        return []
    for tag in lines[above].tags:
        alt = tag.alt.strip()
        first = re.split(r"[ -]", alt)[0]
        if _NAME_ALT_RE.match(alt) and len(first) >= 3 and feats[i].plain.startswith(first):
            return [i] if heading is None else [heading, i]
    return []


#: A button is a link with at most this much text ("Gallery", "View all").
BUTTON_CHARS = 20


def _button(line: Line, feat: Features) -> bool:
    return "](" in line.words and len(feat.plain) <= BUTTON_CHARS


def chrome_headings(
    lines: list[Line], feats: list[Features], start: int, end: int, meta: set[int]
) -> list[int]:
    """Headings over nothing but chrome: every text line of the section (up to the
    next heading of the same or a higher level) is metadata already, images aside
    ("Share this:" over share buttons, "Best deals" over ad cards, a table of contents)."""
    out: list[int] = []
    for i in range(start, end + 1):
        level = feats[i].heading
        if not level or i in meta:
            continue
        content: list[int] = []
        for k in range(i + 1, end + 1):
            if feats[k].heading and feats[k].heading <= level:
                break
            if not lines[k].blank and not feats[k].heading:
                content.append(k)
        if any(k in meta for k in content) and all(
            k in meta or lines[k].image_only for k in content
        ):
            out.append(i)
            continue
        # A widget inside the article: the heading over a few buttons (a gallery's
        # empty or one-word links) before the article's next paragraph.
        prose = next((k for k in content if is_prose(feats[k])), end + 1)
        lead = [k for k in content if k < prose]
        if len(lead) >= 2 and all(_button(lines[k], feats[k]) and k in meta for k in lead):
            out.append(i)
    return out


def toc_entries(lines: list[Line], feats: list[Features], start: int, end: int) -> list[int]:
    """A table of contents: list items that repeat a heading further down the article,
    and the heading right above them ("Contents")."""
    headings: dict[str, int] = {}
    for i in range(start, end + 1):
        if feats[i].heading and feats[i].plain:
            headings.setdefault(_fold(feats[i].plain), i)
    out: list[int] = []
    for i in range(start, end + 1):
        feat = feats[i]
        if not feat.list_item or feat.heading or not feat.plain:
            continue
        later = headings.get(_fold(feat.plain))
        if later is not None and later > i:
            above = _previous(lines, i)
            if above is not None and above not in out and feats[above].heading and above < i:
                out.append(above)
            out.append(i)
    return out


#: An embedded social post: its permalink, its attribution ("— Jane Roe (@jroe) [May 2,
#: 2020](...)"), a "Posted by X on <date>" footer or the "view on Instagram" prompt.
_EMBED_RE = re.compile(
    r"(?i)\]\(https?://[^)\s]*(?:twitter\.com|x\.com)/\w+/status/"
    r"|\]\(https?://[^)\s]*facebook\.com/[^)\s]*/(?:posts|videos|photos)/"
    r"|\]\(https?://[^)\s]*instagram\.com/(?:p|reel)/"
    r"|^\W*(?:—|--?)\s*[^()\n]{1,60}\(@\w+\)|\bposted by \[[^\]]+\]\([^)]*\) on\b"
    rf"|\b{words('chrome.embed_notices', bounds=False)}\b"
)


def embed_lines(lines: list[Line], start: int, end: int) -> list[int]:
    """The lines of block quotes that embed a social-network post (a tweet, a
    Facebook or Instagram post): the quoted post is not the article's text."""
    out: list[int] = []
    i = start
    while i <= end:
        if not lines[i].text.lstrip().startswith(">"):
            i += 1
            continue
        j = i
        while j + 1 <= end and lines[j + 1].text.lstrip().startswith(">"):
            j += 1
        block = range(i, j + 1)
        if any(_EMBED_RE.search(lines[k].text.lstrip("> ")) for k in block):
            out.extend(block)
        i = j + 1
    return out
