"""Dates as pages print them: the forms a dateline or a page's text may write a
calendar day in, read to a date or a moment.

Numeric forms (ISO, day-month-year with ``.``, ``/`` or ``-``, year-month-day with
``/`` or ``.``, ``dd.mm.yy``), CJK dates (``2022年5月3日``, ``2022년 5월 3일``) and
written months of every lexicon language (table ``date_months``), each optionally
followed by a time and a zone. :mod:`corpus_qa.parse.dateline` decides which of a
page's dates is its own.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, timedelta

from corpus_qa.lexicons import phrases
from corpus_qa.parse.relative_dates import read_relative

_YEARS = range(1990, 2100)
#: A two-digit year below this is this century's ("19.10.19"), else the last's.
_CENTURY_PIVOT = 70
_MONTHS = 12
#: Time-zone abbreviations a dateline prints after its time, as hours from UTC. Only
#: unambiguous ones ("IST" is India's and Ireland's): others leave the time as printed.
_ZONES: dict[str, float] = {
    "UTC": 0, "GMT": 0, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "MEZ": 1, "CEST": 2,
    "MESZ": 2, "EET": 2, "EEST": 3, "MSK": 3, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
    "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AEST": 10, "AEDT": 11, "JST": 9, "KST": 9,
}  # fmt: skip


@functools.cache
def _months() -> dict[str, int]:
    number: dict[str, int] = {}
    for month in range(1, 13):
        for name in phrases(f"date_months.m{month:02d}"):
            number[name.casefold().rstrip(".")] = month
    return number


@functools.cache
def date_pattern() -> re.Pattern[str]:
    names = "|".join(re.escape(n) for n in sorted(_months(), key=len, reverse=True))
    day = r"(?P<d>[0-3]?[0-9])"
    zones = "|".join(sorted(_ZONES, key=len, reverse=True))
    time = (
        # Not where the date is printed again, glued ("21.01.202221.01.2022").
        r"(?:(?!(?P=date)),?\s*(?:um|at|à|a\s+las|alle|-|–|\|)?\s*"
        r"(?P<hh>[0-2]?[0-9])[:h.](?P<mi>[0-5][0-9])"
        r"(?::(?P<ss>[0-5][0-9]))?(?:\s*(?:Uhr|h|(?P<ap>[AaPp])\.?\s?[Mm]\.?))?"
        rf"(?:\s*\(?(?P<tz>(?-i:{zones})(?:\s?[+-][01]?[0-9](?::?[0-5][0-9])?)?"
        r"|[+-][01][0-9]:?[0-5][0-9])\)?)?)?"
    )
    # A number may follow a word: a link's text glued to its label ("Posted on[28. Juli
    # 2019](...)" reads "on28. Juli 2019"); a month name may not ("dismay 3, 2022").
    digit, word = r"(?<![0-9._])", r"(?<![\w.])"
    forms = (
        digit + r"(?P<iso>(?P<iy>(?:19|20)[0-9]{2})-(?P<im>[01]?[0-9])-(?P<id>[0-3]?[0-9])"
        r"(?:[T ][0-9:.]+(?:Z|[+-][0-9:]{2,5})?)?)",
        # Year first with a slash or a dot ("2022/05/03", "2022. 5. 3.").
        digit + r"(?P<ymd>(?P<yy>(?:19|20)[0-9]{2})(?P<ysep>/|\.\s?)(?P<ym>[01]?[0-9])(?P=ysep)"
        r"(?P<yd>[0-3]?[0-9])(?!\.?[0-9]))",
        digit + r"(?P<cjk>(?P<cy>(?:19|20)[0-9]{2})\s*[年년]\s*(?P<cm>[01]?[0-9])\s*[月월]\s*"
        r"(?P<cd>[0-3]?[0-9])\s*[日일])",
        digit + r"(?P<num>(?P<nd>[0-3]?[0-9])\s*(?P<sep>[./-])\s*(?P<nm>[0-3]?[0-9])\s*(?P=sep)\s*"
        r"(?P<ny>(?:19|20)[0-9]{2}))",
        # A two-digit year only in the dotted, zero-padded form ("19.10.19, 18:56"):
        # other short forms are as often versions, scores or fractions.
        digit
        + r"(?P<short>(?P<sd>[0-3][0-9])\.(?P<sm>[01][0-9])\.(?P<sy>[0-9]{2})(?![0-9]|\.[0-9]))",
        digit + rf"(?P<dmy>{day}(?:\.?[º°]|\.|er|st|nd|rd|th)?\s+(?:de\s+)?(?P<m1>{names})\.?,?\s+"
        r"(?:del?\s+)?(?P<y1>(?:19|20)[0-9]{2}))",
        word + rf"(?P<mdy>(?P<m2>{names})\.?\s+(?P<d2>[0-3]?[0-9])(?:st|nd|rd|th)?,?\s+"
        r"(?P<y2>(?:19|20)[0-9]{2}))",
    )
    # Only digits may not follow, unless they print the same date again: a blog theme
    # prints the published and the updated date glued together ("August 2, 2019August
    # 2, 2019", "21. Januar 202221. Januar 2022").
    return re.compile(
        rf"(?P<date>{'|'.join(forms)}){time}(?:(?![0-9])|(?=(?P=date)))",
        re.IGNORECASE,
    )


def read_date(value: str) -> datetime | None:
    """The calendar date ``value`` writes in one of this module's forms, or None."""
    match = date_pattern().search(value)
    return None if match is None else as_date(match)


def read_days(value: str) -> tuple[datetime, ...]:
    """Every calendar date ``value`` may mean: the one :func:`read_date` reads, and for
    a numeric date whose two numbers could each be the month ("11/01/2021"; not with
    dots, which only day-first writing uses), the other reading too."""
    match = date_pattern().search(value)
    day = None if match is None else as_date(match)
    if match is None or day is None:
        return ()
    if not match["num"] or match["sep"] == "." or day.day > _MONTHS or day.day == day.month:
        return (day,)
    try:
        return (day, day.replace(month=day.day, day=day.month))
    except ValueError:
        return (day,)


def read_datetime(value: str, reference: datetime | None = None) -> datetime | None:
    """The moment ``value`` writes: its date with the time and zone printed after it
    ("06.07.2018, 10:29", "May 3, 2022 at 4:05 p.m. EDT", "2022-05-03T14:45+02:00").
    A time without a zone is taken as UTC, so the printed day stays the day. A relative
    date ("vor 3 Stunden") is counted back from ``reference``; None without one."""
    match = date_pattern().search(value)
    if match is None:
        return None if reference is None else read_relative(value, reference)
    return _as_datetime(match)


def absolute_over(date_line: str, earlier: str) -> bool:
    """Whether a later date line replaces an earlier one: an absolute date replaces a
    relative one ("2 hours ago" above "May 3, 2022")."""
    return read_date(earlier) is None and read_date(date_line) is not None


def _as_datetime(match: re.Match[str]) -> datetime | None:
    day = as_date(match)
    if day is None:
        return None
    if match["iso"]:
        try:
            stamp = datetime.fromisoformat(match["iso"].replace(" ", "T", 1))
        except ValueError:
            return day
        return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
    if match["hh"] is None:
        return day
    hour, minute, second = int(match["hh"]), int(match["mi"]), int(match["ss"] or 0)
    if match["ap"]:
        if not 1 <= hour <= 12:
            return day
        hour = hour % 12 + (12 if match["ap"].casefold() == "p" else 0)
    if hour > 23:
        return day
    return day.replace(hour=hour, minute=minute, second=second) - _offset(match["tz"])


def _offset(zone: str | None) -> timedelta:
    """A printed zone ("CEST", "GMT+2", "+0530") as its offset from UTC."""
    if not zone:
        return timedelta()
    name = zone.rstrip("+-0123456789: ")
    hours = _ZONES.get(name.upper(), 0.0) if name else 0.0
    rest = zone[len(name) :].strip()
    if rest:
        sign = -1 if rest[0] == "-" else 1
        digits = rest[1:].replace(":", "")
        whole, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
        hours += sign * (int(whole or 0) + int(minutes) / 60)
    return timedelta(hours=hours)


def as_date(match: re.Match[str]) -> datetime | None:
    if match["iso"]:
        parts = (match["iy"], match["im"], match["id"])
    elif match["num"]:
        # Day first, as most of the world writes it, unless the second number cannot
        # be a month and the first can ("12/25/2022"); with dots, which day-first
        # writing uses, only before an a.m./p.m. time ("01.21.2020 07:00 AM").
        first, second = int(match["nd"]), int(match["nm"])
        swap = (match["sep"] != "." or bool(match["ap"])) and second > 12 >= first
        parts = (match["ny"], str(first if swap else second), str(second if swap else first))
    elif match["ymd"]:
        # Without a space after the dot, only zero-padded ("2022.05.03"): "2022.1.2" is
        # as often a version.
        if match["ysep"] == "." and (len(match["ym"]) < 2 or len(match["yd"]) < 2):
            return None
        parts = (match["yy"], match["ym"], match["yd"])
    elif match["cjk"]:
        parts = (match["cy"], match["cm"], match["cd"])
    elif match["short"]:
        short = int(match["sy"])
        parts = (str(short + (2000 if short < _CENTURY_PIVOT else 1900)), match["sm"], match["sd"])
    elif match["dmy"]:
        parts = (match["y1"], str(_months().get(match["m1"].casefold(), 0)), match["d"])
    else:
        # A name the pattern matched without case may fold to no key ("KASIM" matches
        # "kasım"): month 0, no date.
        parts = (match["y2"], str(_months().get(match["m2"].casefold(), 0)), match["d2"])
    year, month, day = (int(p) for p in parts)
    if year not in _YEARS:
        return None
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None
