"""Who an HTML page's markup credits in its body: microdata and RDFa author
properties, hCards, elements whose class or id names a byline or an author, and a
comment the CMS marks as the post author's own.

Split from :mod:`corpus_qa.ingest.html_meta` (the head's metadata); every value is
:class:`~corpus_qa.model.Evidence` with the source line of its element, judged by
:mod:`corpus_qa.parse.bylines.metadata`.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

import lxml.html

from corpus_qa.lexicons import phrases
from corpus_qa.model import Evidence

#: A byline element's text is short; a longer one is a bio or a teaser.
_BYLINE_CHARS = 120
#: Containers whose names are other people's (navigation, asides, footers).
_NOT_BYLINE_TAGS = frozenset({"aside", "footer", "nav", "form"})
#: schema.org types of an author that is no person.
_ORG_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "website"})
#: RDFa properties (local names, any vocabulary prefix) that state the author:
#: ``schema:author``, ``dc:creator``, ``dcterms:creator``, ``sioc:has_creator``
#: (Drupal's "submitted" line).
_RDFA_AUTHOR = frozenset({"author", "creator", "has_creator"})
#: RDFa properties that hold a person's name inside an author element (``foaf:name``).
_RDFA_NAME = frozenset({"name"})


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(html.unescape(value).split())
    return value or None


def _local(token: str) -> str:
    """A vocabulary term without its prefix or namespace: ``dc:creator`` ->
    ``creator``, ``http://schema.org/author`` -> ``author``."""
    return token.rstrip("/").rpartition("/")[2].rpartition(":")[2].lower()


def _schema_type(value: str | None) -> str:
    """The lower-case local name of an ``itemtype`` or ``typeof`` ("schema:Person")."""
    return _local((value or "").split()[0]) if (value or "").split() else ""


def _rdfa_author(element: lxml.html.HtmlElement) -> bool:
    """Whether RDFa marks ``element`` as the author: a ``property`` whose local name
    is one of :data:`_RDFA_AUTHOR`, or a prefixed ``rel`` ("sioc:has_creator"); a
    plain ``rel=author`` on a link is :func:`~.html_meta._rel_author`'s."""
    props = [_local(t) for t in (element.get("property") or "").split()]
    rels = [_local(t) for t in (element.get("rel") or "").split() if ":" in t]
    return any(p in _RDFA_AUTHOR for p in [*props, *rels])


def _named_value(element: lxml.html.HtmlElement) -> str:
    """The name an author element states: its microdata or RDFa ``name`` (``content``
    or text), else its own ``content`` or text."""
    for node in element.iter():
        if not isinstance(node.tag, str) or node is element:
            continue
        names = {
            *(node.get("itemprop") or "").split(),
            *map(_local, (node.get("property") or "").split()),
        }
        if names & _RDFA_NAME:
            return node.get("content") or " ".join(node.itertext())
    return element.get("content") or " ".join(element.itertext())


def _hcard_name(element: lxml.html.HtmlElement, classes: list[str]) -> str | None:
    """An hCard's formatted name (``class="fn"``) where the card is the author's
    (``class="author vcard"``, as WordPress themes print the byline)."""
    if "vcard" not in classes:
        return None
    for node in element.iter():
        if isinstance(node.tag, str) and "fn" in (node.get("class") or "").lower().split():
            return " ".join(node.itertext())
    return None


def byline_elements(root: lxml.html.HtmlElement) -> Iterator[Evidence]:
    """Elements that credit an author by their markup: microdata ``itemprop=author``
    and RDFa author properties (their ``name`` where they have one, source
    ``microdata``) and elements whose class or id names a byline or an author
    (``byline_element``; an author hCard's formatted name is marked a person), in
    document order. Not inside comments, bios, teasers, sidebars, asides or footers:
    those name other people. The text is returned as the page prints it ("Von X und
    Y, 1. Januar"); :mod:`corpus_qa.parse.evidence` finds the names in it."""
    wanted = tuple(phrases("html.byline_classes"))
    unwanted = tuple(phrases("html.not_byline_classes"))
    body = root.find("body")
    for element in (body if body is not None else root).iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "time"):
            continue
        props = (element.get("itemprop") or "").lower().split()
        names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
        person = False
        if "author" in props or "creator" in props or _rdfa_author(element):
            source = "microdata"
            # schema.org's type of a microdata author: "https://schema.org/Person".
            typed = _schema_type(element.get("itemtype") or element.get("typeof"))
            value = _named_value(element)
        elif any(w in names for w in wanted) and not any(w in names for w in unwanted):
            source, typed = "byline_element", ""
            card = _hcard_name(element, (element.get("class") or "").lower().split())
            person = card is not None and "author" in names
            value = card if person and card is not None else " ".join(element.itertext())
        else:
            continue
        text = _text(value)
        if text is None or len(text) > _BYLINE_CHARS or _inside_other(element, unwanted):
            continue
        yield Evidence(
            "author",
            text,
            source,
            element.sourceline,
            organization=typed in _ORG_TYPES,
            person=typed == "person" or person,
        )


def _inside_other(element: lxml.html.HtmlElement, unwanted: tuple[str, ...]) -> bool:
    """Whether ``element`` stands in a container of other people's names. An
    ``<article>``'s own footer is not one: HTML puts "who wrote it" there."""
    for parent in element.iterancestors():
        names = f"{parent.get('class') or ''} {parent.get('id') or ''}".lower()
        footer = parent.tag == "footer" or "footer" in names
        if (
            footer
            and _in_article(parent)
            and not any(w in names for w in unwanted if w != "footer")
        ):
            continue
        if parent.tag in _NOT_BYLINE_TAGS:
            return True
        if any(w in names for w in unwanted):
            return True
    return False


def _in_article(element: lxml.html.HtmlElement) -> bool:
    return any(parent.tag == "article" for parent in element.iterancestors())


#: A name in a post-author comment is an hCard's formatted name; longer is no name.
_NAME_CHARS = 60


def post_author_comments(root: lxml.html.HtmlElement) -> Iterator[Evidence]:
    """The name on a comment the CMS marks as the post author's own (WordPress's
    ``bypostauthor`` class: lexicon table ``html.post_author_classes``), from its
    hCard formatted name (``class="fn"``): the page's author, replying to readers."""
    marks = frozenset(phrases("html.post_author_classes"))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if not marks & set((element.get("class") or "").lower().split()):
            continue
        for node in element.iter():
            if isinstance(node.tag, str) and "fn" in (node.get("class") or "").lower().split():
                text = _text(" ".join(node.itertext()))
                if text and len(text) <= _NAME_CHARS:
                    yield Evidence("author", text, "post_author", node.sourceline)
                    return
