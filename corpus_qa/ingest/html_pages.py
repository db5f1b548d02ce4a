"""Reading one HTML page: decoding (BOM, declared charset, detection), the Markdown
rendering the page parser reads, and the evidence of the page's head."""

from __future__ import annotations

import codecs

import lxml.etree
import lxml.html

from corpus_qa.ingest.compression import open_binary, stop_kind_of, truncation_of
from corpus_qa.ingest.html_meta import canonical_url, guess_date, page_evidence
from corpus_qa.ingest.html_render import render
from corpus_qa.ingest.page_files import _BOMS, PageUnit, _issue, clean_text, decode_text
from corpus_qa.model import Evidence, InputFile, Quarantined

#: The declared charset is looked for in this much of the page, as browsers do.
SNIFF_BYTES = 65_536
#: Labels browsers read as Windows-1252 (the WHATWG encoding standard).
_AS_CP1252 = frozenset({"cp1252", "latin_1", "ascii", "iso8859_1"})


def declared_charset(head: bytes) -> str | None:
    """The Python codec of the charset a page declares (``<meta charset>``,
    ``http-equiv=Content-Type``, ``<?xml encoding?>``) in ``head``, if any is known."""
    label: str | None = None
    try:
        root = lxml.html.document_fromstring(head, lxml.html.HTMLParser(encoding="iso-8859-1"))
    except (lxml.etree.ParserError, ValueError):
        root = None
    if root is not None:
        for meta in root.iter("meta"):
            label = meta.get("charset")
            content = meta.get("content") or ""
            if not label and (meta.get("http-equiv") or "").lower() == "content-type":
                _, _, label = content.lower().partition("charset=")
            if label:
                break
    if not label and head.startswith(b"<?xml"):
        declaration = head.split(b"?>", 1)[0].decode("latin-1")
        _, _, rest = declaration.partition("encoding=")
        label = rest[1:].split(rest[:1] or '"')[0] if rest else None
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'; ")).name.replace("-", "_")
    except LookupError:
        return None
    return "cp1252" if name in _AS_CP1252 else name


def decode_html(data: bytes, file: InputFile) -> tuple[str, list[Quarantined]]:
    """BOM, then strict UTF-8, then the declared charset, then detection (as pages)."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return decode_text(data, file)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data[:SNIFF_BYTES])
    if declared is not None and declared != "utf_8":
        try:
            return data.decode(declared), []
        except (UnicodeDecodeError, LookupError):
            pass  # a wrong declaration: detect instead
    return decode_text(data, file)


def html_unit(
    data: bytes, file: InputFile, record_key: str | None = None, url: str | None = None
) -> PageUnit:
    """A page unit of HTML bytes: Markdown text, evidence and the line mapping."""
    text, issues = decode_html(data, file)
    text, more = clean_text(text, file)
    issues.extend(more)
    evidence = page_evidence(text)
    if not any(item.kind == "published" for item in evidence):
        # htmldate's search of text and URL is the slow part: only when no element dates it.
        guessed = guess_date(text)
        if guessed is not None:
            evidence.append(Evidence("published", guessed, "htmldate"))
    if url is not None:
        evidence.append(Evidence("url", url, "metadata"))
    markdown, source_lines = render(text, canonical_url(evidence) or url)
    return PageUnit(file, markdown, issues, evidence, source_lines, record_key, url)


def read_html(file: InputFile) -> PageUnit:
    """Read one HTML page file (pages are small: read whole)."""
    with open_binary(file) as stream:
        data = stream.read()
        truncated = truncation_of(stream)
        kind = stop_kind_of(stream)
    unit = html_unit(data, file)
    if truncated is not None:
        line = data.count(b"\n") + 1
        unit.issues.append(_issue(file, kind, truncated, line, len(data), unknown_loss=True))
    return unit
