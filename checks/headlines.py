"""Other articles' headlines in a body, across the dump: a line that is another
record's title, beside the lines that read as headlines on their own (read-also
blocks, closing headline lists and teaser cards: ``_headline_lines``, ``_cards``)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.checks.api import GlobalCheck, Rows, no_global_hits
from corpus_qa.checks.builtin import _cards as cards
from corpus_qa.checks.builtin import _headline_lines as headline_lines
from corpus_qa.checks.builtin import _sitetext as sitetext
from corpus_qa.checks.builtin._outlets import outlet_groups
from corpus_qa.model import Severity
from corpus_qa.text.keys import arrow_strings, line_keys
from corpus_qa.text.lines import body_lines

_HEADLINE_CHARS = headline_lines.HEADLINE_CHARS
_EVIDENCE_CHARS = 160
#: A site name after a title: "Title | Site", "Title - Site".
_SITE_SUFFIX = r"\s+[|–—-]\s+[^|–—]{1,60}$"
#: What every such suffix holds (RE2's ``\s``, as in the suffix).
_SEPARATOR = r"\s[|–—-]\s"
#: What the state's ``kind`` says of a row.
_TITLE, _LINE, _FOUND = 0, 1, 2


def _outlets(articles: pd.DataFrame) -> pd.Series:
    outlets: pd.Series = outlet_groups(articles).reset_index(drop=True)
    return outlets


class ForeignHeadline(GlobalCheck):
    """Headlines of other articles inside a body.

    What it catches
    ---------------
    A body line that is, once normalized (case folded, whitespace collapsed, a
    trailing "| Site" dropped), the title of another record of the same outlet in
    the dump; and read-also blocks: a lead-in of the ``site_text.read_also`` lexicon
    ("READ MORE:", "Lesen Sie auch", "Les også", "Schon gelesen?") standing as a line
    and the headline-like lines (short, no final stop), dates and teasers that follow
    it, or leading a headline on one line ("READ MORE: <headline>"). Dated teaser
    lines, a related-articles list's cards: a line opening with a date glued to its
    text ("26.09.2019Komoot ist ...") or set off by a bar or a bullet ("12 May 2021 |
    Headline"), two such lines together or one closing the body, and headlines led
    by a relative date with a count ("vor 3 Stunden Hochwasser an der Elbe"), two
    together. Months are the ``date_months`` lexicon's, relative dates
    ``dates.relative``'s. A chronology ("12. Mai 2021: Der Bundestag ...",
    "02.11.2022 - Konzert") sets its dates off with a colon or a dash and is left
    alone; so is one glued date line inside the article. Scope: global
    (titles are compared across the dump); per body line it keeps a 64-bit key, the
    rest waits on disk until the hits are known.

    Why it matters
    --------------
    Related-article blocks put other stories' words into this one: duplicate
    detection, topic models and summaries trained on the dump see text the article
    never had, and the extractor did not find the article's end.

    Example
    -------
    ``... the council said.`` / ``READ MORE: Mayor quits after budget row`` /
    ``Schon gelesen?`` / ``Luftwaffe hat mit dem Training auf den H145 begonnen``

    How to fix the scraper
    ----------------------
    Stop the body at the first related-articles, "read more" or teaser block, and
    drop inline "READ MORE:" links (a paragraph that is only a link to another
    article).
    """

    id: ClassVar[str] = "boilerplate.foreign_headline"
    name: ClassVar[str] = "Another article's headline in the body"
    severity: ClassVar[Severity] = "warning"
    #: Read back only for the hits: kept on disk, not in memory.
    spilled: ClassVar[tuple[str, ...]] = (
        "record_id",
        "source_path",
        "line",
        "outlet",
        "evidence",
        "offset",
        "stop",
        "reason",
    )
    #: Compared only: kept in memory as integer codes.
    encoded: ClassVar[tuple[str, ...]] = ("group", "record_id")
    #: Titles meet body lines by outlet and key: a cluster partitions the state by both.
    partition_by: ClassVar[str | tuple[str, ...] | None] = ("group", "key")
    #: A line may close a read-also block and a trailing headline list at once.
    unique_hits: ClassVar[tuple[str, ...]] = ("record_id", "start")

    def prepare(self) -> None:
        table = sitetext.entries(sitetext.ALL_CLASSES)
        sitetext.prepare(table)
        # Compiled once before the workers fork, not in each of them.
        headline_lines.label_pattern(table)

    def observe(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        articles = articles.reset_index(drop=True)
        owner = _outlets(articles)
        parts = [self._titles(articles), self._lines(articles), self._runs(articles)]
        filled = [part for part in parts if len(part)]
        frame = pd.concat(filled, ignore_index=True) if filled else parts[0]
        rows = frame.pop("row").to_numpy(dtype=np.int64)
        take = pa.array(rows)
        return pd.DataFrame(
            {
                "kind": frame["kind"].to_numpy(dtype=np.int8),
                "key": frame["key"].to_numpy(dtype=np.uint64),
                "group": pd.Series(pa.array(owner.astype("str")).take(take), dtype="str"),
                "record_id": pd.Series(
                    pa.array(articles["record_id"].astype("str")).take(take), dtype="str"
                ),
                "source_path": pd.Series(
                    pa.array(articles["source_path"].astype("str")).take(take), dtype="str"
                ),
                "line": articles["line_start"].to_numpy(dtype="int64")[rows],
                "outlet": pd.Series(
                    pa.array(articles["outlet"].astype("str")).take(take), dtype="str"
                ),
                "evidence": frame["evidence"].astype("str"),
                "offset": frame["offset"].to_numpy(dtype=np.int64),
                "stop": frame["stop"].to_numpy(dtype=np.int64),
                "reason": frame["reason"].astype("str"),
            }
        )

    def _titles(self, articles: pd.DataFrame) -> pd.DataFrame:
        titles = arrow_strings(articles["title"].astype("str").fillna(""))
        # A suffix needs a separator between spaces: only titles holding one are
        # rewritten (the rewrite, anchored at the end, tries every position).
        sep = np.flatnonzero(np.asarray(pc.match_substring_regex(titles, _SEPARATOR), bool))
        held = titles.take(pa.array(sep))
        bare = pc.replace_substring_regex(held, _SITE_SUFFIX, "")
        # Only the titles that lost a site suffix get a second key: the others' would
        # repeat their first, and finalize matches (outlet, record, key) sets.
        lost = np.flatnonzero(np.asarray(pc.not_equal(held, bare), dtype=bool))
        cut = sep[lost]
        # Keyed as body lines are (line_keys), which _lines matches them with.
        keep, keys = line_keys(
            pa.concat_arrays([titles, bare.take(pa.array(lost))]), _HEADLINE_CHARS[0]
        )
        rows = np.concatenate([np.arange(len(titles), dtype=np.int64), cut])[keep]
        return _frame(rows, _TITLE, keys, None, 0, 0, "")

    def _lines(self, articles: pd.DataFrame) -> pd.DataFrame:
        # The chunk's one line split, shared with boilerplate.recurring.
        found = body_lines(articles["body"], _HEADLINE_CHARS[0], _EVIDENCE_CHARS + 1)
        evidence = found.evidence
        # Most lines are paragraphs, longer than a headline: only the rest are read
        # for a final stop. The split gives each line's length as written (the
        # evidence is one character longer than a headline, so it is the whole line).
        pick = np.flatnonzero(found.end - found.start <= _HEADLINE_CHARS[1])
        stops = pc.match_substring_regex(evidence.take(pa.array(pick)), r"[.,;]\s*$")
        pick = pick[~np.asarray(stops.fill_null(False), dtype=bool)]
        short = np.zeros(len(found.row), dtype=bool)
        short[pick] = True
        lines = _frame(
            found.row[pick],
            _LINE,
            found.keys[pick],
            evidence.take(pa.array(pick)),
            found.start[pick],
            found.end[pick],
            "line is the headline of another article of this outlet",
        )
        tails = headline_lines.trailing_runs(found.row, short)
        if not len(tails):
            return lines
        texts = evidence.take(pa.array(tails)).to_pylist()
        # Title case or a Markdown link: a list of headlines, not the article's last
        # short paragraphs or a fact box.
        keep = [i for i, text in enumerate(texts) if headline_lines.listed_headline(text)]
        runs = headline_lines.whole_runs(found.row[tails], keep)
        if not len(runs):
            return lines
        at = tails[runs]
        trailing = _frame(
            found.row[at],
            _FOUND,
            np.zeros(len(at), dtype=np.uint64),
            evidence.take(pa.array(at)),
            found.start[at],
            found.end[at],
            "headline-like line in a list after the article's end",
        )
        return pd.concat([lines, trailing], ignore_index=True)

    def _runs(self, articles: pd.DataFrame) -> pd.DataFrame:
        # The table boilerplate.leak screens the chunk's bodies for: screened once.
        table = sitetext.entries(sitetext.ALL_CLASSES)
        wanted = {i for i, e in enumerate(table) if e.site_class == "read_also"}
        label = headline_lines.label_pattern(table)
        bodies = articles["body"]
        rows: list[int] = []
        spans: list[tuple[int, int, str]] = []
        screened = sitetext.candidates(bodies, table)
        held = sitetext.values_at(
            bodies, sorted(r for r, owned in screened.items() if owned & wanted)
        )
        for row, text in held.items():
            if isinstance(text, str):
                for span in headline_lines.lead_in_runs(text, label):
                    rows.append(row)
                    spans.append(span)
        for hit in cards.find_teasers(bodies):
            rows.append(hit.row)
            spans.append((hit.start, hit.end, "dated teaser line (another article's card)"))
        found = sitetext.values_at(bodies, sorted(set(rows)))
        texts = [str(found[r])[s:e] for r, (s, e, _) in zip(rows, spans, strict=True)]
        return _frame(
            np.asarray(rows, dtype=np.int64),
            _FOUND,
            np.zeros(len(rows), dtype=np.uint64),
            pa.array([t[:_EVIDENCE_CHARS] for t in texts], pa.large_string()),
            np.asarray([s for s, _, _ in spans], dtype=np.int64),
            np.asarray([e for _, e, _ in spans], dtype=np.int64),
            [reason for _, _, reason in spans],
        )

    def finalize(self, state: pd.DataFrame, rows: Rows | None = None) -> pd.DataFrame:
        return self.finalize_rows(state, rows)[0]

    def finalize_rows(
        self, state: pd.DataFrame, rows: Rows | None = None
    ) -> tuple[pd.DataFrame, np.ndarray | None]:
        """The hits and each one's state row: a record's hits are not together in
        state row order (its title rows, line rows and read-also rows are apart)."""
        none = np.zeros(0, dtype=np.int64)
        if state.empty:
            return no_global_hits(), none
        kind = state["kind"].to_numpy()
        hits = np.flatnonzero(kind == _FOUND)
        hits = np.union1d(hits, _title_lines(state, kind))
        if not len(hits):
            return no_global_hits(), none
        found = self.spilled_rows(state, rows).take(hits)
        # A line may close a read-also block and a trailing headline list at once.
        first = ~found.duplicated(["record_id", "offset"]).to_numpy()
        found = found[first].reset_index(drop=True)
        return pd.DataFrame(
            {
                "record_id": found["record_id"].to_numpy(),
                "source_path": found["source_path"].to_numpy(),
                "line": found["line"].to_numpy(),
                "outlet": found["outlet"].to_numpy(),
                "field": "body",
                "evidence": found["evidence"].to_numpy(),
                "start": found["offset"].to_numpy(),
                "end": found["stop"].to_numpy(),
                "message": found["reason"].to_numpy(),
            }
        ), hits[first]


def _title_lines(state: pd.DataFrame, kind: np.ndarray) -> np.ndarray:
    """Rows of body lines whose (outlet, key) is the title of another record."""
    # Keys first, and a frame only of the lines keyed like a title and the titles keyed
    # like such a line: a few rows, not three wide columns of the whole state.
    key = state["key"].to_numpy()
    title_rows = np.flatnonzero(kind == _TITLE)
    line_rows = np.flatnonzero(kind == _LINE)
    line_rows = line_rows[pd.Series(key[line_rows]).isin(key[title_rows]).to_numpy()]
    if not len(line_rows):
        return np.zeros(0, dtype=np.int64)
    title_rows = title_rows[pd.Series(key[title_rows]).isin(key[line_rows]).to_numpy()]

    # Coded together: strings (a state not yet encoded) get one code book for both.
    rows = np.concatenate([title_rows, line_rows])
    frame = pd.DataFrame(
        {
            "group": _codes(state["group"].iloc[rows]),
            "record": _codes(state["record_id"].iloc[rows]),
            "key": key[rows],
        },
        index=rows,
    )
    titles = frame.iloc[: len(title_rows)].drop_duplicates()
    lines = frame.iloc[len(title_rows) :]
    joined = lines.reset_index().merge(titles, on=["group", "key"], suffixes=("", "_title"))
    other = joined[(joined["record"] != joined["record_title"]) & (joined["group"] >= 0)]
    return np.unique(other["index"].to_numpy(dtype=np.int64))


def _codes(values: pd.Series) -> np.ndarray:
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.to_numpy(dtype=np.int64)
    return np.asarray(pd.factorize(values)[0], dtype=np.int64)


def _frame(
    rows: np.ndarray,
    kind: int,
    keys: np.ndarray,
    evidence: pa.Array | None,
    offset: np.ndarray | int,
    stop: np.ndarray | int,
    reason: str | list[str],
) -> pd.DataFrame:
    n = len(rows)
    return pd.DataFrame(
        {
            "row": rows,
            "kind": np.full(n, kind, dtype=np.int8),
            "key": keys,
            # Arrow arrays handed over as they are: no Python string per row (a chunk's
            # titles are thousands of rows).
            "evidence": pd.array(
                pa.nulls(n, pa.large_string())
                if evidence is None
                else evidence.cast(pa.large_string()),
                dtype="str",
            ),
            "offset": np.broadcast_to(np.asarray(offset, dtype=np.int64), (n,)),
            "stop": np.broadcast_to(np.asarray(stop, dtype=np.int64), (n,)),
            "reason": pd.array(
                pa.repeat(pa.scalar(reason, pa.large_string()), n)
                if isinstance(reason, str)
                else reason,
                dtype="str",
            ),
        }
    )
