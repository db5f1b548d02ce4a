"""Weaker byline signals on a full page: ranked below a by-word or an author link
(:mod:`corpus_qa.parse.bylines.rank`), and only for a name that opens with a known given name.

- an author box: a name alone on its line (a heading, bold or a link) over a line
  with a job title or the word "author" ("Jane Roe" / "Press officer, ...",
  "Jane Roe" / "Search for this author in: ..."), over a phone number or e-mail
  address (a contact box);
- a short bio naming a trade ("Jane Roe ist Redakteurin ...", "Jane Roe is a
  reporter ..."), or the name opening the paragraph under "About the author";
- a profile link whose address spells the linked name, outside running text
  ("[Jane Roe](https://x.example/roe-jane/123.html)");
- a sign-off: an emphasized name alone on a line of the article ("**_Jane Roe_**"),
  or a name in parentheses ending one of its last paragraphs ("... (Jane Roe) +++");
- a forum poster's name or handle over the user box's figures ("Beiträge: 1.234");
- the holder of a copyright line ("© 2009-2012 Jane Roe."), on one-person sites the
  author of every post;

Also the line-walking helpers that :mod:`corpus_qa.parse.bylines.page` shares.
"""

from __future__ import annotations

import re

from corpus_qa.lexicons.compile import words as lex
from corpus_qa.parse.blocks import Features, is_prose
from corpus_qa.parse.bylines.names import (
    CREDIT_BEFORE,
    LINK_RE,
    ROLE,
    ROLE_HINT,
    clean,
    known_given_name,
    persons,
)
from corpus_qa.parse.bylines.site import spells_name
from corpus_qa.parse.lines import Line

_AUTHOR_WORD = re.compile(rf"(?i)\b{lex('byline.author_words')}\b")
_CONTACT = re.compile(
    rf"(?i)^\W*(?:{lex('byline.contact_words', bounds=False)}\b"
    rf"|{lex('byline.contact_prefixes', bounds=False)}|\[[^\]]*\]\(mailto:)"
)
_EMPHASIZED = re.compile(r"^[*_]{1,3}[^*_]+[*_]{1,3}$")
_PAREN_NAME = re.compile(r"\((?P<name>[^()]{4,60})\)\W*$")
#: A signature alone on its line: a name after a dash, in parentheses, or bare.
_SIGNATURE = re.compile(r"(?:[-–—]\s*)?\(?(?P<name>[^()\d:|]{4,60}?)\)?\.?")
#: A signature with the place it was written: "Ana Ruiz, Brüssel".
_SIGNED_AT = re.compile(r"(?P<name>.+?),\s+[^\W\d_][\w'’-]+")
#: An emphasized name opening a line that goes on with notes ("_Ana Ruiz_ (1) ...").
_EMPHASIZED_LEAD = re.compile(r"^(?P<name>[*_]{1,3}[^*_]{4,60}[*_]{1,3})\s+\(\d{1,2}\)\s")
_LIST_ITEM = re.compile(r"^\s*(?:[*+-]|\d{1,3}\.)\s+")
#: Lines at the article's end searched for a sign-off.
_SIGN_OFF_LINES = 3
#: Lines after the article's end where its sign-off may stand (the body finder may
#: stop a line or two early).
_SIGN_OFF_AFTER = 3
#: A copyright notice naming its holder: "© 2020 Ana Ruiz", "(c) Ana Ruiz • ...",
#: "Inhalte © by Ana Ruiz | All rights reserved".
_COPYRIGHT = re.compile(
    r"(?i)(?:©|\(c\)|\bcopyright\b)\s*(?:by\s+)?(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?"
    r"\s*[,.]?\s*)?(?:by\s+)?(?P<rest>.+)$"
)
#: What a site-wide copyright line says besides the holder (a photo credit says none).
_RIGHTS = re.compile(rf"(?i)(?:19|20)\d\d|\b{lex('footer.rights_words', bounds=False)}\b")


def next_text(lines: list[Line], i: int, reach: int = 2) -> int | None:
    """Index of the next non-blank line within ``reach`` non-blank lines, if any."""
    seen = 0
    for j in range(i + 1, len(lines)):
        if lines[j].blank:
            continue
        seen += 1
        return j if seen <= reach else None
    return None


def step_text(lines: list[Line], i: int, step: int) -> int | None:
    """The nearest non-blank line index from ``i`` in direction ``step``."""
    j = i + step
    while 0 <= j < len(lines):
        if not lines[j].blank:
            return j
        j += step
    return None


def neighbours(lines: list[Line], i: int, reach: int) -> list[int]:
    """Up to ``reach`` non-blank line indexes on each side of ``i``."""
    out: list[int] = []
    for step in (-1, 1):
        j, seen = i + step, 0
        while 0 <= j < len(lines) and seen < reach:
            if not lines[j].blank:
                out.append(j)
                seen += 1
            j += step
    return out


def _lone_name(line: Line, feat: Features) -> str | None:
    """The line's text when it is one person's name and nothing else."""
    if line.blank or len(feat.plain) > 80 or feat.links > 1 or 1 <= feat.heading <= 2:
        return None  # a name with its markup fits in 80 characters
    if is_prose(feat):
        return None
    text = clean(line.words)
    name = persons(text, explicit=False)
    return name if name == text else None


def from_author_box(lines: list[Line], feats: list[Features], i: int) -> str | None:
    """A name alone over a job title or an "author" line."""
    if lines[i].blank or len(feats[i].plain) > 80:
        return None
    j = next_text(lines, i, reach=1)
    if j is None:
        return None
    # The line below first: a few patterns, cheaper than reading a name on every line.
    below = lines[j].words
    contact = _CONTACT.match(below) is not None
    if not contact:
        if len(below) > 400 or not (_AUTHOR_WORD.search(below) or ROLE_HINT.search(below)):
            return None
        following = clean(below)
        if len(following) > 200:
            return None
        words = following.replace(",", " ").split()
        if not (_AUTHOR_WORD.search(following) or any(ROLE.search(w) for w in words[:4])):
            return None
    name = _lone_name(lines[i], feats[i])
    if name is None or _lone_name(lines[j], feats[j]) is not None:
        return None
    return name  # over a role or "author" line, or a contact box's phone or address


def from_portrait(lines: list[Line], feats: list[Features], i: int) -> str | None:
    """A name alone on its line beside a picture captioned with that name: an
    author box's portrait ("![Ana Ruiz](...)" over "Ana Ruiz")."""
    line = lines[i]
    if line.blank or len(feats[i].plain) > 60 or not feats[i].plain[:1].isupper():
        return None
    near = neighbours(lines, i, 2)
    if not any(tag.alt for j in near for tag in lines[j].tags) and not line.tags:
        return None  # no picture beside it: the common case, decided cheaply
    name = _lone_name(line, feats[i])
    if name is None:
        return None
    for j in (i, *near):
        if any(tag.alt.strip() == name for tag in lines[j].tags):
            return name
    return None


def from_profile_link(lines: list[Line], feats: list[Features], i: int) -> str | None:
    """A linked name whose address spells it, outside menus ("[Jane Roe](/roe-jane/1)")."""
    line = lines[i]
    # A line that is one link only ("###### [Ana Ruiz](/ana-ruiz/)") is an author
    # box's heading; several links are a menu.
    if line.blank or _LIST_ITEM.match(line.text) or not feats[i].plain or feats[i].links > 1:
        return None
    if is_prose(feats[i]) and not line.words.lstrip("*_ ").startswith("["):
        return None  # a person the article's text links to, not its author
    for link in LINK_RE.finditer(line.words):
        label, url = link.group(1), link.group(2)
        if CREDIT_BEFORE.search(line.words[: link.start()]):
            continue  # "Fotos: [Ana Ruiz](...)": the photographer
        text = clean(label)
        name = persons(text, explicit=False)
        if name is not None and name == text and spells_name(url, name):
            return name
    return None


#: A short bio naming the author's trade: "Ana Ruiz ist Redakteurin ...", "Ana Ruiz is
#: a reporter ...", "Ana Ruiz est journaliste ...".
_BIO = re.compile(
    r"^(?P<name>(?:[^\W\d_][\w.'’-]*\s+){1,3}?[^\W\d_][\w'’-]+)\s*,?\s+"
    rf"{lex('byline.bio_verbs', bounds=False)}\b(?P<rest>.{{0,120}})"
)
_TRADE = re.compile(rf"(?i){lex('byline.trades', bounds=False)}")
#: "The author" before the name opening a bio, in the dumps' languages.
_AUTHOR_LEAD = re.compile(rf"(?i)^{lex('byline.author_leads', bounds=False)}\s+(?=[^\W\d_])")
#: Headers over an author's bio ("Über die Autorin", "About the author", "Zur Person").
_BIO_HEAD = re.compile(rf"(?i)^\W*{lex('byline.bio_headers', bounds=False)}\W*$")


def from_bio(lines: list[Line], feats: list[Features], i: int) -> str | None:
    """The person a short bio names ("Ana Ruiz ist freie Journalistin in Berlin."), or
    the name opening the paragraph under an "About the author" header."""
    line, feat = lines[i], feats[i]
    if line.blank or len(feat.plain) > 500 or _LIST_ITEM.match(line.text):
        return None
    text = clean(line.words)
    # "Der Autor Ana Ruiz ist Historikerin.": the lead says it, whatever the trade.
    lead = _AUTHOR_LEAD.match(text)
    match = _BIO.match(text[lead.end() :] if lead else text)
    if match is not None and (lead or _TRADE.search(match.group("rest"))):
        name = match.group("name")
        return name if persons(name, explicit=False) == name else None
    j = step_text(lines, i, -1)
    if j is not None and _BIO_HEAD.match(feats[j].plain):
        head = re.match(r"^(?:[^\W\d_][\w.'’-]*\s+){1,3}?[^\W\d_][\w'’-]+", text)
        if head is not None:
            names = persons(head.group(0), explicit=False)
            return names if names == head.group(0) else None
    return None


def from_copyright(lines: list[Line], feats: list[Features], i: int) -> str | None:
    """The person a copyright line names ("© 2009-2012 Ana Ruiz."): on a one-person
    site, the author of every post. A photo credit ("© Agency") has no year or rights."""
    words = lines[i].words
    if "©" not in words and "(c)" not in words.lower() and "opyright" not in words:
        return None
    plain = feats[i].plain
    if len(plain) > 200 or is_prose(feats[i]) or not _RIGHTS.search(plain):
        return None
    match = _COPYRIGHT.search(clean(words))
    if match is None:
        return None
    # The holder ends at a full stop or separator ("Ana Ruiz. Impressum", "Ana Ruiz •").
    holder = re.split(r"\.\s|[•|]", match.group("rest"))[0]
    return persons(holder, explicit=False)


def from_sign_off(
    lines: list[Line], feats: list[Features], first: int, end: int
) -> tuple[str, int] | None:
    """A name closing the article: an emphasized name alone on its line anywhere in
    it ("**_Jane Roe_**"), or a name in parentheses ending one of its last paragraphs."""
    # The sign-off may stand just after the densest prose run (a short line).
    last = end
    for _ in range(2):
        last = next_text(lines, last, reach=1) or last
    for i in range(last, first, -1):
        words = lines[i].words
        name = _lone_name(lines[i], feats[i]) if _EMPHASIZED.match(words) else None
        # Bold subheadings look alike; "Leben der Städte" has a lower-case word.
        if name is not None and not any(t[0].islower() for t in name.split()):
            return name, i
    stop = end
    for _ in range(_SIGN_OFF_AFTER):
        stop = next_text(lines, stop, reach=1) or stop
    i, seen = stop + 1, 0
    while seen < _SIGN_OFF_LINES + _SIGN_OFF_AFTER and i > first:
        i -= 1
        if lines[i].blank:
            continue
        seen += 1
        paren = _PAREN_NAME.search(lines[i].words)
        # "... bleibt spannend. (Ana Ruiz) +++": a paragraph, if a short one.
        paragraph = is_prose(feats[i]) or len(feats[i].plain) >= 60
        if _LIST_ITEM.match(lines[i].text):
            continue
        if paren is not None and paragraph:
            text = clean(paren.group("name"))
            if persons(text, explicit=False) == text:
                return text, i
        signed = _closing_name(lines[i], feats[i])
        if signed is not None:
            return signed, i
    return None


def _closing_name(line: Line, feat: Features) -> str | None:
    """A name signing the article on a line of its own after the text: "Ana Ruiz",
    "— Ana Ruiz", "(Ana Ruiz)", or an emphasized name the footnotes follow on the same
    line ("_Ana Ruiz_ (1) Figures from ..."). Photo and source credits say so first."""
    words = line.words.strip()
    lead = _EMPHASIZED_LEAD.match(words)
    if lead is not None:
        text = clean(lead.group("name"))
        return text if persons(text, explicit=False) == text else None
    if is_prose(feat) or len(feat.plain) > 60 or feat.links or 1 <= feat.heading <= 3:
        return None
    text = clean(words)
    bare = _SIGNATURE.fullmatch(text)
    if bare is None or CREDIT_BEFORE.search(text.split(" ", 1)[0] + " "):
        return None
    name = bare.group("name")
    place = _SIGNED_AT.fullmatch(name)
    if place is not None:
        name = place.group("name")  # "Ana Ruiz, Brüssel": the name and where she writes
    # Only a known given name: a bare line after the text is as often a heading
    # ("Related Topics"), which must not hide a sign-off above it.
    return name if persons(name, explicit=False) == name and known_given_name(name) else None


#: A forum's user box under the poster's name: "Registriert seit: ...", "Join Date",
#: "Beiträge: 1.234", "Member since", "Inscrit le", "Miembro desde": with a figure.
_USER_STATS = re.compile(
    rf"(?i)^\W*{lex('byline.user_stats', bounds=False)}\b\s*[:：]?\s*[^\d]{{0,20}}\d"
)


def from_user_box(lines: list[Line], feats: list[Features], i: int) -> str | None:
    """A forum poster: a name or handle alone on its line over the user box's
    figures ("freeman1984" / "Registriert seit: 03.2009" / "Beiträge: 1.234")."""
    feat = feats[i]
    if lines[i].blank or len(feat.plain) > 40 or is_prose(feat) or feat.links > 1:
        return None
    if 1 <= feat.heading <= 2 or _USER_STATS.match(feat.plain):
        return None
    j, seen = i, 0
    while seen < 3:
        nxt = next_text(lines, j, reach=1)
        if nxt is None:
            return None
        if _USER_STATS.match(clean(lines[nxt].words)):
            break
        j, seen = nxt, seen + 1
    else:
        return None
    text = clean(lines[i].words)
    name = persons(text, explicit=True)
    return name if name == text else None
