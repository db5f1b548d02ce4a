"""Byline evidence a page shows that the parser will not accept as a person's byline.

On a full page corpus-qa is its own extractor: a byline it cannot accept is not a
byline the page lacks. Where the page gives byline evidence the rules refuse, the
article is *unconfirmed* (``byline.unconfirmed``, a warning), not *missing*
(``byline.missing``, an error): the gate stays silent when the evidence is ambiguous.
The evidence, each with its provenance (``byline_evidence_source``):

- ``author_link``: a link into an author page (``/author/x``, ``/autor/x``,
  ``?author=x``: lexicons ``byline.author_paths``, ``byline.profile_paths``) whose
  label is a handle, a first name or a desk the address spells ("[fri.juli](/autor/fri-juli)");
- ``by_word``: a by-word on a short line near the title before a name the rules
  reject ("Von ank", "By staff", "Text: Redaktion");
- ``profile_link``: a name linked, next to the title, to a profile page that spells
  it, which no known given name or second piece of evidence confirms;
- ``jsonld``, ``microdata``, ``meta``, ``rel_author``, ``metadata``, ... (HTML and
  scraper pages, :func:`refused_author`): an author the page's metadata states that
  is no full name (one word, a handle, a Twitter card's ``@creator`` account) and no
  organisation.

Only the lines around the title count (a few above it, some below), where a reader
looks for the byline; an author link in a teaser list far down names another story's
author. A bare name line or a lone field beside the date is no evidence: on the
development pages such lines were kickers, places, share buttons and pagers ("Prev
Next", "Bonn", "Deutsche Sprache") as often as names, so they would only silence
``byline.missing`` by chance.
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus_qa.lexicons import phrases
from corpus_qa.lexicons.compile import words
from corpus_qa.model import BylineEvidenceSource, Evidence
from corpus_qa.parse.blocks import Features
from corpus_qa.parse.bylines.markers import AUTHOR_URL, running_text
from corpus_qa.parse.bylines.meta import META_REACH
from corpus_qa.parse.bylines.metadata import is_account
from corpus_qa.parse.bylines.names import LINK_RE, MARKER_RE, clean, desk_alone
from corpus_qa.parse.bylines.page import MEMBER_URL
from corpus_qa.parse.bylines.rank import Candidate
from corpus_qa.parse.bylines.site import fold
from corpus_qa.parse.lines import Line

#: A label or name shaped like a credit: one to four words of letters (a handle may
#: hold dots, hyphens, underscores and digits after its first letter).
_NAME_LIKE = re.compile(r"[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){0,3}")
#: Words that are an author page's menu entry, not a name ("Autoren", "All authors").
_AUTHOR_WORDS = re.compile(
    rf"(?i)\b(?:{words('byline.author_words', 'byline.author_paths', 'byline.profile_paths', bounds=False)})\b"
)
_MEMBER_WORDS = re.compile(rf"(?i)\b{words('byline.member_words', bounds=False)}\b")
#: Longest evidence text kept: a byline's name, not a sentence.
_MAX_CHARS = 40
#: Non-blank lines above and below the title where byline evidence counts.
_ABOVE, _BELOW = 8, 25
#: Candidate kinds that name someone beside the title that the ranker would not take
#: without a known given name or a second piece of evidence.
_BESIDE: dict[str, BylineEvidenceSource] = {
    "profile": "profile_link",
}
#: Metadata sources, most trusted first (as :mod:`.metadata` orders them); their
#: lines are the HTML source's already.
METADATA_SOURCES: tuple[BylineEvidenceSource, ...] = (
    "jsonld",
    "microdata",
    "rel_author",
    "meta",
    "byline_element",
    "post_author",
    "metadata",
)


def _name_like(text: str, *, label: bool = False) -> str | None:
    """``text`` when it reads as a credit; a link ``label`` must be no menu entry of
    the author or member directory ("Autoren", "Members")."""
    # An account ("@ana_ruiz", a Twitter card's creator) reads as its handle.
    text = text.strip(" .,:;|·•-–—()\"'“”«»").removeprefix("@")
    if not text or len(text) > _MAX_CHARS or not _NAME_LIKE.fullmatch(text):
        return None
    if label and (_AUTHOR_WORDS.fullmatch(text) or _MEMBER_WORDS.search(text)):
        return None
    return text


def _window(lines: list[Line], first: int) -> tuple[list[int], list[int]]:
    """Non-blank line indexes below the title (title first), and above it (upwards)."""
    below = [i for i in range(first, len(lines)) if not lines[i].blank][:_BELOW]
    above = [i for i in range(first - 1, -1, -1) if not lines[i].blank][:_ABOVE]
    return below, above


def _author_link(line: Line, feat: Features) -> str | None:
    """The label of a link into an author's or a member's page that the address
    spells ("[fri.juli](/autor/fri-juli)") or an avatar beside it shows
    ("[![fri.juli](face.jpg) fri.juli](/members/4711)")."""
    if "](" not in line.words or running_text(feat):
        return None
    avatars = {fold(tag.alt) for tag in line.tags if tag.alt}
    for link in LINK_RE.finditer(line.words):
        text, url = clean(link.group(1)), link.group(2)
        if not AUTHOR_URL.search(url) and not MEMBER_URL.search(url):
            continue
        label = _name_like(text, label=True)
        slug = fold(url.rstrip("/").rpartition("/")[2])
        if label and fold(label) and (fold(label) in slug or fold(label) in avatars):
            return label
    return None


def _by_word(line: Line, feat: Features) -> str | None:
    """The name a by-word introduces on a short line of its own ("Von ank")."""
    if running_text(feat) or feat.heading == 1 or line.blank:
        return None
    text = clean(line.words)
    match = MARKER_RE.match(text)
    if match is None or text[: match.start("rest")].strip(" |·•,(/–—-").count(" ") > 3:
        return None
    rest = re.split(r"\s*[|·•,/–—]\s*|\s+-\s+|\s\d", match.group("rest"), maxsplit=1)[0]
    return _name_like(rest)


def unconfirmed_byline(
    lines: list[Line], feats: list[Features], first: int, refused: list[Candidate]
) -> tuple[str, int, BylineEvidenceSource] | None:
    """``(text, line index, source)`` of the first byline evidence near the title
    (line ``first``) that names no accepted byline; ``refused``: the ranker's
    candidates that scored nothing."""
    below, above = _window(lines, first)
    near = set(below[:META_REACH]) | set(above)
    for i in (*below, *above):
        label = _author_link(lines[i], feats[i])
        if label:
            return label, i, "author_link"
        named = _by_word(lines[i], feats[i])
        if named:
            return named, i, "by_word"
    for cand in refused:
        kind = _BESIDE.get(cand.kind)
        if kind is not None and cand.line in near:
            return cand.names.split(", ")[0], cand.line, kind
    return None


@lru_cache(maxsize=1)
def _ui_words() -> frozenset[str]:
    return frozenset(fold(w) for w in phrases("byline_junk.ui"))


def _whole_name(text: str) -> bool:
    """Whether a byline element's whole text reads as a name: one to four words, the
    first capitalised or a handle with a digit, dot or underscore; no UI word
    ("Autor", "Teilen"), no desk and no CMS account ("admin"): without a by-word, the
    element's place is all that says it credits someone."""
    bare = text.strip(" .,:;|·•-–—")
    if _name_like(bare) is None or fold(bare) in _ui_words() or desk_alone(bare):
        return False
    if is_account(bare):
        return False
    handle = " " not in bare and any(c.isdigit() or c in "._" for c in bare)
    return bare[:1].isupper() or handle


def refused_author(
    evidence: list[Evidence],
) -> tuple[str, BylineEvidenceSource, int | None] | None:
    """``(value, source, line)`` of the first author the page's metadata states that
    :func:`~corpus_qa.parse.bylines.metadata.credible` refused and that reads as a
    credit (one to four words, no organisation), or ``None``. Call it only where no
    byline and no organisation credit was found."""
    for source in METADATA_SOURCES:
        for item in evidence:
            if item.kind != "author" or item.source != source or item.organization:
                continue
            value = item.value
            if source == "byline_element" and not item.person:
                # An element's text names someone after a by-word ("Von ank"), or
                # as its whole text where that reads as a name ("Marta", "kiwi_77");
                # an author hCard's formatted name is one by its markup.
                match = MARKER_RE.match(clean(value))
                if match is None and not _whole_name(value):
                    continue
                if match is not None:
                    rest = match.group("rest")
                    value = re.split(r"\s*[|·•,/–—]\s*|\s\d", rest, maxsplit=1)[0]
            named = _name_like(value)
            if named:
                return named, source, item.line
    return None
