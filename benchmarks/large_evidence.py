"""Benchmark: gatekeeper on a large release (an SBOM of 20,000 components, a SARIF log of
50,000 results). Prints the median of 5 runs of collect, evaluate and total time, the peak
memory of a run, and the ratio of the total to a bare ``json.load`` of the same files.

    python benchmarks/large_evidence.py [--components 20000] [--results 50000] [--runs 5]

Each run is a fresh Python process, so start-up, imports and peak RSS are counted as a user
sees them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

RUN = textwrap.dedent(
    """
    import json, resource, sys, time
    from datetime import datetime, timezone
    from pathlib import Path
    t0 = time.perf_counter()
    from gatekeeper.config import load_config
    from gatekeeper.pipeline import RunOptions, collect, evaluate
    config = load_config(Path(sys.argv[1]))
    options = RunOptions(now=datetime(2026, 11, 28, tzinfo=timezone.utc))
    t1 = time.perf_counter()
    evidence = collect(config, options)
    t2 = time.perf_counter()
    results = evaluate(config, evidence, options)
    t3 = time.perf_counter()
    print(json.dumps({
        "startup": t1 - t0, "collect": t2 - t1, "evaluate": t3 - t2, "total": t3 - t0,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "verdict": results["verdict"]["outcome"],
        "findings": len(evidence["scans"]["findings"]),
        "components": len(evidence["sbom"]["components"]),
    }))
    """
)

BARE = textwrap.dedent(
    """
    import json, sys, time
    t0 = time.perf_counter()
    for name in sys.argv[1:]:
        with open(name, encoding="utf-8") as stream:
            json.load(stream)
    print(time.perf_counter() - t0)
    """
)


def write_sbom(path: Path, components: int) -> None:
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "version": 1,
        "metadata": {"timestamp": "2026-11-28T00:00:00Z"},
        "components": [
            {
                "type": "library",
                "bom-ref": f"pkg:pypi/package-{i}@1.{i % 97}.0",
                "name": f"package-{i}",
                "version": f"1.{i % 97}.0",
                "purl": f"pkg:pypi/package-{i}@1.{i % 97}.0",
                "licenses": [{"license": {"id": "Apache-2.0"}}],
                "hashes": [{"alg": "SHA-256", "content": f"{i:064x}"}],
            }
            for i in range(components)
        ],
    }
    path.write_text(json.dumps(bom), encoding="utf-8")


def write_sarif(path: Path, results: int) -> None:
    rules = [{"id": f"B{100 + r}", "name": f"rule_{r}"} for r in range(60)]
    log = {
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "Bandit", "version": "1.9.4", "rules": rules}},
                "results": [
                    {
                        "ruleId": f"B{100 + i % 60}",
                        "ruleIndex": i % 60,
                        "level": "note",
                        "message": {"text": f"finding {i} in generated code"},
                        "properties": {"issue_severity": "LOW", "issue_confidence": "HIGH"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": f"src/module_{i % 500}.py"},
                                    "region": {"startLine": 1 + i % 400},
                                }
                            }
                        ],
                    }
                    for i in range(results)
                ],
            }
        ],
    }
    path.write_text(json.dumps(log), encoding="utf-8")


def write_release(root: Path, components: int, results: int) -> list[Path]:
    """The large evidence set and its gatekeeper.yaml in ``root``; returns the evidence files."""
    write_sbom(root / "sbom.cdx.json", components)
    write_sarif(root / "scan.sarif", results)
    (root / "gatekeeper.yaml").write_text(
        "version: 1\nsubject: {name: benchmark}\n"
        "evidence: {sbom: [sbom.cdx.json], sarif: [scan.sarif]}\n",
        encoding="utf-8",
    )
    return [root / "sbom.cdx.json", root / "scan.sarif"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--components", type=int, default=20_000)
    parser.add_argument("--results", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = write_release(root, args.components, args.results)
        size_mb = sum(f.stat().st_size for f in files) / 1e6
        runs = [
            json.loads(subprocess.run(
                [sys.executable, "-c", RUN, str(root / "gatekeeper.yaml")],
                capture_output=True, text=True, check=True,
            ).stdout)
            for _ in range(args.runs)
        ]
        bare = [
            float(subprocess.run(
                [sys.executable, "-c", BARE, *map(str, files)],
                capture_output=True, text=True, check=True,
            ).stdout)
            for _ in range(args.runs)
        ]

    def median(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    print(f"evidence: {args.components:,} SBOM components + {args.results:,} SARIF results "
          f"({size_mb:.1f} MB), median of {args.runs} runs, verdict {runs[0]['verdict']}")
    print(f"  start-up + config   {median('startup'):7.2f} s")
    print(f"  collect             {median('collect'):7.2f} s")
    print(f"  evaluate            {median('evaluate'):7.2f} s")
    print(f"  total               {median('total'):7.2f} s")
    print(f"  peak memory         {median('peak_mb'):7.0f} MB")
    print(f"  bare json.load      {statistics.median(bare):7.2f} s")
    print(f"  total / json.load   {median('total') / statistics.median(bare):7.1f} x")


if __name__ == "__main__":
    main()
