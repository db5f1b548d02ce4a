"""The checks catalog: documentation, explain, user checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from corpus_qa.checks.catalog import DOC_SECTIONS, describe_checks, load_checks, section
from corpus_qa.cli import main
from corpus_qa.errors import CheckError
from tests.example_check import example_check

FIRST_TRANCHE = {
    "byline.missing",
    "email.truncated",
    "email.obfuscated",
    "image.duplicate_tag",
    "image.logo_as_content",
    "boilerplate.leak",
    "date.relative",
    "date.missing",
    "text.flattened",
    "record.duplicate",
}


def test_catalog_has_the_first_tranche_with_full_docs() -> None:
    infos = {info.id: info for info in describe_checks()}
    assert set(infos) >= FIRST_TRANCHE
    for info in infos.values():
        for heading in DOC_SECTIONS:
            assert section(info.doc, heading), f"{info.id} lacks {heading}"
        assert info.severity in ("error", "warning", "info")
    assert infos["record.duplicate"].scope == "global"
    assert infos["byline.missing"].scope == "record"


def test_loaded_checks_match_described_checks() -> None:
    loaded = {check.id: check for check in load_checks()}
    described = {info.id: info for info in describe_checks()}
    assert set(loaded) == set(described)
    for check_id, check in loaded.items():
        assert check.severity == described[check_id].severity
        assert check.scope == described[check_id].scope


def test_explain_prints_the_docstring(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "email.truncated"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("email.truncated: Truncated e-mail address")
    for heading in DOC_SECTIONS:
        assert heading in out
    assert "robertjfouser@" in out


def test_explain_unknown_id_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "no.such"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown check 'no.such'" in err


def test_explain_framework_findings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "schema.articles.title"]) == 0
    assert "Contract violation" in capsys.readouterr().out


def test_user_checks_dir_adds_a_check(tmp_path: Path) -> None:
    folder = tmp_path / "team_checks"
    folder.mkdir()
    (folder / "titles.py").write_text(example_check(), encoding="utf-8")
    ids = {info.id for info in describe_checks([folder])}
    assert "team.shouting_title" in ids
    loaded = {check.id for check in load_checks([folder])}
    assert "team.shouting_title" in loaded


def test_user_check_without_docs_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    source = example_check().replace("How to fix the scraper", "Fix")
    (folder / "titles.py").write_text(source, encoding="utf-8")
    with pytest.raises(CheckError, match="lacks doc sections: How to fix the scraper"):
        load_checks([folder])


def test_user_check_with_a_taken_id_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "clash"
    folder.mkdir()
    source = example_check(check_id="byline.missing")
    (folder / "titles.py").write_text(source, encoding="utf-8")
    with pytest.raises(CheckError, match=r"share the id 'byline\.missing'"):
        load_checks([folder])


HELP_OF_EVERY_COMMAND = """
import argparse, contextlib, io, sys
from corpus_qa.cli import build_parser, main

def commands(parser, path):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield [*path, name]
                yield from commands(sub, [*path, name])

for argv in (['checks'], ['explain', 'byline.missing']):
    main(argv)
helped = [[], *commands(build_parser(), [])]
assert len(helped) > 10, helped
for path in helped:
    with contextlib.redirect_stdout(io.StringIO()) as text:
        assert main([*path, '--help']) == 0, path
    assert text.getvalue().startswith('usage: corpus-qa'), path
heavy = [m for m in ('pandas', 'pandera', 'great_expectations') if m in sys.modules]
assert not heavy, heavy
"""


def test_help_and_checks_do_not_import_pandas() -> None:
    code = HELP_OF_EVERY_COMMAND
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
