"""Who the article's header credits: names beside the headline in the HTML tree.

A page's headline (``<h1>``) stands in a small container with its kicker, standfirst,
byline and date; the Markdown rendering keeps the text but loses that grouping, and
with it the evidence that a bare name or a linked name there is the byline. Here the
header is read from the tree (lxml): the headline's container (its ancestors while
they hold little text) and the few short blocks just before and after it, up to the
first long paragraph. In it, a name counts when it follows a by-word ("Von X und Y"),
or when a link's whole label or a short block's whole text is a person's full name
opening with a given name of the lexicon, or a link to an author's or a member's page
(``byline.author_paths``, ``byline.member_words``) whose whole label is a name, a
one-word handle or first name included, or a capitalised one-word name or handle
that is the whole text of an element whose class names the author (lexicon
``html.author_classes``: "author", "autor", "auteur"). Never inside navigation,
figures and their captions, forms, asides, or elements whose class names other
people's content (comments, related stories, social buttons, credits: lexicon
``html.not_byline_classes``); never a link to a topic or tag page (lexicon ``byline.topic_paths``), where pages link
the people a story is about.

The result is evidence with source ``header``, judged with the rest
(:mod:`corpus_qa.parse.bylines.metadata`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import lxml.html

from corpus_qa.lexicons import phrases
from corpus_qa.lexicons.compile import words
from corpus_qa.model import Evidence

#: Tags whose text is never the article's byline.
_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "nav",
        "form",
        "figure",
        "figcaption",
        "aside",
        "button",
        "select",
        "svg",
        "iframe",
        "time",
        "template",
    }
)
#: Block tags: a name's block is the nearest of them above it.
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "section",
        "header",
        "footer",
        "article",
        "address",
        "dl",
        "dd",
        "dt",
        "td",
        "tr",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    }
)
#: The headline's container grows while it holds at most this much text.
_HEADER_CHARS = 400
#: A block past this much text is the article's body: the header ends before it.
_LONG_BLOCK = 300
#: Sibling blocks read after and before the headline's container.
_AFTER, _BEFORE = 4, 2
#: A byline's text is short; a longer run is prose.
_NAME_LINE = 80
#: A headline holds a few words.
_HEADLINE_CHARS = 10


@lru_cache(maxsize=1)
def _topic_url() -> re.Pattern[str]:
    return re.compile(rf"(?i)/{words('byline.topic_paths', bounds=False)}(?:/|\?|$)")


def _text(element: lxml.html.HtmlElement) -> str:
    return " ".join(" ".join(element.itertext()).split())


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _other(element: lxml.html.HtmlElement, unwanted: tuple[str, ...]) -> bool:
    """Whether the element is one whose text never credits the article: by its tag,
    or by a word of its class or id that opens or closes with an unwanted one
    ("social-icons", "photoCredit"; not "accreditation")."""
    if not isinstance(element.tag, str) or element.tag in _SKIP:
        return True
    names = _CAMEL.sub(" ", f"{element.get('class') or ''} {element.get('id') or ''}")
    tokens = _NOT_WORD.split(names.lower())
    return any(t.startswith(unwanted) or t.endswith(unwanted) for t in tokens if t)


def headline(body: lxml.html.HtmlElement, title: str | None) -> lxml.html.HtmlElement | None:
    """The page's headline: of its ``<h1>`` elements with a few words, the one sharing
    most words with the title the page states (``og:title``, JSON-LD ``headline``,
    ``<title>``), else the first."""
    found = [
        h
        for h in body.iter("h1")
        if len(_text(h)) >= _HEADLINE_CHARS and not any(a.tag in _SKIP for a in h.iterancestors())
    ]
    if not found:
        return None
    if title:
        wanted = set(title.casefold().split())
        return max(found, key=lambda h: len(wanted & set(_text(h).casefold().split())))
    return found[0]


def _zone(head: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The headline's container and the short blocks next to it."""
    box = head
    while True:
        parent = box.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        if len(_text(parent)) > _HEADER_CHARS:
            break
        box = parent
    zone = [box]
    sibling, taken = box.getnext(), 0
    while sibling is not None and taken < _AFTER:
        if isinstance(sibling.tag, str):
            if len(_text(sibling)) > _LONG_BLOCK:
                break
            zone.append(sibling)
            taken += 1
        sibling = sibling.getnext()
    sibling, taken = box.getprevious(), 0
    while sibling is not None and taken < _BEFORE:
        if isinstance(sibling.tag, str):
            if len(_text(sibling)) > _LONG_BLOCK:
                break
            zone.insert(0, sibling)
            taken += 1
        sibling = sibling.getprevious()
    return zone


def zone_text(head: lxml.html.HtmlElement) -> str:
    """The text of the header around the headline ``head`` (for the accuracy harness)."""
    return " ".join(_text(part) for part in _zone(head))


def _runs(
    element: lxml.html.HtmlElement, head: lxml.html.HtmlElement, unwanted: tuple[str, ...]
) -> Iterator[tuple[str, lxml.html.HtmlElement, bool]]:
    """``(text, element, is_link)`` of every run of text under ``element`` in document
    order: a link's whole label, else an element's text and each child's tail."""
    if element is head or _other(element, unwanted):
        return
    if element.tag == "a":
        if not _topic_url().search(element.get("href") or ""):
            yield _text(element), element, True
        return
    if element.text and element.text.strip():
        yield " ".join(element.text.split()), element, False
    for child in element:
        yield from _runs(child, head, unwanted)
        if child.tail and child.tail.strip():
            yield " ".join(child.tail.split()), element, False


def _block(element: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    node = element
    while node.tag not in _BLOCKS and node.getparent() is not None:
        node = node.getparent()
    return node


#: Levels above a name's element searched for a class that names the author.
_CLASS_LEVELS = 2


def _author_classed(element: lxml.html.HtmlElement, classes: tuple[str, ...]) -> bool:
    """Whether ``element`` or a near ancestor has a class or id word that opens or
    closes with one naming the author ("author-name", "articleAuthor", "autor")."""
    node: lxml.html.HtmlElement | None = element
    for _ in range(_CLASS_LEVELS + 1):
        if node is None:
            return False
        names = _CAMEL.sub(" ", f"{node.get('class') or ''} {node.get('id') or ''}")
        tokens = [t for t in _NOT_WORD.split(names.lower()) if t]
        if any(t.startswith(classes) or t.endswith(classes) for t in tokens):
            return True
        node = node.getparent()
    return False


def _by_word_alone(text: str, marker: re.Pattern[str]) -> bool:
    matched = marker.match(f"{text} X")
    return matched is not None and matched.group("rest") == "X"


def header_names(root: lxml.html.HtmlElement, title: str | None) -> Evidence | None:
    """The names the article's header credits (see the module doc), as one evidence
    item; every qualifying name in the block of the first one ("Von [A] und [B]")."""
    from corpus_qa.parse.bylines.markers import AUTHOR_URL
    from corpus_qa.parse.bylines.names import (
        HANDLE,
        MARKER_RE,
        desk_alone,
        known_given_name,
        persons,
    )
    from corpus_qa.parse.bylines.page import MEMBER_URL

    body = root.find("body")
    head = headline(body if body is not None else root, title)
    if head is None:
        return None
    unwanted = tuple(phrases("html.not_byline_classes"))

    def name_in(text: str) -> str | None:
        if len(text) > _NAME_LINE:
            return None
        marked = MARKER_RE.match(text)
        if marked is not None:
            rest = marked.group("rest")
            found = persons(rest, explicit=True)
            # A by-word before a lower-case word is a button ("Autor kontaktieren");
            # a desk alone ("Von Redaktion") is left to the text's finders.
            if not found or not found[:1].isupper() or desk_alone(found):
                return None
            return found
        found = persons(text, explicit=False)
        bare = text.strip(" .,:;|·•-–—")
        if found is None or found != bare:
            return None
        return found if all(known_given_name(n) for n in found.split(", ")) else None

    def linked(text: str, element: lxml.html.HtmlElement) -> str | None:
        """A link to an author's or member's page whose whole label is a name: the
        address says it is the author, so a handle, a first name or a name with no
        given name of the lexicon counts ("[fri.juli](/members/4711)")."""
        href = element.get("href") or ""
        if not (AUTHOR_URL.search(href) or MEMBER_URL.search(href)):
            return None
        bare = text.strip(" .,:;|·•-–—@")
        found = persons(bare, explicit=True)
        if found is None and HANDLE.fullmatch(bare):
            found = bare  # "fri.juli": a handle, not a domain, on a member's link
        return found if found == bare and not desk_alone(found) else None

    classes = tuple(phrases("html.author_classes"))

    def classed(text: str, element: lxml.html.HtmlElement) -> str | None:
        """A one-word name or handle that is the whole text of an element whose class
        names the author ("<span class="author-name">Marta</span>"): the header's
        place and the markup's word are two signs it is the byline."""
        bare = text.strip(" .,:;|·•-–—@")
        if " " in bare or _text(element).strip(" .,:;|·•-–—@") != bare:
            return None
        if not _author_classed(element, classes):
            return None
        # A lower-case word is a label ("von", "by") unless it reads as a handle.
        handle = HANDLE.fullmatch(bare) and any(c.isdigit() or c in "._" for c in bare)
        if not (bare[:1].isupper() or handle) or _by_word_alone(bare, MARKER_RE):
            return None
        found = persons(bare, explicit=True) or (bare if handle else None)
        return found if found == bare and not desk_alone(found) else None

    for part in _zone(head):
        runs = list(_runs(part, head, unwanted))
        for k, (text, element, link) in enumerate(runs):
            first = (
                name_in(text) or (linked(text, element) if link else None) or classed(text, element)
            )
            if first is None and k + 1 < len(runs) and _by_word_alone(text, MARKER_RE):
                # "Von <a>X</a>": the by-word is a run of its own before the name.
                first = name_in(f"{text} {runs[k + 1][0]}")
            if first is None:
                continue
            block = _block(element)
            # The block read as one line credits all its names ("Von <span>A</span>
            # und B, 1. Januar").
            whole = name_in(_text(block))
            names = whole.split(", ") if whole and first.split(", ")[0] in whole else []
            for j, (more, other, link) in enumerate(runs):
                if other is not block and block not in other.iterancestors():
                    continue
                # Beside a credited name, a linked full name is a co-author without a
                # given name of the lexicon ("[Sadhbh Roe] and [Ana Ruiz]").
                # A one-word co-author needs its own evidence: only the first name found
                # may be one on the strength of its link alone.
                found = first if j == k else name_in(more)
                if found is None and link and persons(more, explicit=False) == more:
                    found = more
                names.extend(n for n in (found or "").split(", ") if n and n not in names)
            typed = linked(text, element) is not None if link else False
            return Evidence("author", ", ".join(names), "header", element.sourceline, person=typed)
    return None
