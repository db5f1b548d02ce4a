"""Names after a by-word on a full page, for :mod:`corpus_qa.parse.bylines.page`.

"By X", "Von X", "Par X", "Por X", "Di X", "Door X", "Av X", "Af X", "Przez X",
"Text: X", "Autor: X", "Posted by X", "Publié par X", "Scritto da X", "作者：X"; a
by-word alone on its line takes the name on the next line. The by-word must open the
line or follow a separator or a date: in running text it names a subject.
"""

from __future__ import annotations

import re

from corpus_qa.lexicons.compile import words
from corpus_qa.parse.blocks import Features, is_prose
from corpus_qa.parse.bylines.boxes import next_text
from corpus_qa.parse.bylines.names import (
    COLON_MARKER,
    LINK_RE,
    MARKER,
    MARKER_RE,
    clean,
    known_given_name,
    persons,
)
from corpus_qa.parse.bylines.site import not_site_of_links
from corpus_qa.parse.datelines import is_date_line
from corpus_qa.parse.lines import Line

#: An author page's address: "/author/ana-ruiz", "/autor?x=ana", "/journalist/...".
AUTHOR_URL = re.compile(
    rf"(?i)(?:/{words('byline.author_paths', 'byline.profile_paths', bounds=False)}/(?!index\.)[^/?#\s]{{2,}}"
    r"|/(?:author|autor|autore|auteur)\?[^)\s]*=[^&)\s]{2,}|[?&]author=)"
)
#: Any word a by-line's marker holds, at a word's start: skips the many lines that hold
#: none before the costlier patterns run.
_MARKER_HINT = re.compile(
    r"(?i)(?<![^\W\d_])"
    + words(
        "byline.by_words",
        "byline.by_words_after_verb",
        "byline.text_words",
        "byline.labels",
        "byline.colon_labels",
        bounds=False,
    )
)
_MARKER_ONLY = re.compile(rf"(?i)\W*(?:{MARKER}|{COLON_MARKER})\s*[:：]?\W*")
#: A by-word left before a name ("Text | Von X": the cell's label matched the marker).
BY_PREFIX = re.compile(rf"(?i)^\W*{words('byline.by_words', bounds=False)}\s+")
_TALK = words("byline.conversation", bounds=False)
_TALK_HINT = re.compile(rf"(?i)\s{_TALK}\s")
#: What may stand right before a by-word: a separator, a date, "on"/"am".
_BEFORE_BY = re.compile(r"(?:[|·•,:/–—*(-]|\d|\bon|\bam)$")
#: A line opened by a posting verb names its poster after any words ("Posted in News
#: by X", "Veröffentlicht in Politik von X").
_POSTED = re.compile(rf"(?i)^{words('byline.posting_verbs', bounds=False)}\b")
_SPLIT_WORDS = re.compile(rf"(?i)[,&]|\b{words('byline.name_joiners', bounds=False)}\b")
_CONVERSATION = re.compile(rf"(?i)(?P<a>.+?)\s+{_TALK}\s+(?P<b>.+?)")
#: Words of a role phrase between the by-word and the name ("unserer Korrespondentin").
_ROLE_WORDS = 4
_CONJUNCTION = re.compile(rf"(?i){words('byline.name_joiners', bounds=False)}")
#: Metadata lines (byline, date, reading time) are shorter than this.
_META_CHARS = 150


def from_marker(lines: list[Line], feats: list[Features], i: int) -> str | None:
    """Names after a by-word that opens the line or follows a separator or a date.

    "Posted on May 2, 2020 by X" and "Text | Von X" qualify; "... der Analyse von
    Peter Müller ..." in running text does not. A by-word alone on its line ("Von",
    "Published By") takes its name from the next line, as author boxes print them.
    """
    line, feat = lines[i], feats[i]
    if _TALK_HINT.search(line.words):
        return _conversation(line, feat)
    if not _MARKER_HINT.search(line.words):
        return None  # no by-word in it at all: skip the costlier patterns
    text = clean(line.words)
    if _MARKER_ONLY.fullmatch(text) and not LINK_RE.search(line.words):
        j = next_text(lines, i)
        if j is None or running_text(feats[j]) or 1 <= feats[j].heading <= 2:
            return None
        following = lines[j].words
        names = persons(clean(following), explicit=True)
        linked = {clean(t) for t, _url in LINK_RE.findall(following)}
        if names is None or (" " not in names and names[0].islower() and names not in linked):
            return None
        return not_site_of_links(names, following)
    # Titles and section headings ("# Von Sprachregeln ...") are not bylines; an h2 or
    # h3 that is a by-word and a known person's name and nothing else is one.
    if feat.heading == 1:
        return None
    if 2 <= feat.heading <= 3:
        return _heading_byline(text)
    prose = running_text(feat)
    linked = {clean(t) for t, _url in LINK_RE.findall(line.words)}
    for match in MARKER_RE.finditer(text):
        before = text[: match.start("m" if match.group("m") else "c")].strip()
        posted = _POSTED.match(before) is not None and not prose
        if before and not posted and (prose or not _BEFORE_BY.search(before)):
            continue
        if re.search(r"[^\W\d_]-$", before):
            continue  # "Bestseller-Autor X" names a subject, not the author
        if _teaser(before, line.words):
            continue
        # "Text | Von X": the label's cell, then the by-word, then the name.
        rest = BY_PREFIX.sub("", match.group("rest"))
        names = persons(rest, explicit=True) or _linked_name(rest, linked)
        # "Redakteur Tom Brink" reads as one three-word name; "Jelko Roe und Ana Ruiz"
        # is two names, the first unknown to the lexicon: keep it.
        if names is None or (len(names.split(", ")[0].split()) > 2 and not known_given_name(names)):
            names = _after_role(rest) or names
        if names is None:
            continue
        # "Tribune de Genève": after "de"/"da" (a genre's or a verb's) only a full name;
        # "Redakteurin Politik" without a colon is a role and its desk.
        weak_word = re.search(r"(?i)(?:\bd[ea]|reporter|redakteur(?:in)?)$", match.group("m") or "")
        colon = re.search(r"[:：]\s*$", text[: match.start("rest")])
        if weak_word and " " not in names and not colon:
            continue
        # A lone lower-case word after "von"/"by" is a handle only when it is linked.
        if " " not in names and names[0].islower() and names not in linked:
            continue
        # A desk label's one capitalised word is its city or section ("Redacción:
        # Madrid"); names in scripts without case ("记者：X") stand alone.
        if match.group("c") and " " not in names and names[0].isupper() and names not in linked:
            continue
        return not_site_of_links(names, line.words)
    return None


def _heading_byline(text: str) -> str | None:
    """ "### By Ana Ruiz": the whole heading is a by-word and names opening with a known
    given name ("## Von Sprachregeln und Sprachgebrauch" is a section)."""
    match = MARKER_RE.match(text)
    if match is None or not match.group("m") or match.start("m") != 0:
        return None  # "## Redaktion: ..." heads a box; the by-words alone sign
    rest = match.group("rest").strip()
    names = persons(rest, explicit=False)
    if names is None or not known_given_name(names):
        return None
    # Every word of the heading is in the names: nothing left that reads as a topic.
    return (
        names
        if set(names.replace(",", " ").split()) >= set(_SPLIT_WORDS.sub(" ", rest).split())
        else None
    )


def _teaser(before: str, words: str) -> bool:
    """Whether the by-word follows a linked title of several words ("[Erneuerbare
    Energie](/buch/...) - von X"): a book tip's or teaser's credit, not this page's."""
    title = before.rstrip(" |·•,:/–—*(-")
    if len(title.split()) < 2 or is_date_line(title):
        return False  # "[October 19, 2019](/permalink) by X": the post's own date
    return any(
        clean(text) == title and not AUTHOR_URL.search(url) for text, url in LINK_RE.findall(words)
    )


def _conversation(line: Line, feat: Features) -> str | None:
    """Both people of an interview's credit line, alone on it: "Ana Ruiz im Gespräch
    mit Tom Roe", "Ana Ruiz in conversation with Tom Roe"."""
    if running_text(feat) or 1 <= feat.heading <= 3 or len(feat.plain) > 120:
        return None
    match = _CONVERSATION.fullmatch(clean(line.words))
    if match is None:
        return None
    pair = [persons(match.group(k), explicit=False) for k in ("a", "b")]
    if pair[0] != match.group("a") or pair[1] != match.group("b"):
        return None  # "Wie es weitergeht im Gespräch mit ...": a teaser, not a credit
    return f"{pair[0]}, {pair[1]}"


def _after_role(rest: str) -> str | None:
    """The name after the words that introduce it ("unserem Redakteur X", "our
    correspondent X", "notre envoyée spéciale X", "Staff Writer X"): the first few
    words dropped until what follows opens with a known given name."""
    words = rest.split()
    for k in range(1, min(_ROLE_WORDS, len(words) - 2) + 1):
        word = words[k - 1]
        if not re.fullmatch(r"[^\W\d_][\w'’-]*", word) or _CONJUNCTION.fullmatch(word):
            return None  # a date, a name's initial or a separator: no role phrase
        tail = " ".join(words[k:])
        if known_given_name(tail):
            names = persons(tail, explicit=False)
            return names if names and " " in names.split(", ")[0] else None
    return None


def _linked_name(rest: str, linked: set[str]) -> str | None:
    """A linked name right after the by-word, in whatever case the page wrote it
    ("by [Ana ruiz](/profile/...)"): the link vouches for it."""
    for text in linked:
        words = text.split()
        if (
            rest.startswith(text)
            and 2 <= len(words) <= 4
            and text[0].isupper()
            and all(re.fullmatch(r"[^\W\d_][\w'’-]*", w) for w in words)
            and persons(text.title(), explicit=True) == text.title()
        ):
            return text
    return None


def running_text(feat: Features) -> bool:
    # Longer than any metadata line: a by-word in it must open the line to count.
    return is_prose(feat) and len(feat.plain) > _META_CHARS
