"""Reader comments appended to an article's body."""

from __future__ import annotations

import functools
import re
from typing import ClassVar

import pandas as pd

from corpus_qa.checks.api import Check, hits
from corpus_qa.checks.builtin import _sitetext as sitetext
from corpus_qa.lexicons import phrases
from corpus_qa.model import Severity

#: A clock time, a numeric date or an ISO date: what a comment's header line carries.
_STAMP = re.compile(
    r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b", re.ASCII
)
#: A comment's header (name, time) is a short line.
_HEADER_CHARS = 80
#: Comments counted before a trailing block is called appended comments.
MIN_COMMENTS = 2


@functools.cache
def _marks() -> re.Pattern[str]:
    words = sorted(phrases("site_text.comment_marks"), key=len, reverse=True)
    return re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in words))


def _stamp(line: str) -> bool:
    """A comment's header: a short line with a time, or a number and a time word
    ("vor 3 Stunden", "2 hours ago", "Anna says: ...")."""
    if len(line) > _HEADER_CHARS:
        return False
    if _STAMP.search(line):
        return True
    return any(c.isdigit() for c in line) and _marks().search(line) is not None


def comment_block(text: str, label: re.Pattern[str]) -> tuple[int, int] | None:
    """The span of a trailing block of comments (name, time, text units), or None."""
    lines = sitetext.lines(text)
    words = [text[s:e] for s, e in lines]
    # Comments follow the article: never its first line.
    for k in range(1, len(lines)):
        line = words[k].lstrip(sitetext._LEAD)
        match = label.match(line)
        headed = match is not None and not line[match.end() :].strip(
            sitetext._TRAIL + "0123456789()"
        )
        counted = re.fullmatch(r"\(?\d+\)?\s+\S+", line) is not None and label.search(line)
        if not (headed or counted):
            continue
        stamps = [j for j in range(k + 1, len(lines)) if _stamp(words[j])]
        # Each header is followed by the comment's text.
        units = [j for j in stamps if j + 1 < len(lines) and not _stamp(words[j + 1])]
        if len(units) >= MIN_COMMENTS:
            return lines[k][0], lines[-1][1]
    return None


@functools.cache
def _label(table: tuple[sitetext.Entry, ...]) -> re.Pattern[str]:
    heads = [e.source for e in table if e.site_class == "comments" and e.kind == "label"]
    return re.compile("|".join(f"(?:{h})" for h in heads))


class AppendedComments(Check):
    """Readers' comments appended to the article's body.

    What it catches
    ---------------
    A trailing block that opens with a comment-section heading of the
    ``site_text.comments`` lexicon ("Kommentare", "12 Comments", "Commentaires") and
    holds at least two comments: a short header line with a name and a time ("Anna K.
    · 12.03.2021, 14:22", "Tom – 3 hours ago") followed by the comment's text. The
    finding spans the block from the heading to the end of the body. A heading with
    no such units after it (an article that mentions comments) is not reported.

    Scope: per record.

    Why it matters
    --------------
    Readers' comments are other authors' text in another register: they skew language
    statistics, leak personal names into the corpus and attribute opinions to the
    article's author.

    Example
    -------
    ``... the council said.`` / ``3 Kommentare`` / ``Anna K. 12.03.2021 14:22`` /
    ``Endlich tut sich was!`` / ``Bernd 12.03.2021 15:01`` / ``Und wer zahlt das?``

    How to fix the scraper
    ----------------------
    Remove the comment section (``#comments``, ``.comment-list``, Disqus and similar
    containers) before extracting the text, or stop the body at its heading.
    """

    id: ClassVar[str] = "boilerplate.comments"
    name: ClassVar[str] = "Reader comments in the body"
    severity: ClassVar[Severity] = "warning"

    def prepare(self) -> None:
        table = sitetext.entries(sitetext.ALL_CLASSES)
        sitetext.prepare(table)
        # Compiled once before the workers fork, not in each of them.
        _label(table)

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        table = sitetext.entries(sitetext.ALL_CLASSES)
        wanted = {
            i for i, e in enumerate(table) if e.site_class == "comments" and e.kind == "label"
        }
        label = _label(table)
        bodies = articles["body"].reset_index(drop=True)
        rows: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        # The chunk's bodies were screened for the whole lexicon already: only those
        # holding a comment heading are read.
        held = [
            row
            for row, owned in sorted(sitetext.candidates(bodies, table).items())
            if owned & wanted
        ]
        for row, text in sitetext.values_at(bodies, held).items():
            if not isinstance(text, str):
                continue
            span = comment_block(text, label)
            if span is not None:
                rows.append(row)
                starts.append(span[0])
                ends.append(span[1])
        return hits(
            rows, "body", "readers' comments appended to the article", start=starts, end=ends
        )
