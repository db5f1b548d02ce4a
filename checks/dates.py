"""Publication dates: relative or absent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa

from corpus_qa.checks.api import Check, hits
from corpus_qa.checks.builtin._date_words import parse_written, relative_pattern
from corpus_qa.checks.options import CheckOptions
from corpus_qa.model import Severity
from corpus_qa.text.chunk_caches import per_chunk
from corpus_qa.text.re2 import contains, extract


class DateRelative(Check):
    """Only a relative date was scraped ("21 minutes ago").

    What it catches
    ---------------
    Articles whose scraped date is relative to the moment of scraping: "21 minutes
    ago", "vor 3 Stunden", "hace 2 horas", "il y a 2 heures", "3小时前", "3시간 전",
    "yesterday", "gestern". The words are the lexicon table ``dates.relative`` of every
    language (templates with a count and a unit, and standalone words).

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    A relative date is only true at the instant it was scraped. Without the scrape
    time it cannot be turned into a date; with it, only to within the unit shown
    ("4 hours ago" is 4 to 5 hours). Time-based analysis, freshness filters and
    deduplication by date all go wrong.

    Example
    -------
    ``The Daily Example`` / ``21 minutes ago`` / ``- The Daily Example`` above a teaser.

    How to fix the scraper
    ----------------------
    Read the machine-readable date: ``<time datetime>``, ``article:published_time``
    or JSON-LD ``datePublished``, or follow the teaser to the article page. At the
    very least, store the scrape timestamp so the date can be resolved.
    """

    id: ClassVar[str] = "date.relative"
    name: ClassVar[str] = "Relative date only"
    severity: ClassVar[Severity] = "warning"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        raw = articles["published_raw"].astype("str")
        rows = np.flatnonzero(_relative(raw))
        return hits(
            rows,
            "published_raw",
            "relative date only: '" + raw.iloc[rows] + "' cannot be dated without the scrape time",
            start=[0] * len(rows),
            end=raw.iloc[rows].str.len().tolist(),
        )


class DateMissing(Check):
    """No publication date at all.

    What it catches
    ---------------
    Articles with neither a scraped date string nor a resolved publication time.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    Undated news cannot be ordered, filtered by freshness or matched to events;
    a date that disappears across a whole outlet is a template break.

    Example
    -------
    A wire story whose page shows the date in a header the scraper does not read:
    the record has a title and a body, and ``published`` is empty.

    How to fix the scraper
    ----------------------
    Take the date from ``<time datetime>``, ``article:published_time``, JSON-LD
    ``datePublished`` or the URL's date path, in that order.
    """

    id: ClassVar[str] = "date.missing"
    name: ClassVar[str] = "Missing date"
    severity: ClassVar[Severity] = "warning"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        raw = articles["published_raw"].astype("str")
        missing = (raw.isna() | (raw.str.strip() == "")) & articles["published"].isna()
        rows = np.flatnonzero(missing.to_numpy())
        return hits(rows, "published_raw", "no publication date found")


#: The relative-date mask of the last ``published_raw`` column: ``date.relative``,
#: ``.unparseable`` and ``.implausible`` all ask it of the same chunk, and each RE2
#: pass compiles the lexicon's pattern (thousands of characters) anew. Held with the
#: column, so its buffers (the identity) cannot be reused by another column meanwhile.
_RELATIVE: list[tuple[tuple[int, ...], pa.ChunkedArray, np.ndarray]] = per_chunk([])


def _relative(raw: pd.Series) -> np.ndarray:
    """Whether each value of ``raw`` holds a relative date (one RE2 pass a chunk)."""
    column = getattr(raw.array, "_pa_array", None)
    if not isinstance(column, pa.ChunkedArray):
        return contains(raw, relative_pattern())
    identity = tuple(
        value
        for chunk in column.chunks
        for value in (
            chunk.offset,
            len(chunk),
            *(0 if b is None else b.address for b in chunk.buffers()),
        )
    )
    for held, _, mask in _RELATIVE:
        if held == identity:
            return mask
    mask = contains(raw, relative_pattern())
    mask.flags.writeable = False
    _RELATIVE[:] = [(identity, column, mask)]
    return mask


def _blank(raw: pd.Series) -> np.ndarray:
    return (raw.isna() | (raw.str.strip() == "")).to_numpy(dtype=bool)


def _unparsed(articles: pd.DataFrame) -> tuple[pd.Series, np.ndarray]:
    """The raw dates and the rows whose non-blank, non-relative value the table's
    parser left without a date: the only ones :func:`parse_written` reads."""
    raw = articles["published_raw"].astype("str")
    todo = ~_blank(raw) & articles["published"].isna().to_numpy(dtype=bool)
    rows = np.flatnonzero(todo)
    relative = _relative(raw)[rows]
    return raw, rows[~relative]


class DateUnparseable(Check):
    """The scraped date is no date.

    What it catches
    ---------------
    A date value that cannot be read as a date: ``garbage-date``, ``2025-13-45``
    (no 13th month), a label or a headline where the date belongs. Before calling a
    value unparseable, written dates are read in every lexicon language (month names
    in the table ``date_months``: ``1 juillet 2025``, ``17. März 2024``, ``5 мая
    2024``), CJK dates (``2024年5月17日``, ``2024년 5월 17일``) and epoch integers
    (``1715904000``, seconds or milliseconds). Relative dates are ``date.relative``'s.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    An unreadable date is silently a missing date: the record drops out of every
    time-based selection, and nothing says so. A value such as ``2025-13-45`` also
    shows that the scraper assembled the date from the wrong parts of the page.

    Example
    -------
    ``{"title": "Budget approved", "date": "garbage-date", "text": "..."}``

    How to fix the scraper
    ----------------------
    Read the machine-readable date (``<time datetime>``, ``article:published_time``,
    JSON-LD ``datePublished``) and store it as ISO 8601; validate it when scraping
    and store nothing rather than a value that is no date.
    """

    id: ClassVar[str] = "date.unparseable"
    name: ClassVar[str] = "Unparseable date"
    severity: ClassVar[Severity] = "warning"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        raw, rows = _unparsed(articles)
        values = raw.iloc[rows].tolist()
        bad = [
            row for row, v in zip(rows.tolist(), values, strict=True) if parse_written(v) is None
        ]
        texts = raw.iloc[bad]
        return hits(
            bad,
            "published_raw",
            "not a date: '" + texts + "'",
            start=[0] * len(bad),
            end=texts.str.len().tolist(),
        )


# A date in the URL path, as most news sites write it: /2024/05/17/.
_URL_DATE = r"/(?P<y>(?:19|20)[0-9]{2})/(?P<m>0?[1-9]|1[0-2])/(?P<d>0?[1-9]|[12][0-9]|3[01])(?:/|$)"
_DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class ImplausibleOptions(CheckOptions):
    #: Dates before this day (ISO 8601) are placeholders or epoch zero.
    floor: str = "1990-01-01"
    #: The scrape time (ISO 8601); dates more than a day after it are implausible.
    #: None: the run's --reference-time, else the time the run started.
    reference_time: str | None = None


class DateImplausible(Check):
    """The publication date cannot be right.

    What it catches
    ---------------
    A date after the reference time (option ``reference_time``, ISO 8601; default:
    the run's ``--reference-time``, else the time the run started) by more than a day, a date before ``floor`` (option, default
    1990-01-01: an epoch of 0, a placeholder year), and a date more than a day away
    from the date in the article's URL path (``/2024/05/17/``). Dates
    ``date.unparseable`` reads in words count too.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    A wrong date is worse than none: the article is filed under the wrong day,
    freshness filters keep stale news or drop fresh news, and time series show
    events before they happened. Dates far from the URL's usually come from a
    related-article teaser, a comment or the page's "last modified" stamp.

    Example
    -------
    ``https://example.com/2024/05/17/budget-approved`` with ``"date":
    "2019-03-02"``, the date of a link in the sidebar.

    How to fix the scraper
    ----------------------
    Take the date from the article's own metadata (``article:published_time``,
    JSON-LD ``datePublished`` of the main entity), not the first date on the page;
    reject dates in the future and check them against the URL's date path.
    """

    id: ClassVar[str] = "date.implausible"
    name: ClassVar[str] = "Implausible date"
    severity: ClassVar[Severity] = "warning"
    Options = ImplausibleOptions
    options: ImplausibleOptions

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        floor = pd.Timestamp(self.options.floor, tz="UTC")
        given = self.options.reference_time
        reference = pd.Timestamp(str(given)) if given else pd.Timestamp.now(tz="UTC")
        if reference.tzinfo is None:
            reference = reference.tz_localize("UTC")
        published = articles["published"].copy()
        raw, rows = _unparsed(articles)
        written = [parse_written(v) for v in raw.iloc[rows].tolist()]
        known = [i for i, w in enumerate(written) if w is not None]
        if known:
            published.iloc[rows[known]] = [pd.Timestamp(written[i]) for i in known]
        when = published.to_numpy(dtype="datetime64[us]", na_value=np.datetime64("NaT"))
        dated = ~np.isnat(when)
        future = dated & (when > (reference + _DAY).tz_localize(None).to_datetime64())
        early = dated & (when < floor.tz_localize(None).to_datetime64())
        # Only the dated rows whose URL has a date path are parsed (one RE2 pass).
        urls = articles["url"].astype("str").reset_index(drop=True)
        pathed = np.flatnonzero(dated & contains(urls, _URL_DATE))
        url = extract(urls.iloc[pathed], _URL_DATE)
        url_day = np.full(len(when), np.datetime64("NaT"), dtype="datetime64[us]")
        url_day[pathed] = pd.to_datetime(
            url["y"] + "-" + url["m"] + "-" + url["d"], format="%Y-%m-%d", errors="coerce"
        ).to_numpy(dtype="datetime64[us]")
        day = when.astype("datetime64[D]").astype("datetime64[us]")
        has_url = dated & ~np.isnat(url_day)
        apart = np.zeros(len(when), dtype=bool)
        apart[has_url] = np.abs(day[has_url] - url_day[has_url]) > _DAY.to_timedelta64()
        bad = np.flatnonzero(future | early | apart)
        messages: list[str] = []
        # Messages for the few flagged rows only: formatting every date costs more.
        for row in bad.tolist():
            stamp = str(day[row].astype("datetime64[D]"))
            if future[row]:
                messages.append(f"date {stamp} is after the reference time")
            elif early[row]:
                messages.append(f"date {stamp} is before {floor.date()}")
            else:
                in_url = str(url_day[row].astype("datetime64[D]"))
                messages.append(f"date {stamp} is more than a day from the URL's {in_url}")
        length = raw.iloc[bad].str.len()
        return hits(
            bad,
            "published_raw",
            pd.Series(messages, dtype="str"),
            start=[0 if n == n else None for n in length.tolist()],
            end=[int(n) if n == n else None for n in length.tolist()],
        )
