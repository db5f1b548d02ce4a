r"""The check framework: what a check author writes, and the helpers they write it with.

A check only *detects*. It receives a chunk's articles and images tables and returns
:data:`Hits` (row, field, span, message); the engine turns hits into findings (adding
record id, file, line and the exact evidence text), applies the policy's exemptions,
counts and gates. A check never reads files, and never loops over rows in Python where
a vectorized form exists.

Two scopes:

* ``record``: :meth:`Check.run` sees one chunk at a time; its findings depend on that
  record alone.
* ``global``: needs the whole dump (duplicates, lines recurring across pages).
  :meth:`GlobalCheck.observe` returns a small state frame per chunk, and
  :meth:`GlobalCheck.finalize` sees all states at once. States are plain frames so they
  can cross process and cluster boundaries. A check whose candidates need the texts
  again (near-duplicates) is a :class:`ConfirmingGlobalCheck`: it names the articles
  it ``wanted`` and ``confirm``\ s its candidates on their re-read texts.

A check's settings are a frozen dataclass (:class:`~corpus_qa.checks.options.CheckOptions`)
named by its ``Options`` attribute: the policy loader validates the check's ``options``
table against it, and the check reads ``self.options.<name>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, Literal, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.checks.options import CheckOptions, parse_options
from corpus_qa.model import Severity
from corpus_qa.text.re2 import contains
from corpus_qa.text.screens import screen

Table = Literal["articles", "images"]
Scope = Literal["record", "global"]

#: Columns of the frame a global check's ``finalize`` returns (it no longer has rows).
GLOBAL_HIT_COLUMNS = (
    "record_id",
    "source_path",
    "line",
    "outlet",
    "field",
    "evidence",
    "start",
    "end",
    "message",
)
#: An article whose text a :class:`ConfirmingGlobalCheck` wants again: (file, first line).
TextKey = tuple[str, int]


class Check:
    """Base class of every check. Subclasses set the class attributes and ``run``.

    The class docstring is the check's documentation and must have the sections
    ``What it catches``, ``Why it matters``, ``Example`` and ``How to fix the scraper``:
    ``corpus-qa explain ID`` prints it and the reports show it.
    """

    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = "warning"
    #: The table whose rows ``run`` returns in ``Hits.row``.
    table: ClassVar[Table] = "articles"
    scope: ClassVar[Scope] = "record"
    #: The check's settings (the ``options`` table of the policy) and their defaults.
    Options: ClassVar[type[CheckOptions]] = CheckOptions
    #: This instance's settings; a subclass narrows the type to its ``Options``.
    options: CheckOptions

    def __init__(self, options: CheckOptions | Mapping[str, Any] | None = None) -> None:
        if options is None:
            options = self.Options()
        elif not isinstance(options, CheckOptions):
            options = parse_options(self.Options, options, where=f"{self.id}.options")
        if not isinstance(options, self.Options):
            raise TypeError(f"{self.id}: options must be {self.Options.__name__}")
        self.options = options

    def prepare(self) -> None:
        """Build what every chunk reads (a compiled table, patterns) ahead of the chunks.

        The run calls it once, in the main process before workers fork: they share
        what it built instead of each building, and holding, a copy of their own.
        """

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        """Return hits (see :func:`hits`) for this chunk."""
        raise NotImplementedError


class Rows(Protocol):
    """The spilled columns of a check's state, by row position in the whole state."""

    def take(self, rows: np.ndarray) -> pd.DataFrame: ...


class InMemory:
    """:class:`Rows` of a state that still holds its spilled columns."""

    def __init__(self, state: pd.DataFrame, columns: Sequence[str]) -> None:
        self._state = state.reset_index(drop=True)
        self._columns = list(columns)

    def take(self, rows: np.ndarray) -> pd.DataFrame:
        return (
            self._state[self._columns].iloc[np.asarray(rows, dtype=np.int64)].reset_index(drop=True)
        )


class GlobalCheck(Check):
    """A check over the whole dump, computed from per-chunk states.

    The run never calls ``finalize`` on an empty state: the check then has no findings.
    """

    scope: ClassVar[Scope] = "global"
    #: State columns ``finalize`` reads only for the rows it reports (file, line,
    #: evidence...): kept on disk until then (:mod:`corpus_qa.checks.global_state`).
    spilled: ClassVar[tuple[str, ...]] = ()
    #: String columns only compared for equality (ids, outlets): ``int32`` codes in memory.
    encoded: ClassVar[tuple[str, ...]] = ()
    #: A state column (or several) such that ``finalize`` relates only rows with the
    #: same values in it, and reports in state row order (rows of one ``source_path``
    #: and ``line`` together, unless :meth:`finalize_rows` names each hit's row). On a
    #: cluster the state is then partitioned by its hash across the workers and
    #: finalized partition by partition (:mod:`corpus_qa.run.shuffle`): the client
    #: never holds it. ``None``: finalized whole, where the states meet.
    partition_by: ClassVar[str | tuple[str, ...] | None] = None
    #: Hit columns that identify a finding: of hits equal in them, ``finalize`` keeps
    #: the first in state row order, and so does the merge of a cluster's partitions.
    unique_hits: ClassVar[tuple[str, ...]] = ()

    def observe(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        """Return this chunk's state: a small frame, concatenated across chunks."""
        raise NotImplementedError

    def finalize(self, state: pd.DataFrame, rows: Rows | None = None) -> pd.DataFrame:
        """Return findings-shaped hits (:data:`GLOBAL_HIT_COLUMNS`) from all states.

        ``rows`` gives the :attr:`spilled` columns by state row; the run always passes
        it. ``None`` (a state built whole, as in tests): the state holds them itself.
        """
        raise NotImplementedError

    def finalize_rows(
        self, state: pd.DataFrame, rows: Rows | None = None
    ) -> tuple[pd.DataFrame, np.ndarray | None]:
        """:meth:`finalize`'s hits and, per hit, the state row it reports (``None``:
        hits come in state row order by ``source_path`` and ``line``).

        A cluster merges its partitions' findings by these rows, so a check whose
        hits of one place are not together in state row order overrides this.
        """
        return self.finalize(state, rows), None

    def spilled_rows(self, state: pd.DataFrame, rows: Rows | None) -> Rows:
        """``rows``, or the state's own spilled columns when ``rows`` is ``None``."""
        return rows if rows is not None else InMemory(state, self.spilled)


class ConfirmingGlobalCheck(GlobalCheck):
    """A global check whose candidates are confirmed on the articles' texts, re-read.

    States keep no text; after the last chunk :meth:`wanted` names the few articles
    the candidates need, the run re-reads just those, and :meth:`confirm` returns the
    hits. ``finalize`` is not used.
    """

    def wanted(self, state: pd.DataFrame, rows: Rows | None = None) -> set[TextKey]:
        """The (file, first line) of every article whose text :meth:`confirm` needs."""
        raise NotImplementedError

    def confirm(
        self, state: pd.DataFrame, texts: Mapping[TextKey, str], rows: Rows | None = None
    ) -> pd.DataFrame:
        """Hits as :meth:`GlobalCheck.finalize` returns them, given the wanted texts."""
        raise NotImplementedError

    def buckets(self, state: pd.DataFrame) -> np.ndarray | None:
        """``(rows, k)`` uint64 keys such that only rows sharing one can be candidates
        (LSH bands), or ``None``. With keys, a cluster partitions them by hash across
        its workers and sends the client only the rows that share a key with another
        (:mod:`corpus_qa.run.shuffle`): :meth:`wanted` must find the same candidates
        among those rows as in the whole state."""
        return None

    def finalize(self, state: pd.DataFrame, rows: Rows | None = None) -> pd.DataFrame:
        raise TypeError(f"{self.id} is finalized with wanted() and confirm(), given texts")


def no_global_hits() -> pd.DataFrame:
    """A global check's hits when it found nothing."""
    return pd.DataFrame({column: [] for column in GLOBAL_HIT_COLUMNS})


def hits(
    rows: np.ndarray | pd.Index | list[int],
    field: str | pd.Series | list[str],
    message: str | pd.Series,
    start: pd.Series | Sequence[int | None] | None = None,
    end: pd.Series | Sequence[int | None] | None = None,
) -> pd.DataFrame:
    """Build a hits frame: positional ``rows`` of the checked table and what was found."""
    row_values = np.asarray(rows, dtype="int64")
    n = len(row_values)

    def _column(value: object) -> list[Any]:
        if isinstance(value, pd.Series):
            return list(value.to_numpy())
        if isinstance(value, list | tuple):
            return list(value)
        return [value] * n

    none: list[Any] = [None] * n
    # Arrays, not Series: a check returns hits once per chunk, and four Series cost
    # more than the frame for the few rows a clean chunk has.
    return pd.DataFrame(
        {
            "row": row_values,
            "field": pd.array(_column(field), dtype="str"),
            "start": pd.array(_column(start) if start is not None else none, dtype="Int64"),
            "end": pd.array(_column(end) if end is not None else none, dtype="Int64"),
            "message": pd.array(_column(message), dtype="str"),
        }
    )


def no_hits() -> pd.DataFrame:
    return hits([], "", "")


def find_spans(
    series: pd.Series,
    pattern: str,
    *,
    prefilter: str | Sequence[str] | None = None,
    flags: int = 0,
    finditer: Callable[[str], Iterable[re.Match[str]]] | None = None,
) -> pd.DataFrame:
    """Every match of ``pattern`` in a string column, as rows with character spans.

    The column is first narrowed with a vectorized test (Arrow's RE2 on pandas' Arrow
    strings): ``prefilter`` as a literal substring when given (or several: every match
    holds one of them), else ``pattern`` itself.
    Only the few rows that pass run Python's ``re.finditer`` to get exact spans, so the
    cost on a clean chunk is one vectorized scan. ``pattern`` must mean the same in RE2
    and in Python's ``re`` (no lookaround, no backreferences). ``finditer``, when given,
    must yield exactly what ``re.compile(pattern, flags).finditer`` does, only faster;
    with a ``prefilter`` it then replaces the scan with ``pattern``.

    Returns a frame with ``row`` (positional), ``start``, ``end`` and ``match``.
    """
    values = series.reset_index(drop=True)
    if prefilter is not None:
        if isinstance(prefilter, str):
            maybe = contains_literal(values, prefilter).to_numpy(dtype=bool)
        else:
            maybe = screen(values, prefilter)
        candidates = np.flatnonzero(maybe)
        # A given finditer jumps to where a match can start, so it is cheaper on the
        # few prefiltered values than pandas preparing another RE2 scan of them.
        if len(candidates) and finditer is None:
            narrowed = values.iloc[candidates]
            matched = narrowed.str.contains(pattern, regex=True, flags=flags, na=False)
            candidates = candidates[matched.to_numpy(dtype=bool)]
    else:
        matched = values.str.contains(pattern, regex=True, flags=flags, na=False)
        candidates = np.flatnonzero(matched.to_numpy(dtype=bool))
    find = re.compile(pattern, flags).finditer if finditer is None else finditer
    return spans_in(values, candidates, find)


def literal_spans(series: pd.Series, pattern: str) -> pd.DataFrame:
    """:func:`find_spans` for an alternation of literals, which both engines read alike.

    One RE2 pass yields each value's first match; the leftmost match starts where that
    literal first occurs, and Python's ``re`` runs only from there. Leaked phrases sit
    at the end of long bodies: scanning them whole in Python costs many times as much.
    """
    values = series.reset_index(drop=True)
    strings = pa.array(values.astype("str"))
    first = pc.struct_field(pc.extract_regex(strings, f"(?P<m>{pattern})"), "m")
    rows = np.flatnonzero(np.asarray(pc.is_valid(first), dtype=bool))
    find = re.compile(pattern).finditer
    texts = values.iloc[rows].tolist()
    firsts = first.take(pa.array(rows)).to_pylist()
    return _spans(rows, (find(t, t.find(m)) for t, m in zip(texts, firsts, strict=True)))


def spans_in(
    values: pd.Series, rows: np.ndarray, finditer: Callable[[str], Iterable[re.Match[str]]]
) -> pd.DataFrame:
    """The non-empty matches ``finditer`` yields in the values at positions ``rows``,
    shaped as :func:`find_spans` returns them."""
    return _spans(rows, (finditer(str(text)) for text in values.iloc[rows].tolist()))


def _spans(rows: np.ndarray, found: Iterable[Iterable[re.Match[str]]]) -> pd.DataFrame:
    starts: list[int] = []
    ends: list[int] = []
    matches: list[str] = []
    hit_rows: list[int] = []
    for row, matched in zip(rows.tolist(), found, strict=True):
        for match in matched:
            if match.end() == match.start():
                continue
            hit_rows.append(row)
            starts.append(match.start())
            ends.append(match.end())
            matches.append(match.group(0))
    return pd.DataFrame(
        {
            "row": np.asarray(hit_rows, dtype="int64"),
            "start": np.asarray(starts, dtype="int64"),
            "end": np.asarray(ends, dtype="int64"),
            "match": pd.array(matches, dtype="str"),
        }
    )


def led_finditer(
    pattern: re.Pattern[str], leads: Sequence[str]
) -> Callable[[str], Iterator[re.Match[str]]]:
    """``pattern.finditer``, tried only where one of ``leads`` starts.

    Every match of ``pattern`` must start with one of ``leads`` (non-empty) and must
    not look behind its start. Python's ``re`` would try every position of a body.
    """

    def finditer(text: str) -> Iterator[re.Match[str]]:
        done = 0
        while True:
            found = [at for at in (text.find(lead, done) for lead in leads) if at >= 0]
            if not found:
                return
            at = min(found)
            match = pattern.match(text, at)
            if match is None:
                done = at + 1
            else:
                yield match
                done = max(match.end(), at + 1)

    return finditer


def contains_literal(series: pd.Series, literal: str) -> pd.Series:
    """Whether each value contains ``literal`` (missing: False), as a boolean Series.

    Arrow's plain substring search (``str.contains(regex=False)``) is much slower
    than RE2 given the same literal quoted, so the literal goes to RE2.
    """
    if "\\E" in literal:  # cannot be quoted in \Q...\E
        return series.str.contains(literal, regex=False, na=False).astype(bool)
    return pd.Series(contains(series, "\\Q" + literal + "\\E"), index=series.index)
