"""Byline detection on a full page, per page (pages are parsed one by one).

Finders propose candidates anywhere on the page; :mod:`corpus_qa.parse.pagerank`
scores them (how explicit the evidence is, where it stands relative to the title,
the article and the comments, whether the name opens with a known given name,
whether the page repeats it) and the best one is the byline. The finders:

1. a by-word before a name, in the languages of the dumps: "By X", "Von X",
   "Par X", "Por X", "Di X", "Door X", "Av X", "Af X", "Przez X", "Text: X",
   "Autor: X", "Posted by X", "作者：X"; a by-word alone on its line takes the name
   on the next line;
2. a link to an author page: ``[Name](https://.../author/...)`` (``/autor/``,
   ``/journalist/``, ``/bio/``, ``/autor?x=...``, ...), an author portrait, initials
   linked to an author page over the printed name; consecutive author-link lines
   make one list;
3. a name heading a short metadata line next to the title: "X | Reporter",
   "X · Outlet · Posted ...", "X, 01.12.2021", a name alone beside a date line;
4. the weaker signals of :mod:`corpus_qa.parse.pagebox` (author and contact boxes,
   profile links, sign-offs, the holder of a copyright line).

What is not a person or a desk is rejected (:mod:`corpus_qa.parse.pagenames`). The
outlet's own name, learned from the page's links (:mod:`corpus_qa.parse.pagesite`),
is a byline only after a by-word and only when no person is named anywhere; a
person's name that spells the host is a one-person site's owner and stays. Several
authors are joined with ", ". The record-dump path keeps its own vectorized
inference (:mod:`corpus_qa.parse.bylines`).
"""

from __future__ import annotations

import re

from corpus_qa.parse.blocks import Features, is_caption, is_prose
from corpus_qa.parse.dates import is_date_line
from corpus_qa.parse.lines import Line
from corpus_qa.parse.pagebox import (
    from_author_box,
    from_copyright,
    from_profile_link,
    from_sign_off,
    neighbours,
    next_text,
    step_text,
)
from corpus_qa.parse.pagenames import LINK_RE, clean, known_given_name, persons
from corpus_qa.parse.pagerank import Candidate, Ranker
from corpus_qa.parse.pagesite import (
    fold,
    host_names,
    host_of,
    is_site_name,
    labels_of,
    site_host,
    spells_name,
)

_MARKER = (
    r"(?:written|posted|published|reported|gepostet|geschrieben|verfasst|veröffentlicht"
    r"|publiziert|erstellt|ein (?:artikel|beitrag|kommentar|gastbeitrag) )?\s*"
    r"(?:by|von|vom|par|por|di|door|av|af|przez|durch|napisał[a]?|text(?: und fotos?| von)?"
    r"|autor(?:in)?"
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
    r"|team|writer|writers|reporter|contributors?|mitarbeiter|bio|by"
    r"|experts?|experten|kolumnist(?:en)?|columnists?|bloggers?)"
    r"/(?!index\.)[^/?#\s]{2,}"
    r"|/(?:author|autor|autore|auteur)\?[^)\s]*=[^&)\s]{2,}|[?&]author=)"
)
#: A substring of every by-word above, to skip the many lines that hold none.
_MARKER_HINT = re.compile(
    r"(?i)by|vo[nm]|pa[rs]|por|di|door|av|af|przez|durch|text|tekst|aut|reporter|redakt"
    r"|编|編|作者|记者|記者"
)
_MARKER_ONLY = re.compile(rf"(?i)\W*(?:{_MARKER}|{_COLON_MARKER})\s*[:：]?\W*")
_BY_PREFIX = re.compile(r"(?i)^\W*(?:by|von|par|por)\s+")
_INITIALS = re.compile(r"[A-Z]{2,3}")
#: A link's tooltip that says it leads to an author's page: "Posts by X", "Beiträge
#: von X", "Autorenseite von X", "Articles de X", "View all posts by X".
_AUTHOR_TITLE = re.compile(
    r"(?i)\]\((?P<url>[^()\s]*)\s+\"(?:[^\"]*\b(?:posts?|articles?|beiträge|artikel|stories"
    r"|texte|entries|einträge|publications?|artículos|articoli|artykuły)\s+(?:by|von|de|di|of|par"
    r"|por|autorstwa)\s|autorenseite|author page|author profile|autorenprofil|profil von)"
)
#: A picture credit just before a link: "Art by", "Photos:", "Illustration von".
_CREDIT_BEFORE = re.compile(
    r"(?i)\b(?:art|artwork|illustrations?|photos?|fotos?|photography|bilder?|images?|video"
    r"|grafik|zeichnungen?|cartoons?)\s*(?:by|von|par|por|di|:)?\s*$"
)
_AUTHOR_PICTURE = re.compile(r"(?i)autor|author|auteur")
_DATEISH = re.compile(
    r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
)
#: Lines searched above the title and after it before the whole page is tried.
_ABOVE, _BELOW = 8, 25
#: Lines of the window (from its top) where a bare name may stand as the byline.
_META_REACH = 8
#: Lines next to the title where a name standing alone on its line counts.
_ALONE_REACH = 4
#: Metadata lines (byline, date, reading time) are shorter than this.
_META_CHARS = 150


def _from_marker(lines: list[Line], feats: list[Features], i: int) -> str | None:
    """Names after a by-word that opens the line or follows a separator or a date.

    "Posted on May 2, 2020 by X" and "Text | Von X" qualify; "... der Analyse von
    Peter Müller ..." in running text does not. A by-word alone on its line ("Von",
    "Published By") takes its name from the next line, as author boxes print them.
    """
    line, feat = lines[i], feats[i]
    if not _MARKER_HINT.search(line.words):
        return None  # no by-word in it at all: skip the costlier patterns
    text = clean(line.words)
    if _MARKER_ONLY.fullmatch(text) and not LINK_RE.search(line.words):
        j = next_text(lines, i)
        if j is None or _running_text(feats[j]) or 1 <= feats[j].heading <= 2:
            return None
        following = lines[j].words
        names = persons(clean(following), explicit=True)
        linked = {clean(t) for t, _url in LINK_RE.findall(following)}
        if names is None or (" " not in names and names[0].islower() and names not in linked):
            return None
        return _not_site_of_links(names, following)
    # Titles and section headings ("# Von Sprachregeln ...") are not bylines.
    if 1 <= feat.heading <= 3:
        return None
    prose = _running_text(feat)
    linked = {clean(t) for t, _url in LINK_RE.findall(line.words)}
    for match in _MARKER_RE.finditer(text):
        before = text[: match.start("m" if match.group("m") else "c")].strip()
        if before and (prose or not re.search(r"(?:[|·•,:/–—*(-]|\d|\bon|\bam)$", before)):
            continue
        if re.search(r"[^\W\d_]-$", before):
            continue  # "Bestseller-Autor X" names a subject, not the author
        names = persons(match.group("rest"), explicit=True) or _linked_name(
            match.group("rest"), linked
        )
        if names is None:
            continue
        # A lone lower-case word after "von"/"by" is a handle only when it is linked.
        if " " not in names and names[0].islower() and names not in linked:
            continue
        return _not_site_of_links(names, line.words)
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


def _not_site_of_links(names: str, text: str, *, bare: bool = False) -> str | None:
    """``names`` without those that spell the host their own link points to.

    "von [Google](https://policies.google.com/...)" names a company, not an author.
    """
    hosts = {clean(t): host_of(url) for t, url in LINK_RE.findall(text)}
    kept = []
    for name in names.split(", "):
        host = next((h for t, h in hosts.items() if h and name in t), None)
        # Only a one-word name: "Ana Ruiz" may well link to her own anaruiz.example.
        if host is None or (" " in name and not bare) or not is_site_name(name, labels_of(host)):
            kept.append(name)
    return ", ".join(kept) or None


def _from_author_link(lines: list[Line], feats: list[Features], i: int) -> str | None:
    """Names linked to an author page or shown in an author picture; an author link on initials ("[LP](.../autor?x=lea-pohl)")
    takes the name printed on the next line when the address spells it."""
    if _running_text(feats[i]):
        return None
    names: list[str] = []
    words = lines[i].words
    titled = {m.group("url") for m in _AUTHOR_TITLE.finditer(words)} if '"' in words else set()
    for link in LINK_RE.finditer(words):
        text, url = link.group(1), link.group(2)
        if _CREDIT_BEFORE.search(words[: link.start()]):
            continue  # "Art by [X](/people/x)": the illustrator, not the author
        bare = clean(_BY_PREFIX.sub("", text))
        name: str | None = None
        by_url = _AUTHOR_URL.search(url) is not None
        # A tooltip alone also sits on shops' "products by X" links: a person only.
        if by_url or (url in titled and known_given_name(bare)):
            name = persons(bare, explicit=by_url)
            if name is None or _INITIALS.fullmatch(name):
                j = next_text(lines, i)
                if j is not None and not LINK_RE.search(lines[j].words):
                    after = clean(lines[j].words)
                    if persons(after, explicit=False) == after and spells_name(url, after):
                        name = after
                if name is not None and _INITIALS.fullmatch(name):
                    name = None  # "[LP](...)" with no name beside it names nobody
        if name:
            name = _not_site_of_links(name, f"[{text}]({url})")
        if name and name not in names:
            names.append(name)
    for tag in lines[i].tags:
        # "![Ana Ruiz](.../styles/author_thumbnail/...)": a portrait in an author box.
        if _AUTHOR_PICTURE.search(tag.src):
            name = persons(clean(tag.alt), explicit=False)
            if name and name == clean(tag.alt) and name not in names:
                names.append(name)
    return ", ".join(names) if names else None


_LEADING_DATE = re.compile(
    r"^\d{1,2}\.?\s*(?:\d{1,2}\.|[^\W\d_]{3,9}\.?)\s*\d{2,4}(?:,?\s*\d{1,2}[:.]\d{2})?\s*[-–|·,]?\s*"
)


def _from_meta_line(line: Line, feat: Features, *, alone: bool, timed: bool = False) -> str | None:
    """A name opening a short metadata line ("X | Reporter", "X, 01.12.2021", "X")."""
    text = clean(line.words)
    # h4-h6 headings often hold an author box's name; h1-h3 are titles and sections.
    if len(text) > 120 or is_prose(feat) or 1 <= feat.heading <= 3:
        return None
    if is_caption(feat):
        return None  # "Ana Ruiz (Bild: Example)" names who is in the picture
    if feat.links and feat.link_ratio > 0.6:
        return None  # menu entries and link lists are not bylines
    if text.count("|") >= 2:
        return None  # a table row ("Density | 1.60 | 1.55")
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
    if timed and not re.search(r"\d", rest):
        return None
    if rest and not (is_date_line(rest) or re.search(r"\d", rest) or len(rest) <= 40):
        return None
    names = persons(match.group("name"), explicit=False)
    # A bare name linking to the site it spells is a masthead ("[The Example](x.example)").
    return None if names is None else _not_site_of_links(names, line.words, bare=True)


_TRAILING_NAME = re.compile(
    r"(?:\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\b\d{4}-\d{2}-\d{2}|\b\d{1,2}/\d{1,2}/\d{2,4})"
    r"(?:,?\s*\d{1,2}[:.]\d{2})?\s*[-–|·•,]?\s*(?P<name>[^\d|·•,/()]{4,60})$"
)


def _from_dated_tail(line: Line, feat: Features) -> str | None:
    """A name closing a short metadata line after its date ("Example News 02/10/2020
    Ana Ruiz", "Wirtschaft | 01.12.2021 | Ana Ruiz")."""
    text = clean(line.words)
    if len(text) > 120 or is_prose(feat) or 1 <= feat.heading <= 3 or is_caption(feat):
        return None
    match = _TRAILING_NAME.search(text)
    if match is None:
        return None
    name = match.group("name").strip(" .,:;-–—·|")
    return name if persons(name, explicit=False) == name else None


def _site_owner(line: Line, feat: Features, owners: frozenset[str]) -> str | None:
    """A person's full name that spells the site's host ("Ana Ruiz" in the header of
    anaruiz.example): the owner of a one-person site, who writes its posts."""
    if not owners or line.blank or is_prose(feat) or len(feat.plain) > 120:
        return None
    words = clean(line.words).split()
    for size in (2, 3):
        for k in range(len(words) - size + 1):
            name = " ".join(words[k : k + size]).strip(".,:;|·•")
            if fold(name) in owners and persons(name, explicit=False) == name:
                return name
    return None


def _captions(lines: list[Line], i: int, names: str) -> bool:
    """Whether line ``i`` stands right under a picture that does not show ``names``:
    "John Roe, chief from 1828 to 1866." there is a caption, not a byline."""
    j = step_text(lines, i, -1)
    if j is None or not lines[j].tags or clean(lines[j].words):
        return False
    alts = " ".join(tag.alt for tag in lines[j].tags)
    return names.split(", ")[0] not in alts


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


def _dated(lines: list[Line], feats: list[Features], i: int) -> bool:
    """Whether a neighbouring line is a short date line ("22.11.2022", "Updated: ...")."""
    for j in neighbours(lines, i, 1):
        plain = feats[j].plain
        if len(plain) <= 60 and (is_date_line(plain) or _DATEISH.search(plain)):
            return True
    return False


def _not_site(names: str | None, site: frozenset[str]) -> str | None:
    """``names`` without the outlet's own name (learned from the page's links).

    A person's full name that spells the host ("Ana Ruiz" on anaruiz.example) is the
    owner of a one-person site, and so its author: it stays.
    """
    if names is None:
        return None
    kept = [
        n
        for n in names.split(", ")
        if not is_site_name(n, site) or (" " in n and known_given_name(n))
    ]
    return ", ".join(kept) or None


def _more_authors(
    lines: list[Line], feats: list[Features], i: int, found: str, site: frozenset[str]
) -> str:
    """Authors on the lines next to an author link ("& [B](/bio/b)" below "[A](/bio/a)").

    Both ways: the window above the title is searched upwards, so the last of a list
    of author lines may be met first.
    """
    names = found.split(", ")
    for step in (-1, 1):
        j = i
        for _ in range(3):
            nxt = step_text(lines, j, step)
            if nxt is None:
                break
            more = _not_site(_from_author_link(lines, feats, nxt), site)
            if more is None and not (set(clean(lines[nxt].words).split(", ")) & set(names)):
                break
            new = [n for n in (more or "").split(", ") if n and n not in names]
            names = [*new, *names] if step < 0 else [*names, *new]
            j = nxt
    return ", ".join(names)


def _collect(
    lines: list[Line],
    feats: list[Features],
    first: int,
    end: int,
    site: frozenset[str],
    owners: frozenset[str] = frozenset(),
) -> tuple[list[Candidate], tuple[str, int] | None]:
    """Every candidate on the page, and the first by-word or author link that names
    only the outlet itself (a byline only when no person is named anywhere)."""
    below, above = _window(lines, first)
    cands: list[Candidate] = []
    own: tuple[str, int] | None = None
    order = [*below, *above]
    seen = set(order)
    order += [i for i in range(len(lines)) if i not in seen and not lines[i].blank]
    for i in order:
        for kind, finder in (("marker", _from_marker), ("link", _from_author_link)):
            found = finder(lines, feats, i)
            if not found:
                continue
            kept = _not_site(found, site)
            if kept is not None and kept != found:
                # "Example News /PP": what is left beside the outlet may be initials.
                kept = ", ".join(n for n in kept.split(", ") if not _INITIALS.fullmatch(n))
            if kept:
                cands.append(Candidate(kept, i, kind))
            elif own is None:
                own = (found, i)
        box = _not_site(from_author_box(lines, feats, i), site)
        if box:
            cands.append(Candidate(box, i, "box"))
        held = _not_site(from_copyright(lines, feats, i), site)
        if held:
            cands.append(Candidate(held, i, "copyright"))
        owner = _site_owner(lines[i], feats[i], owners)
        if owner:
            cands.append(Candidate(owner, i, "owner"))
    close = {*below[:_ALONE_REACH], *above[:2]}
    for i in [*below[:_META_REACH], *above[:_META_REACH]]:
        # A bare name beside a date line is a byline; a heading beside one is not.
        alone = i in close or (not 1 <= feats[i].heading <= 4 and _dated(lines, feats, i))
        found = _not_site(_from_meta_line(lines[i], feats[i], alone=alone), site)
        tail = _not_site(_from_dated_tail(lines[i], feats[i]), site)
        if found and _captions(lines, i, found):
            found = None
        if tail and not _captions(lines, i, tail):
            cands.append(Candidate(tail, i, "dated_tail"))
        if found:
            # "X, 01.12.2021" has its date beside it; a name alone has only its place.
            dated = bool(
                re.search(r"\d", clean(lines[i].words).partition(found.split(", ")[-1])[2])
            )
            cands.append(Candidate(found, i, "meta" if dated else "alone"))
    for i in below[_META_REACH:]:
        # Further down, a name with a date or time beside it ("X | Published 3 hours
        # ago") or alone over or under a date line.
        alone = not 1 <= feats[i].heading <= 4 and _dated(lines, feats, i)
        found = _not_site(_from_meta_line(lines[i], feats[i], alone=alone), site)
        if found and not _captions(lines, i, found):
            dated = bool(
                re.search(r"\d", clean(lines[i].words).partition(found.split(", ")[-1])[2])
            )
            cands.append(Candidate(found, i, "timed" if dated else "alone"))
    for i in order:
        found = _not_site(from_profile_link(lines, feats, i), site)
        if found:
            # Far from the title, a profile link must be echoed (a portrait, the
            # name again): tag and topic pages spell their names in links too.
            near = i in below[:_META_REACH]
            cands.append(Candidate(found, i, "profile" if near else "echoed_profile"))
    signed = from_sign_off(lines, feats, first, end)
    if signed is not None and _not_site(signed[0], site):
        cands.append(Candidate(signed[0], signed[1], "sign_off"))
    return cands, own


def find_byline(
    lines: list[Line], feats: list[Features], first: int, end: int
) -> tuple[str, int | None] | None:
    """(byline, line index): the best-ranked candidate on the page (see
    :mod:`corpus_qa.parse.pagerank`), else the outlet's own name after a by-word."""
    host = site_host(line.text for line in lines)
    site = labels_of(host) if host else frozenset()
    cands, own = _collect(lines, feats, first, end, site, host_names(host) if host else frozenset())
    ranker = Ranker(lines, feats, first, end)
    best: Candidate | None = None
    best_score = float("-inf")
    for cand in cands:
        score = ranker.score(cand)
        if score > best_score:
            best, best_score = cand, score
    if best is not None:
        found = best.names
        if best.kind == "link":
            found = _more_authors(lines, feats, best.line, found, site)
        return found, best.line
    return own
