"""Bylines that hold page debris instead of (or beside) the author's name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.checks.api import Check, hits
from corpus_qa.checks.options import CheckOptions
from corpus_qa.lexicons import alternation, phrases
from corpus_qa.model import Severity
from corpus_qa.parse.bylines.names import known_given_name

# Token kinds, each a named group; every pattern means the same in RE2 and in
# Python's ``re`` with re.ASCII (ASCII \b on both sides).
_KINDS: dict[str, str] = {
    "url": r"(?:https?://|www\.)[^\s,;|]+",
    "email": r"[A-Za-z0-9._%+-]+(?:@|\[at\]|\(at\))[A-Za-z0-9-]+\.[A-Za-z0-9.-]+",
    # A host name: labels joined by dots, ending in a lower-case top-level domain or
    # an upper-case one of two or three letters ("GIGA.DE"). Initials ("J. R.") and
    # "e.V." have one-letter labels and do not match.
    "domain": (r"\b[A-Za-z0-9][A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:[a-z]{2,6}|[A-Z]{2,3})\b"),
    "handle": r"@[A-Za-z0-9_]{2,}|\b[a-z0-9]+[._][a-z0-9]+(?:[._][a-z0-9]+)*\b",
    # A URL slug: lower-case words joined by hyphens ("thomas-beaumont"); a name's
    # particle is capitalised after its hyphen ("al-Assad") and does not match.
    "slug": r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b",
    "date": (
        r"\b(?:19|20)[0-9]{2}\b|\b[0-9]{1,2}:[0-9]{2}\b"
        r"|\b[0-9]{1,2}[./-][0-9]{1,2}[./-][0-9]{2,4}\b"
    ),
}
_WHAT = {
    "url": "a URL",
    "email": "an e-mail address",
    "domain": "a domain name",
    "handle": "a social handle or user name",
    "slug": "a URL slug",
    "date": "a date or time",
    "network": "a social network's name",
    "ui": "page UI text",
}
# Separators between the names of one byline.
_NAME_SEPARATORS = r";|,|&|\||\s(?:and|und|et|y|e|i|oraz|en|og|och)\s"
# A label before a colon ("Autor: Anna Weber", "Text und Foto: Anna Weber", "作者：张三")
# introduces the name.
_LABEL_COLON = re.compile(r"[^;,|:：]{0,20}[:：]")
# Around the host: a scheme (the last one: an archived page's own site, not
# web.archive.org) and "www.", and the path, port, query or fragment.
_BEFORE_HOST = r"^.*://(?:www[0-9]?\.)?"
_AFTER_HOST = r"[/:?#].*"
_SECOND_LEVEL_SET = pa.array(["co", "com", "org", "net", "ac", "gov", "or", "ne"])
# The name a site goes by: the label before the public suffix ("stol" in stol.it,
# "bbc" in bbc.co.uk) and the suffix, as "Stol It" is "stol.it" title-cased.


def _pattern() -> str:
    groups = [f"(?P<{kind}>{pattern})" for kind, pattern in _KINDS.items()]
    groups.append(f"(?P<network>(?i:{alternation('byline_junk.networks')}))")
    groups.append(f"(?P<ui>(?i:{alternation('byline_junk.ui')}))")
    return "|".join(groups)


def _agencies() -> frozenset[str]:
    """Wire agencies, normalised: an agency's name alone is a credit, not junk."""
    try:
        names: tuple[str, ...] = phrases("agencies")
    except KeyError:  # the parser's list, until it moves into the lexicon files
        from corpus_qa.parse.bylines.drafts import AGENCIES

        names = AGENCIES
    return frozenset(re.sub(r"[^a-z0-9]", "", n.lower()) for n in names)


def _strings(series: pd.Series) -> pa.Array:
    strings = pa.array(series.astype("str"))
    return strings.combine_chunks() if isinstance(strings, pa.ChunkedArray) else strings


def _letters(strings: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(pc.utf8_lower(strings), r"[^a-z0-9]+", "")


def _site_names(articles: pd.DataFrame, n: int) -> tuple[pa.Array, pa.Array]:
    """Per row, the site's name from its URL, letters and digits only: the label
    before the public suffix ("stol" of stol.it, "bbc" of bbc.co.uk) and that label
    with the suffix ("stolit", as "Stol It" is stol.it title-cased); null without one.

    Two RE2 replacements and a split: capturing the host with ``extract_regex``
    costs four times as much.
    """
    if "url" not in articles:
        empty = pa.nulls(n, pa.string())
        return empty, empty
    host = pc.replace_substring_regex(_strings(articles["url"]), _BEFORE_HOST, "")
    host = pc.utf8_lower(pc.replace_substring_regex(host, _AFTER_HOST, ""))
    parts = pc.split_pattern(host, ".")
    counts = np.asarray(pc.fill_null(pc.list_value_length(parts), 0), dtype=np.int64)
    flat = pc.list_flatten(parts)
    has_site = counts >= 2
    if not has_site.any():
        empty = pa.nulls(n, pa.string())
        return empty, empty
    ends = np.cumsum(counts)
    suffix_at = np.where(has_site, ends - 1, 0)
    label_at = np.where(has_site, ends - 2, 0)
    # "bbc.co.uk": the label before a second-level "co" names the site.
    second = np.asarray(pc.is_in(flat.take(pa.array(label_at)), value_set=_SECOND_LEVEL_SET))
    label_at = np.where(second & (counts >= 3), label_at - 1, label_at)
    valid = pa.array(has_site)
    label = pc.replace_substring(flat.take(pa.array(label_at)), "-", "")
    label = pc.if_else(valid, label, pa.scalar(None, label.type))
    tld = flat.take(pa.array(suffix_at))
    return label, pc.binary_join_element_wise(label, tld, pa.scalar("", label.type))


@dataclass(frozen=True)
class JunkOptions(CheckOptions):
    #: A byline listing more names than this is a reference list or a thread.
    max_names: int = 8
    #: Flag a byline that is the outlet's name and nothing else. Off by default:
    #: organisations, blogs and some newsrooms sign as themselves, so on its own the
    #: site's name is as often the right author as a fallback.
    outlet_alone: bool = False


class BylineJunk(Check):
    """The byline holds something that is not a name.

    What it catches
    ---------------
    Bylines holding a URL or domain (``www.facebook.com``, ``tagesschau.de``), an
    e-mail address, a social handle or network name (``@handle``, ``Twitter``,
    ``mailto``), a URL slug (``thomas-beaumont``), page UI text (``Share``,
    ``Follow``, ``Teilen``, ``Afficher mon profil complet``; lexicon table
    ``byline_junk``), a date or time, the outlet's own name beside the authors
    (``Badische Zeitung; Anna Weber`` on badische-zeitung.de; the site's domain
    even alone, ``Tagesschau De`` on tagesschau.de; the outlet's name alone only with
    the option ``outlet_alone``), or more names than ``max_names`` (option, default 8). The evidence is the offending token. Names
    with particles (van, de, al-) and wire agencies or desks (``Reuters``, ``AFP``,
    ``Redaktion``) are not junk; a label before a colon (``Autor: Anna Weber``) is
    not either.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    A byline of share buttons or the site's name passes a "byline present" test and
    then credits the wrong author: author statistics, source attribution and
    deduplication by author all inherit the debris. A byline that lists a dozen
    names has usually taken a reference list or a comment thread.

    Example
    -------
    ``"authors": ["Marco Kratzenberg", "www.facebook.com"]`` or ``"author":
    "Follow"``.

    How to fix the scraper
    ----------------------
    Take the author from ``rel="author"``, ``[itemprop=author] [itemprop=name]`` or
    JSON-LD ``author.name`` rather than the text of the byline box (which holds
    share and follow links); drop link texts and ``href`` values from author lists,
    and do not fall back to the site name when no author is found.
    """

    id: ClassVar[str] = "byline.junk"
    name: ClassVar[str] = "Junk in byline"
    severity: ClassVar[Severity] = "warning"
    Options = JunkOptions
    options: JunkOptions

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        max_names = self.options.max_names
        byline = articles["byline"].astype("str")
        strings = _strings(byline)
        pattern = _pattern()
        tokens = np.asarray(pc.fill_null(pc.match_substring_regex(strings, pattern), False))
        rows: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        messages: list[str] = []
        found = re.compile(pattern, re.ASCII)
        # Python only on the few bylines RE2 found a token in, for its kind and span.
        for row in np.flatnonzero(tokens).tolist():
            text = str(byline.iloc[row])
            for match in found.finditer(text):
                kind = match.lastgroup or "ui"
                if kind == "ui" and _LABEL_COLON.match(text, match.end()):
                    continue
                rows.append(row)
                starts.append(match.start())
                ends.append(match.end())
                messages.append(f"byline holds {_WHAT[kind]}: '{match.group(0)}'")
                break
        taken = np.zeros(len(byline), dtype=bool)
        taken[rows] = True
        for row, entry in self._outlet_entries(articles, strings):
            if taken[row]:
                continue
            text = str(byline.iloc[row])
            start = max(text.find(entry), 0)
            rows.append(row)
            starts.append(start)
            ends.append(start + len(entry))
            messages.append(f"byline names the outlet, not an author: '{entry}'")
            taken[row] = True
        names = pc.add(pc.count_substring_regex(strings, _NAME_SEPARATORS), 1)
        crowded = np.asarray(pc.fill_null(pc.greater(names, max_names), False)) & ~taken
        counts = np.asarray(pc.fill_null(names, 0))
        for row in np.flatnonzero(crowded).tolist():
            rows.append(row)
            starts.append(0)
            ends.append(len(str(byline.iloc[row])))
            messages.append(
                f"byline lists {counts[row]} names (more than {max_names}): "
                "a reference list or comment thread, not the authors"
            )
        return hits(rows, "byline", pd.Series(messages, dtype="str"), start=starts, end=ends)

    def _outlet_entries(self, articles: pd.DataFrame, strings: pa.Array) -> list[tuple[int, str]]:
        """(row, name) for each name of a byline that, letters and digits only, is the
        site's name ("Badische Zeitung" on badische-zeitung.de, "Stol It" on stol.it)."""
        entries = pc.split_pattern_regex(strings, _NAME_SEPARATORS)
        parents = np.asarray(pc.list_parent_indices(entries))
        flat = pc.utf8_trim_whitespace(pc.list_flatten(entries))
        letters = _letters(flat)
        label, with_suffix = _site_names(articles, len(strings))
        at = pa.array(parents)
        # The site's domain spelt as words ("Tagesschau De") is no name even alone.
        domain = np.asarray(
            pc.fill_null(pc.equal(letters, with_suffix.take(at).cast(letters.type)), False),
            dtype=bool,
        )
        same = pc.or_kleene(pc.equal(letters, label.take(at).cast(letters.type)), pa.array(domain))
        if "outlet" in articles:
            # Outlets repeat: their letters are worked out once per distinct value.
            coded = pc.dictionary_encode(_strings(articles["outlet"]))
            outlet = _letters(coded.dictionary).take(coded.indices)
            same = pc.or_kleene(same, pc.equal(letters, outlet.take(at).cast(letters.type)))
        match = np.asarray(pc.fill_null(same, False), dtype=bool)
        match &= np.asarray(pc.fill_null(pc.greater_equal(pc.utf8_length(letters), 3), False))
        agencies = pa.array(sorted(_agencies()), letters.type)
        match &= ~np.asarray(pc.fill_null(pc.is_in(letters, value_set=agencies), False))
        if not self.options.outlet_alone:
            per_byline = np.bincount(parents, minlength=len(strings))
            match &= (per_byline[parents] > 1) | domain
        found: list[tuple[int, str]] = []
        for i in np.flatnonzero(match).tolist():
            entry = str(flat[i].as_py())
            # A personal site named after its author ("Wolfgang Michal" on
            # wolfgangmichal.de): the name opens with a given name.
            if not known_given_name(entry):
                found.append((int(parents[i]), entry))
        return found
