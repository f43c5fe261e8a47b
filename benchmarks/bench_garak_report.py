"""How long reading a large garak report takes.

    python benchmarks/bench_garak_report.py [MEGABYTES]

Builds a report of about MEGABYTES (default 200) from the model-release example's records
(attempt records repeated, one eval record per probe and detector) and times
``gatekeeper.evidence.evals.garak.read_report`` on it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from gatekeeper.evidence.evals import garak

EXAMPLE = Path(__file__).resolve().parents[1] / "examples/model-release/evidence/garak.report.jsonl"


def synthetic_report(megabytes: int) -> bytes:
    lines = EXAMPLE.read_bytes().splitlines(keepends=True)
    attempts = b"".join(line for line in lines if b'"entry_type": "attempt"' in line)
    others = b"".join(line for line in lines if b'"entry_type": "attempt"' not in line)
    copies = max(1, megabytes * 1024 * 1024 // len(attempts))
    return others[: others.index(b"\n") + 1] + attempts * copies + others


def main() -> None:
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    data = synthetic_report(megabytes)
    start = time.perf_counter()
    _, attacks = garak.read_report(data, "synthetic.report.jsonl")
    elapsed = time.perf_counter() - start
    records = data.count(b"\n")
    print(f"{len(data) / 1e6:.1f} MB, {records} records, {len(attacks)} results: {elapsed:.2f} s")


if __name__ == "__main__":
    main()
