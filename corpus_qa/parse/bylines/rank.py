"""Ranking byline candidates on a full page: which of the names found is the author.

The finders of :mod:`corpus_qa.parse.bylines.page` and :mod:`corpus_qa.parse.bylines.boxes`
propose candidates anywhere on the page; each gets a score from general evidence,
never from what a site is called:

- how explicit the signal is (a by-word or an author link before an author box, a
  bare name beside the dateline, a sign-off or a copyright line);
- where it stands: next to the title and dateline first, then inside the article,
  just after it (author boxes), above it, and the rest of the page last; inside the
  comments, a "par X le ..." names a commenter, not the author;
- whether the name opens with a given name of a multilingual lexicon (a weak signal
  alone, "Spot Charakter" or "Öffentliche Sicherheit", is no byline without one);
- whether the page repeats the name outside its prose (a portrait, an author box,
  a profile link), as pages do for their author and not for a person they quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus_qa.lexicons.compile import words
from corpus_qa.parse.blocks import Features, is_comment_marker, is_prose, is_section_header
from corpus_qa.parse.bylines.names import clean, desk_name, known_given_name
from corpus_qa.parse.bylines.site import fold
from corpus_qa.parse.bylines.weights import WEIGHTS
from corpus_qa.parse.lines import Line

#: Two of the weights (:mod:`corpus_qa.parse.bylines.weights`) under the names the
#: accuracy harness imports them by.
KIND_SCORE = WEIGHTS.kind_score
WEAK = WEIGHTS.weak
_COMMENT_HEAD = re.compile(
    rf"(?i)\b{words('sections.comments', 'sections.reactions', bounds=False)}\b"
)


def tail_start(lines: list[Line], end: int) -> int:
    """The last line of the author-box zone, ``WEIGHTS.box_lines`` non-blank lines after
    the article's ``end``: past it stand teasers, tag lists and footers."""
    seen = 0
    for i in range(end + 1, len(lines)):
        if not lines[i].blank:
            seen += 1
            if seen >= WEIGHTS.box_lines:
                return i
    return len(lines)


@dataclass(frozen=True)
class Candidate:
    """Names proposed by one finder on line ``line``: ``kind`` says which evidence
    (``marker``: a by-word; ``link``: an author link or portrait; ``box``: an author or
    contact box; ``meta``/``timed``: a bare name on a metadata line next to the title;
    ``poster``: a forum poster over the user box's figures;
    ``profile``: a link whose address spells the name; ``sign_off``: a name closing
    the article; ``copyright``: a person in a copyright line)."""

    names: str
    line: int
    kind: str


class Ranker:
    """Scores candidates on one page, relative to the article's lines."""

    def __init__(self, lines: list[Line], feats: list[Features], first: int, end: int) -> None:
        self.lines, self.feats, self.first, self.end = lines, feats, first, end
        # Non-blank lines counted from the article's first line (the title).
        self.rank: dict[int, int] = {}
        k = 0
        for i in range(first, len(lines)):
            if not lines[i].blank:
                self.rank[i] = k
                k += 1
        k = 0
        for i in range(first - 1, -1, -1):
            if not lines[i].blank:
                k += 1
                self.rank[i] = -k
        self.end_rank = self.rank.get(end, 0)
        self._comments: int | None = None
        self._looked = False
        #: Names that two kinds of evidence on distant lines propose (see :meth:`vouch`).
        self.vouched: frozenset[str] = frozenset()

    def vouch(self, cands: list[Candidate]) -> None:
        """Names two different finders propose on lines apart ("Kanae Roe" beside the
        date and again over the bio): independent evidence that stands in for a
        given name the lexicon lacks."""
        seen: dict[str, set[tuple[str, int]]] = {}
        for cand in cands:
            finder = WEIGHTS.finder.get(cand.kind, cand.kind)
            seen.setdefault(cand.names.split(", ")[0], set()).add((finder, cand.line))
        vouched = set()
        for name, where in seen.items():
            if any(
                ka != kb and ka in WEIGHTS.personal and abs(la - lb) > WEIGHTS.apart
                for ka, la in where
                for kb, lb in where
            ):
                vouched.add(name)
        self.vouched = frozenset(vouched)

    @property
    def comments(self) -> int | None:
        """The first comment line (looked for on the first candidate that needs it)."""
        if not self._looked:
            self._comments, self._looked = self._comments_start(), True
        return self._comments

    def _comments_start(self) -> int | None:
        """The first comment marker or comments header after the article's title."""
        for i in range(self.first + 1, len(self.lines)):
            feat = self.feats[i]
            if self.lines[i].blank:
                continue
            if is_comment_marker(feat):
                return i
            if is_section_header(feat) and _COMMENT_HEAD.search(feat.plain or feat.unlinked):
                return i
        return None

    def position(self, i: int) -> float:
        """Closer to the title and dateline is better; inside the comments is worst."""
        w = WEIGHTS
        k = self.rank.get(i, 0)
        if k >= 0 and i <= self.end:
            score = w.inside_top - w.inside_step * k if k < w.inside_reach else w.inside_far
        elif k >= 0:
            score = self._position_after(k - self.end_rank)
        else:
            score = max(w.above_floor, w.above_top - w.above_step * (-k))
        if self.comments is not None and i >= self.comments:
            score += w.in_comments
        return score

    def tail_bound(self) -> float:
        """No candidate in the page's tail scores above this: the best kind, the
        position ``WEIGHTS.box_lines`` lines after the article, a known given name and
        the most echoes :meth:`score` counts."""
        w = WEIGHTS
        best = max(w.kind_score.values()) + self._position_after(w.box_lines)
        return best + w.known_name + w.echo * w.echo_max

    def _position_after(self, lines_after_end: int) -> float:
        return max(0.0, WEIGHTS.after_top - WEIGHTS.after_step * lines_after_end)

    def in_tail(self, i: int) -> bool:
        """Past the author-box zone after the article: teasers, tag lists, footers."""
        return self.rank.get(i, 0) > self.end_rank + WEIGHTS.box_lines

    def repeated(self, names: str, line: int) -> int:
        """Lines next to ``line`` (four non-blank lines either way) that show the
        first name again, as text or as a picture's caption: an author box's portrait,
        name and profile link say it two or three times."""
        name = fold(names.split(", ")[0])
        if len(name) < 6:
            return 0
        count = 0
        for step in (-1, 1):
            j, seen = line + step, 0
            while 0 <= j < len(self.lines) and seen < 4:
                if not self.lines[j].blank:
                    seen += 1
                    if not is_prose(self.feats[j]) and name in fold(self._text(j)):
                        count += 1
                j += step
        return count

    def _text(self, i: int) -> str:
        line = self.lines[i]
        return clean(line.words) + " " + " ".join(tag.alt for tag in line.tags)

    def score(self, cand: Candidate) -> float:
        w = WEIGHTS
        if cand.kind in w.weak and cand.kind not in w.footer and self.in_tail(cand.line):
            return float("-inf")
        score = w.kind_score[cand.kind] + self.position(cand.line)
        first = cand.names.split(", ")[0]
        # A desk printed where a byline goes ("ET Online" over the date) credits it.
        known = (
            known_given_name(first)
            or (cand.kind in w.beside_date and desk_name(first))
            or first in self.vouched
        )
        if known:
            score += w.known_name
        elif cand.kind in w.weak:
            return float("-inf")
        elif cand.kind in w.dated:
            score += w.unknown_dated
        repeated = self.repeated(cand.names, cand.line)
        if cand.kind in w.echoed and not repeated:
            return float("-inf")
        return score + w.echo * min(w.echo_max, repeated)
