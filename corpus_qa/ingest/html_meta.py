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
import re
from collections.abc import Iterator
from typing import Any

import lxml.etree
import lxml.html

from corpus_qa.ingest.html_authors import byline_elements, post_author_comments
from corpus_qa.ingest.html_header import header_names
from corpus_qa.model import Evidence

#: ``<meta>`` names and properties (lower case) -> evidence kind.
_META_KINDS: dict[str, str] = {
    "author": "author",
    "article:author": "author",
    "dc.creator": "author",
    "dcterms.creator": "author",
    "dc:creator": "author",
    "dcterms:creator": "author",
    "og:article:author": "author",
    "parsely-author": "author",
    "sailthru.author": "author",
    "cxenseparse:author": "author",
    "citation_author": "author",
    "shareaholic:article_author_name": "author",
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
        "recipe",
        "howto",
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
    found.extend(byline_elements(root))
    found.extend(post_author_comments(root))
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
    """Lower-case local names of a node's types: ``"NewsArticle"``,
    ``"schema:NewsArticle"`` and ``"https://schema.org/NewsArticle"`` alike."""
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {
        k.rstrip("/").rpartition("/")[2].rpartition(":")[2].lower()
        for k in kinds
        if isinstance(k, str)
    }


#: What CMSs wrap a JSON-LD block in or leave after its last item: HTML comments,
#: CDATA markers, a comma before a closing bracket.
_JSON_NOISE = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")
_TRAILING_COMMA = re.compile(r",(\s*[\]}])")


def _load_jsonld(text: str) -> list[Any]:
    """The JSON documents of a JSON-LD block: one, several written one after the
    other, or one wrapped in comment or CDATA markers or with trailing commas. A
    block that still does not parse is no evidence."""
    try:
        return [json.loads(text, strict=False)]
    except ValueError:
        pass
    text = _JSON_NOISE.sub("", text.strip())
    found = _documents(text)
    if found is None:
        # Only now: the commas removed may have stood inside a string.
        found = _documents(_TRAILING_COMMA.sub(r"\1", text))
    return found or []


def _documents(text: str) -> list[Any] | None:
    """Every JSON document in ``text``, one after the other (separated by blanks,
    commas or semicolons), or ``None`` if any part of it is no JSON."""
    decoder = json.JSONDecoder(strict=False)
    found: list[Any] = []
    at = 0
    while True:
        while at < len(text) and text[at] in " \t\r\n;,":
            at += 1
        if at >= len(text):
            return found
        try:
            data, at = decoder.raw_decode(text, at)
        except ValueError:
            return None
        found.append(data)


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
        # "application/ld+json; charset=utf-8" too.
        if (script.get("type") or "").partition(";")[0].strip().lower() != "application/ld+json":
            continue
        data = _load_jsonld(script.text or "")
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
            # A contributor is credited only where no author or creator is stated.
            author = node.get("author") or node.get("creator") or node.get("contributor")
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
    yield from _labelled_meta(root)
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


def _labelled_meta(root: lxml.html.HtmlElement) -> Iterator[Evidence]:
    """Authors a page's Twitter card states: a ``twitter:dataN`` whose
    ``twitter:labelN`` is a by-word ("Written by", "Verfasst von", "Escrito por":
    Yoast SEO writes it in the site's language, read with the byline lexicon), and a
    ``twitter:creator`` account other than the site's own (``twitter:site``): the
    same account on both is the outlet's, a site-wide constant, and an account is
    evidence that someone signs the page, never itself a byline."""
    from corpus_qa.parse.bylines.names import MARKER_RE

    values: dict[str, tuple[str, int | None]] = {}
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().lower()
        value = _text(meta.get("content"))
        if key.startswith("twitter:") and value is not None and key not in values:
            values[key] = (value, meta.sourceline)
    for key, (label, _line) in values.items():
        if not key.startswith("twitter:label"):
            continue
        data = values.get("twitter:data" + key.removeprefix("twitter:label"))
        marked = MARKER_RE.match(f"{label} X")
        if data is not None and marked is not None and marked.group("rest") == "X":
            yield Evidence("author", data[0], "meta", data[1])
    creator, site = values.get("twitter:creator"), values.get("twitter:site")
    if creator is not None and site is not None:
        handle, own = (v[0].lstrip("@").strip().casefold() for v in (creator, site))
        if handle and own and handle != own:
            # Kept as "@handle": an account is evidence of an author, never a byline.
            yield Evidence("author", "@" + creator[0].lstrip("@").strip(), "meta", creator[1])


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
