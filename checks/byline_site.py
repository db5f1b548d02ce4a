"""Author metadata that is the same on every page of an outlet: a site constant."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

import numpy as np
import pandas as pd

from corpus_qa.checks.api import GlobalCheck, Rows, no_global_hits
from corpus_qa.checks.builtin._outlets import outlet_groups
from corpus_qa.checks.options import CheckOptions
from corpus_qa.lexicons.compile import PYTHON_FLAGS, words
from corpus_qa.model import Severity
from corpus_qa.parse.bylines.names import known_given_name
from corpus_qa.parse.bylines.site import fold, is_site_name, labels_of

#: Bylines the page's own metadata stated (the page's text showed none that won).
METADATA_SOURCES = ("jsonld", "microdata", "meta", "metadata")
#: Bylines the page's visible text shows: what a reader sees credited.
VISIBLE_SOURCES = (
    "by_line",
    "title_bracket",
    "bio",
    "rel_author",
    "byline_element",
    "header",
    "post_author",
)
#: State row kinds: an outlet's pages in a chunk, a visible byline's pages of an
#: outlet in a chunk, one page whose byline its metadata stated.
PAGES, VISIBLE, STATED = 0, 1, 2


@dataclass(frozen=True)
class SiteConstantOptions(CheckOptions):
    #: Pages of one outlet that must carry the same metadata author.
    min_pages: int = 3
    #: Share of the outlet's pages bylined from metadata that must carry it.
    min_share: float = 0.8
    #: Pages of the outlet whose visible byline names someone else, to contradict it.
    min_contradicting: int = 2


class BylineSiteConstant(GlobalCheck):
    """A metadata author that is the same on every page of an outlet.

    What it catches
    ---------------
    Articles whose byline came from the page's own metadata (JSON-LD, microdata,
    ``<meta name="author">``, a scraper's ``metadata.author``) with a value that is a
    constant of the outlet, not the author of the page: "Redaktion", "Staff",
    "admin", the CMS account or the editor-in-chief stated on every page. A value is
    a site constant when it is on at least ``min_pages`` of the outlet's pages (the
    ``outlet`` column, else the URL's host) and on at least ``min_share`` of the
    outlet's pages whose byline came from metadata, and one of these holds:

    * the outlet's pages show other bylines: on at least ``min_contradicting`` pages,
      and on more pages than the value itself, the visible text credits someone else;
    * the value is a role, desk or account word of the lexicons
      (``site_constant.accounts``), not a person's name;
    * the value spells the outlet (its name or its host's registered name).

    A one-author blog, whose metadata names the same person that its pages show or
    that no visible byline contradicts, is not flagged. Every article bylined with
    the constant is a finding on its ``byline``, with the value, its source and "on
    K of N pages of OUTLET". Scope: global; the page parser sees one page at a time
    and cannot know that a value repeats, the dump shows it. During the run a page
    costs a few integers of memory (the outlet as a code, a 64-bit key of the folded
    byline); only pages bylined from metadata keep provenance, on disk.

    Why it matters
    --------------
    Those articles have no byline: the page names no author, or names one the
    parser could not read, and the metadata's constant hides it. Counted as bylined,
    they pass ``byline.missing`` and skew any statistic by author.

    Example
    -------
    40 pages of one outlet carry ``<meta name="author" content="Redaktion">``; 25 of
    them print "Von Anna Weber", "Von Jonas Brandt" and others, the 15 that print no
    byline get "Redaktion" from the meta tag: each of the 15 is a finding,
    "metadata author 'Redaktion' (meta) is on 15 of 40 pages of nordkurier.example".

    How to fix the scraper
    ----------------------
    Take the byline from the article's visible byline element or its JSON-LD
    ``author`` of ``@type: Person``, not from ``<meta name="author">`` or a CMS field
    the template fills with the same value everywhere; store no byline where the page
    names no author.
    """

    id: ClassVar[str] = "byline.site_constant"
    name: ClassVar[str] = "Site-wide metadata author"
    severity: ClassVar[Severity] = "error"
    Options = SiteConstantOptions
    options: SiteConstantOptions
    #: Read back only for the hits and one row per candidate value: kept on disk.
    spilled: ClassVar[tuple[str, ...]] = (
        "record_id",
        "source_path",
        "line",
        "outlet",
        "site",
        "evidence",
        "source",
    )
    #: Compared only: kept in memory as integer codes.
    encoded: ClassVar[tuple[str, ...]] = ("group",)
    #: Counts and thresholds are per outlet: a cluster finalizes the state by outlet.
    partition_by: ClassVar[str | None] = "group"

    def observe(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        # Related teasers of an aggregator page are no pages of their own.
        page = (articles["role"] != "related").to_numpy(dtype=bool)
        owner = _owners(articles)
        source = articles["byline_source"].astype("object")
        bylined = page & articles["byline"].notna().to_numpy(dtype=bool)
        stated = bylined & source.isin(METADATA_SOURCES).to_numpy(dtype=bool)
        visible = bylined & source.isin(VISIBLE_SOURCES).to_numpy(dtype=bool)
        keys = _keys(articles["byline"], stated | visible)
        counts = pd.DataFrame({"group": owner[page], "n": 1}).groupby("group", sort=False).size()
        shown = pd.DataFrame({"group": owner[visible], "key": keys[visible]})
        seen = shown.groupby(["group", "key"], sort=False).size()
        at = np.flatnonzero(stated)
        parts = [
            _rows(counts.index.to_numpy(dtype=object), 0, PAGES, counts.to_numpy()),
            _rows(
                seen.index.get_level_values(0).to_numpy(dtype=object),
                seen.index.get_level_values(1).to_numpy(dtype=np.uint64),
                VISIBLE,
                seen.to_numpy(),
            ),
            pd.DataFrame(
                {
                    "group": owner[at],
                    "key": keys[at],
                    "kind": np.full(len(at), STATED, dtype=np.int8),
                    "n": np.ones(len(at), dtype=np.int32),
                    "record_id": articles["record_id"].to_numpy(dtype=object)[at],
                    "source_path": articles["source_path"].to_numpy(dtype=object)[at],
                    "line": articles["line_start"].to_numpy(dtype="int64")[at],
                    "outlet": articles["outlet"].to_numpy(dtype=object)[at],
                    "site": owner[at],
                    "evidence": articles["byline"].to_numpy(dtype=object)[at],
                    "source": source.to_numpy(dtype=object)[at],
                }
            ),
        ]
        state = pd.concat(parts, ignore_index=True)
        for column in (
            "group",
            "record_id",
            "source_path",
            "outlet",
            "site",
            "evidence",
            "source",
        ):
            state[column] = state[column].astype("object")
        state["line"] = state["line"].astype("Int64")
        return state

    def finalize(self, state: pd.DataFrame, rows: Rows | None = None) -> pd.DataFrame:
        return self.finalize_rows(state, rows)[0]

    def finalize_rows(
        self, state: pd.DataFrame, rows: Rows | None = None
    ) -> tuple[pd.DataFrame, np.ndarray | None]:
        none = (no_global_hits(), np.zeros(0, dtype=np.int64))
        if not len(state):
            return none
        counts = _count(state, self.options)
        if counts is None:
            return none
        spilled = self.spilled_rows(state, rows)
        samples = spilled.take(counts.first)
        reasons: dict[int, str] = {}
        for k, pair in enumerate(counts.pairs.tolist()):
            others = int(counts.others[k])
            if others >= 0:
                reasons[pair] = f"other pages of the outlet show other bylines on {others}"
            else:
                sample = samples.iloc[k]
                why = _not_a_person(str(sample["evidence"]), sample["outlet"], sample["site"])
                if why:
                    reasons[pair] = why
        if not reasons:
            return none
        flagged = np.fromiter(reasons, dtype=np.int64)
        wanted = np.isin(counts.pair_of, flagged)
        at = counts.stated[wanted]
        pair = counts.pair_of[wanted]
        slot = np.searchsorted(counts.pairs, pair)
        hits = spilled.take(at)
        evidence = hits["evidence"].astype("str")
        names = hits["outlet"].where(hits["outlet"].notna(), hits["site"]).astype("str")
        messages = [
            f"metadata author '{value}' ({source}) is on {k} of {n} pages of {name}: "
            f"a site constant, not this page's byline ({reasons[p]})"
            for value, source, k, n, name, p in zip(
                evidence.tolist(),
                hits["source"].astype("str").tolist(),
                counts.stated_pages[slot].tolist(),
                counts.outlet_pages[slot].tolist(),
                names.tolist(),
                pair.tolist(),
                strict=True,
            )
        ]
        found = pd.DataFrame(
            {
                "record_id": hits["record_id"].to_numpy(),
                "source_path": hits["source_path"].to_numpy(),
                "line": hits["line"].to_numpy(),
                "outlet": hits["outlet"].to_numpy(),
                "field": "byline",
                "evidence": evidence.to_numpy(),
                "start": np.zeros(len(hits), dtype="int64"),
                "end": evidence.str.len().to_numpy(dtype="int64"),
                "message": messages,
            }
        )
        return found, at


@dataclass(frozen=True)
class _Counts:
    """The candidate values of a state: (outlet, byline key) pairs bylined from
    metadata on enough of the outlet's pages."""

    #: Candidate pair ids, ascending; per candidate its first state row, the pages it
    #: bylines, the outlet's pages, and the pages showing someone else's byline where
    #: they contradict it (else -1).
    pairs: np.ndarray
    first: np.ndarray
    stated_pages: np.ndarray
    outlet_pages: np.ndarray
    others: np.ndarray
    #: Every page bylined from metadata: its state row and its pair id.
    stated: np.ndarray
    pair_of: np.ndarray


def _count(state: pd.DataFrame, options: SiteConstantOptions) -> _Counts | None:
    kind = state["kind"].to_numpy()
    n = state["n"].to_numpy(dtype=np.int64)
    key = state["key"].to_numpy(dtype=np.uint64)
    # Codes from 0; a missing outlet (code -1) is one outlet of its own.
    owner = _codes(state["group"]) + 1
    groups = int(owner.max(initial=0)) + 1
    pages = np.bincount(owner[kind == PAGES], weights=n[kind == PAGES], minlength=groups)
    stated = np.flatnonzero(kind == STATED)
    if not len(stated):
        return None
    frame = pd.DataFrame({"g": owner[stated], "key": key[stated]})
    pair_of = frame.groupby(["g", "key"], sort=False).ngroup().to_numpy(dtype=np.int64)
    _, first_at = np.unique(pair_of, return_index=True)
    on = np.bincount(pair_of)
    pair_group = owner[stated][first_at]
    pair_key = key[stated][first_at]
    credited = np.bincount(owner[stated], minlength=groups)
    needed = np.maximum(
        options.min_pages, np.ceil(options.min_share * credited[pair_group]).astype(np.int64)
    )
    pairs = np.flatnonzero(on >= needed)
    if not len(pairs):
        return None
    seen = kind == VISIBLE
    shown = np.bincount(owner[seen], weights=n[seen], minlength=groups).astype(np.int64)
    per_value = (
        pd.DataFrame({"g": owner[seen], "key": key[seen], "n": n[seen]})
        .groupby(["g", "key"])["n"]
        .sum()
    )
    index = pd.MultiIndex.from_arrays([pair_group[pairs], pair_key[pairs]], names=["g", "key"])
    itself = per_value.reindex(index, fill_value=0).to_numpy(dtype=np.int64)
    others = shown[pair_group[pairs]] - itself
    contradicted = (others >= options.min_contradicting) & (others > itself)
    return _Counts(
        pairs=pairs,
        first=stated[first_at[pairs]],
        stated_pages=on[pairs],
        outlet_pages=pages[pair_group[pairs]].astype(np.int64),
        others=np.where(contradicted, others, -1),
        stated=stated,
        pair_of=pair_of,
    )


def _codes(values: pd.Series) -> np.ndarray:
    """Integer codes, equal for equal values; missing values are -1 (codes: as is)."""
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.to_numpy(dtype=np.int64)
    return np.asarray(pd.factorize(values)[0], dtype=np.int64)


@lru_cache(maxsize=1)
def _accounts() -> re.Pattern[str]:
    return re.compile(words("site_constant.accounts"), PYTHON_FLAGS)


def _not_a_person(value: str, outlet: object, site: object) -> str:
    """Why ``value`` names no person ("" if it may): a role or account word, or the
    outlet's own name. A full name opening with a known given name is a person, even
    where it spells the host (a one-person site's owner)."""
    if len(value.split()) >= 2 and known_given_name(value):
        return ""
    if _accounts().search(value.casefold()):
        return "a role or account, not a person"
    names = {fold(str(o)) for o in (outlet, site) if isinstance(o, str) and o}
    labels = frozenset().union(*(labels_of(str(s)) for s in (site,) if isinstance(s, str)))
    if fold(value) in names or is_site_name(value, labels | names):
        return "the outlet's own name"
    return ""


def _owners(articles: pd.DataFrame) -> np.ndarray:
    """Each article's outlet, case folded; else its URL's host; else ""."""
    owners: np.ndarray = outlet_groups(articles).to_numpy(dtype=object)
    return owners


def _keys(bylines: pd.Series, wanted: np.ndarray) -> np.ndarray:
    """A 64-bit key of each wanted byline, folded (case, accents, punctuation); 0 else.

    Folded once per distinct value: a chunk's bylines repeat."""
    keys = np.zeros(len(bylines), dtype=np.uint64)
    at = np.flatnonzero(wanted)
    if not len(at):
        return keys
    codes, distinct = pd.factorize(bylines.to_numpy(dtype=object)[at])
    folded = np.asarray([fold(str(v)) or str(v) for v in distinct], dtype=object)
    keys[at] = pd.util.hash_array(folded)[codes]
    return keys


def _rows(groups: np.ndarray, key: object, kind: int, n: np.ndarray) -> pd.DataFrame:
    """Count rows: an outlet's pages, or a visible byline's pages, in one chunk."""
    size = len(groups)
    none = np.full(size, None, dtype=object)
    return pd.DataFrame(
        {
            "group": groups,
            "key": np.broadcast_to(np.asarray(key, dtype=np.uint64), (size,)).copy(),
            "kind": np.full(size, kind, dtype=np.int8),
            "n": np.asarray(n, dtype=np.int32),
            "record_id": none,
            "source_path": none,
            "line": none,
            "outlet": none,
            "site": none,
            "evidence": none,
            "source": none,
        }
    )
