"""Teaser cards: runs of "title, short teaser, link" blocks that follow an article.

Related-stories widgets often come without a header a vocabulary could recognize:
just cards, each a (linked) headline, maybe a label or date, one teaser sentence or
two and a link. A teaser alone reads like prose, so the body finder would take a run
of them for more article. What gives them away is their rhythm: article paragraphs
follow each other, while each teaser stands alone between a headline and a link,
and the same shape repeats card after card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus_qa.parse.blocks import Features, is_consent, is_prose, is_section_header
from corpus_qa.parse.lines import Line

#: A teaser longer than this is an article paragraph, whatever surrounds it.
MAX_TEASER = 400
#: This many cards in a row make a run (two could be a subheaded article).
MIN_CARDS = 3
#: A headline is at most this long.
MAX_TITLE = 160
#: Non-prose lines looked at before (headline, label, date) and after (link) a teaser.
BEFORE, AFTER = 4, 3
_SENTENCE_END = (".", "!", "?", ":", ";", "…")
#: A link target (images already stripped from the line); one to an image file is a
#: gallery's "full size" link, and a script or anchor link a slideshow's buttons, not
#: links to another article.
_TARGET_RE = re.compile(r"\]\(\s*<?([^)\s>]*)")
_IMAGE_FILE_RE = re.compile(r"(?i)\.(?:jpe?g|png|gif|webp|svg)(?:[?#]|$)|^(?:javascript:|#|$)")


@dataclass(frozen=True)
class _Card:
    teaser: int
    first: int
    last: int
    #: Position of the teaser among the non-blank lines.
    pos: int


def _linked(line: Line) -> bool:
    """A link to another page (a linked image alone does not count: avatars, galleries)."""
    return any(not _IMAGE_FILE_RE.search(t) for t in _TARGET_RE.findall(line.words))


def _headline(feat: Features) -> bool:
    """A heading, or a short line of text that is not a sentence (linked or not)."""
    n = len(feat.plain)
    if not 3 <= n <= MAX_TITLE or "|" in feat.plain:  # table rows are no headlines
        return False
    return bool(feat.heading) or not feat.plain.endswith(_SENTENCE_END)


def card_runs(lines: list[Line], feats: list[Features]) -> list[tuple[int, int]]:
    """(first, last) line indexes of each run of at least :data:`MIN_CARDS` cards.

    A card is a prose line shorter than :data:`MAX_TEASER` with no prose right
    before or after it, a headline among the lines just above it, and a link (or a
    linked image) among the lines around it. Consecutive cards (no other prose in
    between) whose teasers are the same number of lines apart, give or take one,
    form a run, which spans its cards' surrounding lines.
    """
    nonblank = [i for i, line in enumerate(lines) if not line.blank]
    prose = {i for i in nonblank if is_prose(feats[i]) and not is_consent(feats[i])}
    cards: list[_Card | None] = []
    for pos, i in enumerate(nonblank):
        if i not in prose:
            continue
        before: list[int] = []
        for j in reversed(nonblank[max(0, pos - BEFORE) : pos]):
            if j in prose:
                break
            before.insert(0, j)
        after: list[int] = []
        for j in nonblank[pos + 1 : pos + 1 + AFTER]:
            if j in prose:
                break
            after.append(j)
        near = before + after
        if (
            len(feats[i].plain) > MAX_TEASER
            or not before
            or not after
            or not any(_headline(feats[j]) for j in before)
            or not any(_linked(lines[j]) for j in near)
        ):
            cards.append(None)  # prose that is no card breaks a run
            continue
        # The card starts at its headline block: a section header, heading or link;
        # a short closing line of the article above stays out.
        head = next((j for j in before if _opens(lines[j], feats[j])), before[0])
        cards.append(_Card(i, head, after[-1], pos))
    runs: list[tuple[int, int]] = []
    group: list[_Card] = []
    for card in cards:
        if card is not None and group:
            step = card.pos - group[-1].pos
            # Cards repeat one shape: teasers the same number of lines apart, give or
            # take one, and close together.
            if step > BEFORE + AFTER + 1 or (
                len(group) > 1 and abs(step - (group[-1].pos - group[-2].pos)) > 1
            ):
                _close(group, runs)
                group = []
        if card is None:
            _close(group, runs)
            group = []
        else:
            group.append(card)
    _close(group, runs)
    return runs


def _opens(line: Line, feat: Features) -> bool:
    return bool(feat.heading) or is_section_header(feat) or _linked(line) or bool(line.tags)


def _close(group: list[_Card], runs: list[tuple[int, int]]) -> None:
    if len(group) >= MIN_CARDS:
        runs.append((group[0].first, group[-1].last))


#: Lines a link's text may run over before its ``](target)`` closes it.
MAX_LINK_LINES = 12


def multiline_links(lines: list[Line]) -> set[int]:
    """Indexes of lines inside a link whose text runs over several lines.

    html2text writes a link around a whole block (a card, a classified ad) as ``[``
    on one line, the block's text on the next ones and ``](target)`` at the end.
    Each line alone looks like prose; together they are one link.
    """
    out: set[int] = set()
    i = 0
    while i < len(lines):
        words = lines[i].words
        if words.count("[") > words.count("]") and "](" not in words[words.rfind("[") :]:
            for j in range(i + 1, min(len(lines), i + 1 + MAX_LINK_LINES)):
                later = lines[j].words
                if later.count("]") > later.count("[") and "](" in later:
                    out.update(range(i, j + 1))
                    i = j
                    break
        i += 1
    return out
