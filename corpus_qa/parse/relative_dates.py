"""Relative datelines in every lexicon language, resolved against a reference time.

A page scraped soon after publication may print "vor 3 Stunden", "il y a 2 jours",
"2 hours ago" or "Gestern, 14:30" where a dated page prints the date. The words are
the lexicon's: templates, units and counts of ``dates.relative`` (the ones the
``date.relative`` check reads) and the day words of ``dates.relative.days`` (``d0``
today, ``d1`` yesterday, ``d2`` the day before). A count is read in digits, or as one
from the words of ``dates.relative.one`` ("vor einer Stunde", "an hour ago"): other
count words ("a few", "wenigen") say no exact time.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timedelta

from corpus_qa.lexicons import languages, phrases

#: Seconds per unit, by the unit's key in ``dates.relative.units``.
SECONDS_PER_UNIT = {
    "second": 1,
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "week": 7 * 86400,
    "month": 30 * 86400,
    "year": 365 * 86400,
}
#: A time after a day word ("gestern, 14:30 Uhr", "today at 9:05").
_TIME = r"(?:,?\s*(?:[^\W\d]{1,3}\s+)?(?P<hh>[0-2]?[0-9])[:.h](?P<mi>[0-5][0-9]))?"


def _alternation(values: tuple[str, ...]) -> str:
    ordered = sorted(set(values), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(w) for w in v.split()) for v in ordered)


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern[str], dict[str, int]], ...]:
    """Per language: one pattern (named groups ``n``/``unit`` or ``day``) and the
    seconds of each unit word (casefolded)."""
    out = []
    for lang in languages():
        try:
            templates = phrases("dates.relative.templates", [lang])
        except KeyError:
            continue
        seconds: dict[str, int] = {}
        for key, per in SECONDS_PER_UNIT.items():
            for word in phrases(f"dates.relative.units.{key}", [lang]):
                seconds.setdefault(word.casefold().rstrip("."), per)
        if not templates or not seconds:
            continue
        unit = rf"(?P<unit>{_alternation(tuple(seconds))})\.?"
        ones = _one(lang)
        # A word, unlike digits ("4h ago"), stands apart from its unit.
        spelled = f"|(?:{_alternation(ones)})(?=\\s)" if ones else ""
        count = f"(?P<n>[0-9]{{1,3}}{spelled})"
        for template in templates:
            parts = [
                count if p == "{n}" else unit if p == "{unit}" else re.escape(p)
                for p in template.split()
            ]
            # "4h ago": no space needs to part a count from its unit.
            form = r"\s+".join(parts).replace(r")\s+(?P<unit>", r")\s*(?P<unit>")
            out.append((re.compile(rf"(?<!\w){form}(?!\w)", re.IGNORECASE), seconds))
        days = []
        for back in range(3):
            words = phrases(f"dates.relative.days.d{back}", [lang]) if _has(back, lang) else ()
            if words:
                days.append(f"(?P<d{back}>{_alternation(words)})")
        if days:
            day_form = rf"(?<!\w)(?:{'|'.join(days)}){_TIME}(?!\w)"
            out.append((re.compile(day_form, re.IGNORECASE), seconds))
    return tuple(out)


def _one(lang: str) -> tuple[str, ...]:
    """The count words that say exactly one ("einer", "an", "une")."""
    try:
        return phrases("dates.relative.one", [lang])
    except KeyError:
        return ()


def _has(back: int, lang: str) -> bool:
    try:
        return bool(phrases(f"dates.relative.days.d{back}", [lang]))
    except KeyError:
        return False


def find_relative(text: str) -> list[re.Match[str]]:
    """The relative dates ``text`` holds: a count and a unit, or a day word with a
    time after it ("Gestern, 14:30"; not "gestern sagte er", nor a menu's "Today")."""
    found = []
    for pattern, _ in _patterns():
        for match in pattern.finditer(text):
            named = match.groupdict()
            if named.get("n") or named.get("hh"):
                found.append(match)
    return found


def read_relative(value: str, reference: datetime) -> datetime | None:
    """The moment a relative date in ``value`` names, counted back from ``reference``."""
    for pattern, seconds in _patterns():
        match = pattern.search(value)
        if match is None:
            continue
        named = match.groupdict()
        if named.get("n"):
            per = seconds[match["unit"].casefold().rstrip(".")]
            count = int(match["n"]) if match["n"].isdigit() else 1
            return reference - timedelta(seconds=count * per)
        back = next(k for k in range(3) if named.get(f"d{k}"))
        day = reference - timedelta(days=back)
        if named.get("hh") and int(named["hh"]) < 24:
            return day.replace(hour=int(match["hh"]), minute=int(match["mi"]), second=0)
        return day
    return None
