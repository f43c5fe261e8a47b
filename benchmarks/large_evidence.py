"""Benchmark: ``gatekeeper check`` on a large release against the physical floor (issue 15).

    python benchmarks/large_evidence.py [--quick] [--runs 5] [--huge] [--500mb]
    python benchmarks/large_evidence.py --against REV [--runs 10]

The evidence: a CycloneDX SBOM of 20,000 components and a SARIF log of 50,000 results (1x),
ten times that (10x), and with ``--huge`` a 130 MB and (``--500mb``) a 500 MB SARIF log. For
each size it computes the FLOOR on the same files -- a separate process that parses both with
orjson and has regorus evaluate three deny rules over them -- then runs ``gatekeeper check`` as
a whole process, the two alternated. Every figure is the median of ``--runs`` runs (``--quick``:
one run; the 10x size: ``--scaling-runs``, 3). ``--500mb`` also runs ``gatekeeper check`` on a
500 MB garak report (no floor: its time and peak memory). The package's bytecode is written
first, as ``pip install`` writes it.

Printed, the small measurements first (a virtual machine can stay slower for minutes after a
run of several GiB, which a CI job does not follow): the evaluation time of the 72 shipped
controls plus 200 user controls on the example's evidence, the example's ``gatekeeper check``
wall time and ``gatekeeper --version`` against ``python3 -c pass``; then, for each size, the
wall time, the ratio to the floor, peak memory (the largest process's maximum RSS,
from ``getrusage`` of the children, and the peak sum of the proportional set size of the whole
process tree, sampled from /proc: the engine runs in a forked child that shares pages with its
parent), the memory goal (3x the evidence + 150 MB, every size in MiB, the unit RSS and PSS
come in) and the scaling ratio (time at 10x / time at 1x).

``--against REV`` instead times this checkout against another revision of gatekeeper (a
``git archive`` of REV's package and policies) on the 1x evidence, the example and the
280-control evaluation, the two alternated run by run, and prints the ratio of each pair: on a
machine whose speed drifts, paired runs say whether a change helped where medians taken minutes
apart cannot.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples/model-release"
NOW = "2026-11-28T00:00:00Z"
RUNNER_MB = 7 * 1024  # a hosted 2-core CI runner's memory, MiB
GOAL_RATIO, GOAL_SCALING, GOAL_EVALUATION, GOAL_EXAMPLE, GOAL_VERSION = 1.5, 11.0, 0.100, 1.0, 5.0

# Runs a command, prints its wall time and the largest maximum RSS of it and its descendants.
MEASURE = textwrap.dedent(
    """
    import json, resource, subprocess, sys, time
    start = time.perf_counter()
    done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                      "rss_mb": usage.ru_maxrss / 1024, "rc": done.returncode,
                      "stderr": done.stderr.decode(errors="replace")[-2000:]}))
    """
)

# The floor: what any gate must do with these files -- parse them, hand them to the engine,
# evaluate rules over every component and result.
FLOOR = textwrap.dedent(
    """
    import sys, orjson, regorus
    sbom_bytes, sarif_bytes = (open(name, "rb").read() for name in sys.argv[1:3])
    sbom, sarif = orjson.loads(sbom_bytes), orjson.loads(sarif_bytes)
    engine = regorus.Engine()
    engine.add_policy("floor.rego", '''
    package floor
    import rego.v1
    unlicensed contains c.name if { some c in input.sbom.components; not c.licenses }
    unhashed contains c.name if { some c in input.sbom.components; count(c.hashes) == 0 }
    errors contains r.ruleId if {
        some run in input.sarif.runs
        some r in run.results
        r.level == "error"
    }
    ''')
    engine.set_input_json((b'{"sbom":' + sbom_bytes + b',"sarif":' + sarif_bytes + b'}').decode())
    for rule in ("unlicensed", "unhashed", "errors"):
        engine.eval_query_as_json(f"data.floor.{rule}")
    """
)

# The evaluation of every control on collected evidence, in process (the engine's own child
# included): what a user's 200 extra controls cost on top of the shipped ones.
EVALUATION = textwrap.dedent(
    """
    import json, statistics, sys, time
    from datetime import datetime, timezone
    from pathlib import Path
    from gatekeeper.config import load_config
    from gatekeeper.pipeline import RunOptions, collect, evaluate, read_inputs
    config = load_config(Path(sys.argv[1]))
    options = RunOptions(now=datetime(2026, 11, 28, tzinfo=timezone.utc),
                         extra_policy_dirs=(Path(sys.argv[2]),))
    inputs = read_inputs(config, options)
    evidence = collect(config, options)
    times = []
    for _ in range(int(sys.argv[3])):
        start = time.perf_counter()
        results = evaluate(config, evidence, options, inputs=inputs)
        times.append(time.perf_counter() - start)
    print(json.dumps({"seconds": statistics.median(times), "controls": len(results["controls"])}))
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
    """A Bandit log of ``results`` results, written a run of results at a time."""
    rules = [{"id": f"B{100 + r}", "name": f"rule_{r}"} for r in range(60)]
    head = {"tool": {"driver": {"name": "Bandit", "version": "1.9.4", "rules": rules}}}
    with path.open("w", encoding="utf-8") as stream:
        stream.write('{"version": "2.1.0", "runs": [')
        stream.write(json.dumps(head)[:-1] + ', "results": [')
        for start in range(0, results, 10_000):
            chunk = [
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
                for i in range(start, min(results, start + 10_000))
            ]
            stream.write(("," if start else "") + json.dumps(chunk)[1:-1])
        stream.write("]}]}")


def write_release(root: Path, components: int, results: int) -> list[Path]:
    """The evidence set and its gatekeeper.yaml in ``root``; returns the evidence files."""
    root.mkdir(parents=True, exist_ok=True)
    write_sbom(root / "sbom.cdx.json", components)
    write_sarif(root / "scan.sarif", results)
    (root / "gatekeeper.yaml").write_text(
        "version: 1\nsubject: {name: benchmark}\n"
        "evidence: {sbom: [sbom.cdx.json], sarif: [scan.sarif]}\n"
        "engine: {evaluation_timeout: 3600, control_timeout: 3600}\n",
        encoding="utf-8",
    )
    return [root / "sbom.cdx.json", root / "scan.sarif"]


def write_user_controls(root: Path, count: int) -> Path:
    """``count`` user controls (sdl domain), each reading the normalized scan findings."""
    folder = root / "policies" / "sdl"
    folder.mkdir(parents=True)
    for index in range(count):
        slug = f"user_rule_{index}"
        (folder / f"{slug}.rego").write_text(
            textwrap.dedent(
                f"""\
                # METADATA
                # title: User control {index}
                # description: No finding of rule U{index:03d}.
                # custom:
                #   severity: low
                #   questions: []
                #   waivable: true
                #   remediation: Fix rule U{index:03d}.
                #   frameworks: {{}}
                package gatekeeper.controls.sdl.{slug}

                import rego.v1

                applicable := true

                deny contains {{"msg": f.message}} if {{
                \tsome f in input.scans.findings
                \tf.rule_id == "U{index:03d}"
                }}
                """
            ),
            encoding="utf-8",
        )
    return root / "policies"


def tree_pss_mb(pid: int) -> float:
    """The proportional set size of ``pid`` and its descendants, in MiB (0 once gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total / 1024


def measure(
    command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> dict[str, float]:
    """One whole-process run: wall, the largest maximum RSS, the peak tree PSS."""
    process = subprocess.Popen(
        [sys.executable, "-c", MEASURE, *command], cwd=cwd, stdout=subprocess.PIPE, text=True,
        env=env,
    )
    peak = [0.0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_pss_mb(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    sampler.join()
    run = json.loads(output)
    if run["rc"] not in (0, 1):  # 1 is a failed gate: a verdict, not a crash
        sys.exit(f"{' '.join(command)} exited {run['rc']}: {run['stderr']}")
    return {"wall": run["wall"], "cpu": run["cpu"], "rss_mb": run["rss_mb"], "pss_mb": peak[0]}


def medians(measured: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(m[key] for m in measured) for key in measured[0]}


def median_of(runs: int, command: list[str], cwd: Path | None = None) -> dict[str, float]:
    return medians([measure(command, cwd) for _ in range(runs)])


def gatekeeper_command(root: Path) -> list[str]:
    return [
        sys.executable, "-m", "gatekeeper", "check", "-c", str(root / "gatekeeper.yaml"),
        "--now", NOW, "--results", str(root / "results.json"),
    ]


def compare(label: str, root: Path, files: list[Path], runs: int) -> tuple[float, float, float]:
    """Floor and gatekeeper on one evidence set; returns gatekeeper's median wall and cpu and
    its peak memory (MiB)."""
    size_mb = sum(f.stat().st_size for f in files) / 2**20
    floors, gates = [], []
    for _ in range(runs):  # alternated, so a change of the machine's load hits both alike
        floors.append(measure([sys.executable, "-c", FLOOR, *map(str, files)]))
        gates.append(measure(gatekeeper_command(root)))
    floor, gate = medians(floors), medians(gates)
    memory_goal = 3 * size_mb + 150
    print(f"{label}: {size_mb:.1f} MiB of evidence")
    for name, run in (("floor", floor), ("gatekeeper", gate)):
        print(f"  {name:<15} {run['wall']:7.2f} s  cpu {run['cpu']:6.2f} s  "
              f"rss {run['rss_mb']:6.0f} MiB  pss {run['pss_mb']:6.0f} MiB")
    ratio = gate["wall"] / floor["wall"]
    print(f"  ratio to floor  {ratio:7.2f} x wall, {gate['cpu'] / floor['cpu']:.2f} x cpu "
          f"(goal <= {GOAL_RATIO} x at 1x; on a loaded machine the cpu ratio is the steadier)")
    memory = max(gate["rss_mb"], gate["pss_mb"])
    verdict = "met" if memory <= memory_goal else "MISSED"
    print(f"  peak memory     {memory:7.0f} MiB  goal <= 3 x evidence + 150 MiB = "
          f"{memory_goal:.0f} MiB: {verdict} ({memory / size_mb:.1f} x the evidence)")
    return gate["wall"], gate["cpu"], memory


def write_garak_release(root: Path, megabytes: int) -> Path:
    """A release whose only evidence is a garak report of about ``megabytes`` (attempt records
    of the example's report, repeated: ``bench_garak_report.synthetic_report``)."""
    from bench_garak_report import synthetic_report  # beside this script

    root.mkdir(parents=True)
    report = root / "garak.report.jsonl"
    report.write_bytes(synthetic_report(megabytes))
    (root / "gatekeeper.yaml").write_text(
        "version: 1\nsubject: {name: benchmark}\nevidence: {garak: [garak.report.jsonl]}\n"
        "engine: {evaluation_timeout: 3600, control_timeout: 3600}\n", encoding="utf-8")
    return report


def garak_report(root: Path) -> None:
    """``gatekeeper check`` on a 500 MB garak report: its wall time and peak memory."""
    report = write_garak_release(root, 500)
    run = measure(gatekeeper_command(root))
    memory = max(run["rss_mb"], run["pss_mb"])
    fits = "yes" if memory <= RUNNER_MB else "NO"
    print(f"500 MB garak report ({report.stat().st_size / 2**20:.0f} MiB): {run['wall']:.2f} s "
          f"wall, peak memory {memory:.0f} MiB; fits a 7 GB runner ({RUNNER_MB} MiB): {fits}")


def evaluation_time(root: Path, runs: int) -> None:
    policies = write_user_controls(root, 200)
    command = [sys.executable, "-c", EVALUATION, str(EXAMPLE / "gatekeeper.yaml"),
               str(policies), str(max(runs, 3))]
    result = json.loads(subprocess.run(command, capture_output=True, text=True, check=True,
                                       cwd=EXAMPLE).stdout)
    print(f"evaluation of {result['controls']} controls on the example's evidence: "
          f"{result['seconds'] * 1000:.0f} ms (goal <= {GOAL_EVALUATION * 1000:.0f} ms)")


def startup(runs: int) -> None:
    example = median_of(runs, [sys.executable, "-m", "gatekeeper", "check", "--now", NOW,
                               "--results", os.devnull], cwd=EXAMPLE)
    version = median_of(runs, [sys.executable, "-m", "gatekeeper", "--version"])
    bare = median_of(runs, [sys.executable, "-c", "pass"])
    print(f"example check: {example['wall']:.2f} s wall, {example['cpu']:.2f} s cpu "
          f"(goal <= {GOAL_EXAMPLE:g} s)")
    print(f"--version: {version['wall'] / bare['wall']:.1f} x python3 -c pass wall, "
          f"{version['cpu'] / bare['cpu']:.1f} x cpu (goal <= {GOAL_VERSION:g} x)")


def paired(label: str, command: list[str], other: Path, runs: int, cwd: Path) -> None:
    """``command`` run by this checkout and by the one in ``other``, alternated."""
    ratios = []
    for _ in range(runs):
        theirs = measure(command, cwd, env={**os.environ, "PYTHONPATH": str(other)})
        ours = measure(command, cwd)
        ratios.append(ours["wall"] / theirs["wall"])
    print(f"{label}: this checkout / the other, wall, run by run: median "
          f"{statistics.median(ratios):.2f} x (from {min(ratios):.2f} to {max(ratios):.2f})")


def compile_bytecode(package: Path) -> None:
    """Write the package's bytecode, as ``pip install`` does: run from a checkout where
    PYTHONDONTWRITEBYTECODE is set, each process would compile every module it imports again
    (10 ms of ``--version``'s 40)."""
    if not compileall.compile_dir(str(package), quiet=1):
        raise SystemExit(f"cannot compile {package}")


def against(revision: str, runs: int, tmp: Path) -> None:
    other = tmp / "other"
    other.mkdir()
    archive = subprocess.run(["git", "archive", revision, "gatekeeper", "policies"], cwd=REPO,
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(other)], input=archive, check=True)
    compile_bytecode(other / "gatekeeper")
    root = tmp / "1x"
    write_release(root, 20_000, 50_000)
    # run from the evidence's folder: from the checkout, Python would import this package first
    paired("1x", gatekeeper_command(root), other, runs, root)
    paired("example", [sys.executable, "-m", "gatekeeper", "check", "--now", NOW, "--results",
                       os.devnull], other, runs, EXAMPLE)
    paired_evaluation(other, runs, write_user_controls(tmp, 200))


def paired_evaluation(other: Path, runs: int, policies: Path) -> None:
    """The 280-control evaluation (``evaluation_time``), this checkout and ``other`` alternated."""
    command = [sys.executable, "-c", EVALUATION, str(EXAMPLE / "gatekeeper.yaml"), str(policies),
               "3"]

    def seconds(env: dict[str, str]) -> float:
        done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=EXAMPLE,
                              env=env)
        return float(json.loads(done.stdout)["seconds"])

    ratios = []
    for _ in range(runs):
        theirs = seconds({**os.environ, "PYTHONPATH": str(other)})
        ratios.append(seconds(dict(os.environ)) / theirs)
    print(f"280-control evaluation: this checkout / the other, run by run: median "
          f"{statistics.median(ratios):.2f} x (from {min(ratios):.2f} to {max(ratios):.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one run of each")
    parser.add_argument("--scaling-runs", type=int, default=3, help="runs at 10x (default 3)")
    parser.add_argument("--huge", action="store_true", help="also a 130 MB SARIF log")
    parser.add_argument("--500mb", dest="half_gb", action="store_true",
                        help="also a 500 MB SARIF log and a 500 MB garak report")
    parser.add_argument("--only", choices=("large", "small"), help="skip the other half")
    parser.add_argument("--against", metavar="REV",
                        help="time this checkout against gatekeeper at git revision REV")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    load = os.getloadavg()[0]
    print(f"median of {runs} run(s); load average {load:.2f} on {os.cpu_count()} CPUs")

    compile_bytecode(REPO / "gatekeeper")
    tmp = Path(tempfile.mkdtemp(prefix="gatekeeper-bench-"))
    try:
        if args.against:
            against(args.against, runs, tmp)
            return
        if args.only != "large":  # first: this VM is slower for minutes after a run of GiBs
            evaluation_time(tmp, runs)
            startup(runs)
        if args.only != "small":
            base = compare("1x (20k components + 50k results)", tmp / "1x",
                           write_release(tmp / "1x", 20_000, 50_000), runs)
            ten = compare("10x (200k components + 500k results)", tmp / "10x",
                          write_release(tmp / "10x", 200_000, 500_000),
                          1 if args.quick else args.scaling_runs)
            print(f"scaling: 10x the evidence takes {ten[0] / base[0]:.2f} x the wall time, "
                  f"{ten[1] / base[1]:.2f} x the cpu (goal <= {GOAL_SCALING:g} x)")
            shutil.rmtree(tmp / "10x")
            if args.huge:
                compare("huge (20k components + 420k results)", tmp / "huge",
                        write_release(tmp / "huge", 20_000, 420_000), 1)
                shutil.rmtree(tmp / "huge")
            if args.half_gb:
                *_, memory = compare("500 MB (20k components + 1.67M results)", tmp / "500mb",
                                     write_release(tmp / "500mb", 20_000, 1_670_000), 1)
                fits = "yes" if memory <= RUNNER_MB else "NO"
                print(f"  fits a 7 GB runner ({RUNNER_MB} MiB): {fits}")
                shutil.rmtree(tmp / "500mb")
                garak_report(tmp / "garak")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
