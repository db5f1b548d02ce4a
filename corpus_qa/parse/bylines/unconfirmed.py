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
- ``beside_title``/``profile_link``: a name next to the title that no known given
  name or second piece of evidence confirms: the one field of a short metadata line
  that is not its date or time ("Kerstin | 3. Mai 2022", "03.05.2022 · jm"), a bare
  name beside a date line, a name linked to a page that spells it;
- ``jsonld``, ``microdata``, ``meta``, ``rel_author``, ``metadata``, ... (HTML and
  scraper pages, :func:`refused_author`): an author the page's metadata states that
  is no full name (one word, a handle) and no organisation.

Only the lines around the title count (a few above it, some below), where a reader
looks for the byline; an author link in a teaser list far down names another story's
author.
"""

from __future__ import annotations

import re

from corpus_qa.lexicons.compile import words
from corpus_qa.model import BylineEvidenceSource, Evidence
from corpus_qa.parse.blocks import Features, is_caption, is_prose
from corpus_qa.parse.bylines.markers import AUTHOR_URL, running_text
from corpus_qa.parse.bylines.meta import META_REACH
from corpus_qa.parse.bylines.names import LINK_RE, MARKER_RE, clean
from corpus_qa.parse.bylines.page import MEMBER_URL
from corpus_qa.parse.bylines.rank import Candidate
from corpus_qa.parse.bylines.site import fold, labels_of, not_site, site_host
from corpus_qa.parse.dateline import read_days
from corpus_qa.parse.datelines import is_date_line
from corpus_qa.parse.lines import Line

#: A label or name shaped like a credit: one to four words of letters (a handle may
#: hold dots, hyphens, underscores and digits after its first letter).
_NAME_LIKE = re.compile(r"[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){0,3}")
#: Words that are an author page's menu entry, not a name ("Autoren", "All authors").
_AUTHOR_WORDS = re.compile(
    rf"(?i)\b(?:{words('byline.author_words', 'byline.author_paths', 'byline.profile_paths', bounds=False)})\b"
)
_MEMBER_WORDS = re.compile(rf"(?i)\b{words('byline.member_words', bounds=False)}\b")
#: Fields of a metadata line, and what dates or times them ("3. Mai 2022", "10:15",
#: "2 hours ago").
_FIELD_SEP = re.compile(r"\s+[-–—|·•]\s+|\s*[|·•]\s*")
_DATED = re.compile(
    r"(?i)\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{4}-\d{2}-\d{2}|\b\d{1,2}[:h]\d{2}\b"
    r"|\b(?:19|20)\d\d\b|\b\d+\s*(?:min|hours?|stunden?|heures?|horas?)\b"
)
#: Words of a metadata line that are labels, not names: publication and update
#: labels, relative dates, weekdays, page UI.
_NOT_NAME = re.compile(
    rf"(?i)(?:{words('dates.dateline.published', 'dates.dateline.updated', 'dates.relative.words', 'dates.weekdays.names', 'byline_junk.ui', bounds=False)})\W*"
)
#: A link to a topic or tag page: pages link the people a story is about there.
_TOPIC_URL = re.compile(rf"(?i)/{words('byline.topic_paths', bounds=False)}(?:/|\?|$)")
#: Lines under the title (the title first) where a name alone on its line counts.
_ALONE_REACH = 4
#: Longest metadata line read.
_META_LINE = 120
#: Longest evidence text kept: a byline's name, not a sentence.
_MAX_CHARS = 40
#: Non-blank lines above and below the title where byline evidence counts.
_ABOVE, _BELOW = 8, 25
#: Candidate kinds that name someone beside the title that the ranker would not take
#: without a known given name or a second piece of evidence.
_BESIDE: dict[str, BylineEvidenceSource] = {
    "alone": "beside_title",
    "dated_tail": "beside_title",
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
    text = text.strip(" .,:;|·•-–—()\"'“”«»")
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


def _dated_field(line: Line, feat: Features, site: frozenset[str]) -> str | None:
    """The one field of a short metadata line that is neither its date or time nor a
    label ("Kerstin | 3. Mai 2022", "03.05.2022 · jm"): a name standing where the
    byline goes that the name rules refuse (one word, no known given name)."""
    text = clean(line.words)
    if len(text) > _META_LINE or is_prose(feat) or 1 <= feat.heading <= 3 or is_caption(feat):
        return None
    fields = [f.strip(" .,:;") for f in _FIELD_SEP.split(text)]
    if len(fields) == 1:
        fields = _date_split(text)
    if not 2 <= len(fields) <= 5:
        return None
    dated = [bool(_DATED.search(f) or is_date_line(f) or read_days(f)) for f in fields]
    if not any(dated):
        return None
    names = [
        f
        for f, d in zip(fields, dated, strict=True)
        if f and not d and not _NOT_NAME.fullmatch(f) and MARKER_RE.match(f) is None
    ]
    if len(names) != 1:
        return None
    name = _name_like(names[0], label=True)
    if name is None or not_site(name, site) is None or _section_link(line.words, name):
        return None
    return name


def _date_split(text: str) -> list[str]:
    """A name glued to its date ("Kerstin 3. Mai 2022", "03.05.2022 jm") as two
    fields: the words before the first digit and the rest, or the date and the words
    after the last digit, when the date part alone reads as the line's date."""
    days = read_days(text)
    if not days:
        return [text]
    head = re.match(r"^([^\d]+?)[\s,]+(\d.*)$", text)
    if head and read_days(head.group(2)) == days:
        return [head.group(1).strip(" .,:;"), head.group(2)]
    tail = re.match(r"^(.*\d\.?)[\s,]+([^\d]+)$", text)
    # After a time comes its clock word or zone ("14:05 Uhr", "2:05 PM", "10h15 horas"):
    # a short single word there is no name.
    timed = (
        tail is not None
        and re.search(r"\d{1,2}[:.h]\d{2}\.?$", tail.group(1)) is not None
        and re.fullmatch(r"\W*\w{1,5}\W*", tail.group(2)) is not None
    )
    if tail and not timed and read_days(tail.group(1)) == days:
        return [tail.group(1), tail.group(2).strip(" .,:;")]
    return [text]


def _alone(line: Line, feat: Features, site: frozenset[str]) -> str | None:
    """A short line that is nothing but a name of two to four capitalised words right
    under the title ("Jelko Roe", "[Tam Rudd](/team)"): where pages print the byline,
    a name the lexicon's given names do not confirm."""
    text = clean(line.words)
    if is_prose(feat) or 1 <= feat.heading <= 3 or is_caption(feat) or not text[:1].isupper():
        return None
    if _NOT_NAME.fullmatch(text) or MARKER_RE.match(text) is not None:
        return None
    name = _name_like(text, label=True)
    # One word alone under a title is a kicker or a rubric ("Interview", "Politik").
    if name is None or " " not in name or not all(w[:1].isupper() for w in name.split()):
        return None
    if not_site(name, site) is None or _section_link(line.words, name):
        return None
    return name


def _section_link(words: str, name: str) -> bool:
    """Whether ``name`` is the label of a link to a section or topic page
    ("[Politik](https://x.example/politik/)", "[Kiel](/thema/kiel)")."""
    for text, url in LINK_RE.findall(words):
        if clean(text) != name:
            continue
        path = [p for p in re.sub(r"^[a-z]+://[^/]*", "", url).split("/") if p]
        if _TOPIC_URL.search(url) or len(path) <= 1:
            return True
    return False


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
    host = site_host(line.text for line in lines)
    site = labels_of(host) if host else frozenset()
    for i in (*below[:META_REACH], *above[:2]):
        named = _dated_field(lines[i], feats[i], site)
        if named:
            return named, i, "beside_title"
    for i in below[1:_ALONE_REACH]:
        named = _alone(lines[i], feats[i], site)
        if named:
            return named, i, "beside_title"
    for cand in refused:
        kind = _BESIDE.get(cand.kind)
        if kind is not None and cand.line in near:
            return cand.names.split(", ")[0], cand.line, kind
    return None


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
            if source == "byline_element":
                # An element's text names someone only after a by-word ("Von ank").
                match = MARKER_RE.match(clean(value))
                if match is None:
                    continue
                value = re.split(r"\s*[|·•,/–—]\s*|\s\d", match.group("rest"), maxsplit=1)[0]
            named = _name_like(value)
            if named:
                return named, source, item.line
    return None
