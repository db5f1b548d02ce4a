"""Scoring helpers for ``make accuracy``: name matching and segment matching.

Both sides are normalized the way the corpus's ``derived.*_in_md`` fields were
computed (link targets, image syntax, emphasis, escapes and whitespace removed),
so a gold segment split by Markdown markup still counts as found.
"""

from __future__ import annotations

import html
import re
import unicodedata

from corpus_qa.parse.bylines.drafts import AGENCIES

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_MARKUP = re.compile(r"[\[\]*_`#>\\|]")
_SPACE = re.compile(r"\s+")

#: Separators of several names in one gold or detected string.
_SPLIT = re.compile(r"\s*(?:;|,|/|&|\+|\bund\b|\band\b|\bet\b|\bi\b|\by\b|\be\b)\s*", re.I)
#: Words around a name in gold strings ("Von X", "X For The Mail On Sunday").
_LEAD = re.compile(
    r"^(?:von|by|par|por|di|door|av|af|przez|text|interview|autor(?:in)?|author)\s*:?\s+", re.I
)
_AGENCIES = frozenset(a.casefold() for a in AGENCIES)
_CODE = re.compile(r"[A-Z][A-Z-]{1,4}")
_TAIL = re.compile(r"\s+(?:for|from|of|für|shares?)\b.*$", re.I)


def strip_markup(text: str) -> str:
    """Text without Markdown markup and whitespace, case-folded (for containment)."""
    text = html.unescape(text)
    text = _IMAGE.sub("", text)
    text = _LINK_TARGET.sub("]", text)
    text = _MARKUP.sub("", text)
    return _SPACE.sub("", text).casefold()


def _sub_kept(
    pattern: re.Pattern[str], repl: str, text: str, where: list[int]
) -> tuple[str, list[int]]:
    """``pattern.sub(repl, text)`` with each kept character's offset in the original."""
    out: list[str] = []
    kept: list[int] = []
    at = 0
    for match in pattern.finditer(text):
        out.append(text[at : match.start()])
        kept.extend(where[at : match.start()])
        out.append(repl)
        kept.extend([where[match.start()]] * len(repl))
        at = match.end()
    out.append(text[at:])
    kept.extend(where[at:])
    return "".join(out), kept


def locate_stripped(segment: str, text: str) -> tuple[int, int] | None:
    """Where ``segment`` stands in ``text`` (Markdown) once both are compared as
    :func:`strip_markup` compares them: the span of ``text`` from its first to its
    last character; None when it is not there (or only through an HTML entity)."""
    seg = strip_markup(segment)
    if not seg:
        return None
    stripped, where = text, list(range(len(text)))
    for pattern, repl in ((_IMAGE, ""), (_LINK_TARGET, "]"), (_MARKUP, ""), (_SPACE, "")):
        stripped, where = _sub_kept(pattern, repl, stripped, where)
    folded: list[str] = []
    offsets: list[int] = []
    for char, offset in zip(stripped, where, strict=True):
        low = char.casefold()
        folded.append(low)
        offsets.extend([offset] * len(low))
    found = "".join(folded).find(seg)
    if found < 0:
        return None
    return offsets[found], offsets[found + len(seg) - 1] + 1


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def names_of(value: str) -> list[frozenset[str]]:
    """The person names in a byline string, each as a set of folded tokens."""
    out = []
    for part in _SPLIT.split(value.strip()):
        part = _TAIL.sub("", _LEAD.sub("", part.strip(" .:-–—·|()")))
        tokens = frozenset(t for t in re.findall(r"[\w'’.-]+", _fold(part)) if t.strip(".-"))
        tokens = frozenset(t.strip(".") for t in tokens)
        if tokens:
            out.append(tokens)
    return out


def _same(a: frozenset[str], b: frozenset[str]) -> bool:
    # Fair to gold noise: "Amber Guetebier Shares" vs "Amber Guetebier", a dropped
    # middle initial; never on a single shared given name alone unless that is all.
    return a <= b or b <= a


def _codes(value: str) -> set[frozenset[str]]:
    """Parts written as a short code in capitals ("NDR", "SP-X"): an agency's or a
    broadcaster's credit beside the people, as a desk code with digits is."""
    parts = (part.strip(" .:-–—·|()") for part in _SPLIT.split(value.strip()))
    return {frozenset([_fold(p)]) for p in parts if _CODE.fullmatch(p)}


def _credit(name: frozenset[str], site: str, codes: set[frozenset[str]]) -> bool:
    """A wire agency, a desk code or the outlet itself, not a person ("dpa", "7 News
    WSVN", "NDR" on ndr.de): gold strings and bylines add these to the people."""
    joined = "".join(sorted(name))
    if any(t in _AGENCIES for t in name) or any(any(c.isdigit() for c in t) for t in name):
        return True
    if name in codes:
        return True
    labels = {_fold(label).replace("-", "") for label in site.split(".") if len(label) >= 2}
    return any(t.replace("-", "") in labels for t in name) or joined in labels


def names_match(detected: str | None, gold: str, site: str = "") -> bool:
    """Same people, order and case ignored; every name on each side has a partner.

    Credits (agencies, desk codes, the outlet ``site``) are optional on both sides
    when at least one person is named; a byline of credits only is compared as is.
    """
    if not detected:
        return False
    det, ref = names_of(detected), names_of(gold)
    codes = _codes(detected) | _codes(gold)
    people_det = [d for d in det if not _credit(d, site, codes)]
    people_ref = [g for g in ref if not _credit(g, site, codes)]
    if people_det and people_ref:
        det, ref = people_det, people_ref
    if not det or not ref:
        return False
    return all(any(_same(d, g) for g in ref) for d in det) and all(
        any(_same(g, d) for d in det) for g in ref
    )


#: Gold "without" segments of at most this many words are labels (menu items, buttons,
#: section titles): boilerplate as a line of their own, the article's word in a sentence.
LABEL_WORDS = 2

#: Outcomes of :func:`classify_without` that are not leaks, and why.
NOT_LEAKS = {
    "absent": "not in the body",
    "label_in_text": "a short label that occurs only inside a longer body paragraph",
    "duplicate": "the page holds more copies than the body; the gold cannot say which "
    "copy is the boilerplate one, and the parser left one out",
}


def classify_without(segment: str, paragraphs: list[str], page_text: str) -> str:
    """Whether a gold boilerplate segment leaked into the body, or why it does not count.

    ``paragraphs`` are the title and body paragraphs, ``page_text`` the whole page.
    Plain substring scoring counts "Facebook" in "auf Facebook geteilt" as a leak, and
    a lede that a teaser box repeats (gold: the teaser copy) as one too. Here:

    - ``leak``: the segment is in the body and is a label that makes up at least half
      of a body paragraph (or runs across paragraphs), or a longer segment whose every
      copy on the page is in the body;
    - ``label_in_text`` / ``duplicate``: see :data:`NOT_LEAKS`; ``absent``: not in it.
    """
    seg = strip_markup(segment)
    stripped = [strip_markup(p) for p in paragraphs]
    body = "".join(stripped)
    if not seg or seg not in body:
        return "absent"
    if len(strip_markup_words(segment)) <= LABEL_WORDS:
        inside = [p for p in stripped if seg in p]
        if not inside or any(2 * len(seg) >= len(p) for p in inside):
            return "leak"
        return "label_in_text"
    if strip_markup(page_text).count(seg) > body.count(seg):
        return "duplicate"
    return "leak"


def strip_markup_words(text: str) -> list[str]:
    """The words of ``text`` once Markdown markup is removed (for a length in words)."""
    text = _LINK_TARGET.sub("]", _IMAGE.sub("", html.unescape(text)))
    return _MARKUP.sub(" ", text).split()


def gold_is_outlet(gold: str, domain: str) -> bool:
    """Whether the gold author spells the outlet: its letters and digits equal the
    site's registered name or its whole host ("Deutschlandfunk" on
    deutschlandfunk.de, "przepisy.pl"). The articles contract keeps such a name in
    ``credit``, never in ``byline``."""
    squeezed = "".join(c for c in _fold(gold) if c.isalnum())
    host = _fold(domain).removeprefix("www.")
    labels = [label for label in host.split(".") if label]
    if not squeezed or not labels:
        return False
    name = labels[-2] if len(labels) >= 2 else labels[0]
    whole = "".join(c for c in host if c.isalnum())
    return squeezed in {name.replace("-", ""), whole}
