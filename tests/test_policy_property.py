"""A policy written from the default by deleting, renaming or retyping keys either
stops the run (exit 2) or keeps the default for everything it does not override."""

from __future__ import annotations

import fnmatch
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.errors import ConfigError
from corpus_qa.gate.policy import Policy, default_policy_path, load_policy
from corpus_qa.gate.show import toml_value
from corpus_qa.run.runner import RunOptions, run
from corpus_qa.testing.synth import write_jsonl

#: One edit: what to do, which key (an index into the keys), and what to put there.
Edit = tuple[str, int, Any]

_JUNK = st.one_of(
    st.text(max_size=6),
    st.integers(-3, 200),
    st.floats(-1, 150, allow_nan=False),
    st.booleans(),
    st.lists(st.text(max_size=3), max_size=2),
)
_EDITS = st.lists(
    st.tuples(
        st.sampled_from(["delete", "rename", "retype"]),
        st.integers(0, 10_000),
        st.one_of(_JUNK, st.text("abcdefghijklmnopqrstuvwxyz._*", min_size=1, max_size=3)),
    ),
    min_size=1,
    max_size=4,
)


def _default() -> dict[str, Any]:
    return tomllib.loads(default_policy_path().read_text(encoding="utf-8"))


def _keys(table: dict[str, Any], at: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for key, value in table.items():
        yield (*at, key)
        if isinstance(value, dict) and key != "exempt":
            yield from _keys(value, (*at, key))


def _edit(data: dict[str, Any], edits: list[Edit]) -> tuple[set[str], set[str]]:
    """Apply ``edits``; return the check keys and the top-level keys whose values were
    renamed or retyped (a deleted key is not overridden: the default's holds)."""
    touched: set[str] = set()
    top: set[str] = set()
    for action, index, value in edits:
        keys = list(_keys(data))
        if not keys:
            break
        path = keys[index % len(keys)]
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        if path[0] == "checks" and len(path) > 1 and action != "delete":
            touched.add(path[1])
        if action != "delete":
            top.add(path[0])
        if action == "delete":
            del parent[key]
        elif action == "rename":
            renamed = key + str(value) if isinstance(value, str) and value else key[:-1]
            parent[renamed] = parent.pop(key)
            if len(path) == 2 and path[0] == "checks":
                touched.add(renamed)
        else:
            parent[key] = value
    return touched, top


def _write(data: dict[str, Any], folder: Path) -> Path:
    path = folder / "policy.toml"
    path.write_text("\n".join(f"{k} = {toml_value(v)}" for k, v in data.items()) + "\n")
    return path


def _affected(check_id: str, touched: set[str], default: Policy) -> bool:
    """Whether an edit reached the rule the default gives ``check_id``."""
    keys = [k for k in touched if k == check_id or fnmatch.fnmatchcase(check_id, k)]
    rule = default.for_check(check_id)
    owner = [k for k, v in default.checks.items() if v is rule]
    return bool(keys) or any(k in touched for k in owner)


@pytest.mark.slow
@settings(max_examples=300)
@given(_EDITS)
def test_an_edited_policy_is_rejected_or_keeps_the_default(edits: list[Edit]) -> None:
    data = _default()
    touched, top = _edit(data, edits)
    default = load_policy()
    with tempfile.TemporaryDirectory() as folder:
        try:
            policy = load_policy(_write(data, Path(folder)))
        except ConfigError:
            return
    ids = [*default.checks, "schema.articles.body", "input.malformed", "date.missing"]
    for check_id in ids:
        if not _affected(check_id, touched, default):
            assert policy.for_check(check_id) == default.for_check(check_id), check_id
    for key in ("template_break", "fail_on", "defaults"):
        if key not in top:
            assert getattr(policy, key) == getattr(default, key), key


@cache
def _dump() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="policy-property-"))
    write_jsonl(folder / "feed.jsonl", 300, seed=3)
    return folder / "feed.jsonl"


def _run(policy: Path | None, out: Path) -> dict[str, dict[str, Any]]:
    options = RunOptions(dump=str(_dump()), out_dir=out, policy=policy, jobs=1, samples=0)
    return {result.id: asdict(result) for result in run(options).checks}


@cache
def _default_results() -> dict[str, dict[str, Any]]:
    return _run(None, Path(tempfile.mkdtemp(prefix="policy-default-")))


@pytest.mark.slow
@settings(max_examples=20)
@given(_EDITS)
def test_a_run_enforces_the_default_for_what_the_policy_leaves(edits: list[Edit]) -> None:
    data = _default()
    touched, _ = _edit(data, edits)
    default = load_policy()
    expected = _default_results()
    with tempfile.TemporaryDirectory() as folder:
        try:
            results = _run(_write(data, Path(folder)), Path(folder) / "out")
        except ConfigError:  # the CLI's exit 2
            return
    for check_id, result in expected.items():
        if not _affected(check_id, touched, default):
            assert results[check_id] == result, check_id
