"""Scraped publication dates: recognizing date lines, resolving them to UTC.

Patterns here are RE2-friendly (no lookaround, ``[0-9]`` rather than ``\\d``,
``[ \\t]`` rather than ``\\s``) so pandas runs them in pyarrow, not Python's ``re``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from corpus_qa.lexicons import phrases
from corpus_qa.lexicons.compile import words
from corpus_qa.parse.relative_dates import SECONDS_PER_UNIT
from corpus_qa.text.re2 import contains

# English only, as :func:`parse_published` reads English dates; the words are the
# lexicon's (table ``dates.relative``), the same the ``date.relative`` check reads.
_EN = ("en",)
_COUNT = rf"(?:[0-9]{{1,4}}|{words('dates.relative.counts', langs=_EN, bounds=False)})"
_UNIT = words("dates.relative.units", langs=_EN, bounds=False)
_UNIT_SECONDS: dict[str, float] = {
    word.lower(): seconds
    for key, seconds in SECONDS_PER_UNIT.items()
    for word in phrases(f"dates.relative.units.{key}", _EN)
}
_AGO = phrases("dates.relative.templates", _EN)[0]
if _AGO.split()[:2] != ["{n}", "{unit}"]:
    raise ValueError("the English relative-date template must start with '{n} {unit}'")
_AGO_WORDS = r"[ \t]+".join(re.escape(w) for w in _AGO.split()[2:])
_RELATIVE_CORE = (
    rf"{_COUNT}[ \t]*{_UNIT}\.?[ \t]+{_AGO_WORDS}"
    rf"|{words('dates.relative.words', langs=_EN, bounds=False)}"
)

#: A relative date ("21 minutes ago", "4h ago", "yesterday"), anywhere in a value.
#: Case-insensitive via ``(?i)``. Run it with :func:`corpus_qa.text.re2.contains`: its
#: ``$`` follows ``[^A-Za-z]``, so Python's "or before a final newline" cannot change a
#: match, but pandas would still hand it to ``re`` on any value holding a newline.
RELATIVE_DATE_PATTERN = rf"(?i)(?:^|[^A-Za-z0-9])(?:{_RELATIVE_CORE})(?:[^A-Za-z]|$)"

_MONTH = rf"{words('dates.month_abbreviations', langs=_EN, bounds=False)}[a-z]*\.?"
_WEEKDAY = rf"(?:{words('dates.weekday_abbreviations', langs=_EN, bounds=False)}[a-z]*,?[ \t]+)?"
_ABSOLUTE_CORE = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9:.]+(?:Z|[+-][0-9:]{2,5})?)?"
    rf"|{_WEEKDAY}{_MONTH}[ \t]+[0-9]{{1,2}},?[ \t]+[0-9]{{4}}"
    rf"|{_WEEKDAY}[0-9]{{1,2}}[ \t]+{_MONTH},?[ \t]+[0-9]{{4}}"
    r"|[0-9]{1,2}[./][0-9]{1,2}[./][0-9]{4}"
)
_TIME = (
    r"(?:,?[ \t]*(?:at[ \t]+)?[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?:[ \t]*[AaPp]\.?[Mm]\.?)?"
    r"(?:[ \t]*(?:[A-Z]{2,5}|[+-][0-9]{4}|GMT|UTC))?)?"
)
#: A date label before the date: "Published on", "Last updated:".
DATE_LABELS = words("dates.labels", langs=_EN, bounds=False)
_PREFIX = rf"(?:{DATE_LABELS}[ \t]*(?:on)?[ \t]*:?[ \t]*)?"

#: A line that is nothing but a date (absolute or relative), e.g. a teaser's timestamp.
DATE_LINE_RE = re.compile(rf"(?i)^{_PREFIX}(?:{_ABSOLUTE_CORE}|{_RELATIVE_CORE}){_TIME}\.?$")

_PREFIX_STRIP = rf"(?i)^[ \t]*{_PREFIX}"
_RELATIVE_FULL = rf"(?i)^[ \t]*(?P<n>{_COUNT})[ \t]*(?P<unit>{_UNIT})\.?[ \t]+{_AGO_WORDS}[ \t]*$"
#: Count words as numbers ("a few" is a small number, not a precise one).
_WORD_COUNTS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a few": 3,
    "few": 3,
}
#: Formats tried in vectorized passes, most common first; ISO 8601 is its own pass.
_FORMATS = (
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d, %Y %I:%M %p",
    "%B %d, %Y %I:%M %p",
    "%b. %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d.%m.%Y",
    "%d.%m.%Y %H:%M",
    "%a, %d %b %Y %H:%M:%S %z",
    "%a, %d %b %Y %H:%M:%S %Z",
)
_YEAR = re.compile(r"[0-9]{4}")
_DIGITS = re.compile(r"\d{4}")


def is_date_line(line: str) -> bool:
    """Whether a whole (stripped) line is a date or timestamp."""
    return len(line) <= 60 and DATE_LINE_RE.match(line.strip()) is not None


def _unit_seconds(unit: str) -> float:
    return _UNIT_SECONDS[unit.lower()]


def _relative(values: pd.Series, reference: datetime) -> pd.Series:
    """Resolve "N units ago", "yesterday", "today", "just now" against ``reference``."""
    ref = pd.Timestamp(reference)
    ref = ref.tz_localize("UTC") if ref.tzinfo is None else ref.tz_convert("UTC")
    parts = values.str.extract(_RELATIVE_FULL)
    counts = (
        parts["n"]
        .str.lower()
        .map(
            lambda n: _WORD_COUNTS.get(n, 0) if not n[:1].isdigit() else int(n), na_action="ignore"
        )
    )
    seconds = parts["unit"].map(_unit_seconds, na_action="ignore")
    offset = pd.to_timedelta(counts.astype("float64") * seconds.astype("float64"), unit="s")
    out = pd.Series(ref, index=values.index) - offset
    lowered = values.str.strip().str.lower()
    out = out.where(~lowered.isin(["just now", "today", "moments ago", "a moment ago"]), ref)
    out = out.where(~lowered.eq("yesterday"), ref - pd.Timedelta(days=1))
    return out


def _fallback(value: str) -> pd.Timestamp | None:
    """Odd formats, one unique value at a time: RFC 2822, then pandas' own parser."""
    if not _YEAR.search(value):
        return None
    try:
        parsed: datetime = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        stamp: pd.Timestamp | None
        try:
            stamp = pd.Timestamp(value)
        except (ValueError, OverflowError, TypeError):
            stamp = None
        if stamp is None or pd.isna(stamp):
            # A dateline in words of any lexicon language ("1. Januar 2023 um 9:30").
            from corpus_qa.parse.dateline import read_date

            written = read_date(value)
            return None if written is None else pd.Timestamp(written)
        parsed = stamp.to_pydatetime()
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return pd.Timestamp(parsed).tz_convert("UTC")
    except (ValueError, OverflowError):
        return None


def parse_published(
    raw: pd.Series, reference_time: datetime | None = None, printed: pd.Series | None = None
) -> pd.Series:
    """``published_raw`` -> ``datetime64[us, UTC]``; relative dates need ``reference_time``.

    Works on the unique values only (a chunk has few distinct date strings), with
    vectorized ``to_datetime`` passes and a per-value fallback for odd formats. Rows
    where ``printed`` is true hold a page's dateline: they are read as the page parser
    reads dates (:func:`corpus_qa.parse.dateline.read_datetime`, numeric dates day
    first) before the generic passes, which read "04/05/2022" month first.
    """
    result_dtype = pd.DatetimeTZDtype(unit="us", tz="UTC")
    raw = raw.astype("str")
    out = _parse_generic(raw, reference_time, result_dtype)
    if printed is None or not bool(printed.fillna(False).any()):
        return out
    from corpus_qa.parse.dateline import read_datetime

    rows = printed.fillna(False).to_numpy(dtype=bool) & raw.notna().to_numpy(dtype=bool)
    values = raw[rows]
    read = {v: read_datetime(v, reference_time) for v in values.unique()}
    written = pd.to_datetime(values.map(read), utc=True).astype(result_dtype)
    out[rows] = written.where(written.notna(), out[rows])
    return out


def _parse_generic(
    raw: pd.Series, reference_time: datetime | None, result_dtype: pd.DatetimeTZDtype
) -> pd.Series:
    # Distinct values and each row's place among them in Arrow: a chunk's few
    # distinct dates are parsed once, and no Python string is made per row.
    values = pa.array(raw.array)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    distinct = pc.unique(values.drop_null())
    unique = pd.Series(pd.array(distinct, dtype="str"))
    if unique.empty:
        return pd.Series(pd.NaT, index=raw.index, dtype=result_dtype)
    cleaned = unique.str.replace(_PREFIX_STRIP, "", regex=True).str.strip()
    cleaned = cleaned.str.replace(r"[ \t]+", " ", regex=True).str.rstrip(".")
    parsed = pd.Series(pd.NaT, index=unique.index, dtype=result_dtype)

    def fill(candidate: pd.Series) -> None:
        nonlocal parsed
        parsed = parsed.fillna(candidate.dt.tz_convert("UTC").astype(result_dtype))

    iso = cleaned.str.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
    if iso.any():
        fill(pd.to_datetime(cleaned.where(iso), format="ISO8601", errors="coerce", utc=True))
    # Every format has a %Y, which only matches four digits (Python's \\d, as pandas'
    # strptime): values without them ("3 hours ago") would fail each pass, slowly.
    dated = pd.Series([_DIGITS.search(v) is not None for v in cleaned.tolist()], index=unique.index)
    for fmt in _FORMATS:
        todo = parsed.isna() & dated
        if not todo.any():
            break
        fill(pd.to_datetime(cleaned.where(todo), format=fmt, errors="coerce", utc=True))
    relative = pd.Series(contains(cleaned, RELATIVE_DATE_PATTERN), index=cleaned.index)
    if reference_time is not None and relative.any():
        fill(_relative(cleaned.where(relative), reference_time))
    rest = parsed.isna() & ~relative
    if rest.any():
        fallback = cleaned[rest].map(_fallback)
        fill(pd.to_datetime(fallback, utc=True))
    where = np.asarray(pc.fill_null(pc.index_in(values, value_set=distinct), -1), dtype=np.int64)
    return pd.Series(parsed.array.take(where, allow_fill=True), index=raw.index, dtype=result_dtype)


__all__ = ["DATE_LINE_RE", "RELATIVE_DATE_PATTERN", "is_date_line", "parse_published"]
