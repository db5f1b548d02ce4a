"""Where an article ends: chrome after the last paragraph that still reads as prose.

The densest run of :mod:`corpus_qa.parse.fullpage` runs on as long as more prose
follows, so a bio, a "support us" box, a second story or a comment thread right
after the article joins it when its prose outweighs the chrome in between. Two
cuts take such tails off: short prose islands behind closing chrome, and
everything after a terminal section header (tags, comments, related stories, the
author box) when the article before it clearly outweighs what follows.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from corpus_qa.lexicons.compile import words
from corpus_qa.parse.blocks import (
    Features,
    is_comment_marker,
    is_footer,
    is_post_meta,
    is_prose,
    is_section_header,
)
from corpus_qa.parse.lines import Line
from corpus_qa.parse.widgets import is_about_heading, is_ask, promo_lines

#: A trailing island (prose after the article's closing chrome) is cut when it holds
#: at most this many prose lines and this share of the prose before it.
ISLAND_LINES = 2
ISLAND_SHARE = 0.2
#: At most this many islands are cut: a listicle's items would all look like one.
ISLANDS = 2
#: A terminal header ends the article when the prose before it is at least this many
#: times the prose after it (within the run).
TERMINAL_RATIO = 2.0
#: The same for a promo box or an author bio, which also stand between paragraphs.
BOX_RATIO = 5.0
#: Section headers that also stand between an article's paragraphs (ads, share
#: bars, a table of contents, menus): they never end an article by themselves.
#: A heading that links to an author page opens the author box.
_AUTHOR_LINK_RE = re.compile(rf"(?i)\]\([^)\s]*/{words('byline.author_paths', bounds=False)}/")
_MIDDLE_RE = re.compile(
    rf"(?i)^(?:{words('chrome.middle', bounds=False)}|{words('chrome.middle_leads', bounds=False)}.*"
    rf"|.*{words('chrome.middle_infixes', bounds=False)}.*)\W*$"
)


def is_middle_header(feat: Features) -> bool:
    """A section header that also stands between an article's parts (share bars,
    ads, menus): see :data:`_MIDDLE_RE`."""
    return _MIDDLE_RE.match(feat.plain) is not None


def _separator(line: Line, feat: Features) -> bool:
    """Chrome that closes an article: a bar of links (tags, share buttons, previous /
    next), a section header, a comment or footer line. A single link ("Read more:
    ..."), an embed's credit line ("[Clip](..) from [X](..) on [Y](..)"), a rule, an
    empty quote line or an "Advertisement" label also sit between paragraphs."""
    if line.blank or line.image_only:
        return False
    return (
        (feat.links >= 2 and feat.link_ratio >= 0.8)
        or (is_section_header(feat) and not line.ui)
        or is_comment_marker(feat)
        or is_footer(feat)
        or is_post_meta(feat)
        or _author_box(line, feat)
    )


def _author_box(line: Line, feat: Features) -> bool:
    return bool(feat.heading) and _AUTHOR_LINK_RE.search(line.words) is not None


def trim_tail(
    lines: list[Line], feats: list[Features], cards: set[int], start: int, end: int
) -> int:
    """The run's end once short prose islands after closing chrome are cut off.

    Author bios, "support us" boxes, post metadata and newsletter teasers follow
    the article behind a link line, a rule or a header. Their prose is enough to
    keep the densest run going, but it is little next to the article: an island of
    at most :data:`ISLAND_LINES` prose lines holding at most :data:`ISLAND_SHARE`
    of the prose before it is cut, and the next island is looked at.
    """
    for _ in range(ISLANDS):
        island: list[int] = []
        sep = None
        for i in range(end, start - 1, -1):
            if lines[i].blank:
                continue
            if is_prose(feats[i]) and i not in cards:
                if sep is not None:
                    break
                island.append(i)
            elif island and _separator(lines[i], feats[i]):
                sep = i
        if not island or sep is None or len(island) > ISLAND_LINES:
            return end
        before = sum(
            len(feats[i].plain) for i in range(start, sep) if is_prose(feats[i]) and i not in cards
        )
        if sum(len(feats[i].plain) for i in island) > ISLAND_SHARE * before:
            return end
        end = sep - 1
        while end > start and lines[end].blank:
            end -= 1
    return end


def _prose_chars(feats: list[Features], cards: set[int], start: int, stop: int) -> int:
    return sum(
        len(feats[i].plain) for i in range(start, stop) if i not in cards and is_prose(feats[i])
    )


def terminal_cut(
    lines: list[Line], feats: list[Features], cards: set[int], start: int, end: int
) -> int:
    """The run's end once cut at the first terminal header the article outweighs.

    A terminal header (comments, related stories, tags, about the author, a footer)
    is followed by other page parts, never by more of the article; the run still
    crosses one when enough prose follows (a second story, a comment thread). The
    cut is made at the first such header with at least :data:`TERMINAL_RATIO` times
    as much prose before it as after it.
    """
    total = _prose_chars(feats, cards, start, end + 1)
    before = 0
    for i in range(start, end + 1):
        line, feat = lines[i], feats[i]
        if line.blank:
            continue
        terminal = (
            (is_section_header(feat) and not line.ui and not _MIDDLE_RE.match(feat.plain))
            or is_comment_marker(feat)
            or is_footer(feat)
            or is_post_meta(feat)
            or _author_box(line, feat)
        )
        # A promo box or a bio also stands inside articles: only near the end.
        boxed = is_ask(feat) or is_about_heading(lines, feats, i)
        ratio = TERMINAL_RATIO if terminal else BOX_RATIO
        if (terminal or boxed) and before > 0 and before >= ratio * (total - before):
            # A promo box starts at its heading ("Enjoy our articles?" over the ask).
            end = min(promo_lines(lines, feats, i) or [i]) - 1
            while end > start and lines[end].blank:
                end -= 1
            return end
        if i not in cards and is_prose(feat):
            before += len(feat.plain)
    return end


#: A closing sentence: at least this long, and at most this many after the run.
CLOSING_CHARS = 20
CLOSING_LINES = 2


def closing_sentences(
    lines: list[Line], feats: list[Features], end: int, excluded: Callable[[Line, Features], bool]
) -> int:
    """``end`` moved over the short sentences right after the run ("Ich hoffe, euch
    gefällt es."): too short to count as prose, they scored against the run. ``excluded``
    tells chrome (the full-page parser's own test)."""
    for _ in range(CLOSING_LINES):
        i = end + 1
        while i < len(lines) and lines[i].blank:
            i += 1
        if i >= len(lines) or not _closing(lines[i], feats[i]) or excluded(lines[i], feats[i]):
            break
        end = i
    return end


def _closing(line: Line, feat: Features) -> bool:
    plain = feat.plain
    return (
        len(plain) >= CLOSING_CHARS
        and plain.endswith((".", "!", "?", "…", '"', "”", "“", "»", "«"))
        and not feat.links
        and not feat.heading
        and not feat.list_item
        and not line.tags
    )
