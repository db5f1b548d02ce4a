"""The contract as Pandera YAML; :mod:`corpus_qa.tables.user_schema` loads it back.

The exported YAML is Pandera's own format (:func:`pandera.io.to_yaml`): Pandera loads
it with ``DataFrameSchema.from_yaml`` once the frame-wide rules are registered, which
``import corpus_qa.schemas`` does (see ``schemas/registered.py``).
"""

from __future__ import annotations

from pathlib import Path

from corpus_qa.errors import ConfigError
from corpus_qa.reports.atomic import write_text
from corpus_qa.schemas import ArticlesSchema, ImagesSchema


def export_yaml(out: Path) -> list[Path]:
    """Write the articles schema to ``out`` and the images schema beside it.

    ``out`` (say ``schema.yaml``) is what ``check --schema`` takes; the images schema
    goes to ``schema.images.yaml``.
    """
    images = out.with_name(f"{out.stem}.images{out.suffix or '.yaml'}")
    out.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for path, model in ((out, ArticlesSchema), (images, ImagesSchema)):
        text = model.to_schema().to_yaml()
        if text is None:  # pandera returns None only when given a stream
            raise ConfigError(f"pandera could not serialize {model.__name__}")
        write_text(path, text)
        written.append(path)
    return written
