"""Byline detection on a full page, per page (pages are parsed one by one).

Finders propose candidates anywhere on the page; :mod:`corpus_qa.parse.bylines.rank`
scores them (how explicit the evidence is, where it stands relative to the title,
the article and the comments, whether the name opens with a known given name,
whether the page repeats it) and the best one is the byline. The finders:

1. a by-word before a name, in the languages of the dumps: "By X", "Von X",
   "Par X", "Por X", "Di X", "Door X", "Av X", "Af X", "Przez X", "Text: X",
   "Autor: X", "Posted by X", "作者：X"; a by-word alone on its line takes the name
   on the next line (:mod:`corpus_qa.parse.bylines.markers`);
2. a link to an author page: ``[Name](https://.../author/...)`` (``/autor/``,
   ``/journalist/``, ``/bio/``, ``/autor?x=...``, ...), an author portrait, initials
   linked to an author page over the printed name; consecutive author-link lines
   make one list;
3. a bare name on a short metadata line next to the title
   (:mod:`corpus_qa.parse.bylines.meta`): "X | Reporter", "X · Outlet · Posted ...",
   "X, 01.12.2021", "Outlet 02/10/2020 X", a name alone beside a date line;
4. the weaker signals of :mod:`corpus_qa.parse.bylines.boxes` (author and contact boxes,
   short bios, profile links, sign-offs, the holder of a copyright line) and the
   owner of a one-person site (a person's name that spells the host).

What is not a person or a desk is rejected (:mod:`corpus_qa.parse.bylines.names`). The
outlet's own name, learned from the page's links (:mod:`corpus_qa.parse.bylines.site`),
is a byline only after a by-word and only when no person is named anywhere; a
person's name that spells the host is a one-person site's owner and stays. Several
authors are joined with ", ". Where no person is named, an agency's credit
("Hamburg (dpa/lno) -", "Quelle: APA") is the byline. The record-dump path keeps its own vectorized
inference (:mod:`corpus_qa.parse.bylines.drafts`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from corpus_qa.lexicons.compile import words
from corpus_qa.parse.blocks import Features, is_prose
from corpus_qa.parse.bylines.boxes import (
    from_author_box,
    from_bio,
    from_copyright,
    from_portrait,
    from_profile_link,
    from_sign_off,
    from_user_box,
    next_text,
    step_text,
)
from corpus_qa.parse.bylines.credits import find_credit
from corpus_qa.parse.bylines.markers import AUTHOR_URL, BY_PREFIX, from_marker, running_text
from corpus_qa.parse.bylines.meta import META_REACH, near_candidates
from corpus_qa.parse.bylines.names import (
    CREDIT_BEFORE,
    LINK_RE,
    clean,
    known_given_name,
    persons,
)
from corpus_qa.parse.bylines.rank import Candidate, Ranker, tail_start
from corpus_qa.parse.bylines.site import (
    fold,
    host_names,
    labels_of,
    not_site,
    not_site_of_links,
    site_host,
    spells_name,
)
from corpus_qa.parse.lines import Line

#: A member's profile on a community site ("[Ana Ruiz](https://x.example/members/4711)"):
#: the same addresses hold account pages ("/user/register") and commenters, so the
#: link needs a full name or a handle its address spells (see :func:`_member`).
MEMBER_URL = re.compile(
    rf"(?i)/{words('byline.member_words', bounds=False)}/"
    rf"(?!{words('byline.account_paths', bounds=False)}\b)[^/?#\s]{{2,}}"
)
_MEMBER_WORD = re.compile(rf"(?i)\b{words('byline.member_words', bounds=False)}\b")
_INITIALS = re.compile(r"[A-Z]{2,3}")
#: A line holding only the word between two author links ("and", "und", "&"), as a
#: page's byline widget prints it on a line of its own.
_JOINER_LINE = re.compile(rf"(?i)(?:[,&+]|{words('byline.name_joiners', bounds=False)})")
#: A link's tooltip that says it leads to an author's page: "Posts by X", "Beiträge
#: von X", "Autorenseite von X", "Articles de X", "View all posts by X".
_AUTHOR_TITLE = re.compile(
    rf"(?i)\]\((?P<url>[^()\s]*)\s+\"(?:[^\"]*\b{words('byline.works', bounds=False)}\s+"
    rf"{words('byline.works_by', bounds=False)}\s|{words('byline.author_page_titles', bounds=False)})"
)
_AUTHOR_PICTURE = re.compile(rf"(?i){words('byline.author_words', bounds=False)}")
#: Lines searched above the title and after it before the whole page is tried.
_ABOVE, _BELOW = 8, 25


def _from_author_link(lines: list[Line], feats: list[Features], i: int) -> str | None:
    """Names linked to an author page or shown in an author picture; an author link on initials ("[LP](.../autor?x=lea-pohl)")
    takes the name printed on the next line when the address spells it."""
    if ("](" not in lines[i].words and not lines[i].tags) or running_text(feats[i]):
        return None
    names: list[str] = []
    words = lines[i].words
    titled = {m.group("url") for m in _AUTHOR_TITLE.finditer(words)} if '"' in words else set()
    for link in LINK_RE.finditer(words):
        text, url = link.group(1), link.group(2)
        if CREDIT_BEFORE.search(words[: link.start()]):
            continue  # "Art by [X](/people/x)": the illustrator, not the author
        bare = clean(BY_PREFIX.sub("", text))
        name: str | None = None
        by_url = AUTHOR_URL.search(url) is not None
        # A tooltip alone also sits on shops' "products by X" links: a person only.
        if not by_url and MEMBER_URL.search(url):
            name = _member(bare, url, {clean(tag.alt) for tag in lines[i].tags})
        elif by_url or (url in titled and known_given_name(bare)):
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
            name = not_site_of_links(name, f"[{text}]({url})")
        if name and name not in names:
            names.append(name)
    for tag in lines[i].tags:
        # "![Ana Ruiz](.../styles/author_thumbnail/...)": a portrait in an author box.
        if _AUTHOR_PICTURE.search(tag.src):
            name = persons(clean(tag.alt), explicit=False)
            if name and name == clean(tag.alt) and name not in names:
                names.append(name)
    return ", ".join(names) if names else None


def _member(text: str, url: str, avatars: set[str]) -> str | None:
    """A member link's text when it is a person: a full name ("Ana Ruiz"), or a handle
    the address spells ("[ana.ruiz](/members/ana-ruiz)") or an avatar beside it shows
    ("[ ![ana_r](face.jpg) ana_r ](/members/4711)"); never a menu word."""
    name = persons(text, explicit=False)
    if _MEMBER_WORD.search(text):
        return None  # "Member List", "Alle Mitglieder": the directory, not a member
    handle = fold(text)
    spelled = handle in fold(url.rpartition("/")[2]) or text in avatars
    if name is None and len(handle) >= 3 and spelled:
        name = persons(text, explicit=True)
    return name


def _site_owner(line: Line, feat: Features, owners: frozenset[str]) -> str | None:
    """A person's full name that spells the site's host ("Ana Ruiz" in the header of
    anaruiz.example): the owner of a one-person site, who writes its posts."""
    if not owners or line.blank or is_prose(feat) or len(feat.plain) > 120:
        return None
    text = clean(line.words)
    ascii_text = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore")
    letters = re.sub(rb"[^a-z0-9]", b"", ascii_text).decode()
    if not any(owner in letters for owner in owners):
        return None  # most lines: no label in them at all
    words = text.split()
    for size in (2, 3):
        for k in range(len(words) - size + 1):
            name = " ".join(words[k : k + size]).strip(".,:;|·•")
            if fold(name) in owners and persons(name, explicit=False) == name:
                return name
    return None


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
            if _JOINER_LINE.fullmatch(clean(lines[nxt].words).strip()):
                # "[A](/staff/a)", "and", "[B](/staff/b)": B is one more step away.
                j = nxt
                continue
            more = not_site(_from_author_link(lines, feats, nxt), site)
            if more is None and not (set(clean(lines[nxt].words).split(", ")) & set(names)):
                break
            new = [n for n in (more or "").split(", ") if n and n not in names]
            names = [*new, *names] if step < 0 else [*names, *new]
            j = nxt
    return ", ".join(names)


def _more_after_marker(
    lines: list[Line], feats: list[Features], i: int, found: str, site: frozenset[str]
) -> str:
    """A by-word's authors as author links on the lines below it ("By", "[A](/staff/a)",
    "and", "[B](/staff/b)"): the by-word took the first, the links give the others."""
    for at in (i, step_text(lines, i, 1)):
        if at is not None and _from_author_link(lines, feats, at) == found:
            return _more_authors(lines, feats, at, found, site)
    return found


def _collect(
    lines: list[Line],
    feats: list[Features],
    first: int,
    end: int,
    site: frozenset[str],
    owners: frozenset[str] = frozenset(),
    ranker: Ranker | None = None,
) -> tuple[list[Candidate], tuple[str, int] | None]:
    """Every candidate on the page, and the first by-word or author link that names
    only the outlet itself (a byline only when no person is named anywhere).

    With a ``ranker``, the page's tail is read only when no candidate found before it
    scores above what any candidate there could (:meth:`Ranker.tail_bound`): the
    result is the same, and long footers and teaser lists are skipped.
    """
    below, above = _window(lines, first)
    cands: list[Candidate] = []
    beside = near_candidates(lines, feats, below, above, site)
    own: tuple[str, int] | None = None
    order = [*below, *above]
    seen = set(order)
    tail = tail_start(lines, end)
    rest = [i for i in range(len(lines)) if i not in seen and not lines[i].blank]
    order += [i for i in rest if i <= tail] + [i for i in rest if i > tail]
    checked = False
    for i in order:
        if i > tail and not checked and ranker is not None and i not in seen:
            checked = True
            scores = [ranker.score(c) for c in (*cands, *beside)]
            if scores and max(scores) > ranker.tail_bound():
                break
        for kind, finder in (("marker", from_marker), ("link", _from_author_link)):
            found = finder(lines, feats, i)
            if not found:
                continue
            kept = not_site(found, site)
            if kept is not None and kept != found:
                # "Example News /PP": what is left beside the outlet may be initials.
                kept = ", ".join(n for n in kept.split(", ") if not _INITIALS.fullmatch(n))
            if kept:
                cands.append(Candidate(kept, i, kind))
            elif own is None:
                own = (found, i)
        held = not_site(from_copyright(lines, feats, i), site)
        if held:
            cands.append(Candidate(held, i, "copyright"))
        owner = _site_owner(lines[i], feats[i], owners)
        if owner:
            cands.append(Candidate(owner, i, "owner"))
        if i > tail:
            continue  # past the author-box zone weak evidence never counts (pagerank)
        poster = not_site(from_user_box(lines, feats, i), site)
        if poster:
            cands.append(Candidate(poster, i, "poster"))
        box = not_site(from_author_box(lines, feats, i), site)
        if box:
            cands.append(Candidate(box, i, "box"))
        pictured = not_site(from_portrait(lines, feats, i), site)
        if pictured:
            cands.append(Candidate(pictured, i, "portrait"))
        bio = not_site(from_bio(lines, feats, i), site) if i > first else None
        if bio:
            cands.append(Candidate(bio, i, "bio"))
        found = not_site(from_profile_link(lines, feats, i), site)
        if found:
            # Far from the title, a profile link must be echoed (a portrait, the
            # name again): tag and topic pages spell their names in links too.
            close = i in below[:META_REACH]
            cands.append(Candidate(found, i, "profile" if close else "echoed_profile"))
    cands.extend(beside)
    signed = from_sign_off(lines, feats, first, end)
    if signed is not None and not_site(signed[0], site):
        cands.append(Candidate(signed[0], signed[1], "sign_off"))
    return cands, own


#: The last page :func:`find_byline` read and what it found there, for
#: :func:`refused_candidates` (a page is parsed by one thread, start to end).
_last: dict[str, Any] = {}


def find_byline(
    lines: list[Line], feats: list[Features], first: int, end: int
) -> tuple[str, int | None, str] | None:
    """(byline, line index, candidate kind): the best-ranked candidate on the page (see
    :mod:`corpus_qa.parse.bylines.rank`), else an agency's or desk's credit
    (:mod:`corpus_qa.parse.bylines.credits`, kind ``agency``), else the outlet's own
    name after a by-word (kind ``outlet``)."""
    host = site_host(line.text for line in lines)
    site = labels_of(host) if host else frozenset()
    ranker = Ranker(lines, feats, first, end)
    owners = host_names(host) if host else frozenset()
    cands, own = _collect(lines, feats, first, end, site, owners, ranker)
    ranker.vouch(cands)
    _last.update(lines=lines, first=first, end=end, cands=cands, ranker=ranker)
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
        elif best.kind == "marker":
            found = _more_after_marker(lines, feats, best.line, found, site)
        return found, best.line, best.kind
    # No person named anywhere: the agency that sent the story signs it.
    credited = find_credit(lines, feats, first, end)
    if credited is not None and (credited[2] == "agency" or own is None):
        return credited
    return None if own is None else (*own, "outlet")


def refused_candidates(
    lines: list[Line], feats: list[Features], first: int, end: int
) -> list[Candidate]:
    """The candidates :func:`find_byline` proposes and the ranker scores nothing (a
    name beside the title with no known given name and nothing to vouch for it).

    Right after :func:`find_byline` found nothing on the same page, its candidates
    are reused: with no candidate scoring, it read the whole page, so they are all."""
    if _last.get("lines") is lines and (_last.get("first"), _last.get("end")) == (first, end):
        last: Ranker = _last["ranker"]
        return [cand for cand in _last["cands"] if last.score(cand) == float("-inf")]
    host = site_host(line.text for line in lines)
    site = labels_of(host) if host else frozenset()
    ranker = Ranker(lines, feats, first, end)
    owners = host_names(host) if host else frozenset()
    cands, _own = _collect(lines, feats, first, end, site, owners, ranker)
    ranker.vouch(cands)
    return [cand for cand in cands if ranker.score(cand) == float("-inf")]
