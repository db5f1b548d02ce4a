"""A page's visible publication date: the date printed near its title or byline.

A whole-page scrape keeps the dateline as text ("Von Ana Ruiz, 1. Januar 2023",
"Published May 3, 2022 | 5 min read", "Veröffentlicht am 03.05.2022, 14:45 Uhr").
Dates are read in numeric forms (ISO, day-month-year with ``.``, ``/`` or ``-``) and
with the month names of every lexicon language (table ``date_months``); labels come
from ``dates.dateline`` (``published``, ``updated``). Of the dates near the title, the
one after a publication label wins, then one on the byline's line, then the nearest to
the title; a date after an update label only when no other is there. A date inside a
long paragraph is the story's, not the page's.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, datetime, timedelta

from corpus_qa.lexicons import phrases
from corpus_qa.parse.blocks import Features
from corpus_qa.parse.lines import Line
from corpus_qa.parse.relative_dates import find_relative, read_relative

#: Non-blank lines above the title and below it that may hold the dateline.
ABOVE, BELOW = 12, 20
#: A dateline sits on a short line; a longer one is prose.
MAX_CHARS = 220
#: How far before a date its label may stand.
_LABEL_REACH = 40
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
def _date_re() -> re.Pattern[str]:
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
        digit + r"(?P<num>(?P<nd>[0-3]?[0-9])\s?(?P<sep>[./-])\s?(?P<nm>[0-3]?[0-9])\s?(?P=sep)\s?"
        r"(?P<ny>(?:19|20)[0-9]{2}))",
        # A two-digit year only in the dotted, zero-padded form ("19.10.19, 18:56"):
        # other short forms are as often versions, scores or fractions.
        digit
        + r"(?P<short>(?P<sd>[0-3][0-9])\.(?P<sm>[01][0-9])\.(?P<sy>[0-9]{2})(?![0-9]|\.[0-9]))",
        digit + rf"(?P<dmy>{day}(?:\.|er|st|nd|rd|th|º)?\s+(?:de\s+)?(?P<m1>{names})\.?,?\s+"
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


@functools.cache
def _labels(kind: str) -> re.Pattern[str]:
    words = sorted(phrases(f"dates.dateline.{kind}"), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I)


def read_date(value: str) -> datetime | None:
    """The calendar date ``value`` writes in one of this module's forms, or None."""
    match = _date_re().search(value)
    return None if match is None else _as_date(match)


def read_days(value: str) -> tuple[datetime, ...]:
    """Every calendar date ``value`` may mean: the one :func:`read_date` reads, and for
    a numeric date whose two numbers could each be the month ("11/01/2021"; not with
    dots, which only day-first writing uses), the other reading too."""
    match = _date_re().search(value)
    day = None if match is None else _as_date(match)
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
    match = _date_re().search(value)
    if match is None:
        return None if reference is None else read_relative(value, reference)
    return _as_datetime(match)


def absolute_over(date_line: str, earlier: str) -> bool:
    """Whether a later date line replaces an earlier one: an absolute date replaces a
    relative one ("2 hours ago" above "May 3, 2022")."""
    return read_date(earlier) is None and read_date(date_line) is not None


def _as_datetime(match: re.Match[str]) -> datetime | None:
    day = _as_date(match)
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


def _as_date(match: re.Match[str]) -> datetime | None:
    if match["iso"]:
        parts = (match["iy"], match["im"], match["id"])
    elif match["num"]:
        # Day first, as most of the world writes it, unless the second number cannot
        # be a month and the first can ("12/25/2022"); with dots, which day-first
        # writing uses, only before an a.m./p.m. time ("01.21.2020 07:00 AM").
        first, second = int(match["nd"]), int(match["nm"])
        swap = (match["sep"] != "." or bool(match["ap"])) and second > 12 >= first
        parts = (match["ny"], str(first if swap else second), str(second if swap else first))
    elif match["short"]:
        short = int(match["sy"])
        parts = (str(short + (2000 if short < _CENTURY_PIVOT else 1900)), match["sm"], match["sd"])
    elif match["dmy"]:
        parts = (match["y1"], str(_months()[match["m1"].casefold()]), match["d"])
    else:
        parts = (match["y2"], str(_months()[match["m2"].casefold()]), match["d2"])
    year, month, day = (int(p) for p in parts)
    if year not in _YEARS:
        return None
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def _label_score(before: str) -> float:
    """+3 after a publication label, -3 after an update label: the nearer one counts
    ("Published May 2, updated May 3": the second date is the update's)."""
    published = [m.end() for m in _labels("published").finditer(before)]
    updated = [m.end() for m in _labels("updated").finditer(before)]
    if not published and not updated:
        return 0.0
    return 3.0 if max(published, default=-1) > max(updated, default=-1) else -3.0


def find_dateline(
    lines: list[Line],
    feats: list[Features],
    title: int,
    end: int,
    byline: int | None,
    start: int | None = None,
) -> str | None:
    """The publication date printed near the title (line index ``title``, or another
    line repeating its text) or on the byline's line, as written; else, when
    ``start`` is given, the first date standing on a line of its own in the article
    (lines ``start`` to ``end``); None when there is none."""
    distance = _around(lines, feats, title, end)
    # Near a copy of the title (a teaser list holding this article too), only a line
    # shaped like a dateline: the sentences around it are other teasers'.
    by_copy: set[int] = set()
    for anchor in _title_copies(lines, feats, title):
        for i, d in _around(lines, feats, anchor, end).items():
            if i not in distance:
                by_copy.add(i)
            elif d < distance[i]:
                by_copy.discard(i)
            distance[i] = min(d, distance.get(i, d))
    if byline is not None:
        for i in range(byline - 1, byline + 2):
            if 0 <= i < len(lines) and not lines[i].blank:
                distance.setdefault(i, ABOVE)
    best: tuple[float, float, str] | None = None
    relative: tuple[float, str] | None = None
    for i in sorted(distance):
        text = feats[i].plain
        if len(text) > MAX_CHARS or _quoted(lines[i]):
            continue
        linked_list = feats[i].list_item and feats[i].links
        for match in _date_re().finditer(text):
            when = _as_date(match)
            if when is None:
                continue
            before = text[max(0, match.start() - _LABEL_REACH) : match.start()]
            if linked_list and not (_label_score(before) > 0 or _date_link(feats[i], match)):
                continue  # a teaser's date in a list of links
            if not before.strip():
                # A label on a line of its own above the date ("Datum:").
                before = _previous(lines, feats, i)
            score = -distance[i] / (BELOW + ABOVE) + _label_score(before)
            shaped = _shaped(text, match)
            if i in by_copy and not shaped:
                continue
            score += _SHAPED if shaped else 0.0
            if i == byline:
                score += 1
            # Of dates equally placed, the earliest: a later one is a revision's.
            key = (score, -when.timestamp(), match.group(0).strip(" ,|-–"))
            if best is None or key[:2] > best[:2]:
                best = key
        for match in [] if linked_list else find_relative(text):
            # Relative ("vor 3 Stunden"): only where no absolute date is near.
            before = text[max(0, match.start() - _LABEL_REACH) : match.start()]
            score = -distance[i] / (BELOW + ABOVE) + _label_score(before)
            score += (_SHAPED if _shaped(text, match) else 0.0) + (1 if i == byline else 0)
            if relative is None or score > relative[0]:
                relative = (score, match.group(0).strip(" ,|-–"))
    if best is None and relative is not None:
        return relative[1]
    if best is not None or start is None:
        return None if best is None else best[2]
    return _first_standing(lines, feats, start, end)


def _previous(lines: list[Line], feats: list[Features], i: int) -> str:
    """The previous non-blank line's text when it is short enough to be a label."""
    for j in range(i - 1, max(-1, i - 4), -1):
        if not lines[j].blank:
            return feats[j].plain if len(feats[j].plain) <= _LABEL_REACH else ""
    return ""


def _quoted(line: Line) -> bool:
    """A block quote's line: an embedded post or a quotation prints its own date."""
    return line.text.lstrip().startswith(">")


#: Words beside a date that a list item made of one link may hold ("Posted", "am").
_LINK_WORDS = 2


def _date_link(feat: Features, match: re.Match[str]) -> bool:
    """Whether a list item of links is the date itself, linked (to the day's archive
    or the post's permalink, as blog themes print it), not a teaser with its date."""
    rest = feat.plain[: match.start()] + " " + feat.plain[match.end() :]
    return not feat.unlinked and len(rest.split()) <= _LINK_WORDS


#: What a dateline-shaped line (a date and a few words: labels, a name, a time) adds.
_SHAPED = 0.5
#: Words beside a date on a dateline-shaped line.
_SHAPED_WORDS = 8


def _shaped(text: str, match: re.Match[str]) -> bool:
    """Whether the line is a date with a few words beside it, not a sentence."""
    rest = text[: match.start()] + " " + text[match.end() :]
    return len(rest.split()) <= _SHAPED_WORDS


def _around(lines: list[Line], feats: list[Features], anchor: int, end: int) -> dict[int, int]:
    """Lines within reach of ``anchor``, by distance in lines a reader's eye stops at:
    lines without a word (pictures, icons, rules) and lists of links (share buttons,
    tags, a date linked to its archive) are passed over, a few of them as one line (a
    whole menu between a header's date and the title is far); they are in reach
    themselves, at the distance of the next line the eye stops at."""

    def counted(i: int) -> bool:
        worded = any(c.isalnum() for c in feats[i].plain)
        return worded and not (feats[i].list_item and feats[i].links)

    reach: dict[int, int] = {anchor: 0}
    for step, limit in ((-1, ABOVE), (1, BELOW)):
        seen = passed = 0
        stop = -1 if step < 0 else min(len(lines), end + 1)
        for i in range(anchor + step, stop, step):
            if lines[i].blank:
                continue
            if counted(i):
                seen += 1
            else:
                passed += 1
            far = seen + passed // _PASSED + (not counted(i))
            if far > limit:
                break
            reach[i] = max(far, 1)
    return reach


#: Lines passed over that count as one line of distance.
_PASSED = 4


def _title_copies(lines: list[Line], feats: list[Features], title: int) -> list[int]:
    """Other lines printing the title's text (a page that repeats its headline above
    the dateline and again as the article's heading)."""
    words = feats[title].plain.casefold().strip(" #")
    if len(words) < _MIN_TITLE:
        return []
    return [
        i
        for i, feat in enumerate(feats)
        if i != title and not lines[i].blank and feat.plain.casefold().strip(" #") == words
    ]


#: A title shorter than this is too common a string to look for elsewhere.
_MIN_TITLE = 20


def find_page_date(lines: list[Line], feats: list[Features]) -> str | None:
    """A last resort for a page whose article shows no dateline: the first date the page
    prints anywhere, outside links and lists of links, or None (it may sit in a header
    or a sidebar the layout keeps far from the title, or be the story's).

    Kept this plain on purpose: rules that picked among a page's dates (a copy of the
    title in a recent-posts list first; no revision's, footer's or list's date) were
    right more often on the development pages and less often on the holdout.
    """
    return _first_shaped(lines, feats, range(len(lines)), None)


def _first_standing(lines: list[Line], feats: list[Features], start: int, end: int) -> str | None:
    """The first date of the article that stands on a dateline-shaped line of its own,
    outside links and lists of links: a dateline the layout put away from the title."""
    return _first_shaped(lines, feats, range(start, min(len(lines), end + 1)), MAX_CHARS)


def _first_shaped(
    lines: list[Line], feats: list[Features], rows: range, max_chars: int | None
) -> str | None:
    for i in rows:
        feat = feats[i]
        too_long = max_chars is not None and len(feat.plain) > max_chars
        if lines[i].blank or too_long or (feat.list_item and feat.links):
            continue
        text = feat.unlinked if feat.links else feat.plain
        for match in _date_re().finditer(text):
            if _as_date(match) is not None and _shaped(text, match):
                return match.group(0).strip(" ,|-–")
    return None
