"""Agency and desk credits where a full page's byline goes.

German, Austrian, Swiss and Nordic news (and wire copy everywhere) is often signed by
the agency and the desk that edited it, not by a person:

- a dateline's credit opening the text: "Hamburg (dpa/lno) - ...", "GENF (SDA) - ...";
- a source line: "Quelle: MDR THÜRINGEN/ls", "Source: AP", "Fuente: EFE";
- a credit line of its own closing the text: "dpa/lno", "(AFP)", "APA/red",
  "red, wien.ORF.at/Agenturen".

Such a credit is the page's byline (kind ``agency``), read only where no person is
named anywhere on the page (:func:`corpus_qa.parse.bylines.page.find_byline`). The
agencies, the words for "the agencies", the source labels and the desk's
abbreviations are the lexicon's ``credit_lines`` (every language).
"""

from __future__ import annotations

import re

from corpus_qa.lexicons import phrases
from corpus_qa.lexicons.compile import words
from corpus_qa.parse.blocks import Features, is_prose
from corpus_qa.parse.bylines.names import clean
from corpus_qa.parse.lines import Line

_NAMES = (*phrases("credit_lines.agencies"), *phrases("agencies.wire"))
#: Short names match as written ("AP", "TT": "ap" and "Tt" are words); longer ones
#: also in capitals or lower case ("DPA", "apa", "KATHPRESS").
_EXACT = frozenset(a for a in _NAMES if len(a) < 3)
_FOLDED = frozenset(a.casefold() for a in _NAMES if len(a) >= 3)
_AGENCY_WORDS = frozenset(w.casefold() for w in phrases("credit_lines.agency_words"))
_DESKS = frozenset(w.casefold() for w in phrases("credit_lines.desk_words"))
#: Separators of a credit's parts: "dpa/lno", "red, ORF.at", "FR mit dpa".
_SPLIT = re.compile(rf"\s*(?:/|,|;|\s{words('credit_lines.joiners', bounds=False)}\s)\s*", re.I)
#: A desk's initials after a separator ("lno", "ls", "bb").
_CODE = re.compile(r"[a-zäöüß]{1,4}")
#: A host named in a credit ("wien.ORF.at", "hessenschau.de").
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)+")
#: An outlet or broadcaster in capitals before a desk's initials ("MDR THÜRINGEN/ls").
_CAPITALS = re.compile(r"[^\W\d_a-zß-ÿ]{2,}(?:[ -][^\W\d_a-zß-ÿ]{2,}){0,2}")
_LABEL = re.compile(
    rf"(?i)^{words('credit_lines.source_labels', bounds=False)}\s*:\s*(?P<credit>.+)$"
)
#: A dateline's credit: a place (or nothing) and the credit in parentheses before a dash.
_DATELINE = re.compile(r"^(?:[^\W\d][^()]{0,40}?\s)?\((?P<credit>[^()]{2,40})\)\s*[-–—:]\s")
#: The longest credit read.
_LONGEST = 60
#: Prose lines after the title read for a dateline's credit.
_OPENING = 3
#: Non-blank lines at the article's end (and after it) read for a credit line.
_CLOSING = 6
#: Non-blank lines after the article read for a labelled source line ("Quelle: X"),
#: which a page may print below the related stories the article's end leaves out.
_LABELLED_AFTER = 25


def is_agency(part: str) -> bool:
    """Whether ``part`` names a news agency, or "the agencies" ("Agenturen")."""
    part = part.strip()
    folded = part.casefold()
    return part in _EXACT or folded in _FOLDED or folded in _AGENCY_WORDS


def _normal(text: str) -> str:
    """A credit's text without the marks around it, "/" without spaces around it."""
    return re.sub(r"\s*/\s*", "/", text.strip(" .()*_"))


def _parts(text: str) -> list[str]:
    """A normal credit's parts, split at "/", ",", ";" and the joiner words."""
    return [p.strip(" .()") for p in _SPLIT.split(text)]


def credit_of(text: str, *, labelled: bool = False) -> str | None:
    """``text`` as an agency's or desk's credit, or None: parts joined by "/", "," or
    a joiner word, one of them an agency, the others desk abbreviations, initials
    after a separator, hosts. ``labelled``: after a source label ("Quelle:"), where
    an outlet in capitals with a desk's initials is a credit too.

    A host is left out of the credit ("red, wien.ORF.at/Agenturen" credits "red,
    Agenturen"): a domain is no byline (``byline.junk``), and a host with a desk's
    initials alone is the outlet's own source line, no byline at all."""
    text = _normal(text)
    if not text or len(text) > _LONGEST:
        return None
    parts = _parts(text)
    agency = outlet = False
    kept: list[str] = []
    for k, part in enumerate(parts):
        if _HOST.fullmatch(part):
            continue
        if is_agency(part):
            agency = True
        elif labelled and k == 0 and _CAPITALS.fullmatch(part):
            outlet = True
        elif not (part.casefold() in _DESKS or (k and _CODE.fullmatch(part))):
            return None
        kept.append(part)
    initials = len(parts) > 1 and _CODE.fullmatch(parts[-1]) is not None
    if not (agency or (outlet and initials)):
        return None
    return text if len(kept) == len(parts) else ", ".join(kept)


def _closing(lines: list[Line], end: int, after_count: int) -> list[int]:
    """The last non-blank lines of the article and ``after_count`` after it."""
    before: list[int] = []
    i = end
    while i >= 0 and len(before) < _CLOSING:
        if not lines[i].blank:
            before.append(i)
        i -= 1
    after: list[int] = []
    i = end + 1
    while i < len(lines) and len(after) < after_count:
        if not lines[i].blank:
            after.append(i)
        i += 1
    return [*reversed(before), *after]


def _after_picture(lines: list[Line], i: int) -> bool:
    """Whether line ``i`` follows an image (a picture's credit, not the text's)."""
    j = i - 1
    while j >= 0 and lines[j].blank:
        j -= 1
    return j >= 0 and bool(lines[j].tags)


def find_credit(
    lines: list[Line], feats: list[Features], first: int, end: int
) -> tuple[str, int, str] | None:
    """``(credit, line index, kind)`` of the credit the article shows: a dateline's
    agency credit opening the text first, else a source or credit line at its end.
    ``kind`` is ``agency``, or ``outlet`` for a source line naming only a
    host and a desk's initials ("Quelle: hessenschau.de/bb": the outlet's own credit,
    no byline)."""
    seen = 0
    for i in range(first + 1, min(end, len(lines) - 1) + 1):
        if seen >= _OPENING:
            break
        if not is_prose(feats[i]):
            continue
        seen += 1
        dated = _DATELINE.match(clean(lines[i].words))
        if dated:
            credit = credit_of(dated.group("credit"))
            if credit is not None:
                return credit, i, "agency"
    last = min(end, len(lines) - 1)
    near = set(_closing(lines, last, _CLOSING // 2))
    for i in _closing(lines, last, _LABELLED_AFTER):
        text = clean(lines[i].words)
        if not text or len(text) > _LONGEST + 20 or feats[i].heading:
            continue
        labelled = _LABEL.match(text)
        if labelled:
            credit = credit_of(labelled.group("credit"), labelled=True)
            if credit is None:
                host = own_host(labelled.group("credit"))
                if host is not None:
                    return host, i, "outlet"
        elif i not in near or _after_picture(lines, i):
            continue
        else:
            credit = credit_of(text)
        if credit is not None:
            return credit, i, "agency"
    return None


def own_host(text: str) -> str | None:
    """The host of a source line naming only a host and a desk's initials
    ("hessenschau.de/bb"), else None."""
    parts = _parts(_normal(text))
    if len(parts) == 2 and _HOST.fullmatch(parts[0]) and _CODE.fullmatch(parts[1]):
        return parts[0]
    return None
