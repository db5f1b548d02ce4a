"""Other stories inside the article's run: a next post's header, teaser excerpts.

The densest run of :mod:`corpus_qa.parse.fullpage` keeps going as long as prose
follows, so on a blog's front page or under an article with full-text teasers it
runs across several stories. No single line tells those stories from the article,
but their blocks (the lines between two headings or chrome lines) do, by what
frames them:

- a next story opens the way the article did: a heading that is a link to the
  story's own page, with a date line ("Posted on 23 July 2013 by ...") right under
  it. An article's subheadings are neither links nor dated, so the article ends
  above such a heading;
- an author bio ("Ana Ruiz ist freie Journalistin in Berlin", "Jane Roe is a
  reporter ...") after the article's first paragraph is about the writer, not the
  story (the byline finder reads the name from it; the body keeps none of it);
- a teaser excerpt ends with its "read more" link ("Weiterlesen →", "Lire la
  suite"); its block is another story's text, never the article's (the article's
  own opening block is kept: a front page's first post may be the page's article).

The lines stay owned by the article range or become chrome spans, as before: no
line is dropped.
"""

from __future__ import annotations

import re

from corpus_qa.lexicons.compile import words
from corpus_qa.parse.blocks import Features, is_prose
from corpus_qa.parse.bylines.boxes import from_bio
from corpus_qa.parse.datelines import is_date_line
from corpus_qa.parse.lines import Line

#: A story title is at least this long (shorter linked headings are labels such as
#: "Opinion" or an author's name).
STORY_TITLE_CHARS = 15
#: A date line under a story title is short: a date, maybe a time, an author, a category.
DATED_CHARS = 160
#: How many non-blank lines under a story title its date line may come.
DATE_REACH = 2
#: A teaser excerpt holds at most this many non-blank lines.
EXCERPT_LINES = 3

#: Month names and their abbreviations; a stem takes any letters after it ("Juli").
_MONTHS = words("dates.month_abbreviations", bounds=False)
#: A date anywhere in a short line: "23. Juli 2013", "July 23, 2013", "23.07.2013", ISO.
_DATE_IN_RE = re.compile(
    r"(?i)\b(?:[0-9]{1,2}\.[ \t]?[0-9]{1,2}\.[ \t]?(?:19|20)?[0-9]{2}|(?:19|20)[0-9]{2}-[0-9]{2}"
    rf"-[0-9]{{2}}|[0-9]{{1,2}}\.?[ \t]+(?:{_MONTHS})[a-zäéû]*\.?[ \t]+(?:19|20)[0-9]{{2}}"
    rf"|(?:{_MONTHS})[a-z]*\.?[ \t]+[0-9]{{1,2}},?[ \t]+(?:19|20)[0-9]{{2}})\b"
)
#: A heading that is one link to a web page (a story's permalink), nothing else.
_LINKED_TITLE_RE = re.compile(
    r"^#{1,3}[ \t]+[*_]*\[[^\[\]]+\]\(https?://[^)\s]+(?:[ \t]+\"[^\"]*\")?\)"
)
#: A "read more" link closing a teaser excerpt, in the languages of the dumps, or its
#: short forms ("[mehr »](...)", "[…](...)").
_READ_MORE_RE = re.compile(
    rf"(?i)\[[ \t]*(?:{words('chrome.read_more', bounds=False)}"
    rf"|{words('chrome.read_the', bounds=False)}[^\]]{{0,20}}"
    r"|…|\.\.\.|\[…\]|→|»|›)[ \t]*(?:→|»|›|>|\.\.\.|…)?[ \t]*\]"
    r"\([^)\s]+\)[ \t_*]*$"
)


def _dated(feat: Features) -> bool:
    plain = feat.plain
    return len(plain) <= DATED_CHARS and (
        is_date_line(plain) or _DATE_IN_RE.search(plain) is not None
    )


def next_story(lines: list[Line], feats: list[Features], start: int, end: int) -> int | None:
    """The first linked, dated story title after the article's first paragraph, if any."""
    prose = False
    for i in range(start, end + 1):
        line = lines[i]
        if line.blank:
            continue
        if (
            prose
            and _LINKED_TITLE_RE.match(line.words)
            and len(feats[i].plain) >= STORY_TITLE_CHARS
            and _dated_within(lines, feats, i, end, DATE_REACH)
        ):
            return i
        prose = prose or is_prose(feats[i])
    return None


def teaser_blocks(
    lines: list[Line], feats: list[Features], start: int, end: int, meta: set[int]
) -> set[int]:
    """Lines of the teaser excerpts in ``start..end``: from a heading or a metadata
    line down to a line that ends with a "read more" link, except in the block that
    holds the article's first paragraph. An excerpt is short: of a longer block only
    the line with the link goes (the article's paragraphs may run up to it)."""
    out: set[int] = set()
    block: list[int] = []
    first_prose_seen = False
    protected = False
    for i in range(start, end + 1):
        line = lines[i]
        if i in meta or (not line.blank and line.heading_level > 0):
            block, protected = [], False
            continue
        if line.blank:
            continue
        block.append(i)
        if not first_prose_seen and is_prose(feats[i]):
            first_prose_seen = protected = True
        if _READ_MORE_RE.search(line.words):
            if not protected:
                out.update(block if len(block) <= EXCERPT_LINES else [i])
            block = []
    return out


def bio_paragraphs(
    lines: list[Line], feats: list[Features], start: int, end: int, meta: set[int]
) -> set[int]:
    """Short author bios in ``start..end`` below the article's first paragraph."""
    out: set[int] = set()
    prose = False
    for i in range(start, end + 1):
        if lines[i].blank or i in meta:
            continue
        if prose and not feats[i].heading and from_bio(lines, feats, i) is not None:
            out.add(i)
        prose = prose or is_prose(feats[i])
    return out


#: A comments or reviews section's header: "5 Comments", "One Comment", "6 Kommentare
#: zu “Title”", "Leserpost (150)", "Kundenbewertungen für X", "Reviews (3)".
_THREAD_WORDS = words(
    "sections.comments", "sections.reactions", "sections.letters", "sections.reviews", bounds=False
)
_THREAD_HEAD_RE = re.compile(
    rf"(?i)^(?:[0-9]+|{words('sections.comment_numbers', bounds=False)})?[ \t]*{_THREAD_WORDS}"
    rf"(?:[ \t]*\([0-9]+\))?(?:[ \t]+{words('sections.comments_on', bounds=False)}[ \t]+.{{1,120}})?"
    r"[ \t]*:?$"
)
#: How many non-blank lines under a thread header its first comment's header comes.
THREAD_REACH = 4


def comment_thread(lines: list[Line], feats: list[Features], start: int, end: int) -> int | None:
    """The header of a comments (or reviews) thread after the article's first paragraph:
    a thread header with a dated line (the first comment's author and time) under it.

    The run's terminal cut weighs the prose on both sides of such a header, and a long
    thread outweighs a short article; the dated comment under the header settles it.
    """
    prose = False
    for i in range(start, end + 1):
        if lines[i].blank:
            continue
        if (
            prose
            and _THREAD_HEAD_RE.match(feats[i].plain)
            and _dated_within(lines, feats, i, end, THREAD_REACH)
        ):
            return i
        prose = prose or is_prose(feats[i])
    return None


def _dated_within(lines: list[Line], feats: list[Features], i: int, end: int, reach: int) -> bool:
    """Whether one of the ``reach`` non-blank lines under ``i`` is a short dated line
    (or links to a comment: a comment's permalink carries its time)."""
    seen = 0
    for k in range(i + 1, end + 1):
        if lines[k].blank:
            continue
        if _dated(feats[k]) or "#comment" in lines[k].words:
            return True
        seen += 1
        if seen >= reach:
            return False
    return False


#: A comment count or comment link in a post's metadata line ("| 18 Comments", "Bisher
#: keine Kommentare", "Hinterlasse einen Kommentar", "(1 Kommentar)").
_COMMENT_COUNT_RE = re.compile(
    rf"(?i)(?:\b(?:[0-9]+|{words('sections.comment_counts', bounds=False)})"
    rf"[ \t]+{words('sections.comments', bounds=False)}\b"
    rf"|\b{words('sections.comment_invites', bounds=False)}\b)"
)
#: A post's metadata line is at most this long.
POST_META_CHARS = 300
_SEPARATED_RE = re.compile(r"[|·•]|\b[0-9]{1,2}:[0-9]{2}\b")


def is_comment_count_meta(feat: Features) -> bool:
    """A post's metadata line that counts or links its comments, beside a date, a time
    or separators ("By Ana on 31 October 2023 | 18 Comments"): never article text,
    which may mention comments but is no list of fields."""
    plain = feat.plain
    if len(plain) > POST_META_CHARS or _COMMENT_COUNT_RE.search(plain) is None:
        return False
    return _SEPARATED_RE.search(plain) is not None or _DATE_IN_RE.search(plain) is not None


#: A box's closing marker for screen readers ("Ende des Videobeitrags", "Ende der
#: weiteren Informationen", "End of gallery"): the box ends here.
_BOX_END_RE = re.compile(
    rf"(?i)^{words('chrome.box_ends', bounds=False)} (?:[\w-]+ ){{0,3}}(?P<kind>[\w-]+)$"
)
#: How many non-blank lines above its end marker a box's opening label may stand.
BOX_REACH = 12
#: A box's opening label ("Videobeitrag", "Weitere Informationen") is this short.
BOX_LABEL_CHARS = 40
#: Letters of the box kind compared with the opening label ("videobeitr", "informatio").
_STEM = 6


def marked_boxes(lines: list[Line], feats: list[Features], start: int, end: int) -> set[int]:
    """Boxes that a screen-reader marker closes: the marker, and when a short label
    naming the same kind of box opens it a few lines above, everything in between
    (a video player's labels and credits, an info box on another matter). The marker
    may stand just below ``end``: the box's text kept the run going, its marker not."""
    out: set[int] = set()
    for i in range(start, min(len(lines), end + BOX_REACH + 1)):
        match = _BOX_END_RE.match(feats[i].plain) if not lines[i].blank else None
        if match is None:
            continue
        out.add(i)
        stem = match.group("kind").casefold()[:_STEM]
        seen = 0
        for k in range(i - 1, start - 1, -1):
            if lines[k].blank:
                continue
            seen += 1
            if seen > BOX_REACH:
                break
            plain = feats[k].plain
            if len(plain) <= BOX_LABEL_CHARS and stem in plain.casefold():
                out.update(j for j in range(k, i) if not lines[j].blank)
                break
    return {i for i in out if i <= end}


#: A date stamp has at most this many letters besides its date ("am", "Uhr", a weekday).
STAMP_LETTERS = 12
STAMP_CHARS = 40
_LETTERS_RE = re.compile(r"[\W\d_]+")


def is_date_stamp(feat: Features) -> bool:
    """A line that is a date or a time stamp and little else ("19.10.19, 08:00 Uhr",
    "am 24. Januar 2022 um 15:47"): a post's or a comment's metadata, or an archive
    list, wherever it stands; never article text. A label ending in a colon
    ("Nachtrag 22.04.2020:") heads the text under it and stays."""
    plain = feat.plain
    if len(plain) > STAMP_CHARS or plain.endswith(":") or feat.heading:
        return False
    if not (is_date_line(plain) or _DATE_IN_RE.search(plain)):
        return False
    return len(_LETTERS_RE.sub("", plain)) <= STAMP_LETTERS
