"""Byline, wire credit and genre inference, vectorized over a drafts frame.

Order of trust: an explicit ``byline`` field; a ``By X`` line opening the body;
a person's name in a title bracket (``[Robert J. Fouser] ...``); a closing bio
(``Robert J. Fouser, a former professor ..., writes on ...``). Wire agencies
(``(Yonhap)``, ``By AFP``) become ``credit``, and so does a page's organisation
credit (a draft byline of source ``credit``) where no wire credit is found; genre
tags (``[Editorial]``) become ``genre``: neither is ever a byline.

All patterns run in RE2 through :func:`corpus_qa.text.re2.extract`; letters
outside ASCII are spelled as literal ranges because RE2's ``\\w`` is ASCII-only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.lexicons import phrases
from corpus_qa.lexicons.compile import alternation_of, words
from corpus_qa.text.re2 import contains, extract, tail

_UP = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f"
_LOW = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017f"
_WORD = f"[{_UP}][{_LOW}]*(?:['’-][{_UP}{_LOW}][{_LOW}]*)*"
_INITIAL = f"[{_UP}]\\.(?:[ ]?[{_UP}]\\.)*"
_PARTICLE = f"{alternation_of(phrases('byline.name_particles'), bounds=False)} "
#: A person's name: 2-4 tokens (initials allowed, a full word last).
NAME = f"(?:(?:{_WORD}|{_INITIAL}) (?:{_PARTICLE})?){{1,3}}{_WORD}"
#: One or more names: "A B", "A B and C D", "A B, C D & E F".
NAMES = f"{NAME}(?:(?:, and |, | and | & ){NAME}){{0,3}}"

#: Wire agencies, as written inside a credit's parentheses.
AGENCIES: tuple[str, ...] = phrases("agencies.wire")
#: Matched case-sensitively and as written: "AP" is the agency, "ap" is no credit.
_AGENCY = alternation_of(AGENCIES, bounds=False)

#: Title-bracket tags that name a genre, never a person (lower-cased).
GENRE_TAGS: frozenset[str] = frozenset(tag.lower() for tag in phrases("genre.tags"))
#: A bracket whose last word is one of these is a genre too ("[Sunday Interview]",
#: "[Weekend Design]"): an outlet's own prefix needs no entry of its own.
_GENRE_LAST = rf"(?i)^(?:[^ ]+ ){{0,3}}{words('genre.last_words', bounds=False)}$"
_GENRE_PREFIX = rf"(?i)^[ \t]*(?P<g>{words('genre.title_prefixes', bounds=False)})[ \t]*[:|][ \t]"
#: Words that make a would-be name a role, desk or outlet ("Staff Reporter").
NOT_PERSON = rf"(?i)(?:^|[ ,]){words('byline.not_person', bounds=False)}(?:[ ,.]|$)"
_BY_LINE = r"^[ \t]*(?:By|BY|by)[ \t]*:?[ \t]+(?P<cand>[^\n]{2,200})"
_BY_NAMES = f"^(?P<names>{NAMES})[ \\t]*(?:$|[,|/(·•–—-])"
_BY_FIRST = f"^(?P<name>{NAME})[ \\t]*(?:$|[,|/(·•–—-])"
_BY_AGENCY = f"^(?:the )?(?P<agency>{_AGENCY})(?: [Nn]ews [Aa]gency)?[ \\t.]*(?:$|[,|/(·•–—-])"
_TAG = r"^[ \t]*\[(?P<tag>[^\[\]\n]{1,60})\]"
_TRAILING_CREDIT = f"\\((?P<credit>{_AGENCY})\\)[ \\t.]*$"
_DATELINE_CREDIT = f"^[^\\n(]{{0,80}}\\((?P<credit>{_AGENCY})\\)[ \\t]*(?:--|—|–|-)"
_JOB = words("byline.bio_jobs", bounds=False, langs=("en",))
_BIO = (
    f"(?:[.!?][\"'”’)]?[ \\t]+|\\n)(?P<bio>{NAME})"
    f"(?:, (?:a|an|the|who) [^\\n]{{0,300}}?{_JOB}"
    f"|(?: is| was| has been) (?:a|an|the) [^.\\n]{{0,120}}?{_JOB})"
)
#: Characters of the body's end searched for a bio ("near the end").
BIO_WINDOW = 700
#: Characters of the body's start searched for a ``By`` line or a dateline credit.
HEAD_WINDOW = 300


def _person(names: pd.Series, outlet: pd.Series) -> pd.Series:
    """Keep names that are people: not roles, desks or the outlet's own name."""
    if not names.notna().any():
        return names  # most chunks have no candidates of a kind: skip the scans
    role = names.str.contains(NOT_PERSON, regex=True, na=False)
    same = names.str.lower().eq(outlet.str.lower()).fillna(False).astype(bool)
    return names.where(~role & ~same)


def found_group(values: pd.Series, pattern: str, name: str) -> pd.Series:
    """``extract(values, pattern)[name]`` for a group every match sets, extracted
    only from the rows an RE2 test finds a match in (few, for the patterns here):
    building the groups' columns for every row costs more than the test."""
    rows = np.flatnonzero(contains(values, pattern))
    found = pd.Series(pd.NA, index=values.index, dtype="str")
    if len(rows):
        found.iloc[rows] = extract(values.iloc[rows], pattern)[name].array
    return found


def genre_of(title: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(genre, the title-bracket tag when it is not a genre)."""
    found = found_group(title, _TAG, "tag")
    genre = pd.Series(pd.NA, index=title.index, dtype="str")
    kept = genre.copy()
    # Few titles open with a bracket: only their tags are read.
    rows = np.flatnonzero(found.notna().to_numpy())
    if len(rows):
        tag = found.iloc[rows].str.strip()
        lowered = tag.str.lower()
        is_genre = lowered.isin(GENRE_TAGS) | tag.str.contains(_GENRE_LAST, regex=True, na=False)
        genre.iloc[rows] = lowered.where(is_genre).str.replace(" ", "_", regex=False).array
        kept.iloc[rows] = tag.where(~is_genre).array
    prefix = found_group(title, _GENRE_PREFIX, "g").str.lower()
    return genre.fillna(prefix), kept


def _inferred_names(
    candidate: pd.Series, tag: pd.Series, body: pd.Series, outlet: pd.Series
) -> dict[str, pd.Series]:
    """Names from a ``By`` line, a title bracket and a closing bio, in that order of trust."""
    by_names = candidate  # all missing, unless a record has a By line
    if candidate.notna().any():
        by_names = _person(extract(candidate, _BY_NAMES)["names"], outlet)
        # "Jane Doe, Staff Writer" reads as two names to the pattern: keep the first one.
        first_name = _person(extract(candidate, _BY_FIRST)["name"], outlet)
        by_names = by_names.fillna(first_name)
    ending = tail(body, BIO_WINDOW)
    # Longer than the window exactly when its last BIO_WINDOW characters are fewer bytes.
    long_body = pd.Series(
        np.asarray(pc.binary_length(pa.array(ending)))
        < np.asarray(pc.binary_length(pa.array(body))),
        index=body.index,
    )
    ending = ending.where(long_body, ". " + body.where(~long_body, ""))
    bio = _person(found_group(ending, _BIO, "bio"), outlet)
    bracket = tag  # all missing, unless a title has a bracket tag
    if tag.notna().any():
        tag_name = tag.where(tag.str.fullmatch(NAME, na=False).astype(bool))
        confirmed = tag.where(tag.str.lower().eq(bio.str.lower()).fillna(False).astype(bool))
        bracket = _person(tag_name.fillna(confirmed), outlet)
    # In order of trust: infer_bylines takes the first found.
    return {"by_line": by_names, "title_bracket": bracket, "bio": bio}


def infer_bylines(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns ``byline``, ``byline_source``, ``credit``, ``genre`` for ``frame``.

    ``frame`` needs ``title``, ``body``, ``byline``, ``byline_source`` and ``outlet``.
    """
    index = frame.index
    # Positions from here on: the names found for some rows are put back by position.
    frame = frame.reset_index(drop=True)
    title = frame["title"].astype("str")
    body = frame["body"].astype("str").fillna("")
    outlet = frame["outlet"].astype("str")
    field = frame["byline"].astype("str").str.strip()
    field = field.where(field.str.len() > 0)
    given = frame["byline_source"].astype("str")
    # A page's organisation credit (source ``credit``: the outlet after a by-word, a
    # JSON-LD ``Organization``) is no byline: it goes to ``credit``.
    organisation = field.where(given.eq("credit").fillna(False).astype(bool))
    field = field.where(organisation.isna())
    field_source = given.where(field.notna()).fillna("field").where(field.notna())

    opening = _Opening(body)
    candidate = opening.group(_BY_LINE, "cand").str.strip()
    # Most chunks have no By line at all: nothing to extract an agency from.
    by_agency = extract(candidate, _BY_AGENCY)["agency"] if candidate.notna().any() else candidate
    genre, tag = genre_of(title)

    # Names are only looked for where the record has no byline field: elsewhere they
    # would never be used, and the bio's tail window is the costliest scan here.
    need = np.flatnonzero(field.isna().to_numpy())
    inferred = _inferred_names(
        candidate.iloc[need], tag.iloc[need], body.iloc[need], outlet.iloc[need]
    )
    byline = field.copy()
    source = field_source.copy()
    # Only the rows without a byline field (all missing there) take an inferred name:
    # the first kind found, in order of trust. Most chunks find none.
    kinds = list(inferred)
    found = [inferred[kind].notna().to_numpy() for kind in kinds]
    if any(has.any() for has in found):
        names = inferred[kinds[0]]
        for kind in kinds[1:]:
            names = names.fillna(inferred[kind])
        kind_of = np.full(len(need), None, dtype=object)
        for kind, has in reversed(list(zip(kinds, found, strict=True))):
            kind_of[has] = kind  # the most trusted kind found is written last
        byline.iloc[need] = names.array
        source.iloc[need] = pd.Series(kind_of, index=names.index, dtype="str")

    credit = trailing_credit(body)
    for fallback in (opening.group(_DATELINE_CREDIT, "credit"), by_agency, organisation):
        if fallback.notna().any():  # a fill with nothing to give still copies the column
            credit = credit.fillna(fallback)
    return pd.DataFrame(
        {
            "byline": byline.astype("str"),
            "byline_source": source.astype("str"),
            "credit": credit.astype("str"),
            "genre": genre.astype("str"),
        },
    ).set_axis(index)


class _Opening:
    """A named group of a start-anchored pattern in each body's first ``HEAD_WINDOW``
    characters, like ``extract(body.str.slice(0, HEAD_WINDOW), pattern)[name]``.

    Most bodies open with no ``By`` line and no dateline credit: one anchored RE2
    test over the whole bodies (it stops within a few bytes of each) picks the rows
    that may, and only those are cut to their opening and extracted. A match in the
    opening is a match in the body (the patterns have no end anchor), so the rows
    tested out cannot hold one.
    """

    def __init__(self, body: pd.Series) -> None:
        self.body = body

    def group(self, pattern: str, name: str) -> pd.Series:
        rows = np.flatnonzero(contains(self.body, pattern))
        found = pd.Series(pd.NA, index=self.body.index, dtype="str")
        if len(rows):
            cut = self.body.iloc[rows].str.slice(0, HEAD_WINDOW)
            found.iloc[rows] = extract(cut, pattern)[name].array
        return found


def trailing_credit(body: pd.Series) -> pd.Series:
    """The agency of a credit closing the body (``... (Yonhap)``), like
    ``extract(tail(body, 80), _TRAILING_CREDIT)["credit"]``, extracted only from
    the bodies whose last character but spaces, tabs and dots may be ``)``."""
    found = pd.Series(pd.NA, index=body.index, dtype="str")
    rows = np.flatnonzero(may_close_with_paren(pa.array(body)))
    if len(rows):
        found.iloc[rows] = extract(tail(body.iloc[rows], 80), _TRAILING_CREDIT)["credit"].array
    return found


def may_close_with_paren(strings: pa.Array | pa.ChunkedArray, steps: int = 8) -> np.ndarray:
    """Whether each value's last byte other than a space, tab or dot may be ``)``:
    False only where it is known not to be (null and blank values: False); a value
    ending in more than ``steps`` such bytes counts as maybe."""
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    strings = strings.cast(pa.large_binary())
    _, offsets_buffer, data = strings.buffers()
    count = len(strings)
    if data is None or count == 0:
        return np.zeros(count, dtype=bool)
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[
        strings.offset : strings.offset + count + 1
    ]
    raw = np.frombuffer(data, dtype=np.uint8)
    start = offsets[:-1]
    position = offsets[1:] - 1
    maybe = np.zeros(count, dtype=bool)
    open_rows = np.flatnonzero(position >= start)
    for _ in range(steps):
        if not len(open_rows):
            return maybe
        last = raw[position[open_rows]]
        skip = (last == 0x20) | (last == 0x09) | (last == 0x2E)
        maybe[open_rows[~skip & (last == 0x29)]] = True
        open_rows = open_rows[skip]
        position[open_rows] -= 1
        open_rows = open_rows[position[open_rows] >= start[open_rows]]
    maybe[open_rows] = True
    return maybe
