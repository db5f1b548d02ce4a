"""Where a match of the site-text lexicon is site text: the line or the sentence
around it, read from the text around the match (see :mod:`._sitetext`, which finds
the matches). Shared by the boilerplate checks through ``_sitetext``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from corpus_qa.lexicons import categories, phrases
from corpus_qa.lexicons.compile import PYTHON_FLAGS, alternation_of

Kind = Literal["phrase", "label", "hint", "closer"]
#: A line up to this long is site text as a whole when a phrase stands in it.
SHORT_LINE = 250
#: A sentence up to this long may be site text in a longer line.
SHORT_SENTENCE = 300
#: A line holding two phrases of the lexicon is a promotion box up to this long;
#: one that also names the outlet (its self-description and an ask), up to the second.
PROMO_LINE = 600
OUTLET_BOX_LINE = 800
#: A caption line with a picture credit is at most this long.
CAPTION_LINE = 300
#: A credit closing a caption line ("Foto: dpa", "© Agency") is at most this long.
CREDIT_TAIL = 80
#: A line naming a picture agency is a credit up to this long.
CREDIT_LINE = 80
_WORDS = re.compile(r"[^\W\d_]+")
#: A sentence ending inside a credit's tail: the line goes on as prose.
_CREDIT_TAIL_END = re.compile(r"(?<=[^\W\d_]{2})[.!?…]\s")
#: What may stand before a label or a phrase at the start of a line: bullets, quotes.
_LEAD = " \t*•·-–—»›>|#([„\"'↑"
#: What may follow a label on a line of its own.
_TRAIL = " \t:.!?…»›>|-–—)]"
#: Separators after a label that leads a line ("READ MORE: <headline>").
_SEPARATORS = (":", " -", " –", " —", " |", " »", "»", " >")
_SENTENCE_END = re.compile(r"[.!?…](?:[\"'”’)\]]*)(?=\s)")


@dataclass(frozen=True)
class Entry:
    """One phrase or label of the lexicon."""

    text: str
    site_class: str
    kind: Kind
    #: The phrase addresses the reader ("Der Newsletter informiert Sie").
    to_reader: bool

    @property
    def pattern(self) -> re.Pattern[str]:
        """The entry as a pattern, compiled on first use: a chunk reads few entries."""
        return _pattern(self.text)

    @property
    def source(self) -> str:
        """The text of :attr:`pattern`, without compiling it (for an alternation of
        many entries, compiled once)."""
        return _source(self.text)[0]


@dataclass(frozen=True)
class Hit:
    """A span of a value that is site text."""

    row: int
    start: int
    end: int
    site_class: str


def _category(name: str) -> tuple[str, ...]:
    return phrases(name) if name in categories() else ()


@functools.cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(*_source(text))


def _source(text: str) -> tuple[str, re.RegexFlag]:
    if len(text.split()) == 1:
        # One word is a label only in the cases a label is written in ("Anzeige",
        # "ANZEIGE"): the lower-case word is the article's own.
        spellings = sorted({text, text.upper(), text[:1].upper() + text[1:]})
        return alternation_of(spellings), re.ASCII
    # Within a line: site text does not run across a line break.
    return alternation_of([text]).replace(r"\s+", r"[^\S\n]+"), PYTHON_FLAGS


@functools.cache
def _reader_words() -> frozenset[str]:
    """Words that address the reader; German "Sie" is one only capitalized, so words
    are compared as written (a lower-case one also matches a capitalized first word)."""
    words = set(_category("site_text.reader.words"))
    return frozenset(words | {w.capitalize() for w in words if w.islower()})


def _line(text: str, at: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, len(text) if end < 0 else end


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def lines(text: str) -> list[tuple[int, int]]:
    """The non-empty lines of ``text`` as stripped (start, end) spans."""
    spans: list[tuple[int, int]] = []
    at = 0
    for line in text.split("\n"):
        # str.strip drops what str.isspace calls whitespace, as _strip does.
        core = line.strip()
        if core:
            start = at + len(line) - len(line.lstrip())
            spans.append((start, start + len(core)))
        at += len(line) + 1
    return spans


def _sentence(text: str, line: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    """The sentence of ``text[line]`` holding ``text[start:end]``."""
    first = line[0]
    for match in _SENTENCE_END.finditer(text, line[0], start):
        first = match.end()
    stop = _SENTENCE_END.search(text, end, line[1])
    return _strip(text, first, stop.end() if stop else line[1])


def phrase_hit(text: str, match: re.Match[str], entry: Entry) -> tuple[int, int] | None:
    """The span that is site text around a phrase's ``match``, or None when the text
    around it reads as the article's own (a mention in a long sentence)."""
    line = _strip(text, *_line(text, match.start()))
    sentence = _sentence(text, line, match.start(), match.end())
    lead = text[sentence[0] : match.start()].strip(_LEAD)
    starts_sentence = not lead
    # A lexicon phrase written in lower case ends a sentence ("... by signing up to our
    # newsletter."): site text there, when the line is short enough to be a promo.
    ends_sentence = not text[match.end() : sentence[1]].strip(_TRAIL)
    mid_sentence = entry.text[:1].islower() and ends_sentence
    if line[1] - line[0] <= SHORT_LINE:
        covers = (match.end() - match.start()) * 5 >= (line[1] - line[0]) * 2
        if starts_sentence or mid_sentence or covers or entry.to_reader:
            return line
        return None
    # In a paragraph, a short sentence is site text where the phrase starts it, or
    # where the phrase addresses the reader and the sentence closes the paragraph
    # ("... sind Sie immer auf dem aktuellen Stand."): a promo is tacked on at the end;
    # a paragraph goes on after a report of what a newsletter tells its readers.
    closes = entry.to_reader and sentence[1] == line[1]
    if (starts_sentence or closes) and sentence[1] - sentence[0] <= SHORT_SENTENCE:
        return sentence
    return None


def _alone(entry: Entry) -> bool:
    """One word of page UI ("Tag", "Kategorie") is site text only as a line of its
    own: leading a line it may be another language's word ("Tag: Samstag", a German
    fact box, is the Italian label "Tag"). So is a link back to the top ("Subir")."""
    return entry.site_class == "top" or (entry.site_class == "ui" and len(entry.text.split()) == 1)


def label_hit(
    text: str, match: re.Match[str], max_line: int = 200, *, alone: bool = False
) -> tuple[int, int] | None:
    """The line a label's ``match`` makes up or leads (``alone``: makes up), else None."""
    line = _strip(text, *_line(text, match.start()))
    if text[line[0] : match.start()].strip(_LEAD):
        return None
    rest = text[match.end() : line[1]]
    if not rest.strip(_TRAIL):
        return line
    if not alone and line[1] - line[0] <= max_line and _separated(rest):
        return line
    return None


#: A heading a closer ends ("X vs. Y, en vivo: minuto a minuto") is at most this long.
CLOSER_LINE = 160
#: What sets a closer off the heading before it.
_CLOSER_SEPARATORS = (",", ":", ";", "|", "-", "–", "—", "/", "：", "｜")


def closer_hit(text: str, match: re.Match[str]) -> tuple[int, int] | None:
    """The heading line a closer's ``match`` ends after a separator ("Brexit vote -
    live"), or makes up; None where it stands inside a line ("Bundesliga live: ...")
    or without a separator ("The band played live")."""
    line = _strip(text, *_line(text, match.start()))
    if line[1] - line[0] > CLOSER_LINE or text[match.end() : line[1]].strip():
        return None
    before = text[line[0] : match.start()]
    if not before.strip(_LEAD):
        return line
    if ord(match.group(0)[0]) < 0x3000 and not before[-1:].isspace():
        return None  # glued to the word before ("Brexit-live"); scripts without spaces glue
    head = before.rstrip()
    if not head.endswith(_CLOSER_SEPARATORS) or not head.rstrip("".join(_CLOSER_SEPARATORS) + " "):
        return None
    return line


#: A sentence closing the body with a phrase of the ``ending`` class is at most this long.
ENDING_SENTENCE = 100


def ending_hit(text: str, match: re.Match[str]) -> tuple[int, int] | None:
    """The sentence an ``ending`` phrase's ``match`` closes, where that sentence closes
    the body and is short: a link to an overview ("Lawinenbulletins dieser Zeitperiode
    im Überblick.") or a teaser's call to go and look ("To naprawdę pyszne danie –
    przekonaj się?"). Anywhere else (inside the text, a long closing sentence) the
    words are the article's: a list "im Überblick" follows, a heading names it."""
    after = text[match.end() :]
    if after.strip(_TRAIL + "\n\r") or ":" in after:
        return None  # text goes on, or a list it announces was lost ("im Überblick:")
    line = _strip(text, *_line(text, match.start()))
    sentence = _sentence(text, line, match.start(), match.end())
    if sentence[1] - sentence[0] > ENDING_SENTENCE:
        return None
    return sentence


#: After a link back to the top of the page, a body ends with at most this many lines
#: of at most this many characters for them to be the page's navigation.
TOP_TAIL_LINES = 3
TOP_TAIL_CHARS = 120


def page_top_tail(text: str, line: tuple[int, int]) -> tuple[int, int]:
    """A back-to-top label's ``line`` with the short lines after it that close the
    body ("Nach oben" / "Gefahrenentwicklung" / "Lawinenbulletins ... im Überblick."):
    the page's own text ends at that link. Where more follows, the line alone."""
    tail = [(line[1] + start, line[1] + end) for start, end in lines(text[line[1] :])]
    if len(tail) > TOP_TAIL_LINES or any(end - start > TOP_TAIL_CHARS for start, end in tail):
        return line
    return (line[0], tail[-1][1]) if tail else line


def credit_hit(text: str, match: re.Match[str], kind: Kind = "label") -> tuple[int, int] | None:
    """The caption line a picture credit's ``match`` leads or closes, else None: a
    credit mid-line ("Photo: ... " inside a paragraph) is the article's own words.
    An agency's name (``kind`` "phrase") counts only leading a short line of names:
    "Reuters reported ..." is the article's."""
    line = _strip(text, *_line(text, match.start()))
    if line[1] - line[0] > CAPTION_LINE:
        return None
    leads = not text[line[0] : match.start()].strip(_LEAD)
    if kind == "phrase":
        rest = text[match.end() : line[1]]
        prose = any(w[:1].islower() and len(w) >= 4 for w in _WORDS.findall(rest))
        return line if leads and line[1] - line[0] <= CREDIT_LINE and not prose else None
    if leads:
        return line
    credit = match.group(0)
    if not (credit.endswith((":", "：", "=")) or credit == "©"):
        # "Photo by X" closes a caption only as a labelled credit does.
        return None
    tail = text[match.end() : line[1]]
    if len(tail) > CREDIT_TAIL or _CREDIT_TAIL_END.search(tail.rstrip(" )].»\"'")):
        return None
    return line


def promo_paragraphs(
    text: str, matches: Iterable[tuple[int, int, str, str, bool]]
) -> list[tuple[int, int, str]]:
    """Lines up to :data:`PROMO_LINE` long that hold two different phrases or hints of
    a promotion box (:data:`PROMO_CLASSES`; ``matches``: start, end, class, the phrase, whether it is
    one)
    that do not overlap: the box as a whole ("Hier gibt es ... gebündelt in einer App.
    Sehen Sie ... auf Ihrem Smartphone oder Tablet."), where one phrase in a sentence
    of the article is left alone. Two hints alone are no box, nor a line that does not
    address the reader (news of an app names its stores too)."""
    by_line: dict[tuple[int, int], list[tuple[int, int, str, str, bool]]] = {}
    for match in sorted(matches):
        line = _strip(text, *_line(text, match[0]))
        held = by_line.setdefault(line, [])
        if not held or match[0] >= held[-1][1]:
            held.append(match)
    return [
        (*line, held[0][2])
        for line, held in by_line.items()
        if len({m[3] for m in held}) > 1
        and line[1] - line[0] <= _box_line(held)
        and any(m[4] for m in held)
        and _addresses_reader(text[line[0] : line[1]])
    ]


def _box_line(held: list[tuple[int, int, str, str, bool]]) -> int:
    """How long a promotion box with these matches may be (see :data:`OUTLET_BOX_LINE`)."""
    return OUTLET_BOX_LINE if any(m[2] == OUTLET_CLASS for m in held) else PROMO_LINE


def _addresses_reader(line: str) -> bool:
    reader = _reader_words()
    return any(word in reader for word in _WORDS.findall(line))


#: The class of a match of the outlet's name, and of the lines it makes site text.
OUTLET_CLASS = "promotion"
#: An outlet's name is looked for from this many characters on.
OUTLET_NAME = 4
#: A line that names the outlet and speaks to the reader is its promotion up to this long.
OUTLET_LINE = 100


@functools.lru_cache(maxsize=4096)
def _outlet_name(outlet: str) -> str | None:
    """The outlet's name as written, where it cannot be a common word: a name of
    several words ("Abenteuer Astronomie"), or one word with a capital, a digit or a
    dot inside ("FinCompare", "DiEM25", "BILD", "example.de"). A plain capitalized
    word ("Bild", "Observer", "Mannschaft") is left alone: a German noun or an
    English word of the article."""
    name = " ".join(outlet.split())
    if len(name) < OUTLET_NAME or not any(c.isalpha() for c in name):
        return None
    if " " not in name and not any(c.isupper() or c.isdigit() or c == "." for c in name[1:]):
        return None
    return name


def outlet_mentions(text: str, outlet: object) -> list[tuple[int, int]]:
    """Where ``text`` names ``outlet`` (see :func:`_outlet_name`) as a word of its own."""
    name = _outlet_name(outlet) if isinstance(outlet, str) else None
    found: list[tuple[int, int]] = []
    at = -1 if name is None else text.find(name)
    while name is not None and at >= 0:
        end = at + len(name)
        if not (at and _word_char(text[at - 1])) and not (
            end < len(text) and _word_char(text[end])
        ):
            found.append((at, end))
        at = text.find(name, end)
    return found


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def outlet_promotions(text: str, named: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Short lines that name the outlet and speak to the reader: the outlet's own
    promotion ("Nutzen Sie FinCompare als Wettbewerbsvorteil", "Do you want to be
    informed of DiEM25's actions? Sign up here"). Not where the name leads the line
    as a speaker's ("SPIEGEL: Sie sagen, ...": an interview's question), nor in a
    question."""
    found: list[tuple[int, int]] = []
    for start, end in named:
        line = _strip(text, *_line(text, start))
        if line in found or line[1] - line[0] > OUTLET_LINE:
            continue
        if not text[line[0] : start].strip(_LEAD) and text[end : line[1]].lstrip().startswith(":"):
            continue
        if text[line[1] - 1] == "?":
            continue  # a question: an interview's, or the article's to its reader
        if _addresses_reader(text[line[0] : line[1]]):
            found.append(line)
    return found


def _separated(rest: str) -> bool:
    """Whether a label's line goes on after a separator and a space ("READ MORE: x")."""
    for separator in _SEPARATORS:
        if rest.startswith(separator):
            after = rest[len(separator) :]
            return not after or after[0].isspace()
    return False
