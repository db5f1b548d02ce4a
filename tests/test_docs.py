"""The docs site: one generated page per check, and a strict MkDocs build."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from corpus_qa.checks.catalog import DOC_SECTIONS, describe_checks, section
from corpus_qa.checks.framework import FRAMEWORK_DOCS

ROOT = Path(__file__).resolve().parent.parent


def _hooks() -> ModuleType:
    """docs/hooks.py, which is a file MkDocs loads by path, not a package module."""
    name = "corpus_qa_docs_hooks"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_one_page_per_catalog_check_with_the_four_sections(tmp_path: Path) -> None:
    written = _hooks().write_pages(tmp_path)
    catalog = describe_checks()
    assert catalog, "the catalog is empty"
    pages = {path.name for path in written}
    for info in catalog:
        page = tmp_path / "checks" / f"{info.id}.md"
        assert page.is_file(), f"no page for {info.id}"
        text = page.read_text(encoding="utf-8")
        assert text.startswith(f"# `{info.id}`: {info.name}\n")
        for title in DOC_SECTIONS:
            assert f"\n## {title}\n" in text, f"{info.id}: no section {title!r}"
            # The section's text is the docstring's, word for word.
            assert section(info.doc, title) in text
        assert f"| severity | {info.severity} |" in text
        assert f"| scope | {info.scope} |" in text
        assert f"corpus-qa explain {info.id}" in text
    # Framework findings get pages too; nothing else is written.
    framework = {pattern.removesuffix(".*") + ".md" for pattern in FRAMEWORK_DOCS}
    assert pages == {f"{info.id}.md" for info in catalog} | framework | {"index.md"}


def test_index_lists_every_check_once_with_its_summary(tmp_path: Path) -> None:
    _hooks().write_pages(tmp_path)
    index = (tmp_path / "checks" / "index.md").read_text(encoding="utf-8")
    rows = [line for line in index.splitlines() if line.startswith("| [`")]
    assert len(rows) == len(describe_checks()) + len(FRAMEWORK_DOCS)
    for info in describe_checks():
        (row,) = [r for r in rows if r.startswith(f"| [`{info.id}`]({info.id}.md) |")]
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        assert cells[1:4] == [info.name, info.severity, info.scope]
        assert cells[4], f"{info.id}: empty summary"


def test_each_page_shows_what_the_default_policy_sets(tmp_path: Path) -> None:
    _hooks().write_pages(tmp_path)
    byline = (tmp_path / "checks" / "byline.missing.md").read_text(encoding="utf-8")
    assert '[checks."byline.missing"]\nseverity = "error"\nmax_rate = 0.1\n' in byline
    assert 'exempt = { genre = ["editorial"] }' in byline
    # A pattern's page lists the ids the policy names one by one under it.
    inputs = (tmp_path / "checks" / "input.md").read_text(encoding="utf-8")
    for key in ('[checks."input.*"]', '[checks."input.truncated"]', '[checks."input.unreadable"]'):
        assert key in inputs


def test_bench_tables_come_from_results_json() -> None:
    results = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    tables = _hooks().bench_tables(results)
    for run in results["runs"]:
        assert f"### {run['profile']} profile, {run['articles']:,} articles" in tables
        wall = run["tools"]["corpus_qa"]["seconds"]
        assert f"| corpus-qa, full default suite | {wall} |" in tables
    for target in results["targets"]:
        verdict = "holds" if target["holds"] else f"missed, {target['miss']}x the limit"
        assert (
            f"| {target['label']} | {target['value']} | {target['limit']} | {verdict} |" in tables
        )


def _build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        cwd=config.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )


@pytest.mark.slow
def test_mkdocs_strict_build_has_a_page_per_check(tmp_path: Path) -> None:
    result = _build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    for info in describe_checks():
        assert (tmp_path / "site" / "checks" / info.id / "index.html").is_file()
    index = (tmp_path / "site" / "checks" / "index.html").read_text(encoding="utf-8")
    assert all(info.id in index for info in describe_checks())
    performance = (tmp_path / "site" / "performance" / "index.html").read_text(encoding="utf-8")
    assert "bench-table" not in performance and "tree peak PSS MiB" in performance


@pytest.mark.slow
def test_mkdocs_strict_build_fails_on_a_broken_link(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "bench", project / "bench", ignore=shutil.ignore_patterns("data"))
    outputs = project / "docs" / "outputs.md"
    outputs.write_text(
        outputs.read_text(encoding="utf-8") + "\nSee [the schema](no-such-page.md).\n",
        encoding="utf-8",
    )
    result = _build(project / "mkdocs.yml", tmp_path / "site")
    assert result.returncode != 0
    assert "no-such-page.md" in result.stderr


def test_the_generator_fails_on_a_check_without_a_page_or_a_section() -> None:
    hooks = _hooks()
    pages = hooks.catalog_pages()
    with pytest.raises(AssertionError, match=f"without a generated page: .*{pages[0].id}"):
        hooks.check_pages(pages[1:])
    cut = pages[0].doc.split("How to fix the scraper")[0]
    broken = [hooks.CheckPage(**{**vars(pages[0]), "doc": cut}), *pages[1:]]
    with pytest.raises(AssertionError, match="How to fix the scraper"):
        hooks.check_pages(broken)
