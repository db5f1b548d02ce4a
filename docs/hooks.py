"""The docs site's generated pages: one page per check, and the benchmark table.

Used two ways. As an MkDocs hook (``hooks:`` in ``mkdocs.yml``): the check pages are
added to the site at build time and listed in the navigation, and the marker
``<!-- bench-table -->`` in ``performance.md`` becomes the tables of
``bench/results.json``. As a script, ``python docs/hooks.py OUT`` writes the check
pages under ``OUT/checks/`` (what ``tests/test_docs.py`` reads). Nothing generated is
committed: the pages come from whatever the catalog holds when the site is built, so
a check's docstring stays its one source of truth (as ``corpus-qa explain`` prints it).
"""

from __future__ import annotations

import fnmatch
import json
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus_qa.checks.catalog import DOC_SECTIONS, catalog_dir, describe_checks, section
from corpus_qa.checks.framework import FRAMEWORK_DOCS

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

CHECKS_DIR = "checks"
BENCH_MARKER = "<!-- bench-table -->"
#: A run's figures, in table order; the largest process's peak RSS is missing from
#: results measured before it was kept (shown as "-").
BENCH_MEASURES = (
    "seconds",
    "cpu_seconds",
    "mb_per_s",
    "peak_rss_process_mb",
    "peak_rss_mb",
    "peak_pss_mb",
)
#: The peak-memory columns' headings.
MEMORY_HEADINGS = ("largest process peak RSS MiB", "tree peak RSS MiB", "tree peak PSS MiB")


@dataclass(frozen=True)
class CheckPage:
    """What one generated page says of a check or a framework finding."""

    id: str
    slug: str
    name: str
    severity: str
    scope: str
    table: str
    source: str
    doc: str
    #: For a framework finding, the form of its ids (``input.<kind>``).
    raised_as: str = ""

    @property
    def path(self) -> str:
        return f"{CHECKS_DIR}/{self.slug}.md"

    @property
    def summary(self) -> str:
        """The docstring's opening line, else the first paragraph of "What it catches"."""
        lead = _lead(self.doc) or section(self.doc, "What it catches").split("\n\n")[0]
        return " ".join(lead.split())


def _policy() -> dict[str, Any]:
    with (catalog_dir() / "policy.toml").open("rb") as file:
        return tomllib.load(file)


def _policy_keys(check_id: str, checks: Mapping[str, Any]) -> list[str]:
    """The default policy's keys for a check, resolved as ``Policy.for_check`` does.

    For a framework pattern (``input.*``) every key it covers is listed, since the
    policy names some of its findings (``input.truncated``) one by one.
    """
    if "*" in check_id:
        return [key for key in checks if key == check_id or fnmatch.fnmatchcase(key, check_id)]
    if check_id in checks:
        return [check_id]
    patterns = [key for key in checks if any(c in key for c in "*?[")]
    for pattern in sorted(patterns, key=len, reverse=True):
        if fnmatch.fnmatchcase(check_id, pattern):
            return [pattern]
    return []


def _severity(check_id: str, checks: Mapping[str, Any]) -> str:
    keys = _policy_keys(check_id, checks)
    return str(checks[keys[0]].get("severity", "error")) if keys else "error"


def catalog_pages() -> list[CheckPage]:
    """Every check of the shipped catalog, then the framework's findings."""
    pages = [
        CheckPage(
            id=info.id,
            slug=info.id,
            name=info.name,
            severity=info.severity,
            scope=info.scope,
            table=info.table,
            source=f"checks/{info.module.rsplit('.', 1)[-1]}.py",
            doc=info.doc,
        )
        for info in describe_checks()
    ]
    checks = _policy().get("checks", {})
    for pattern, text in FRAMEWORK_DOCS.items():
        heading, _, doc = text.partition("\n")
        title, _, name = heading.partition(": ")
        pages.append(
            CheckPage(
                id=pattern,
                slug=pattern.removesuffix(".*"),
                name=name.strip() or title,
                severity=_severity(pattern, checks),
                scope="framework",
                table="articles" if pattern == "interop.disagreement" else "any",
                source="corpus_qa/checks/framework.py",
                doc=doc.strip(),
                raised_as=title,
            )
        )
    return pages


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return str(value)


def _policy_toml(
    keys: Sequence[str], checks: Mapping[str, Any], defaults: Mapping[str, Any]
) -> str:
    """The default policy's tables for these keys, as TOML."""
    if not keys:
        body = "\n".join(f"{k} = {_toml_value(v)}" for k, v in defaults.items())
        return f"[defaults]\n{body}"
    blocks = []
    for key in keys:
        table = checks[key]
        plain = [f"{k} = {_toml_value(v)}" for k, v in table.items() if k != "options"]
        block = f'[checks."{key}"]\n' + "\n".join(plain)
        if isinstance(table.get("options"), dict):
            options = "\n".join(f"{k} = {_toml_value(v)}" for k, v in table["options"].items())
            block += f'\n\n[checks."{key}".options]\n{options}'
        blocks.append(block)
    return "\n\n".join(blocks)


def _lead(doc: str) -> str:
    """The docstring's text before its first section heading."""
    lines = doc.splitlines()
    for index, line in enumerate(lines):
        if line.strip() in DOC_SECTIONS:
            return "\n".join(lines[:index]).strip()
    return doc.strip()


def render_page(page: CheckPage, policy: Mapping[str, Any]) -> str:
    checks = policy.get("checks", {})
    keys = _policy_keys(page.id, checks)
    parts = [
        f"# `{page.id}`: {page.name}",
        *([_lead(page.doc)] if _lead(page.doc) else []),
        "| | |\n| --- | --- |\n"
        f"| id | `{page.id}` |\n"
        f"| severity | {page.severity} |\n"
        f"| scope | {page.scope} |\n"
        f"| table | {page.table} |\n"
        f"| defined in | `{page.source}` |"
        + (f"\n| raised as | `{page.raised_as}` |" if page.raised_as else ""),
    ]
    for title in DOC_SECTIONS:
        parts.append(f"## {title}\n\n{section(page.doc, title)}")
    where = (
        "`checks/policy.toml` sets for it"
        if keys
        else "`checks/policy.toml` does not name it; its `[defaults]` apply"
    )
    parts.append(
        f"## In the default policy\n\nWhat {where} (see [Policy and thresholds](../policy.md)):"
        f"\n\n```toml\n{_policy_toml(keys, checks, policy.get('defaults', {}))}\n```"
    )
    if page.scope != "framework":
        parts.append(
            f"This page is the check's docstring: `corpus-qa explain {page.id}` prints the same."
        )
    return "\n\n".join(parts) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_index(pages: Sequence[CheckPage]) -> str:
    header = "| id | name | severity | scope | summary |\n| --- | --- | --- | --- | --- |"

    def rows(selected: Sequence[CheckPage]) -> str:
        return "\n".join(
            f"| [`{p.id}`]({p.slug}.md) | {_cell(p.name)} | {p.severity} | {p.scope} "
            f"| {_cell(p.summary)} |"
            for p in selected
        )

    catalog = [p for p in pages if p.scope != "framework"]
    framework = [p for p in pages if p.scope == "framework"]
    return (
        "# Checks\n\n"
        "The built-in catalog (`checks/`), one page per check, generated from each check's "
        "docstring when the site is built. `corpus-qa checks` lists the same checks and "
        "`corpus-qa explain ID` prints a page's text. Severity is the check's own; the "
        "policy may override it ([Policy and thresholds](../policy.md)). A `global` check "
        "is computed over the whole dump, a `record` check on each article.\n\n"
        f"{header}\n{rows(catalog)}\n\n"
        "## Findings of the framework\n\n"
        "Raised by corpus-qa itself, not by a check class; severity is the default "
        "policy's.\n\n"
        f"{header}\n{rows(framework)}\n\n"
        "To add a check, see [Writing checks](../writing-checks.md).\n"
    )


def check_pages(pages: Sequence[CheckPage] | None = None) -> dict[str, str]:
    """Path under the docs root -> Markdown, for the index and every check's page.

    ``pages``: what to render (default: the catalog's); each catalog check needs one.
    """
    pages = catalog_pages() if pages is None else pages
    policy = _policy()
    out = {page.path: render_page(page, policy) for page in pages}
    out[f"{CHECKS_DIR}/index.md"] = render_index(pages)
    # The site must document every check of the catalog: fail the build, not the reader.
    missing = [i.id for i in describe_checks() if f"{CHECKS_DIR}/{i.id}.md" not in out]
    assert not missing, f"checks without a generated page: {missing}"
    empty = [f"{p.id}: {t}" for p in pages for t in DOC_SECTIONS if not section(p.doc, t)]
    assert not empty, f"check docstrings without a section: {empty}"
    return out


def write_pages(out_dir: Path) -> list[Path]:
    """Write the check pages under ``out_dir`` (``out_dir/checks/<id>.md``)."""
    written = []
    for relative, text in check_pages().items():
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


#: bench/results.json's tools, in the order the tables list them.
BENCH_TOOLS = {
    "pandas_load": "pandas load alone",
    "duckdb_plain": "DuckDB plain: table, one query per check (six)",
    "duckdb_tuned": "DuckDB tuned: one query over `read_json` (six)",
    "polars_plain": "Polars plain: `read_ndjson`, one filter per check (six)",
    "polars_tuned": "Polars tuned: one lazy `scan_ndjson` select (six)",
    "pandera_six": "plain Pandera, the six checks",
    "gx_six": "Great Expectations, the six checks",
    "pandera": "plain Pandera, full schema (six + unique ids)",
    "gx": "Great Expectations, full suite from `gx_suite`",
    "corpus_qa_six": "corpus-qa, policy with only the six checks",
    "corpus_qa": "corpus-qa, full default suite",
    "corpus_qa_near_dups": "corpus-qa + near-duplicates",
    "corpus_qa_jobs1": "corpus-qa, full suite, `--jobs 1`",
}


def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def _table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    return "\n".join([_row(head), _row(["---"] * len(head)), *(_row(r) for r in rows)])


def bench_tables(results: Mapping[str, Any]) -> str:
    """The tables of a ``make bench`` run (``bench/results.json``) as Markdown."""
    machine = results["machine"]
    versions = machine.get("versions", {})
    out = [
        f"Machine: {machine['cpus']} cores ({machine['cpu_model']}), "
        f"{machine['memory_gb']} GiB, Python {machine['python']}; "
        + ", ".join(f"{name} {version}" for name, version in versions.items())
        + f"; load average {machine['load_avg_at_start'][0]} at the start, "
        f"{machine.get('load_avg_at_end', ['?'])[0]} at the end. "
        f"`--chunk-size {results['chunk_size']}`; medians of {results.get('rounds', 1)} "
        "rounds, each ratio taken within a round."
        + (f" Conditions: {results['conditions']}" if results.get("conditions") else "")
    ]
    targets = results.get("targets", [])
    if targets:
        out.append(
            "### Targets\n\n"
            + _table(
                ("profile", "articles", "target", "value", "limit", "verdict", "CPU-s ratio"),
                [
                    (
                        t["profile"],
                        f"{t['articles']:,}",
                        t["label"],
                        t["value"],
                        t["limit"],
                        "holds" if t["holds"] else f"missed, {t['miss']}x the limit",
                        "" if t.get("cpu_ratio") is None else t["cpu_ratio"],
                    )
                    for t in targets
                ],
            )
        )
    for run in results["runs"]:
        tools = [key for key in BENCH_TOOLS if key in run["tools"]]
        out.append(
            f"### {run['profile']} profile, {run['articles']:,} articles ({run['mb']} MB)\n\n"
            + _table(
                ("tool", "wall s", "CPU s", "MB/s", *MEMORY_HEADINGS),
                [
                    (BENCH_TOOLS[key], *(run["tools"][key].get(m, "-") for m in BENCH_MEASURES))
                    for key in tools
                ],
            )
        )
        ratios = run.get("ratios", {})
        if ratios:
            out.append(
                _table(
                    ("wall-time ratio", "median", "per round"),
                    [
                        (f"`{name}`", f"{r['median']}x", ", ".join(map(str, r["rounds"])))
                        for name, r in ratios.items()
                    ],
                )
            )
        agree = run.get("failing_records", {})
        if agree:
            counted = [key for key in tools if any(key in c for c in agree.values())]
            out.append(
                "Failing records per check (every tool must agree):\n\n"
                + _table(
                    ("check", *(f"`{key}`" for key in counted), "agree"),
                    [
                        (
                            f"`{check}`",
                            *(c.get(key, "") for key in counted),
                            "yes" if c["agree"] else "**no**",
                        )
                        for check, c in agree.items()
                    ],
                )
            )
    for profile, memory in results.get("memory_scaling", {}).items():
        sizes = [key for key in memory if key.isdigit()]
        out.append(
            f"### Memory against dump size, {profile} profile\n\n"
            + _table(
                ("articles", "wall s", "CPU s", *MEMORY_HEADINGS),
                [
                    (
                        f"{int(size):,}",
                        *(memory[size].get(m, "-") for m in BENCH_MEASURES if m != "mb_per_s"),
                    )
                    for size in sizes
                ],
            )
            + "\n\nPeak memory of the largest dump / the smallest's, same chunk size: "
            + _growth(memory)
        )
    help_seconds = results.get("help_seconds")
    if help_seconds:
        out.append(
            f"`corpus-qa --help`: {help_seconds['best']} s, best of {len(help_seconds['runs'])}."
        )
    return "\n\n".join(out)


def _growth(memory: Mapping[str, Any]) -> str:
    if "tree_ratio_large_vs_small" not in memory:  # results from before the process peak
        return (
            f"the tree's RSS {memory.get('ratio_large_vs_small')}x, "
            f"PSS {memory.get('pss_ratio_large_vs_small')}x."
        )
    return (
        f"the largest process's RSS {memory['ratio_large_vs_small']}x; the tree's RSS "
        f"{memory['tree_ratio_large_vs_small']}x, PSS {memory.get('pss_ratio_large_vs_small')}x."
    )


# MkDocs hooks ----------------------------------------------------------------------


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """List every check's page under the "Checks" entry of the navigation."""
    pages = [{page.id: page.path} for page in catalog_pages()]
    nav = config.nav or []
    for index, entry in enumerate(nav):
        if isinstance(entry, dict) and entry.get("Checks") == f"{CHECKS_DIR}/index.md":
            nav[index] = {"Checks": [f"{CHECKS_DIR}/index.md", *pages]}
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    from mkdocs.structure.files import File

    for relative, text in check_pages().items():
        files.append(File.generated(config, relative, content=text))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if BENCH_MARKER not in markdown:
        return markdown
    results = Path(config.config_file_path).parent / "bench" / "results.json"
    tables = bench_tables(json.loads(results.read_text(encoding="utf-8")))
    return markdown.replace(BENCH_MARKER, tables)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python docs/hooks.py OUT_DIR")
    for written in write_pages(Path(sys.argv[1])):
        print(written)
