"""Dates written in words, from the lexicon files: relative dates and month names.

Two things the date checks need and the vectorized parser in
:mod:`corpus_qa.parse.datelines` does not do: one pattern matching a relative date in
every lexicon language (table ``dates.relative``: templates with ``{n}`` and ``{unit}``,
count words, unit words, standalone words such as "gestern"), and a parser for the few
values left unparsed, which reads month names of every language (table
``date_months``), CJK dates and epoch integers.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime

from corpus_qa.lexicons import languages, phrases

_SPACES = r"[ \t]*"
_DIGIT_COUNT = "[0-9]{1,4}"


def _ascii_word(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


def _literal(text: str, *, before: bool) -> str:
    """``text`` escaped, spaces as any run of blanks. Where asked, bounded before an
    ASCII letter or digit by a character that is none (or the start): not ``\\b``,
    which pandas hands to Python's ``re`` on non-ASCII data, where it means more (the
    GX mirror of date.relative runs the pattern through pandas). The end is left
    open: a date value ends where its words do."""
    body = _SPACES.join(re.escape(word) for word in text.split())
    if before and _ascii_word(text[0]):
        body = "(?:^|[^A-Za-z0-9_])" + body
    return body


def _alternation(values: tuple[str, ...], *, before: bool) -> str:
    unique = sorted(set(values), key=lambda v: (-len(v), v))
    return "(?:" + "|".join(_literal(v, before=before) for v in unique) + ")"


def _template(template: str, count: str, unit: str) -> str:
    parts = re.split(r"(\{n\}|\{unit\})", template)
    out = []
    for i, part in enumerate(parts):
        if part == "{n}":
            out.append(count)
        elif part == "{unit}":
            out.append(unit)
        else:
            if part[:1].isspace():
                out.append(_SPACES)
            if part.strip():
                # A word is bounded at the template's start, not after a placeholder.
                out.append(_literal(part.strip(), before=i == 0))
                if part[-1:].isspace():
                    out.append(_SPACES)
    return "".join(out)


@functools.cache
def relative_pattern() -> str:
    """One case-insensitive RE2 pattern: a relative date in any lexicon language."""
    return _relative(words=True)


@functools.cache
def relative_count_pattern() -> str:
    """:func:`relative_pattern` without the standalone words: a count and a unit only
    ("vor 3 Stunden", "2 hours ago"); "gestern" alone starts many a sentence."""
    return _relative(words=False)


def _relative(*, words: bool) -> str:
    alternatives: list[str] = []
    for lang in languages():
        try:
            templates = phrases("dates.relative.templates", [lang])
        except KeyError:
            continue
        if not templates:
            # A language without relative dates (its file holds other tables only):
            # its empty word list would match everywhere.
            continue
        counts = phrases("dates.relative.counts", [lang])
        count = f"(?:{_DIGIT_COUNT}|{_alternation(counts, before=True)})"
        # Units are not bounded: "4h ago" has no boundary between "4" and "h".
        unit = _alternation(phrases("dates.relative.units", [lang]), before=False)
        alternatives.extend(_template(t, count, unit) for t in templates)
        if words:
            standalone = phrases("dates.relative.words", [lang])
            alternatives.append(_alternation(standalone, before=True))
    return "(?i)(?:" + "|".join(alternatives) + ")"


@functools.cache
def _months() -> tuple[re.Pattern[str], dict[str, int]]:
    number: dict[str, int] = {}
    for month in range(1, 13):
        for name in phrases(f"date_months.m{month:02d}"):
            number[name.casefold().rstrip(".")] = month
    names = sorted(number, key=len, reverse=True)
    # Python only (a few values a chunk): Unicode word boundaries by look-around.
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")\.?(?!\w)")
    return pattern, number


_EPOCH = re.compile(r"^[0-9]{9,13}(?:\.[0-9]+)?$")
_YMD = re.compile(r"(?<![0-9])([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?![0-9])")
_DMY = re.compile(r"(?<![0-9])([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4}|[0-9]{2})(?![0-9])")
_CJK = re.compile(r"([0-9]{4})\s*[年년]\s*([0-9]{1,2})\s*[月월](?:\s*([0-9]{1,2})\s*[日일])?")
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")
_DAY = re.compile(r"(?<![0-9:])([0-9]{1,2})(?![0-9:])")


def _date(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def parse_written(value: str) -> datetime | None:
    """A date read from ``value`` by the rules above, or None when it holds none.

    Numeric dates must be calendar dates ("2025-13-45" is none); a day-month-year
    value is also tried month first ("07/31/2025").
    """
    text = value.strip()
    if _EPOCH.match(text):
        seconds = float(text) / (1000 if len(text.split(".")[0]) > 11 else 1)
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    match = _CJK.search(text)
    if match:
        return _date(int(match[1]), int(match[2]), int(match[3] or 1))
    match = _YMD.search(text)
    if match:
        return _date(int(match[1]), int(match[2]), int(match[3]))
    match = _DMY.search(text)
    if match:
        full = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        first, second = int(match[1]), int(match[2])
        return _date(full, second, first) or _date(full, first, second)
    pattern, number = _months()
    lowered = text.casefold()
    month = pattern.search(lowered)
    year = _YEAR.search(lowered)
    if month is None or year is None:
        return None
    rest = lowered[: month.start()] + " " * (month.end() - month.start()) + lowered[month.end() :]
    rest = rest[: year.start()] + " " * 4 + rest[year.end() :]
    day = _DAY.search(rest)
    return _date(int(year[1]), number[month[1].rstrip(".")], int(day[1]) if day else 1)
