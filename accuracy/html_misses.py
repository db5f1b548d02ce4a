"""What the HTML byline misses are: aggregate counts, never page text.

``python -m accuracy.html_misses --split holdout`` reads the misses that
``accuracy.run`` wrote (``html.<split>`` in results.json) and classes each by its
gold author (the first of several) against the page's HTML:

- whether the page got another byline or none;
- the gold name's shape: it spells the site's domain (the outlet, which the
  articles contract keeps out of ``byline``), one word (a handle, a first name, a
  desk), a full name opening with a given name of the lexicon, or another name;
- whether it stands in the article header as :mod:`corpus_qa.ingest.html_header`
  reads it, and whether it is some link's text;
- where the page got no byline: whether it got ``byline.unconfirmed`` or has no
  byline evidence recorded (``no_evidence``), and what the link holding the gold
  name leads to (an author page by :data:`~corpus_qa.parse.bylines.markers.AUTHOR_URL`,
  a member page, another page);
- where outside what the HTML readers read the gold name stands (:func:`outside`):
  a framework's state blob (``__NEXT_DATA__``, ``__NUXT__``, ``__INITIAL_STATE__``,
  Apollo, Fusion, ...), another inline script (analytics data layers, CMS settings),
  a ``data-*`` attribute whose name says author or byline, or a ``rel=author`` link
  after the first (the reader takes the first);
- whether a reader already holds the gold name as a credible candidate and what won
  instead (:func:`ranking`: the text's by-line and its kind, metadata, nothing), or
  holds its words only in author items the rules refuse.

It is how docs/accuracy.md states what the holdout misses where it may only be seen
in aggregate.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import lxml.html

from accuracy.run import load_gold
from accuracy.score import _fold, names_match
from corpus_qa.ingest.html_header import headline, zone_text
from corpus_qa.ingest.html_pages import html_unit
from corpus_qa.model import InputFile
from corpus_qa.parse.bylines.markers import AUTHOR_URL
from corpus_qa.parse.bylines.metadata import credible
from corpus_qa.parse.bylines.names import known_given_name
from corpus_qa.parse.bylines.page import MEMBER_URL
from corpus_qa.parse.bylines.site import fold
from corpus_qa.parse.evidence import url_of
from corpus_qa.parse.layouts import parse_page


def shape(name: str, domain: str) -> str:
    """``site``, ``one_word``, ``known_given_name`` or ``other``."""
    squeezed = fold(name).replace(" ", "")
    label = fold(domain.split(".")[0])
    if squeezed and (squeezed in fold(domain).replace(".", "") or (label and label in squeezed)):
        return "site"
    if len(name.split()) == 1:
        return "one_word"
    return "known_given_name" if known_given_name(name) else "other"


def classify(miss: dict[str, Any], page: dict[str, Any], html: bytes) -> tuple[str, ...]:
    """``(got, shape, in header, in a link)`` of one missed page."""
    author = page["author"] if isinstance(page["author"], str) else page["author"][0]
    first = re.split(r"[,;&/]| und | and ", author)[0].strip()
    tokens = [t for t in _fold(first).split() if len(t) > 1][:2]
    root = lxml.html.document_fromstring(html)
    body = root.find("body")
    head = headline(body if body is not None else root, root.findtext(".//title"))

    def holds(text: str) -> bool:
        return bool(tokens) and all(t in _fold(text) for t in tokens)

    in_header = head is not None and holds(zone_text(head))
    hrefs = [a.get("href") or "" for a in root.iter("a") if holds(" ".join(a.itertext()))]
    target = "no_link"
    if hrefs:
        target = "other_page"
        if any(MEMBER_URL.search(h) for h in hrefs):
            target = "member_page"
        if any(AUTHOR_URL.search(h) for h in hrefs):
            target = "author_page"
    return (
        "none" if miss["got"] is None else "another",
        shape(first, page["domain"]),
        "in_header" if in_header else "not_in_header",
        "in_a_link" if hrefs else "not_in_a_link",
        "unconfirmed" if miss.get("unconfirmed") else "no_evidence",
        target,
    )


#: How a framework's server-rendered state opens or is marked: the script's ``id``
#: or the variable its text assigns.
_STATE_MARKS = re.compile(
    r"__NEXT_DATA__|__NUXT(?:_DATA)?__|__(?:INITIAL|PRELOADED|APOLLO)_STATE__|__INITIAL_DATA__"
    r"|Fusion\.globalContent|__STATE__|window\.__data\b"
)
#: ``data-*`` attribute names that say they hold an author.
_DATA_AUTHOR = re.compile(r"^data-[\w-]*(?:author|byline|creator|writer)", re.IGNORECASE)


def outside(page: dict[str, Any], html: bytes) -> tuple[str, ...]:
    """Where, outside what the readers read, the page states its gold author (the
    first of several): ``state_blob``, ``other_script``, ``data_attr``
    (``data_attr_article`` inside ``<article>``, ``data_attr_comment`` for a
    comment's author), ``later_rel_author``; sorted, empty when nowhere."""
    author = page["author"] if isinstance(page["author"], str) else page["author"][0]
    first = re.split(r"[,;&/]| und | and ", author)[0].strip()
    tokens = [t for t in _fold(first).split() if len(t) > 1][:2]
    if not tokens:
        return ()

    def holds(text: str) -> bool:
        return all(t in _fold(text) for t in tokens)

    root = lxml.html.document_fromstring(html)
    where: set[str] = set()
    for script in root.iter("script"):
        text = script.text or ""
        if "ld+json" in (script.get("type") or "").lower() or not holds(text):
            continue
        marked = _STATE_MARKS.search(f"{script.get('id') or ''} {text[:2000]}")
        where.add("state_blob" if marked else "other_script")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if _DATA_AUTHOR.match(name) and holds(value):
                inside = any(p.tag == "article" for p in element.iterancestors())
                where.add(
                    "data_attr_comment"
                    if "comment" in name.lower()
                    else "data_attr_article"
                    if inside
                    else "data_attr"
                )
    rels = [a for a in root.iter("a") if "author" in (a.get("rel") or "").lower().split()]
    if any(holds(" ".join(a.itertext())) for a in rels[1:]) and not (
        rels and holds(" ".join(rels[0].itertext()))
    ):
        where.add("later_rel_author")
    return tuple(sorted(where))


def ranking(miss: dict[str, Any], page: dict[str, Any], html: bytes) -> tuple[str, ...]:
    """Whether the readers hold the gold author (the first of several) and what won.

    ``("held", winner, sources, strength)`` when a credible candidate of
    :func:`~corpus_qa.parse.bylines.metadata.credible` is the gold author: the
    winner is the text's by-line (``text_<kind>``), the evidence source that named
    it (``header``, ``jsonld``, ...), ``other``, ``none`` or ``no_article``; ``sources`` every source naming the
    gold author; ``strength`` ``strong``/``agreed``/``weak`` as
    :class:`~corpus_qa.parse.bylines.metadata.Named` judges it. ``("refused",
    sources)`` when only author items the rules refuse hold its words;
    ``("not_held",)`` else."""
    author = page["author"] if isinstance(page["author"], str) else page["author"][0]
    first = re.split(r"[,;&/]| und | and ", author)[0].strip()
    tokens = [t for t in _fold(first).split() if len(t) > 1][:2]
    unit = html_unit(html, InputFile(Path("page.html"), "page.html", "html"))
    parsed = parse_page(unit.text, "page.html")
    main = next((a for a in parsed.articles if a.role == "main"), None)
    if main is None and len(parsed.articles) == 1:
        main = parsed.articles[0]
    named = credible(unit.evidence, url_of(unit.evidence))
    held = [n for n in named if names_match(n.name, author, page["domain"])]
    if held:
        if main is None:
            winner = "no_article"
        elif miss["got"] is None:
            winner = "none"
        elif main.byline is not None and names_match(miss["got"], main.byline, page["domain"]):
            winner = f"text_{main.byline_kind}"
        else:
            won = [n.source for n in named if names_match(miss["got"], n.name, page["domain"])]
            winner = won[0] if won else "other"
        gold = held[0]
        strength = "strong" if gold.strong else "agreed" if gold.agreed else "weak"
        return ("held", winner, "+".join(sorted(gold.sources)), strength)
    raw = {
        e.source
        for e in unit.evidence
        if e.kind == "author" and tokens and all(t in _fold(e.value) for t in tokens)
    }
    return ("refused", "+".join(sorted(raw))) if raw else ("not_held",)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora/trafilatura-eval"))
    parser.add_argument("--results", type=Path, default=Path("accuracy/results.json"))
    parser.add_argument("--split", choices=("dev", "holdout"), default="dev")
    args = parser.parse_args(argv)
    gold = {page["id"]: page for page in load_gold(args.corpus)}
    misses = json.loads(args.results.read_text(encoding="utf-8"))[f"html.{args.split}"]
    counts: Counter[tuple[str, ...]] = Counter()
    for miss in misses["byline_misses"]:
        html = (args.corpus / "html" / f"{miss['id']}.html").read_bytes()
        key = classify(miss, gold[miss["id"]], html)
        counts[("got", key[0], key[1])] += 1
        counts[("header", key[2])] += 1
        counts[("link", key[3])] += 1
        if key[0] == "none":
            counts[("none", key[4], key[1], key[5])] += 1
        counts[("ranking", key[0], *ranking(miss, gold[miss["id"]], html))] += 1
        for where in outside(gold[miss["id"]], html) or ("nowhere",):
            counts[("outside", key[0], key[1], where)] += 1
    print(f"{sum(v for k, v in counts.items() if k[0] == 'got')} misses on html.{args.split}")
    for key, value in sorted(counts.items()):
        print("  " + " / ".join(key).ljust(48), value)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
