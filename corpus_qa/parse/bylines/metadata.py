"""Bylines from a page's own metadata (JSON-LD, microdata, meta tags, ``rel=author``,
byline elements, a scraper's metadata object), and how they weigh against the
byline the page's text shows (:func:`arbitrate`).

Metadata is evidence, not truth. An author that JSON-LD types as an organization, or
that spells the outlet (the publisher, ``og:site_name``, the host's name), is no
byline; nor is a value that is no person's name by :func:`~.names.persons`.

The text's byline usually wins: it is what a reader sees credited. It gives way when
the metadata is strong and the text's evidence is not: a person's full name (a given
name of the lexicon, or JSON-LD's ``@type: Person``) from a machine-readable source,
which the page also prints or which two independent sources state, against a text
byline no metadata confirms that stands only by its place (a bare name beside the
date, an author box, a sign-off). A by-word or an author link ("By X", "[X](/author/x)")
gives way only to a name that two sources state and the page prints. The article
header's names (source ``header``, :mod:`corpus_qa.ingest.html_header`) count as one
such source and beat a text byline that stands away from the headline; they never
confirm the text's byline, since both read the same printed lines.

Two independent kinds of evidence agreeing make up for what one lacks: a handle the
markup states ("kiwi_77" in JSON-LD or a meta tag) is a credit where a byline element,
the header or a post-author comment shows it too, and a full name with no given name
of the lexicon is strong where the markup states it and such a source shows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from corpus_qa.lexicons import phrases
from corpus_qa.lexicons.compile import words
from corpus_qa.model import Evidence
from corpus_qa.parse.bylines.names import (
    HANDLE,
    MARKER_RE,
    desk_alone,
    desk_name,
    known_given_name,
    persons,
)
from corpus_qa.parse.bylines.site import fold, host_of, is_site_name, labels_of

#: Byline sources, most trusted first (after a byline the page's text shows).
BYLINE_ORDER = (
    "jsonld",
    "microdata",
    "rel_author",
    "header",
    "meta",
    "byline_element",
    "post_author",
    "metadata",
)
#: Machine-readable sources: the publisher states an author there on purpose.
_STATED = frozenset({"jsonld", "microdata", "rel_author", "meta", "metadata"})
#: Sources whose first credible item is the byline: later ones are mostly other
#: stories' authors (teasers, a sidebar, comments).
_FIRST_ONLY = frozenset({"byline_element", "header"})
#: Sources whose text is a visible link or element: a handle there is what a reader
#: sees credited ("[freeman1984](/author/freeman1984)").
_VISIBLE = frozenset({"rel_author", "byline_element", "post_author", "header"})
#: Sources a reader sees on the page (not ``rel_author``, a link the markup types,
#: which is both): one of them agreeing with a machine-readable source confirms it.
_SEEN = frozenset({"byline_element", "post_author", "header"})
#: Text evidence that credits explicitly: a by-word or an author link.
_EXPLICIT_TEXT = frozenset({"marker", "link"})
#: Text evidence that stands away from the headline (a footer's copyright holder, a
#: sign-off, an author box or bio): the article's header naming someone else wins.
_AWAY_TEXT = frozenset(
    {"copyright", "owner", "sign_off", "bio", "box", "portrait", "profile", "echoed_profile"}
)
#: Text bylines that name no person (the outlet, an agency's credit): metadata naming
#: a person replaces them.
_CREDIT_TEXT = frozenset({"outlet", "agency"})
#: Independent sources that must state a name for it to beat an explicit text byline.
_CORROBORATED = 2
#: A link's tooltip or label before the name: "View all posts by X", "Beiträge von X".
_WORKS_BY = re.compile(
    rf"(?i)^.*?\b(?:{words('byline.works', bounds=False)}\s+{words('byline.works_by', bounds=False)}"
    rf"|{words('byline.author_page_titles', bounds=False)})\s*:?\s+"
)


@dataclass(frozen=True)
class Named:
    """One credible person named by the metadata: ``source`` is the first (most
    trusted) source naming them, ``sources`` every source that does."""

    name: str
    source: str
    sources: frozenset[str]
    typed: bool

    @property
    def strong(self) -> bool:
        """A full name from a machine-readable source, a person by the lexicon, by
        JSON-LD's own type, or by agreement: a source a reader sees (an author link,
        a byline element, the article header) prints what the markup states."""
        full = len(self.name.split()) >= 2
        person = self.typed or known_given_name(self.name) or self.agreed
        return bool(self.sources & _STATED) and full and person

    @property
    def agreed(self) -> bool:
        """Stated by a machine-readable source and shown by a visible one: two
        independent kinds of evidence for the same name; a desk ("Redacción
        Deportes") agrees with itself as readily and is still no person."""
        desk = desk_name(self.name) or any(desk_alone(t) for t in self.name.split())
        return bool(self.sources & _STATED) and bool(self.sources & _SEEN) and not desk


def outlet_names(evidence: Iterable[Evidence], url: str | None) -> frozenset[str]:
    """Folded names of the outlet: publisher, site name, the host's registered name."""
    names = {fold(e.value) for e in evidence if e.kind in ("publisher", "site_name")}
    host = host_of(url) if url else None
    if host is not None:
        names |= labels_of(host)
        names.add(fold(host))
    return frozenset(n for n in names if n)


@lru_cache(maxsize=1)
def _months() -> frozenset[str]:
    return frozenset(
        m.rstrip(".").casefold() for k in range(1, 13) for m in phrases(f"date_months.m{k:02d}")
    )


def _relaxed(part: str) -> str | None:
    """A name an author field states that the byline-line rules reject: a given name
    that is also a month ("April Roach"), a surname in lower case ("Ana ruiz"). Only
    a full name opening with a known given name."""
    part = part.strip(" .,:;-–—·|\"'“”«»")
    tokens = part.split()
    if not 2 <= len(tokens) <= 4 or not tokens[0][:1].isupper():
        return None
    if not all(re.fullmatch(r"[^\W\d_](?:[\w'’-]*[^\W\d_])?\.?", t) for t in tokens):
        return None
    if tokens[0].casefold() in _months():
        rest = " ".join(tokens[1:])
        if persons(rest, explicit=True) != rest or not rest[:1].isupper():
            return None
    elif len(tokens) > 2 and part != part.title():
        return None  # a lower-case word after a full name is no surname ("X Y anzeigen")
    elif persons(" ".join(t.capitalize() for t in tokens), explicit=True) is None:
        return None
    return part if known_given_name(part) else None


def _person_names(
    value: str, *, explicit: bool = True, visible: bool = False, typed: bool = False
) -> str | None:
    """The names ``value`` credits; ``explicit``: the value is stated as an author
    (metadata), so a one-word name counts; a byline element's text names one only
    after a by-word ("Von X") or as a full name. ``visible``: the value is link or
    element text a reader sees, where a handle is a credit. ``typed``: the markup says
    it is a person (an author or member page's link), so a visible handle with a dot
    ("fri.juli") is one, not a domain."""
    value = _WORKS_BY.sub("", value)
    if typed and visible and HANDLE.fullmatch(value.strip()) and not is_account(value):
        return value.strip()
    marked = MARKER_RE.match(value)
    text = marked.group("rest") if marked else value
    names = persons(text, explicit=explicit or marked is not None)
    if names is None and explicit:
        parts = [_relaxed(p) for p in re.split(r"\s*(?:,|;|&|/)\s*", text) if p.strip()]
        names = ", ".join(p for p in parts if p) if parts and all(parts) else None
    if names is None:
        return None
    # A CMS login ("ana.ruiz", "aruiz") is no name a reader sees credited.
    kept = [n for n in names.split(", ") if visible or not _handle(n)]
    return ", ".join(kept) or None


@lru_cache(maxsize=1)
def _accounts() -> frozenset[str]:
    return frozenset(fold(a) for a in phrases("site_constant.accounts"))


def is_account(value: str) -> bool:
    """A CMS account or role ("admin", "Redaktion"): no person's handle."""
    return fold(value) in _accounts()


def _handle(name: str) -> bool:
    return " " not in name and (name.islower() or "." in name or "_" in name)


def _is_outlet(name: str, outlets: frozenset[str]) -> bool:
    """Whether ``name`` spells the outlet; a person's full name never does: on a
    one-person site ("anaruiz.example", site name "Ana Ruiz") the owner is the author."""
    if len(name.split()) >= 2 and known_given_name(name):
        return False
    folded = fold(name)
    return folded in outlets or is_site_name(name, outlets)


def credible(evidence: list[Evidence], url: str | None) -> list[Named]:
    """Every credible person the metadata names, by the first source naming them (in
    :data:`BYLINE_ORDER`), with every source that names them too."""
    outlets = outlet_names(evidence, url)
    found: dict[str, Named] = {}
    order: list[str] = []
    # What a reader sees credited: a handle the markup states ("ana_r" in JSON-LD) is
    # a credit where the page also prints it as an author's (two kinds of evidence).
    shown = {
        fold(e.value)
        for e in evidence
        if e.kind == "author" and e.source in _VISIBLE and not e.organization
    }
    for source in BYLINE_ORDER:
        seen: list[str] = []
        for item in evidence:
            if item.kind != "author" or item.source != source or item.organization:
                continue
            names = _person_names(
                item.value,
                explicit=source != "byline_element",
                visible=source in _VISIBLE or (source in _STATED and fold(item.value) in shown),
                typed=item.person,
            )
            if names is None:
                continue
            for name in names.split(", "):
                if not _is_outlet(name, outlets) and name not in seen:
                    seen.append(name)
                    _add(found, order, name, source, typed=item.person)
            if seen and source in _FIRST_ONLY:
                break
    return [found[key] for key in order]


def _add(found: dict[str, Named], order: list[str], name: str, source: str, *, typed: bool) -> None:
    for key in order:
        known = found[key]
        if _same_person(known.name, name):
            found[key] = Named(
                known.name, known.source, known.sources | {source}, known.typed or typed
            )
            return
    key = fold(name)
    found[key] = Named(name, source, frozenset([source]), typed)
    order.append(key)


def _tokens(name: str) -> frozenset[str]:
    return frozenset(fold(t) for t in name.split() if len(fold(t)) > 1)


def _same_person(a: str, b: str) -> bool:
    """Same person, spelt more or less fully ("Ana Ruiz", "Ana M. Ruiz", "ANA RUIZ")."""
    ta, tb = _tokens(a), _tokens(b)
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def byline_of(evidence: list[Evidence], url: str | None) -> tuple[str, str] | None:
    """``(names, source)`` of the best credible author evidence, or ``None``."""
    named = credible(evidence, url)
    if not named:
        return None
    source = named[0].source
    names = [n.name for n in named if n.source == source]
    return ", ".join(names), source


def organisation_of(evidence: list[Evidence], url: str | None) -> str | None:
    """The organisation a machine-readable source states as the author, where it
    states no person: a JSON-LD ``Organization`` author, an author value that spells
    the outlet (the publisher, the site name, the host), or a byline element's by-word
    before the outlet's name. That is a credit, never a byline (the articles contract
    keeps the two apart)."""
    outlets = outlet_names(evidence, url)
    for source in BYLINE_ORDER:
        for item in evidence:
            if item.kind != "author" or item.source != source:
                continue
            value = item.value.strip()
            if source not in _STATED:
                # A byline element credits the outlet only after a by-word ("Autor: x.pl").
                marked = MARKER_RE.match(value)
                value = marked.group("rest").strip() if marked else ""
            elif item.organization:
                return value
            if value and _is_outlet(value, outlets):
                return value
    return None


def _names_of(named: list[Named], person: Named) -> str:
    """``person`` and the others its source names beside them."""
    return ", ".join(n.name for n in named if n.source == person.source)


def arbitrate(
    text_byline: str, kind: str | None, evidence: list[Evidence], url: str | None, page: str
) -> tuple[str, str] | None:
    """``(names, source)`` of metadata that overrides the text's byline, or ``None``
    to keep it (see the module's docstring). ``kind``: the text finder's evidence
    kind; ``page``: the page's text, where a name the metadata states may be printed."""
    named = credible(evidence, url)
    shown = [part for part in text_byline.split(", ") if part]
    if not named:
        return None
    # The header reads the lines the text's finders read: it confirms nothing, and a
    # name it shares with the text adds nothing.
    header = frozenset({"header"})
    if any(_same_person(n.name, s) for n in named if n.sources != header for s in shown):
        return None
    named = [
        n for n in named if n.sources != header or not any(_same_person(n.name, s) for s in shown)
    ]
    if not named:
        return None
    stated = [fold(e.value) for e in evidence if e.kind == "author" and e.source != "header"]
    if any(fold(s) and fold(s) in value for s in shown for value in stated):
        return None  # metadata the rules judge no name still confirms the text's credit
    if kind in _AWAY_TEXT or kind in _CREDIT_TEXT:
        for person in named:
            if "header" in person.sources:
                return _names_of(named, person), person.source
    folded = fold(page)
    for person in named:
        if not person.strong:
            continue
        printed = fold(person.name) in folded
        support = len(person.sources)
        if kind in _CREDIT_TEXT:
            ok = True
        elif kind in _EXPLICIT_TEXT:
            ok = printed and support >= _CORROBORATED
        else:
            ok = printed or support >= _CORROBORATED
        if ok:
            same = [n.name for n in named if n.source == person.source and n.strong]
            return ", ".join(same), person.source
        break  # only the most trusted strong name may override
    return None
