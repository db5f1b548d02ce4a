"""Byline detection on a full page, per page (pages are parsed one by one).

Three signals, tried near the article's title first and then over the whole page:

1. a by-word before a name, in the languages of the dumps: "By X", "Von X",
   "Par X", "Por X", "Di X", "Door X", "Av X", "Af X", "Przez X", "Text: X",
   "Autor: X", "Posted by X", "Ein Artikel von X";
2. a link to an author page: ``[Name](https://.../author/...)`` (``/autor/``,
   ``/autoren/``, ``/journalist/``, ``/redaktion/``, ``/profile/``, ...);
3. a name heading a short metadata line next to the title: "X | Reporter",
   "X · Outlet · Posted ...", "X, 01.12.2021", or the name alone.

What is not a person or a desk is rejected: dates, URLs, handles of social
networks, UI words, "Staff". Several authors are joined with ", ". The record-dump
path keeps its own vectorized inference (:mod:`corpus_qa.parse.bylines`).
"""

from __future__ import annotations

import re

from corpus_qa.parse.blocks import Features, is_prose
from corpus_qa.parse.bylines import AGENCIES
from corpus_qa.parse.dates import is_date_line
from corpus_qa.parse.lines import Line

_MARKER = (
    r"(?:written|posted|published|reported|gepostet|geschrieben|verfasst|veröffentlicht"
    r"|publiziert|erstellt|ein (?:artikel|beitrag|kommentar|gastbeitrag) )?\s*"
    r"(?:by|von|vom|par|por|di|door|av|af|przez|durch|text(?: und fotos?| von)?|autor(?:in)?"
    r"|autoren|author|authors|auteur|autore|reporter|redakteur(?:in)?|texte|tekst"
    r"|about the author|über (?:den autor|die autorin))"
)
#: By-words that only introduce a name with a colon ("Redaktion: X", "责任编辑：X"):
#: without one they are ordinary words or desk names.
_COLON_MARKER = r"(?:redaktion|責任編輯|责任编辑|编辑|作者|记者|記者)"
_MARKER_RE = re.compile(
    rf"(?i)(?:^|[\s|·•,(/–—-])(?:(?P<m>{_MARKER})\s*[:：-]?\s+|(?P<c>{_COLON_MARKER})\s*[:：]\s*)"
    r"(?P<rest>.+)$"
)
_AUTHOR_URL = re.compile(
    r"(?i)(?:/(?:author|authors|autor|autoren|autorin|autorinnen|auteur|auteurs|autore|autores"
    r"|journalist|journalists|journalisten|redaktion|redakteur|profile|profil|people|staff"
    r"|team|writer|writers|reporter|contributors?|mitarbeiter|by)/[^/?#\s]{2,}|[?&]author=)"
)
_LINK_RE = re.compile(r"\[([^\[\]]*)\]\(([^()\s]*)(?:\s+\"[^\"]*\")?\s*\)")
_TOKEN = r"(?:[^\W\d_](?:[\w'’-]*[^\W\d_])?\.?|(?:[^\W\d_]\.){1,3})"
_SPLIT_RE = re.compile(
    r"\s*(?:,|;|/|&|\+|\bund\b|\band\b|\bet\b|\by\b|\be\b|\bi\b|\ben\b|\boch\b|\bog\b)\s*"
)
_CUT_RE = re.compile(
    r"\s*(?:[|·•(\[–—]|\s-\s|\b\d|\b(?:[Ii]llustrations?|[Ff]otos?|[Pp]hotos?|[Bb]ilder?)\b|\bam\b|\bon\b|\ble\b|\bel\b|\bil\b|\bem\b|\bat\b|\bum\b|\bin\b|\bin:)"
)
_PARTICLES = frozenset(
    ["von", "van", "de", "da", "di", "do", "du", "del", "della", "der", "den", "la", "le", "dos", "das", "y", "al", "bin", "ibn", "ten", "ter", "zu"]
)  # fmt: skip
#: Words that are never (part of) a person's name on a byline line.
_NOT_NAME = frozenset(
    ["staff", "admin", "administrator", "anonymous", "unknown", "guest", "gast", "share", "teilen", "home", "login", "facebook", "twitter", "instagram", "linkedin", "youtube", "whatsapp", "pinterest", "xing", "tiktok", "telegram", "reddit", "email", "e-mail", "mail", "rss", "print", "drucken", "kommentar", "kommentare", "comment", "comments", "menu", "menü", "suche", "search", "mehr", "more", "alle", "all", "artikel", "article", "articles", "posts", "beiträge", "beitrag", "profile", "profil", "website", "homepage", "über", "about", "kontakt", "contact", "follow", "folgen", "newsletter", "updated", "aktualisiert", "published", "veröffentlicht", "uhr", "am", "um", "min", "minuten", "lesezeit", "read", "lesen", "foto", "fotos", "photo", "photos", "bild", "bilder", "image", "video", "quelle", "source", "copyright", "januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "dezember", "january", "february", "march", "may", "june", "july", "october", "december", "janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "heute", "gestern", "today", "yesterday", "ago", "vor", "hier", "here", "weiter", "next", "zurück", "back"]
)  # fmt: skip
_AGENCY_SET = frozenset(a.lower() for a in AGENCIES)
#: Lines searched above the title and after it before the whole page is tried.
_ABOVE, _BELOW = 8, 25
#: Lines of the window (from its top) where a bare name may stand as the byline.
_META_REACH = 8
#: Lines next to the title where a name standing alone on its line counts.
_ALONE_REACH = 4
#: Metadata lines (byline, date, reading time) are shorter than this.
_META_CHARS = 150


def _clean(text: str) -> str:
    text = re.sub(r"\\(.)", r"\1", text)  # html2text's escapes: "28\. Jan." is "28. Jan."
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = _LINK_RE.sub(lambda m: f" {m.group(1)} ", text)
    text = re.sub(r"[*_`\\#>]|\[|\]", " ", text)
    return " ".join(text.split())


def _name(part: str, *, explicit: bool) -> str | None:
    """``part`` as a person's or desk's name, or None. ``explicit``: after a by-word or
    in an author link, where one-word names and handles are credible."""
    part = part.strip(" .,:;-–—·|\"'“”«»")
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
    for token in tokens:
        # A handle ("freeman1984") only stands alone, and only where the page says
        # it is the author.
        handle = explicit and len(tokens) == 1 and re.fullmatch(r"[^\W_][\w.-]*", token)
        if not re.fullmatch(_TOKEN, token) and not handle:
            return None
        if token.lower() in _PARTICLES:
            continue
        if not token[0].isupper() and (len(tokens) > 1 or not explicit):
            return None
    if not tokens[0][0].isupper() and not (explicit and len(tokens) == 1):
        return None
    return part


def _names(text: str, *, explicit: bool) -> str | None:
    """Names at the start of ``text``, cut at a date, separator or preposition."""
    cut = _CUT_RE.search(text)
    head = text[: cut.start()] if cut else text
    found: list[str] = []
    for part in _SPLIT_RE.split(head):
        name = _name(part, explicit=explicit)
        if name is None:
            break
        found.append(name)
    return ", ".join(found) if found else None


def _from_marker(line: Line, *, prose: bool = False) -> str | None:
    """Names after a by-word that opens the line or follows a separator or a date.

    "Posted on May 2, 2020 by X" and "Text | Von X" qualify; "... der Analyse von
    Peter Müller ..." in running text does not.
    """
    text = _clean(line.words)
    linked = {_clean(t) for t, _url in _LINK_RE.findall(line.words)}
    for match in _MARKER_RE.finditer(text):
        before = text[: match.start("m" if match.group("m") else "c")].strip()
        if before and (prose or not re.search(r"(?:[|·•,:/–—*(-]|\d|\bon|\bam)$", before)):
            continue
        names = _names(match.group("rest"), explicit=True)
        if names is None:
            continue
        # A lone lower-case word after "von"/"by" is a handle only when it is linked.
        if " " not in names and names[0].islower() and names not in linked:
            continue
        return names
    return None


def _from_author_link(line: Line) -> str | None:
    names = []
    for text, url in _LINK_RE.findall(line.words):
        if _AUTHOR_URL.search(url):
            name = _names(_clean(re.sub(r"(?i)^\W*(?:by|von|par|por)\s+", "", text)), explicit=True)
            if name and name not in names:
                names.append(name)
    return ", ".join(names) if names else None


_LEADING_DATE = re.compile(
    r"^\d{1,2}\.?\s*(?:\d{1,2}\.|[^\W\d_]{3,9}\.?)\s*\d{2,4}(?:,?\s*\d{1,2}[:.]\d{2})?\s*[-–|·,]?\s*"
)


def _from_meta_line(line: Line, feat: Features, *, alone: bool) -> str | None:
    """A name opening a short metadata line ("X | Reporter", "X, 01.12.2021", "X")."""
    text = _clean(line.words)
    # h4-h6 headings often hold an author box's name; h1-h3 are titles and sections.
    if len(text) > 120 or is_prose(feat) or 1 <= feat.heading <= 3:
        return None
    if feat.links and feat.link_ratio > 0.6:
        return None  # menu entries and link lists are not bylines
    marker = _MARKER_RE.match(text)
    if marker is not None and marker.start() == 0:
        return None  # a by-word line whose name was rejected ("By AFP", "By Staff")
    # A date may come first: "28. Jan. 2022 Paula Balov", "25.10.2022 - Reiner Nagel".
    undated = _LEADING_DATE.sub("", text)
    dated, text = undated != text, undated
    match = re.match(r"^(?P<name>[^|·•,/\d]+?)\s*(?:[|·•,/]|(?=\d)|$)(?P<rest>.*)$", text)
    if match is None:
        return None
    rest = match.group("rest").strip()
    if not dated and not rest and not alone:
        return None
    if rest and not (is_date_line(rest) or re.search(r"\d", rest) or len(rest) <= 40):
        return None
    return _names(match.group("name"), explicit=False)


def _window(lines: list[Line], first: int) -> tuple[list[int], list[int]]:
    """Non-blank line indexes from a few above ``first`` to some below it."""
    above: list[int] = []
    i = first - 1
    while i >= 0 and len(above) < _ABOVE:
        if not lines[i].blank:
            above.append(i)
        i -= 1
    below: list[int] = []
    i = first
    while i < len(lines) and len(below) < _BELOW:
        if not lines[i].blank:
            below.append(i)
        i += 1
    # Below the title first: above it are menus and breadcrumbs.
    return below, above


def _running_text(feat: Features) -> bool:
    # Longer than any metadata line: a by-word in it must open the line to count.
    return is_prose(feat) and len(feat.plain) > _META_CHARS


def find_byline(
    lines: list[Line], feats: list[Features], first: int, end: int
) -> tuple[str, int | None] | None:
    """(byline, line index) near the article start ``first``, else anywhere on the page.

    Explicit signals (a by-word, an author link) win over a bare name next to the
    title, wherever they are: a bare name is the weakest evidence there is.
    """
    below, above = _window(lines, first)
    near = [*below, *above]
    everywhere = [*range(first, len(lines)), *range(first - 1, -1, -1)]
    for scope in (near, everywhere):
        for finder in (_from_marker, _from_author_link):
            for i in scope:
                # Titles and section headings ("# Von Sprachregeln ...") are not
                # bylines; links in running text point at sources, not authors.
                if lines[i].blank:
                    continue
                if finder is _from_marker:
                    if 1 <= feats[i].heading <= 3:
                        continue
                    found = _from_marker(lines[i], prose=_running_text(feats[i]))
                elif _running_text(feats[i]):
                    continue
                else:
                    found = _from_author_link(lines[i])
                if found:
                    return found, i
    close = {*below[:_ALONE_REACH], *above[:2]}
    for i in [*below[:_META_REACH], *above[:_META_REACH]]:
        found = _from_meta_line(lines[i], feats[i], alone=i in close)
        if found:
            return found, i
    return None
