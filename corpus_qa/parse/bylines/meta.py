"""Bare names on the metadata lines next to an article's title, for
:mod:`corpus_qa.parse.bylines.page`: "X | Reporter", "X, 01.12.2021", "28. Jan. 2022 X",
"Example News 02/10/2020 X", a name alone over or under a date line. A name only
stands there by its place, so a caption under a picture is never one.
"""

from __future__ import annotations

import re

from corpus_qa.parse.blocks import Features, is_caption, is_prose
from corpus_qa.parse.bylines.boxes import neighbours, step_text
from corpus_qa.parse.bylines.drafts import NOT_PERSON as _NOT_PERSON_PATTERN
from corpus_qa.parse.bylines.names import MARKER_RE, clean, known_given_name, persons
from corpus_qa.parse.bylines.rank import Candidate
from corpus_qa.parse.bylines.site import not_site, not_site_of_links
from corpus_qa.parse.datelines import is_date_line
from corpus_qa.parse.lines import Line

_DATEISH = re.compile(
    r"\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
)
_NOT_PERSON = re.compile(_NOT_PERSON_PATTERN)
#: Separators between the fields of a metadata line.
_FIELD_SEP = re.compile(r"\s+[-–—|·•]\s+|\s*[|·•]\s*")
#: A date or time in a field: "12 mars 2021", "10:15", "10h15", "2 hours ago".
_TIMEISH = re.compile(
    r"(?i)\b\d{1,2}[:h]\d{2}\b|\b(?:19|20)\d\d\b|\b\d+\s*(?:min|hours?|stunden?|heures?|horas?)\b"
)
#: Lines of the window (from its top) where a bare name may stand as the byline.
META_REACH = 8
#: Lines next to the title where a name standing alone on its line counts.
_ALONE_REACH = 4


_LEADING_DATE = re.compile(
    r"^\d{1,2}\.?\s*(?:\d{1,2}\.|[^\W\d_]{3,9}\.?)\s*\d{2,4}(?:,?\s*\d{1,2}[:.]\d{2})?\s*[-–|·,]?\s*"
)


def from_meta_line(line: Line, feat: Features, *, alone: bool, timed: bool = False) -> str | None:
    """A name opening a short metadata line ("X | Reporter", "X, 01.12.2021", "X")."""
    text = clean(line.words)
    # h4-h6 headings often hold an author box's name; h1-h3 are titles and sections.
    if len(text) > 120 or is_prose(feat) or 1 <= feat.heading <= 3:
        return None
    if is_caption(feat):
        return None  # "Ana Ruiz (Bild: Example)" names who is in the picture
    if feat.links and feat.link_ratio > 0.6:
        return None  # menu entries and link lists are not bylines
    if text.count("|") >= 2:
        return None  # a table row ("Density | 1.60 | 1.55")
    marker = MARKER_RE.match(text)
    if marker is not None and marker.start() == 0:
        return None  # a by-word line whose name was rejected ("By AFP", "By Staff")
    # A date may come first: "28. Jan. 2022 Paula Balov", "25.10.2022 - Reiner Nagel".
    undated = _LEADING_DATE.sub("", text)
    dated, text = undated != text, undated
    match = re.match(r"^(?P<name>[^|·•,/\d]+?)\s*(?:[|·•,/]|(?=\d)|$)(?P<rest>.*)$", text)
    if match is None:
        return None
    rest = match.group("rest").strip()
    if not dated and not rest and not alone:
        return None
    if timed and not re.search(r"\d", rest):
        return None
    if rest and not (is_date_line(rest) or re.search(r"\d", rest) or len(rest) <= 40):
        return None
    names = persons(match.group("name"), explicit=False)
    if names is not None and rest[:1].isupper():
        names = _more_names(names, text) or names
    # A bare name linking to the site it spells is a masthead ("[The Example](x.example)").
    return None if names is None else not_site_of_links(names, line.words, bare=True)


def _more_names(first: str, text: str) -> str | None:
    """Co-authors after the first name on a metadata line ("Ana Ruiz, Tom Roe,
    12.03.2021"): full names opening with a known given name, never an outlet or a
    role ("Ana Ruiz, Washington Post", "Ana Ruiz, Senior Editor")."""
    names = persons(text, explicit=False)
    if names is None or not names.startswith(first):
        return None
    more = names.split(", ")
    ok = all(" " in n and known_given_name(n) and not _NOT_PERSON.search(n) for n in more[1:])
    return names if len(more) > 1 and ok else None


_TRAILING_NAME = re.compile(
    r"(?:\b\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}|\b\d{4}-\d{2}-\d{2}|\b\d{1,2}/\d{1,2}/\d{2,4})"
    r"(?:,?\s*\d{1,2}[:.]\d{2})?\s*[-–|·•,]?\s*(?P<name>[^\d|·•,/()]{4,60})$"
)


def from_dated_tail(line: Line, feat: Features) -> str | None:
    """A name closing a short metadata line after its date ("Example News 02/10/2020
    Ana Ruiz", "Wirtschaft | 01.12.2021 | Ana Ruiz")."""
    text = clean(line.words)
    if len(text) > 120 or is_prose(feat) or 1 <= feat.heading <= 3 or is_caption(feat):
        return None
    match = _TRAILING_NAME.search(text)
    if match is None:
        return _dated_field(text)
    name = match.group("name").strip(" .,:;-–—·|")
    return name if persons(name, explicit=False) == name else None


def _dated_field(text: str) -> str | None:
    """A name that fills one field of a metadata line whose other fields hold a date
    or time: "May 2, 2020 — Ana Ruiz", "Stand: 12.03.2021, 10:15 Uhr | Ana Ruiz",
    "Ana Ruiz | 12.03.2021 | 3 Min. Lesezeit", "12 mars 2021 à 10h15 | Ana Ruiz"."""
    fields = [f.strip(" .,:;") for f in _FIELD_SEP.split(text)]
    if len(fields) < 2 or len(fields) > 4:
        return None
    names = [f for f in fields if f and persons(f, explicit=False) == f]
    dated = any(is_date_line(f) or _DATEISH.search(f) or _TIMEISH.search(f) for f in fields)
    return names[0] if dated and len(names) == 1 else None


def _captions(lines: list[Line], i: int, names: str) -> bool:
    """Whether line ``i`` stands right under a picture that does not show ``names``:
    "John Roe, chief from 1828 to 1866." there is a caption, not a byline."""
    j = step_text(lines, i, -1)
    if j is None or not lines[j].tags or clean(lines[j].words):
        return False
    alts = " ".join(tag.alt for tag in lines[j].tags)
    return names.split(", ")[0] not in alts


def _dated(lines: list[Line], feats: list[Features], i: int) -> bool:
    """Whether a neighbouring line is a short date line ("22.11.2022", "Updated: ...")."""
    for j in neighbours(lines, i, 1):
        plain = feats[j].plain
        if len(plain) <= 60 and (is_date_line(plain) or _DATEISH.search(plain)):
            return True
    return False


def near_candidates(
    lines: list[Line],
    feats: list[Features],
    below: list[int],
    above: list[int],
    site: frozenset[str],
) -> list[Candidate]:
    """Bare names in the title's window (``below`` and ``above`` it, nearest first)."""
    cands: list[Candidate] = []
    close = {*below[:_ALONE_REACH], *above[:2]}
    for i in [*below[:META_REACH], *above[:META_REACH]]:
        # A bare name beside a date line is a byline; a heading beside one is not.
        alone = i in close or (not 1 <= feats[i].heading <= 4 and _dated(lines, feats, i))
        found = not_site(from_meta_line(lines[i], feats[i], alone=alone), site)
        tail = not_site(from_dated_tail(lines[i], feats[i]), site)
        if found and _captions(lines, i, found):
            found = None
        if tail and not _captions(lines, i, tail):
            cands.append(Candidate(tail, i, "dated_tail"))
        if found:
            # "X, 01.12.2021" has its date beside it; a name alone has only its place.
            dated = bool(
                re.search(r"\d", clean(lines[i].words).partition(found.split(", ")[-1])[2])
            )
            cands.append(Candidate(found, i, "meta" if dated else "alone"))
    for i in below[META_REACH:]:
        # Further down, a name with a date or time beside it ("X | Published 3 hours
        # ago") or alone over or under a date line.
        alone = not 1 <= feats[i].heading <= 4 and _dated(lines, feats, i)
        found = not_site(from_meta_line(lines[i], feats[i], alone=alone), site)
        if found and not _captions(lines, i, found):
            dated = bool(
                re.search(r"\d", clean(lines[i].words).partition(found.split(", ")[-1])[2])
            )
            cands.append(Candidate(found, i, "timed" if dated else "alone"))
    return cands
