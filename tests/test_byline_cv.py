"""The byline diagnostics of accuracy/byline_cv.py on a small corpus written here."""

from __future__ import annotations

import json
import math
from pathlib import Path

from accuracy.byline_cv import Scored, collect, fit, right_picks
from accuracy.run import split_of
from tests.test_parse_fullpage import page


def _dev_ids(n: int) -> list[str]:
    ids = (f"page{k:04d}" for k in range(1000))
    return [i for i in ids if split_of(i) == "dev"][:n]


def _corpus(tmp_path: Path, pages: list[tuple[str, str]]) -> Path:
    (tmp_path / "pages").mkdir()
    gold = []
    for pid, (meta, author) in zip(_dev_ids(len(pages)), pages, strict=True):
        (tmp_path / "pages" / f"{pid}.md").write_text(page(meta), encoding="utf-8")
        gold.append(
            {
                "id": pid,
                "file": f"{pid}.md",
                "author": author,
                "domain": "example.org",
                "author_status": "gold",
                "derived": {"author_in_md": "verbatim"},
            }
        )
    (tmp_path / "gold.jsonl").write_text("\n".join(json.dumps(g) for g in gold) + "\n")
    return tmp_path


def test_collect_sees_every_candidate_and_which_is_right(tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path,
        [
            ("Von Ingrid Vossberg | 12.03.2024", "Ingrid Vossberg"),
            # The gold names a person the page never credits: no candidate is right.
            ("Von Ingrid Vossberg | 12.03.2024", "Talvik Brenner"),
            # A name alone beside the date whose given name no lexicon knows: rejected.
            ("Talvik Brenner\n\n12.03.2024", "Talvik Brenner"),
        ],
    )
    pages, eligible, matched = collect(corpus, "dev")
    assert (eligible, matched) == (3, 1)
    right, wrong, unknown = pages.values()
    assert right_picks([right], lambda c: c.hand) == 1
    assert right_picks([wrong], lambda c: c.hand) == 0 and not any(c.right for c in wrong)
    assert all(c.hand == -math.inf for c in unknown if c.right)
    assert any(c.right and c.weak_unknown for c in unknown)


def test_fit_learns_which_evidence_names_the_author() -> None:
    # Two features: the first marks the right candidate on every page.
    pages = [
        [Scored((1.0, 0.0), 0.0, True, False), Scored((0.0, 1.0), 1.0, False, False)]
        for _ in range(20)
    ]
    weights = fit(pages)[:-1]
    assert weights[0] > weights[1]
    assert right_picks(pages, lambda c: float(c.x @ weights)) == 20
    assert right_picks(pages, lambda c: c.hand) == 0
