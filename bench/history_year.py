"""The synthetic year through the metrics history: detection delay and false alarms.

Usage: python bench/history_year.py [HISTORY.duckdb] [DAYS]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from corpus_qa.testing.history_year import BREAKS, score, simulate


def main() -> None:
    days = int(sys.argv[2]) if len(sys.argv) > 2 else 365
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tmp) / "year.duckdb"
        path.unlink(missing_ok=True)
        began = time.perf_counter()
        results = simulate(path, days)
        took = time.perf_counter() - began
        scored = score(results)
    print(json.dumps(scored, indent=1, ensure_ascii=False))
    print(f"{days} days in {took:.1f} s; breaks: {[b.name for b in BREAKS]}")


if __name__ == "__main__":
    main()
