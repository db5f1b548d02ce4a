"""The check protocol: global checks' declared columns, one finalize, confirming checks,
and typed options, as the framework drives them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pandas as pd
import pytest

from corpus_qa.checks.api import (
    GLOBAL_HIT_COLUMNS,
    Check,
    ConfirmingGlobalCheck,
    GlobalCheck,
    Rows,
    TextKey,
    no_global_hits,
)
from corpus_qa.checks.catalog import load_checks
from corpus_qa.checks.global_state import GlobalStates
from corpus_qa.checks.options import CheckOptions
from corpus_qa.errors import CheckError, ConfigError
from corpus_qa.gate.policy import load_policy
from corpus_qa.model import ArticleDraft
from corpus_qa.run.chunk import finalize_globals
from corpus_qa.tables.build import build_tables, drafts_frame
from tests.conftest import run_check

BODIES = {
    "de.md": "Der Stadtrat hat am Dienstag den Haushalt für das kommende Jahr beschlossen.",
    "ko.md": "서울시는 화요일 내년도 예산안을 의결했다고 밝혔다.",
    "en.md": "The city council approved next year's budget on Tuesday.",
    "en-copy.md": "The city council approved next year's budget on Tuesday.",
    "en-edit.md": "The city council approved next year's budget on Tuesday evening.",
}


def _articles(names: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    drafts = [
        ArticleDraft(
            record_id=f"{name}#0",
            source_path=name,
            line_start=1,
            line_end=3,
            role="main",
            title="Haushalt" if name.startswith("de") else "Budget",
            title_line=1,
            body=BODIES[name],
            body_lines=[3],
            outlet="Stadtblatt" if name.startswith("de") else "City Times",
        )
        for name in names
    ]
    return build_tables(drafts_frame(drafts))


class SameTitle(GlobalCheck):
    """Articles of one title (test double: records what the framework hands it)."""

    id: ClassVar[str] = "test.same_title"
    name: ClassVar[str] = "Same title"
    spilled: ClassVar[tuple[str, ...]] = ("record_id", "source_path", "line", "outlet")
    calls: ClassVar[list[int]] = []

    def observe(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "title": articles["title"].to_numpy(),
                "record_id": articles["record_id"].to_numpy(),
                "source_path": articles["source_path"].to_numpy(),
                "line": articles["line_start"].to_numpy(),
                "outlet": articles["outlet"].to_numpy(),
            }
        )

    def finalize(self, state: pd.DataFrame, rows: Rows | None = None) -> pd.DataFrame:
        assert rows is not None and len(state)
        self.calls.append(len(state))
        repeats = state.index[state["title"].duplicated()].to_numpy()
        if not len(repeats):
            return no_global_hits()
        taken = self.spilled_rows(state, rows).take(repeats)
        return taken.assign(
            field="title", evidence=None, start=pd.NA, end=pd.NA, message="title repeats"
        )[list(GLOBAL_HIT_COLUMNS)]


class SameBody(ConfirmingGlobalCheck):
    """Same title, then the same body on the re-read texts (test double)."""

    id: ClassVar[str] = "test.same_body"
    name: ClassVar[str] = "Same body"
    spilled: ClassVar[tuple[str, ...]] = ("record_id", "source_path", "line", "outlet")
    observe = SameTitle.observe

    def wanted(self, state: pd.DataFrame, rows: Rows | None = None) -> set[TextKey]:
        taken = self.spilled_rows(state, rows).take(state.index.to_numpy())
        self.keys = [
            (str(p), int(n)) for p, n in zip(taken["source_path"], taken["line"], strict=True)
        ]
        return set(self.keys)

    def confirm(
        self, state: pd.DataFrame, texts: Mapping[TextKey, str], rows: Rows | None = None
    ) -> pd.DataFrame:
        bodies = pd.Series([texts[key] for key in self.keys])
        repeats = bodies.index[bodies.duplicated()].to_numpy()
        taken = self.spilled_rows(state, rows).take(repeats)
        return taken.assign(
            field="body", evidence=None, start=pd.NA, end=pd.NA, message="same body"
        )[list(GLOBAL_HIT_COLUMNS)]


def _fetch(wanted: set[TextKey]) -> dict[TextKey, str]:
    return {key: BODIES[key[0]] for key in wanted}


@pytest.mark.parametrize("spill", [True, False])
def test_global_checks_get_their_rows_and_no_empty_state(spill: bool) -> None:
    checks = [SameTitle(), SameBody()]
    SameTitle.calls.clear()
    empty, _ = _articles([])
    with GlobalStates(checks, spill=spill) as states:
        for chunk in (["de.md", "en.md"], [], ["en-copy.md", "ko.md", "en-edit.md"]):
            articles, images = _articles(chunk) if chunk else (empty, empty)
            states.add({c.id: c.observe(articles, images) for c in checks})
        found = finalize_globals(checks, states, load_policy(), _fetch)
    # The empty chunk added nothing; finalize ran once, on the whole state.
    assert SameTitle.calls == [5]
    by_check = found.groupby("check")["source_path"].apply(list).to_dict()
    assert by_check == {
        "test.same_title": ["en-copy.md", "ko.md", "en-edit.md"],
        "test.same_body": ["en-copy.md"],
    }


def test_nothing_observed_is_no_findings_without_finalize() -> None:
    SameTitle.calls.clear()
    with GlobalStates([SameTitle()]) as states:
        found = finalize_globals([SameTitle()], states, load_policy())
    assert found.empty and SameTitle.calls == []


def test_a_confirming_check_needs_the_texts() -> None:
    check = SameBody()
    articles, images = _articles(["en.md", "en-copy.md"])
    with GlobalStates([check]) as states:
        states.add({check.id: check.observe(articles, images)})
        with pytest.raises(ValueError, match=r"test\.same_body confirms candidates on texts"):
            finalize_globals([check], states, load_policy())
    with pytest.raises(TypeError, match="finalized with wanted"):
        check.finalize(check.observe(articles, images))


def test_declared_columns_default_to_none() -> None:
    class Plain(GlobalCheck):
        id = "test.plain"

    assert (Plain.spilled, Plain.encoded) == ((), ())
    assert Plain().options == CheckOptions()


@dataclass(frozen=True)
class WordOptions(CheckOptions):
    min_words: int = 5
    languages: tuple[str, ...] = ("de", "en")


class FewWords(Check):
    id: ClassVar[str] = "test.few_words"
    Options = WordOptions
    options: WordOptions


def test_a_check_parses_a_mapping_into_its_options() -> None:
    check = FewWords({"min_words": 3, "languages": ["ko"]})
    assert check.options == WordOptions(3, ("ko",))
    assert FewWords().options.min_words == 5
    with pytest.raises(ConfigError) as raised:
        FewWords({"min_words": "three"})
    assert str(raised.value) == 'test.few_words.options.min_words: expected an integer, got "three"'
    with pytest.raises(TypeError, match="options must be WordOptions"):
        FewWords(CheckOptions())


USER_CHECK = '''
"""A team's own check, with options."""

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from corpus_qa.checks.api import Check, hits
from corpus_qa.checks.options import CheckOptions


{decorator}
class ShortOptions(CheckOptions):
    #: Bodies with fewer words are flagged.
    min_words: int = 3


class ShortBody(Check):
    """Bodies of a few words.

    What it catches
    ---------------
    Bodies with fewer than ``min_words`` words.

    Why it matters
    --------------
    The scraper kept a teaser, not the article.

    Example
    -------
    ``Mehr dazu in Kürze.``

    How to fix the scraper
    ----------------------
    Follow the teaser to the article page.
    """

    id: ClassVar[str] = "team.short_body"
    name: ClassVar[str] = "Short body"
    severity: ClassVar[str] = "warning"
    Options = ShortOptions
    options: ShortOptions

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        words = articles["body"].astype("str").fillna("").str.split().str.len()
        rows = np.flatnonzero((words < self.options.min_words).to_numpy())
        return hits(rows, "body", "body of a few words")
'''

RECORDS = [
    {"id": "de-1", "title": "Haushalt", "text": "Mehr dazu in Kürze.", "author": "A. Weber"},
    {
        "id": "ko-1",
        "title": "예산",
        "text": "서울시는 화요일 내년도 예산안을 의결했다.",
        "author": "김민수",
    },
    {"id": "en-1", "title": "Budget", "text": BODIES["en.md"], "author": "J. Smith"},
]


def _user_dump(tmp_path: Path, frozen: bool = True) -> tuple[Path, Path]:
    folder = tmp_path / "team_checks"
    folder.mkdir()
    source = USER_CHECK.replace("{decorator}", "@dataclass(frozen=True)" if frozen else "")
    (folder / "short.py").write_text(source, encoding="utf-8")
    dump = tmp_path / "feed.jsonl"
    dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS))
    return folder, dump


def test_a_user_checks_options_are_validated_and_used(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, dump = _user_dump(tmp_path)
    policy = tmp_path / "policy.toml"
    policy.write_text('[checks."team.short_body".options]\nmin_words = "few"\n')
    args = ("--checks-dir", str(folder), "--policy", str(policy))
    code, _, _ = run_check(dump, tmp_path / "bad", *args)
    assert code == 2
    assert capsys.readouterr().err.strip() == (
        f'corpus-qa: error: {policy}: checks."team.short_body".options.min_words: '
        'expected an integer, got "few"'
    )
    policy.write_text('[checks."team.short_body"]\nmax_count = 5\noptions = { min_words = 8 }\n')
    _, _, findings = run_check(dump, tmp_path / "eight", *args)
    short = sorted(f["record_id"] for f in findings if f["check"] == "team.short_body")
    # Eight words: the German teaser and the Korean sentence (five words) are short.
    assert short == ["de-1", "ko-1"]
    policy.write_text('[checks."team.short_body"]\nmax_count = 5\n')
    _, _, findings = run_check(dump, tmp_path / "three", *args)
    assert [f["record_id"] for f in findings if f["check"] == "team.short_body"] == []


def test_options_must_be_a_dataclass_of_their_own(tmp_path: Path) -> None:
    folder, _ = _user_dump(tmp_path, frozen=False)
    with pytest.raises(CheckError, match=r"team\.short_body: Options must be a frozen dataclass"):
        load_checks([folder])
