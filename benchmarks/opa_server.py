"""Benchmark: the OPA server engine's overhead on large evidence, against the test server.

The same evidence as ``large_evidence.py`` (an SBOM of 20,000 components, a SARIF log of
50,000 results) is evaluated by the embedded engine and by the OPA engine talking to the test
server of ``tests/engine/opa_rest_server.py`` (OPA's REST API, evaluated by regorus), so the
difference is the HTTP round trip and JSON on both sides -- not OPA's own speed, which this
machine cannot measure. Prints the median of ``--runs`` evaluations of each.

    python benchmarks/opa_server.py [--components 20000] [--results 50000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests" / "engine")]

from large_evidence import write_release  # noqa: E402
from opa_rest_server import OpaRestServer  # noqa: E402

from gatekeeper.config import EngineSettings, load_config  # noqa: E402
from gatekeeper.engine import OpaServerEngine, RegorusEngine  # noqa: E402
from gatekeeper.engine.policies import load_policies  # noqa: E402
from gatekeeper.jsonio import dumps  # noqa: E402
from gatekeeper.pipeline import RunOptions, collect  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--components", type=int, default=20000)
    parser.add_argument("--results", type=int, default=50000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_release(root, args.components, args.results)
        config = load_config(root / "gatekeeper.yaml")
        evidence = collect(config, RunOptions(now=datetime(2026, 11, 28, tzinfo=timezone.utc)))
    evidence_json = dumps(evidence, pretty=False)
    policies = load_policies()
    size = len(evidence_json) / 1e6
    print(f"evidence document: {size:.1f} MB, {len(policies.controls)} controls")
    with OpaRestServer() as server:
        server.hold(policies.modules, config.thresholds)
        engines = {
            "embedded (regorus)": RegorusEngine,
            "OPA engine -> test server": lambda: OpaServerEngine(
                EngineSettings(kind="opa", url=server.url, timeout=300)),
        }
        for name, make in engines.items():
            times = []
            for _ in range(args.runs):
                engine = make()
                started = time.perf_counter()
                engine.evaluate(policies, evidence_json, config.thresholds)
                times.append(time.perf_counter() - started)
            print(f"{name:<28} median {statistics.median(times):.2f} s  "
                  f"({', '.join(f'{t:.2f}' for t in times)})")


if __name__ == "__main__":
    main()
