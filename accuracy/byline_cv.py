"""Where byline misses come from, and whether learned weights would rank better.

``python -m accuracy.byline_cv --corpus CORPUS`` collects every byline candidate the
finders propose on the dev pages (the real parser; :func:`find_byline` is wrapped to
see them) and prints aggregate counts only, never page text:

- the ranking's ceiling: pages where some scorable candidate names the gold author,
  against the pages where the hand-weighted :class:`~corpus_qa.parse.bylines.rank.Ranker`
  picks it (a miss beyond the ceiling is the finders', not the ranking's);
- a candidate-level logistic model over the ranker's own evidence (kind, position,
  comments, given name, echoes), fitted on one half of dev and scored on the other
  (halves by a salted hash, several salts), beside the hand weights on the same half.
  The hand weights were tuned on all of dev, which favours them: the model would be
  worth shipping (as constants) only if it won all the same.
"""

from __future__ import annotations

import argparse
import hashlib
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np

from accuracy.run import PRESENT, load_gold, split_of
from accuracy.score import names_match
from corpus_qa.parse import fullpage, parse_page
from corpus_qa.parse.bylines import page as pagebyline
from corpus_qa.parse.bylines.names import known_given_name
from corpus_qa.parse.bylines.rank import KIND_SCORE, WEAK, Ranker
from corpus_qa.parse.bylines.site import host_names, labels_of, site_host
from corpus_qa.parse.lines import Line

KINDS = sorted(KIND_SCORE)


@dataclass(frozen=True)
class Scored:
    """One candidate: its evidence as numbers, the hand score, and whether it is right."""

    x: tuple[float, ...]
    hand: float
    right: bool
    weak_unknown: bool


def features(ranker: Ranker, kind: str, line: int, names: str) -> tuple[float, ...]:
    """The evidence :meth:`Ranker.score` weighs, as features of a linear model."""
    k = ranker.rank.get(line, 0)
    inside = k >= 0 and line <= ranker.end
    after = k >= 0 and line > ranker.end
    comments = ranker.comments is not None and line >= ranker.comments
    return (
        *(float(kind == kd) for kd in KINDS),
        float(inside),
        float(inside) * min(k, 25) / 25,
        float(after),
        min(k - ranker.end_rank, 60) / 60 if after else 0.0,
        float(k < 0),
        min(-k, 30) / 30 if k < 0 else 0.0,
        float(comments),
        float(known_given_name(names.split(", ")[0])),
        min(3, ranker.repeated(names, line)) / 3,
    )


@contextmanager
def candidates_seen() -> Iterator[list[list[tuple[Ranker, str, int, str, float]]]]:
    """Wrap the parser's byline search to record every candidate of each call."""
    calls: list[list[tuple[Ranker, str, int, str, float]]] = []
    real = pagebyline.find_byline

    def spy(lines: list[Line], feats: Any, first: int, end: int) -> Any:
        host = site_host(line.text for line in lines)
        site = labels_of(host) if host else frozenset()
        ranker = Ranker(lines, feats, first, end)
        owners = host_names(host) if host else frozenset()
        cands, _own = pagebyline._collect(lines, feats, first, end, site, owners, None)
        seen = []
        for cand in cands:
            names = cand.names
            if cand.kind == "link":
                names = pagebyline._more_authors(lines, feats, cand.line, names, site)
            seen.append((ranker, cand.kind, cand.line, names, ranker.score(cand)))
        calls.append(seen)
        return real(lines, feats, first, end)

    with mock.patch.object(fullpage, "find_byline", spy):
        yield calls


def collect(corpus: Path, split: str) -> tuple[dict[str, list[Scored]], int, int]:
    """Candidates of the main article per eligible page; eligible and matched counts."""
    pages: dict[str, list[Scored]] = {}
    eligible = matched = 0
    for page in load_gold(corpus):
        if split_of(page["id"]) != split:
            continue
        if page["author_status"] != "gold" or page["derived"]["author_in_md"] not in PRESENT:
            continue
        eligible += 1
        text = (corpus / "pages" / page["file"]).read_text(encoding="utf-8")
        with candidates_seen() as calls:
            parsed = parse_page(text, page["file"])
        byline = parsed.articles[0].byline if parsed.articles else None
        matched += names_match(byline, page["author"], page["domain"])
        if not calls:
            continue
        pages[page["id"]] = [
            Scored(
                features(ranker, kind, line, names),
                hand,
                names_match(names, page["author"], page["domain"]),
                kind in WEAK and not known_given_name(names.split(", ")[0]),
            )
            for ranker, kind, line, names, hand in calls[0]
        ]
    return pages, eligible, matched


def fit(pages: list[list[Scored]], l2: float = 1.0, steps: int = 3000) -> np.ndarray:
    """Logistic regression (weights, then bias) by gradient descent: deterministic."""
    rows = [c for cands in pages for c in cands if c.hand > -math.inf]
    x = np.array([c.x for c in rows])
    y = np.array([float(c.right) for c in rows])
    w = np.zeros(x.shape[1] + 1)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w[:-1] + w[-1])))
        grad = np.append(x.T @ (p - y) + 2 * l2 * w[:-1], np.sum(p - y))
        w -= 0.5 * grad / len(rows)
    return w


def right_picks(pages: list[list[Scored]], score: Callable[[Scored], float]) -> int:
    """Pages whose best-scored candidate (among those the ranker keeps) is right."""
    total = 0
    for cands in pages:
        kept = [c for c in cands if c.hand > -math.inf]
        total += bool(kept) and max(kept, key=score).right
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora/trafilatura-eval"))
    parser.add_argument("--salts", type=int, default=5)
    args = parser.parse_args(argv)
    pages, eligible, matched = collect(args.corpus, "dev")
    cands = list(pages.values())
    print(f"dev: {eligible} pages with the gold author in the text, byline matches {matched}")
    print(f"  hand ranking picks the right candidate     {right_picks(cands, lambda c: c.hand)}")
    print(f"  ceiling: a kept candidate is right          {sum(any(c.right and c.hand > -math.inf for c in p) for p in cands)}")  # fmt: skip
    print(f"  some candidate is right (rejected included) {sum(any(c.right for c in p) for p in cands)}")  # fmt: skip
    print(f"  the right one rejected only for its unknown given name {sum(not any(c.right and c.hand > -math.inf for c in p) and any(c.right and c.weak_unknown for c in p) for p in cands)}")  # fmt: skip
    print("  2-fold CV, right picks on the held-out half: hand / logistic")
    for salt in range(args.salts):
        half = {pid: int(hashlib.sha1(f"{pid}{salt}".encode()).hexdigest()[:4], 16) % 2 for pid in pages}  # fmt: skip
        cells = []
        for fold in (0, 1):
            train = [c for pid, c in pages.items() if half[pid] != fold]
            test = [c for pid, c in pages.items() if half[pid] == fold]
            weights = fit(train)[:-1]
            learned = right_picks(test, lambda c: float(np.dot(c.x, weights)))  # noqa: B023
            cells.append(f"{right_picks(test, lambda c: c.hand)}/{learned} of {len(test)}")
        print(f"    salt {salt}: " + ", ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
