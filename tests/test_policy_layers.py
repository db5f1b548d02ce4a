"""Policies layer on the default; every key, check id and option is checked at load."""

from __future__ import annotations

import tomllib
from dataclasses import asdict
from pathlib import Path

import pytest

from corpus_qa.checks.builtin.near_duplicate import NearDuplicateOptions
from corpus_qa.checks.builtin.recurring import BoilerplateRecurring, RecurringOptions
from corpus_qa.checks.builtin.text import FlattenedOptions, TextFlattened
from corpus_qa.checks.catalog import check_classes, describe_checks
from corpus_qa.checks.options import option_types
from corpus_qa.cli import main
from corpus_qa.errors import ConfigError
from corpus_qa.gate.policy import default_policy_path, load_policy
from tests.conftest import run_check


def _policy(tmp_path: Path, text: str, name: str = "policy.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(ConfigError) as raised:
        load_policy(path)
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_a_user_policy_extends_the_default_key_by_key(tmp_path: Path) -> None:
    path = _policy(
        tmp_path,
        '[checks."byline.missing"]\nmax_rate = 0.25\n'
        '[checks."boilerplate.recurring".options]\nmin_pages = 9\n',
    )
    policy, default = load_policy(path), load_policy()
    byline = policy.for_check("byline.missing")
    assert byline.max_rate == 0.25
    # Everything else of the check, and of every other check, is the default's.
    assert byline.severity == "error" and byline.max_increase == 5
    assert byline.exempt == {"genre": ("editorial",)}
    assert policy.for_check("boilerplate.recurring").options == RecurringOptions(min_pages=9)
    for check_id in ("email.truncated", "record.duplicate", "schema.articles.body", "input.x"):
        assert policy.for_check(check_id) == default.for_check(check_id)
    assert policy.template_break == default.template_break
    assert policy.fail_on == "error"
    assert policy.sources == (str(default_policy_path()), str(path))


def test_extends_none_stands_alone(tmp_path: Path) -> None:
    path = _policy(tmp_path, 'extends = "none"\n[checks."byline.missing"]\nmax_rate = 0.25\n')
    policy = load_policy(path)
    assert policy.for_check("byline.missing").severity is None
    assert policy.for_check("email.truncated") is policy.defaults
    assert policy.template_break is None
    assert policy.sources == (str(path),)


def test_an_exempt_table_replaces_the_defaults(tmp_path: Path) -> None:
    path = _policy(tmp_path, '[checks."byline.missing"]\nexempt = {}\n')
    assert load_policy(path).for_check("byline.missing").exempt == {}


def test_options_are_typed_with_their_defaults(tmp_path: Path) -> None:
    policy = load_policy(
        _policy(tmp_path, '[checks."record.near_duplicate".options]\nthreshold = 1\n')
    )
    options = policy.for_check("record.near_duplicate").options
    assert options == NearDuplicateOptions(threshold=1.0, shingle=5, num_perm=64, min_words=50)
    assert isinstance(options, NearDuplicateOptions) and isinstance(options.threshold, float)
    # A check reads its options as attributes, built from the policy's typed value.
    assert TextFlattened(policy.for_check("text.flattened").options).options.min_chars == 1000
    assert BoilerplateRecurring({"min_pages": 3}).options.min_pages == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[checks."text.flattened".options]\nmin_chars = "abc"\n',
            'checks."text.flattened".options.min_chars: expected an integer, got "abc"',
        ),
        (
            '[checks."text.flattened".options]\nmin_chars = 2.5\n',
            'checks."text.flattened".options.min_chars: expected an integer, got 2.5',
        ),
        (
            '[checks."boilerplate.leak".options]\nphrases = ["Abonnieren", 3]\n',
            'checks."boilerplate.leak".options.phrases: expected a list of strings',
        ),
        (
            '[checks."record.near_duplicate".options]\nthreshold = true\n',
            "options.threshold: expected a number, got true",
        ),
        (
            '[checks."text.flattened".options]\nmin_char = 10\n',
            'options.min_char: unknown option (known: min_chars); did you mean "min_chars"?',
        ),
        (
            '[checks."byline.missing".options]\nlanguages = ["de"]\n',
            "options.languages: unknown option (known: none)",
        ),
        ('[checks."schema.*".options]\nx = 1\n', "options belong to one check"),
        (
            '[checks."boilerplate.leek"]\nmax_rate = 0.1\n',
            'checks."boilerplate.leek": no such check; did you mean "boilerplate.leak"?',
        ),
        (
            '[checks."date.*x"]\nmax_rate = 0.1\n',
            'checks."date.*x": no such check',
        ),
        (
            '[checks."byline.missing"]\nmax_rates = 0.1\n',
            'checks."byline.missing".max_rates: unknown key; did you mean "max_rate"?',
        ),
        ('fail_onn = "warning"\n', 'fail_onn: unknown key; did you mean "fail_on"?'),
        ('extends = "strict"\n', 'extends: expected "default" or "none", got "strict"'),
        ("version = true\n", "version: expected 1, got true"),
        ('defaults = ""\n', "defaults: must be a table"),
        ('[checks."date.missing"]\nenabled = "no"\n', 'enabled: expected true or false, got "no"'),
    ],
)
def test_each_mistake_is_one_line_naming_file_check_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    path = _policy(tmp_path, text)
    error = _error(path)
    assert error.startswith(f"{path}: ")
    assert message in error


def test_errors_name_the_file_they_are_in(tmp_path: Path) -> None:
    base = _policy(tmp_path, 'extends = "none"\n[checks."text.flattened".options]\nmin_chars = 1\n')
    assert load_policy(base).for_check("text.flattened").options == FlattenedOptions(1)
    yaml_path = _policy(
        tmp_path, "checks:\n  text.flattened:\n    options:\n      min_chars: many\n", "p.yaml"
    )
    assert _error(yaml_path) == (
        f'{yaml_path}: checks."text.flattened".options.min_chars: expected an integer, got "many"'
    )


def test_framework_ids_are_known_and_patterns_must_match(tmp_path: Path) -> None:
    text = (
        '[checks."input.truncated"]\nmax_count = 1\n'
        '[checks."schema.articles.body"]\nmax_count = 2\n'
        '[checks."email.*"]\nseverity = "warning"\n'
    )
    policy = load_policy(_policy(tmp_path, text))
    assert policy.for_check("input.truncated").max_count == 1
    assert policy.for_check("schema.articles.body").max_count == 2
    # The default names both e-mail checks exactly: the exact rules win over the pattern.
    assert policy.for_check("email.truncated").severity == "error"


def test_a_run_with_no_enabled_check_is_exit_2(
    tmp_path: Path, seed_dump: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _policy(tmp_path, 'extends = "none"\n[checks."*"]\nenabled = false\n')
    code, _, _ = run_check(seed_dump, tmp_path / "out", "--policy", str(path))
    assert code == 2
    assert f"{path}: the policy enables no check" in capsys.readouterr().err
    # Checks enabled with no threshold at all could not fail either.
    bare = _policy(tmp_path, 'extends = "none"\n', "bare.toml")
    code, _, _ = run_check(seed_dump, tmp_path / "out2", "--policy", str(bare))
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"corpus-qa: error: {bare}: the policy sets no max_rate or max_count on any "
        "enabled check, so the gate could not fail on what it checks"
    )


def test_a_misspelt_check_id_is_exit_2_with_a_suggestion(
    tmp_path: Path, seed_dump: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _policy(tmp_path, '[checks."input.truncate"]\nseverity = "error"\nmax_count = 0\n')
    code, report, _ = run_check(seed_dump, tmp_path / "out", "--policy", str(path))
    assert code == 2 and report == {}
    err = capsys.readouterr().err.strip()
    assert err == (
        f'corpus-qa: error: {path}: checks."input.truncate": no such check; '
        'did you mean "input.truncated"?'
    )


def test_policy_show_prints_the_effective_policy_with_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _policy(
        tmp_path,
        'fail_on = "warning"\n[checks."byline.missing"]\nmax_rate = 0.3\n'
        '[checks."boilerplate.recurring".options]\nmin_pages = 7\n',
    )
    assert main(["policy", "show", "--policy", str(path)]) == 0
    shown = capsys.readouterr().out
    default = str(default_policy_path())
    assert f'fail_on = "warning"  # {path}' in shown
    assert f"max_rate = 0.3  # {path}" in shown
    assert f"max_increase = 5  # {default}" in shown
    assert f"min_pages = 7  # {path}" in shown
    assert f"min_chars = 20  # {default}" in shown
    # What it prints is itself a policy, the same one.
    again = tmp_path / "effective.toml"
    again.write_text(shown, encoding="utf-8")
    assert tomllib.loads(shown)["extends"] == "none"
    first, second = load_policy(path), load_policy(again)
    assert asdict(first)["checks"] == asdict(second)["checks"]
    assert (first.fail_on, first.template_break) == (second.fail_on, second.template_break)
    assert main(["policy", "show", "--policy", str(tmp_path / "missing.toml")]) == 2


def test_explain_lists_the_options_the_policy_may_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "record.near_duplicate"]) == 0
    out = capsys.readouterr().out
    assert 'Options (policy table [checks."record.near_duplicate".options]):' in out
    assert "  threshold: float = 0.8  Jaccard similarity" in out
    assert "  min_words: int = 50  Shorter bodies are skipped." in out
    # Read from the source without importing it, the same fields the loader validates.
    described = {info.id: info for info in describe_checks()}
    for cls in check_classes():
        fields = [option.name for option in described[cls.id].options]
        assert fields == list(option_types(cls.Options)), cls.id
