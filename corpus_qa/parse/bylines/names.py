"""Person names on byline lines: what a name looks like, what never is one.

Used by :mod:`corpus_qa.parse.bylines.page`. A name is 1-5 capitalised tokens
(particles such as "von", "de" allowed in lower case); a one-word name or a
lower-case handle only counts where the page says it is the author (``explicit``).
Dates, URLs, social networks, UI words, job titles and wire agencies are rejected;
the site's UI, section and field words ("Datum", "Sponsored", "Skip navigation") are
trimmed off a name's edges (:func:`trim_ui`), and a name of nothing else is none.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from corpus_qa.lexicons import phrases
from corpus_qa.lexicons.compile import alternation_of, words
from corpus_qa.parse.bylines.drafts import AGENCIES

LINK_RE = re.compile(r"\[([^\[\]]*)\]\(([^()\s]*)(?:\s+\"[^\"]*\")?\s*\)")
_TOKEN = r"(?:[^\W\d_](?:[\w'’-]*[^\W\d_])?\.?|(?:[^\W\d_]\.){1,3})"
_SPLIT_RE = re.compile(rf"\s*(?:,|;|/|&|\+|\b{words('byline.name_joiners', bounds=False)}\b)\s*")
#: Credits ("Photos: X") and prepositions ("on May 2", "in Paris") end the names on a
#: line; prepositions only in lower case, credit words capitalised or not.
_CREDIT_CUTS = [*phrases("byline.photo_words"), *phrases("byline.credit_cuts")]
_CUT_RE = re.compile(
    r"\s*(?:[|·•(\[–—]|\s-\s|\b\d"
    rf"|{alternation_of([*_CREDIT_CUTS, *(w.capitalize() for w in _CREDIT_CUTS)])}"
    rf"|{alternation_of(phrases('byline.name_cuts'))})"
)
#: Lower-case particles inside a name.
_PARTICLES = frozenset(phrases("byline.name_particles"))
#: Words that are never (part of) a person's name on a byline line.
_NOT_NAME = frozenset(phrases("byline.not_names"))
#: Site UI, section and field words ("Navigation", "Datum", "Fazit", "Auteur"): never
#: a name nor part of one, trimmed off a name's edges.
_UI_WORDS = frozenset(w.casefold() for w in phrases("byline.ui_words"))
#: Phrases of words that are names one by one ("Skip navigation", "Reading time").
_UI_PHRASES = re.compile(
    rf"(?i)(?<!\w)(?:{'|'.join(re.escape(p) for p in phrases('byline.ui_phrases'))})(?!\w)"
)
#: Words left dangling once a label is trimmed off ("Henry in [Aktuell]").
_DANGLING = frozenset(
    w.casefold() for w in (*phrases("byline.name_cuts"), *phrases("byline.function_words"))
)
_STRIP = " .,:;-–—·|\"'“”«»"
#: What stands around a UI word as a token ("Auteur(s)", "Datum:").
_EDGE = _STRIP + "()"
#: Articles and prepositions that open headings, never a bare name ("Im Wortlaut");
#: name particles ("De Vries", "Van Morrison", "La Toya") are not among them.
_LEADING_WORDS = frozenset(phrases("byline.heading_openers"))
#: Job titles after a name ("X, Staff Attorney", "X, Projektleiterin"): never a name.
ROLE = re.compile(rf"(?i){words('byline.roles', bounds=False)}$")
#: The verb before a by-word: "Posted by", "Eingestellt von", "Publié par".
_VERB = words("byline.verbs", bounds=False)
#: A genre before the by-word: "Gastbeitrag von X", "Analysis by X", "Une chronique de
#: X", "Artículo de X". Not a bare "Kommentar von", which heads reader comments.
_GENRE = (
    rf"(?:{words('byline.genre_articles', bounds=False)}\s+)?"
    rf"(?:(?:{words('byline.guest_prefixes', bounds=False)}|{words('byline.guest_words', bounds=False)}\s)?"
    rf"{words('byline.genres', bounds=False)}|{words('byline.credit_phrases', bounds=False)})"
)
_TEXT = words("byline.text_words", bounds=False)
_PHOTO = words("byline.photo_words", bounds=False)
_JOIN = words("byline.credit_joiners", bounds=False)
MARKER = (
    rf"(?:(?:{_VERB}|{_GENRE})\s+{words('byline.by_words_after_verb', bounds=False)}\b"
    rf"|(?:{_VERB}|{_GENRE})?\s*"
    rf"(?:{words('byline.by_words', bounds=False)}"
    # "Text und Fotos: X", "Photos & text: X".
    rf"|{_TEXT}(?:\s*{_JOIN}\s*{_PHOTO})?|{_PHOTO}\s*{_JOIN}\s*{_TEXT}"
    # Gendered forms of "Autor": "Autor:in", "Autor*innen", "Autor innen:".
    r"|autor[:*_/]in(?:nen)?|autor\sinnen(?=\s*:)"
    rf"|{words('byline.labels', bounds=False)}))"
)
#: By-words that only introduce a name with a colon ("Redaktion: X", "责任编辑：X"):
#: without one they are ordinary words or desk names.
COLON_MARKER = words("byline.colon_labels", bounds=False)
#: A table cell's border after a label word ("| Autor | Ana Ruiz |"); never after a
#: short preposition, which calendars and menus print in cells ("MO| DI| MI").
_CELL = r"\|(?<=[^\W\d_]{4}\|)|\|(?<=[^\W\d_]{4}\s\|)"
MARKER_RE = re.compile(
    rf"(?i)(?:^|[\s|·•,(/–—-])(?:(?P<m>{MARKER})\s*(?:[:：-]|{_CELL})?\s+"
    rf"|(?P<c>{COLON_MARKER})\s*(?:[:：]|{_CELL})\s*)"
    r"(?P<rest>.+)$"
)
#: A picture credit just before a link: "Art by", "Photos:", "Illustration von".
CREDIT_BEFORE = re.compile(
    rf"(?i)\b{words('byline.picture_words', bounds=False)}\s*"
    rf"(?:{words('byline.by_words', bounds=False)}|:)?\s*$"
)
#: Any of :data:`ROLE`'s words somewhere in a line (a cheap test before reading it).
ROLE_HINT = re.compile(ROLE.pattern.removesuffix("$"))
#: Degrees after a name, compared without dots and spaces ("Ph. D." -> "phd").
_DEGREES = frozenset(phrases("byline.degrees"))
_HANDLE = re.compile(r"\s@[\w.]+")
#: A one-word handle as a member or author page shows it ("fri.juli", "happyface313").
HANDLE = re.compile(r"[^\W\d_][\w.-]{1,29}(?<![.-])")
_AGENCY_SET = frozenset(a.lower() for a in AGENCIES)


@lru_cache(maxsize=8192)
def clean(text: str) -> str:
    """Line text without Markdown: link text kept, targets, images, emphasis dropped.

    Cached: the byline finders look at the same lines several times per page.
    """
    text = re.sub(r"\\(.)", r"\1", text)  # html2text's escapes: "28\. Jan." is "28. Jan."
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = LINK_RE.sub(lambda m: f" {m.group(1)} ", text)
    text = re.sub(r"[*_`\\#>]|\[|\]", " ", text)
    return " ".join(text.split())


#: A plural or gendered ending in parentheses ("Auteur(s)", "Autor(in)").
_ENDING = re.compile(r"\((?:s|e|es|in|innen)\)$")


def _ui(token: str) -> bool:
    return _ENDING.sub("", token.strip(_EDGE.replace(")", ""))).strip(_EDGE).casefold() in _UI_WORDS


def trim_ui(name: str) -> str:
    """``name`` without the site's UI, section and field words at its edges ("Ana
    Ruiz, Datum" -> "Ana Ruiz", "Henry In Aktuell" -> "Henry"); "" when a UI phrase is
    in it or a UI word stands between its words. Never longer than ``name``."""
    if _UI_PHRASES.search(name):
        return ""
    tokens = name.split()
    end = len(tokens)
    while end and _ui(tokens[end - 1]):
        end -= 1
    if end < len(tokens):
        while end and tokens[end - 1].strip(_EDGE).casefold() in _DANGLING:
            end -= 1
    start = 0
    while start < end and _ui(tokens[start]):
        start += 1
    kept = tokens[start:end]
    if any(_ui(t) for t in kept):
        return ""
    if len(kept) == len(tokens):
        return name
    trimmed = " ".join(kept)
    if trimmed.endswith((":", "：")):
        return ""  # "Mein Motto: Fazit": a heading's colon before a label, no name
    return trimmed.rstrip(",;")


def person(part: str, *, explicit: bool) -> str | None:
    """``part`` as a person's or desk's name, or None. ``explicit``: after a by-word or
    in an author link, where one-word names and handles are credible."""
    part = trim_ui(part.strip(_STRIP)).strip(_STRIP)
    tokens = part.split()
    if not tokens or len(tokens) > 5 or len(part) > 60:
        return None
    if any(t.lower().strip(".") in _NOT_NAME for t in tokens):
        return None
    if "@" in part or "http" in part.lower() or re.search(r"\.[a-z]{2,4}\b", part):
        return None
    if part.lower() in _AGENCY_SET:
        return None
    if len(tokens) == 1 and not explicit:
        return None
    if not explicit and tokens[0].lower() in _LEADING_WORDS:
        return None  # "Im Wortlaut", "The Big Picture", "Les Amis ...": a heading or a club
    if len(tokens) == 1 and part.isupper() and len(part) >= 5:
        return None  # "BANKING", "REDAKTION": a label in capitals, not a handle
    if not explicit and len(tokens) > 1 and part.isupper() and not _capitals_name(tokens):
        # "LA NACION", "CONTINUA DEPOIS DA PUBLICIDADE": mastheads and labels; a
        # byline set in capitals ("ANA RUIZ") opens with a given name.
        return None
    if any(re.search(r"[A-Z]{3,}[a-zß-ÿ]", t) for t in tokens):
        return None  # a label glued to a name by the scrape ("PAYMENTRudolf")
    if any(ROLE.search(t) for t in tokens):
        return None  # "Projektleiterin der HSS", "Staff Attorney": a role after a name
    for token in tokens:
        # A handle ("freeman1984") only stands alone, and only where the page says
        # it is the author.
        handle = explicit and len(tokens) == 1 and re.fullmatch(r"[^\W_][\w.-]*", token)
        # "Example.LIVE Redaktion": a brand with a dot, never a domain ("x.de").
        dotted = explicit and re.fullmatch(r"[^\W\d_]+\.[^\W\d_]*[A-Z]", token)
        if not re.fullmatch(_TOKEN, token) and not handle and not dotted:
            return None
        if token.lower() in _PARTICLES:
            continue
        if not token[0].isupper() and (len(tokens) > 1 or not explicit):
            return None
    if not tokens[0][0].isupper() and not (explicit and len(tokens) == 1):
        return None
    return part


def _capitals_name(tokens: list[str]) -> bool:
    """A name set in capitals ("ANA RUIZ", "J. R. ROE"): a given name first, and words
    of three letters or more ("US RTX" is two acronyms)."""
    words = [t for t in tokens if not re.fullmatch(r"[^\W\d_]\.", t)]
    if any(len(w) < 3 and w.lower() not in _PARTICLES for w in words):
        return False
    return known_given_name(" ".join(tokens))


def persons(text: str, *, explicit: bool) -> str | None:
    """Names at the start of ``text``, cut at a date, separator or preposition."""
    text = _HANDLE.sub("", text)  # "Ana Ruiz @anaruiz": the handle repeats the name
    cut = _CUT_RE.search(text)
    head = text[: cut.start()] if cut else text
    found: list[str] = []
    for part in _SPLIT_RE.split(head):
        code = part.strip(" .,:;-–—·|")
        if found and code.isupper() and len(code) <= 6:
            continue  # "Ana Ruiz/EXA": an agency or desk code after the name is a credit
        if found and re.sub(r"[.\s]", "", code).lower() in _DEGREES:
            continue  # "Jane Roe, Ph.D.": a degree after the name, not a second author
        name = person(part, explicit=explicit)
        if name is None:
            break
        found.append(name)
    return ", ".join(found) if found else None


#: Titles and honorifics before a given name ("Dr. Ana Ruiz", "Prof. Dr. X").
_HONORIFICS = frozenset(phrases("byline.honorifics"))


#: Short function words the lexicon also lists as rare given names ("The", "Le",
#: "Mein", "Una"): an outlet or a heading starts with them, a byline does not.
_FUNCTION_WORDS = frozenset(phrases("byline.function_words"))


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """The given-name lexicon: about 26,000 names of some 80 locales, casefolded.

    Generated at development time from Faker's person providers (MIT licence, see the
    file's header and ``accuracy/make_given_names.py``); read on the first weak byline
    candidate only, since most pages never need it.
    """
    text = resources.files("corpus_qa.parse").joinpath("given_names.txt").read_text("utf-8")
    return frozenset(w for w in text.splitlines() if w and not w.startswith("#"))


@lru_cache(maxsize=8192)
def known_given_name(name: str) -> bool:
    """Whether ``name`` opens with a given name of the lexicon ("Ana Ruiz", "Dr. Ana
    Ruiz", "Hans-Peter Roe"); initials, desks and capitalised nouns do not."""
    lexicon = given_names()
    words = [t.strip(".,'’").casefold() for t in name.split()]
    words = [w for w in words if w not in _HONORIFICS]
    while len(words) > 2 and len(words[0]) == 1:
        words = words[1:]  # "J. Robert Roe": the given name after an initial
    words = words[:2]
    capitals = name.isupper()
    originals = [t.strip(".,'’") for t in name.split()]
    for k, word in enumerate(words):
        if word in _FUNCTION_WORDS:
            return False
        if not capitals and any(
            o.casefold() == word and o.isupper() and len(o) > 1 for o in originals
        ):
            return False  # "ARD Mediathek": an acronym, not a given name
        parts = word.split("-")
        if any(p in lexicon for p in parts):
            return True
        if k or len(parts) < 3:
            break  # only a role compound may stand first ("Example-Online-Experte Ana Ruiz")
    return False


#: The last word of a desk's byline ("ET Online", "Web Desk", "Politik-Redaktion").
_DESK = re.compile(rf"(?i)(?:^|[\s-]){words('byline.desks', bounds=False)}$")


def desk_name(name: str) -> bool:
    """Whether ``name`` is a desk's byline ("ET Online", "Web Desk", "Redaktion" after a
    word): not a person, yet the credit the page prints beside its date."""
    words = name.split()
    return 2 <= len(words) <= 3 and _DESK.search(name) is not None


def desk_alone(name: str) -> bool:
    """Whether ``name`` is a desk word alone ("Redaktion", "Newsroom"): the text's
    finders credit it only where the page links it to an author page."""
    return " " not in name.strip() and _DESK.search(name.strip()) is not None
