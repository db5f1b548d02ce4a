"""``corpus-qa export gx|pandera``: write the gate in another tool's own format."""

from __future__ import annotations

import json
from pathlib import Path

from corpus_qa.reports.atomic import write_text


def export(target: str, out: Path, policy_path: Path | None = None) -> list[Path]:
    """Write the export for ``target`` (``gx`` or ``pandera``); return the files written."""
    if target == "pandera":
        from corpus_qa.interop.pandera_io import export_yaml

        return export_yaml(out)
    from corpus_qa.gate.policy import load_policy
    from corpus_qa.interop.gx_run import to_gx_suite
    from corpus_qa.interop.gx_suite import build_suite

    suite = build_suite(load_policy(policy_path))
    # Through GX and back: GX checks every expectation's arguments and writes its own
    # JSON (expectation ids, its version in meta), so the file is what GX would save.
    data = to_gx_suite(suite).to_json_dict()
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text(out, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    return [out]
