"""What an HTML page states about itself: JSON-LD, OpenGraph and ``article:*`` meta,
``meta name=author``, ``rel=author`` links, ``<time datetime>``, and the names its
article header credits (:mod:`corpus_qa.ingest.html_header`).

Parsed with lxml (a real HTML parser, tolerant of broken markup); JSON-LD with
:mod:`json`. Every value is returned as :class:`~corpus_qa.model.Evidence` with the
source line of its element; judging it (an outlet named as author, a site-wide
constant) is the parser's job (:mod:`corpus_qa.parse.evidence`).
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Iterator
from typing import Any

import lxml.etree
import lxml.html

from corpus_qa.ingest.html_header import header_names
from corpus_qa.lexicons import phrases
from corpus_qa.model import Evidence

#: ``<meta>`` names and properties (lower case) -> evidence kind.
_META_KINDS: dict[str, str] = {
    "author": "author",
    "article:author": "author",
    "dc.creator": "author",
    "dcterms.creator": "author",
    "parsely-author": "author",
    "sailthru.author": "author",
    "byl": "author",
    "article:published_time": "published",
    "og:article:published_time": "published",
    "datepublished": "published",
    "pubdate": "published",
    "publishdate": "published",
    "date": "published",
    "dc.date": "published",
    "dc.date.issued": "published",
    "dcterms.date": "published",
    "dcterms.created": "published",
    "parsely-pub-date": "published",
    "sailthru.date": "published",
    "article:modified_time": "modified",
    "og:updated_time": "modified",
    "og:title": "title",
    "og:site_name": "site_name",
    "application-name": "site_name",
    "og:url": "url",
    "og:locale": "language",
    "dc.language": "language",
}
_ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "scholarlyarticle",
        "techarticle",
        "webpage",
        "report",
        "liveblogposting",
        "posting",
        "socialmediaposting",
        "creativework",
    }
)
_ORG_TYPES = frozenset({"organization", "newsmediaorganization", "corporation", "website"})


def page_evidence(page: str) -> list[Evidence]:
    """Every evidence item of the HTML ``page`` (document order within each source)."""
    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        # As UTF-8 bytes: lxml refuses a str that declares an encoding (XHTML).
        root = lxml.html.document_fromstring(page.encode("utf-8", "surrogatepass"), parser)
    except (lxml.etree.ParserError, ValueError):
        return []
    found: list[Evidence] = []
    found.extend(_jsonld(root))
    found.extend(_meta(root))
    found.extend(_rel_author(root))
    found.extend(_byline_elements(root))
    found.extend(_post_author_comments(root))
    found.extend(_time_elements(root))
    stated = next((e.value for e in found if e.kind == "title"), None)
    credited = header_names(root, stated or root.findtext(".//title"))
    if credited is not None:
        found.append(credited)
    lang = root.get("lang")
    if lang:
        found.append(Evidence("language", lang.strip(), "meta", root.sourceline))
    return found


def canonical_url(evidence: list[Evidence]) -> str | None:
    """The page's own URL, if it states one (protocol-relative made absolute)."""
    for item in evidence:
        if item.kind == "url" and item.value.startswith(("http://", "https://")):
            return item.value
    return None


def _text(value: Any) -> str | None:
    """Whitespace-collapsed text; entities a CMS escaped twice ("Redacci&oacute;n" in
    JSON-LD) are unescaped."""
    if isinstance(value, str):
        value = " ".join(html.unescape(value).split())
        return value or None
    return None


def _types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    """Every object of a JSON-LD document: top level, lists, ``@graph`` and a page's
    ``mainEntity`` (a ``WebPage`` holding its ``NewsArticle``)."""
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item)
    elif isinstance(data, dict):
        yield data
        yield from _nodes(data.get("@graph"))
        yield from _nodes(data.get("mainEntity"))


def _people(value: Any, ids: dict[str, dict[str, Any]]) -> Iterator[tuple[str, str | None]]:
    """``(name, type)`` of a JSON-LD ``author``: a string, an object, a reference to a
    node elsewhere in the document (``{"@id": ...}``, as Yoast writes it into
    ``@graph``), or a list of these; ``type`` is ``person``, ``organization`` or None
    (not stated). An object without ``name`` may give ``givenName`` and
    ``familyName``; a ``name`` may itself be a list or an object."""
    if isinstance(value, list):
        for item in value:
            yield from _people(item, ids)
    elif isinstance(value, str):
        name = _text(value)
        if name and not name.startswith(("http://", "https://")):
            yield name, None
    elif isinstance(value, dict):
        if "name" not in value and isinstance(value.get("@id"), str):
            value = ids.get(value["@id"], value)
        types = _types(value)
        kind = "organization" if types & _ORG_TYPES else "person" if "person" in types else None
        name = value.get("name")
        if name is None and isinstance(value.get("familyName"), str):
            name = f"{value.get('givenName') or ''} {value['familyName']}"
        for one, _ in _people(name, ids):
            yield one, kind


def _jsonld(root: lxml.html.HtmlElement) -> Iterator[Evidence]:
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue  # a broken JSON-LD block is no evidence
        line = script.sourceline
        ids = {n["@id"]: n for n in _nodes(data) if isinstance(n.get("@id"), str)}
        for node in _nodes(data):
            types = _types(node)
            if types & _ORG_TYPES and not types & _ARTICLE_TYPES:
                name = _text(node.get("name"))
                if name:
                    yield Evidence("publisher", name, "jsonld", line)
                continue
            if not types & _ARTICLE_TYPES:
                continue
            author = node.get("author") or node.get("creator")
            for name, kind in _people(author, ids):
                yield Evidence(
                    "author",
                    name,
                    "jsonld",
                    line,
                    organization=kind == "organization",
                    person=kind == "person",
                )
            for key, kind in (
                ("datePublished", "published"),
                ("dateCreated", "published"),
                ("dateModified", "modified"),
                ("headline", "title"),
                ("inLanguage", "language"),
            ):
                value = _text(node.get(key))
                if value:
                    yield Evidence(kind, value, "jsonld", line)
            publisher = node.get("publisher")
            if isinstance(publisher, dict):
                name = _text(publisher.get("name"))
                if name:
                    yield Evidence("publisher", name, "jsonld", line)


def _meta(root: lxml.html.HtmlElement) -> Iterator[Evidence]:
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip()
        kind = _META_KINDS.get(key.lower())
        value = _text(meta.get("content"))
        if kind is None or value is None:
            continue
        if kind == "author" and value.startswith(("http://", "https://", "/")):
            continue  # article:author as a profile URL names nobody
        if kind == "url" and value.startswith("//"):
            value = "https:" + value
        yield Evidence(kind, value, "meta", meta.sourceline)
    for link in root.iter("link"):
        href = (link.get("href") or "").strip()
        if (link.get("rel") or "").strip().lower() == "canonical" and href:
            yield Evidence(
                "url", "https:" + href if href.startswith("//") else href, "meta", link.sourceline
            )


def _rel_author(root: lxml.html.HtmlElement) -> Iterator[Evidence]:
    """The first ``rel=author`` link: later ones are mostly other posts' authors (a
    sidebar, teasers, comments)."""
    for link in root.iter("a"):
        rel = (link.get("rel") or "").lower().split()
        if "author" in rel:
            name = _text(link.text_content())
            if name:
                yield Evidence("author", name, "rel_author", link.sourceline)
                return


#: A byline element's text is short; a longer one is a bio or a teaser.
_BYLINE_CHARS = 120
#: Containers whose names are other people's (navigation, asides, footers).
_NOT_BYLINE_TAGS = frozenset({"aside", "footer", "nav", "form"})


def _byline_elements(root: lxml.html.HtmlElement) -> Iterator[Evidence]:
    """Elements that credit an author by their markup: microdata ``itemprop=author``
    (its ``itemprop=name`` where it has one, source ``microdata``) and elements whose
    class or id names a byline or an author (``byline_element``), in document order.
    Not inside comments, bios, teasers, sidebars, asides or footers: those name other
    people. The text is returned as the page prints it ("Von X und Y, 1. Januar");
    :mod:`corpus_qa.parse.evidence` finds the names in it."""
    wanted = tuple(phrases("html.byline_classes"))
    unwanted = tuple(phrases("html.not_byline_classes"))
    body = root.find("body")
    for element in (body if body is not None else root).iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "time"):
            continue
        props = (element.get("itemprop") or "").lower().split()
        names = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
        # schema.org's type of a microdata author: "https://schema.org/Person".
        typed = (element.get("itemtype") or "").rstrip("/").rpartition("/")[2].lower()
        if "author" in props or "creator" in props:
            source = "microdata"
            named = [e for e in element.iter() if "name" in (e.get("itemprop") or "").split()]
            node = named[0] if named else element
            value = node.get("content") or " ".join(node.itertext())
        elif any(w in names for w in wanted) and not any(w in names for w in unwanted):
            source, typed = "byline_element", ""
            value = " ".join(element.itertext())
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
            person=typed == "person",
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


def _post_author_comments(root: lxml.html.HtmlElement) -> Iterator[Evidence]:
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


def _time_elements(root: lxml.html.HtmlElement) -> Iterator[Evidence]:
    body = root.find("body")
    for time in (body if body is not None else root).iter("time"):
        value = _text(time.get("datetime"))
        if value:
            yield Evidence("published", value, "time_element", time.sourceline)


def guess_date(page: str) -> str | None:
    """htmldate's publication date of the page (``YYYY-MM-DD``), found in its markup,
    URL or text; the last resort when no element states one."""
    import htmldate  # loads dateparser: only for HTML pages

    # htmldate logs an ERROR for every page lxml cannot parse; an empty page is no error.
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    if not page.strip():
        return None
    try:
        found = htmldate.find_date(page, extensive_search=True, original_date=True)
    except (ValueError, TypeError, lxml.etree.LxmlError):
        return None
    return found if isinstance(found, str) else None
