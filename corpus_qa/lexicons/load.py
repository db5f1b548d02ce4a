"""Reading the lexicon files: one TOML file per language, categories as dotted paths."""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources

from corpus_qa.errors import ConfigError

Tree = Mapping[str, object]


@functools.cache
def _files() -> dict[str, dict[str, tuple[str, ...]]]:
    """language -> {dotted category -> phrases}, read once per process."""
    lexicons: dict[str, dict[str, tuple[str, ...]]] = {}
    folder = resources.files("corpus_qa.lexicons").joinpath("data")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        name = f"corpus_qa/lexicons/data/{entry.name}"
        try:
            tree = tomllib.loads(entry.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"{name}: not a valid lexicon file: {error}") from error
        language = tree.pop("language", None)
        if language != entry.name.removesuffix(".toml"):
            raise ConfigError(f"{name}: 'language' must be {entry.name.removesuffix('.toml')!r}")
        lexicons[language] = dict(_leaves(tree, (), name))
    return lexicons


def _leaves(tree: Tree, path: tuple[str, ...], name: str) -> Iterable[tuple[str, tuple[str, ...]]]:
    for key, value in tree.items():
        here = (*path, key)
        if isinstance(value, Mapping):
            yield from _leaves(value, here, name)
        elif isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            yield ".".join(here), tuple(value)
        else:
            raise ConfigError(f"{name}: {'.'.join(here)} must be a list of non-empty strings")


def languages() -> tuple[str, ...]:
    """The languages that have a lexicon file."""
    return tuple(_files())


def categories(langs: Iterable[str] | None = None) -> tuple[str, ...]:
    """Every leaf category of any language (or of ``langs``), sorted."""
    files = _files()
    chosen = files if langs is None else {lang: files[lang] for lang in langs if lang in files}
    return tuple(sorted({c for leaves in chosen.values() for c in leaves}))


@functools.cache
def _below() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Dotted category -> ``(language, phrases)`` of every leaf at or below it, in
    language then file order: one pass over the leaves, not one per category asked."""
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for language, leaves in _files().items():
        for leaf, values in leaves.items():
            parts = leaf.split(".")
            for depth in range(1, len(parts) + 1):
                index.setdefault(".".join(parts[:depth]), []).append((language, values))
    return index


@functools.cache
def _phrases(category: str, langs: tuple[str, ...] | None) -> tuple[str, ...]:
    below = _below().get(category)
    if below is None:
        raise KeyError(f"no lexicon category {category!r}")
    found: dict[str, None] = {}
    for language, values in below:
        if langs is None or language in langs:
            found.update(dict.fromkeys(values))
    return tuple(found)


def phrases(category: str, langs: Iterable[str] | None = None) -> tuple[str, ...]:
    """The phrases of ``category`` and every category below it, deduplicated in file
    order, from every language or from ``langs``. An unknown category is a KeyError:
    a misspelt category name must not silently match nothing."""
    return _phrases(category, None if langs is None else tuple(sorted(langs)))
