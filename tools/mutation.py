"""Mutation testing of gatekeeper's decision modules with mutmut.

Each module is mutated alone, in a scratch copy of the repository, and only its fast tests run
against each mutant (MODULES maps a module to them), so a run fits on a shared CI runner::

    python tools/mutation.py                      # every module below
    python tools/mutation.py --module waivers     # one module (repeatable)
    python tools/mutation.py --module waivers --jobs 2 --keep /tmp/mut

Per module it prints the number of mutants, killed, survived (and timeouts, "suspicious" and
not-checked ones), then the diff of every surviving mutant. A survivor listed in EXPLAINED
(an equivalent mutant, with the reason) is shown apart and does not fail the run; any other
survivor makes the exit code 1. Needs the ``mutation`` extra: ``pip install -e '.[mutation]'``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COPIED = ("gatekeeper", "policies", "tests", "examples", "docs", "README.md", "pyproject.toml")


@dataclass(frozen=True)
class Module:
    source: str  # path of the module in the repository
    tests: tuple[str, ...]  # the tests that guard it, run against each mutant


MODULES: dict[str, Module] = {
    "waivers": Module(
        "gatekeeper/waivers.py",
        ("tests/test_waivers.py", "tests/adversarial/test_decision_boundaries.py"),
    ),
    "timeutil": Module(
        "gatekeeper/timeutil.py",
        ("tests/test_timeutil.py", "tests/test_attestations.py", "tests/test_waivers.py"),
    ),
    "results": Module(
        "gatekeeper/results.py",
        ("tests/adversarial/test_decision_boundaries.py", "tests/test_baseline.py",
         "tests/test_waivers.py"),
    ),
    "verdict": Module(
        "gatekeeper/verdict.py",
        ("tests/test_verdict.py", "tests/adversarial/test_decision_boundaries.py"),
    ),
    "identity": Module(
        "gatekeeper/identity.py",
        ("tests/adversarial/test_identities.py",),
    ),
    "trust": Module(
        "gatekeeper/evidence/signing/trust.py",
        ("tests/evidence/test_trust.py", "tests/adversarial/test_provenance.py"),
    ),
    "scoring": Module(
        "gatekeeper/scoring.py",
        ("tests/test_scoring.py", "tests/adversarial/test_scores.py"),
    ),
    "baseline": Module("gatekeeper/baseline.py", ("tests/test_baseline.py",)),
    "sarif": Module(
        "gatekeeper/evidence/scans/sarif.py",
        ("tests/adversarial/test_scans.py", "tests/evidence/test_sarif.py",
         "tests/evidence/test_scan_keys.py"),
    ),
    "policies": Module(
        "gatekeeper/engine/policies.py",
        ("tests/engine/test_policies.py", "tests/adversarial/test_policy_integrity.py"),
    ),
}

# Surviving mutants that are equivalent (no behaviour can tell them apart), by mutmut's name,
# each with the reason. They are reported but do not fail the run.
EXPLAINED: dict[str, str] = {
    # parse_rfc3339 turns a final Z into +00:00 because Python 3.10 (requires-python) cannot
    # read Z; from 3.11 datetime.fromisoformat reads it, so on 3.11+ not turning it changes
    # nothing. (Lowercase z, which no Python reads, is tested: test_timeutil.)
    "gatekeeper.timeutil.x_parse_rfc3339__mutmut_3": "Z is read natively by Python >= 3.11",
    "gatekeeper.timeutil.x_parse_rfc3339__mutmut_4": "Z is read natively by Python >= 3.11",
    # parse_entries keeps an entry only when it has no problem; `not found or dates...` keeps
    # some broken ones too, but any problem makes load_waivers raise and drop every entry.
    "gatekeeper.waivers.x_parse_entries__mutmut_58": "entries of a file with problems are "
    "never used: load_waivers raises",
    # The SARIF reader reports the first schema error only; asking for more costs only time.
    "gatekeeper.evidence.scans.sarif.x_check_types__mutmut_7": "only the first error is shown",
    "gatekeeper.evidence.scans.sarif.x_check_types__mutmut_8": "only the first error is shown",
    # A result without a location has no uri, so the index (and the pointer built from it) of
    # the location it does not have is never used.
    "gatekeeper.evidence.scans.sarif.x__location__mutmut_42": "no location: index unused",
    "gatekeeper.evidence.scans.sarif.x__location__mutmut_43": "no location: index unused",
    "gatekeeper.evidence.scans.sarif.xǁRunReaderǁfinding__mutmut_55": "resolving no uri gives "
    "no path: the guard only skips the work",
    "gatekeeper.evidence.scans.sarif.x__resolved__mutmut_2": "base ids are strings: "
    "bases.get(None) is None as well",
    # Any default trivy rule name that is not a rule kind gives the same "container".
    "gatekeeper.evidence.scans.sarif.x__category__mutmut_13": "no rule kind: container",
    "gatekeeper.evidence.scans.sarif.x__category__mutmut_15": "no rule kind: container",
    "gatekeeper.evidence.scans.sarif.x__category__mutmut_18": "no rule kind: container",
}

_STATUS = re.compile(r"^\s*(?P<name>[\w.]+__mutmut_\d+): (?P<status>[\w ]+?)\s*$")


def scratch_copy(target: Path, module: Module) -> None:
    """The repository's files the tests need, and a pyproject whose [tool.mutmut] names the
    module and its tests."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns(
                "__pycache__", ".pytest_cache", "mutants", ".hypothesis"))
        else:
            shutil.copy2(source, target / name)
    shared = ROOT.parent / "shared"  # the corpus tests read ../shared beside the repository,
    if shared.is_dir():  # which for mutmut is target/mutants
        (target / "shared").symlink_to(shared)
    tests = list(module.tests)
    config = (
        "\n\n[tool.mutmut]\n"
        'source_paths = ["gatekeeper"]\n'
        f'only_mutate = ["{module.source}"]\n'
        f"pytest_add_cli_args_test_selection = {tests!r}\n"
        'pytest_add_cli_args = ["-n", "0"]\n'
        'also_copy = ["policies", "examples", "docs", "README.md"]\n'
        "use_git_change_detection = false\n"
    ).replace("'", '"')
    pyproject = target / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    if "[tool.mutmut]" in text:
        raise SystemExit("pyproject.toml has a [tool.mutmut] section: this script writes its own")
    pyproject.write_text(text + config, encoding="utf-8")


def mutmut(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "mutmut", *args]
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=False)


def statuses(folder: Path) -> dict[str, str]:
    listed = mutmut(folder, "results", "--all", "true")
    found = {}
    for line in listed.stdout.splitlines():
        match = _STATUS.match(line)
        if match:
            found[match["name"]] = match["status"]
    return found


def run_module(name: str, jobs: int, keep: Path | None) -> tuple[dict[str, int], list[str]]:
    """Mutate one module; its counts and the names of unexplained survivors."""
    module = MODULES[name]
    folder = Path(tempfile.mkdtemp(prefix=f"mutation-{name}-", dir=keep))
    scratch_copy(folder, module)
    run = mutmut(folder, "run", "--max-children", str(jobs))
    found = statuses(folder)
    if not found:
        print(run.stdout[-3000:], run.stderr[-3000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"{name}: mutmut produced no results (see above)")
    counts: dict[str, int] = {}
    for status in found.values():
        counts[status] = counts.get(status, 0) + 1
    survivors = sorted(n for n, s in found.items() if s == "survived")
    print(f"\n== {name} ({module.source}; tests: {', '.join(module.tests)})")
    print(
        f"mutants {len(found)}, killed {counts.get('killed', 0)}, "
        f"survived {counts.get('survived', 0)}, "
        + ", ".join(f"{s} {c}" for s, c in sorted(counts.items())
                    if s not in ("killed", "survived"))
    )
    unexplained = []
    for survivor in survivors:
        diff = mutmut(folder, "show", survivor).stdout.strip()
        reason = EXPLAINED.get(survivor)
        print(f"\n-- {survivor}" + (f"  [explained: {reason}]" if reason else "  [SURVIVED]"))
        print(diff)
        if reason is None:
            unexplained.append(survivor)
    if keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    else:
        print(f"(kept in {folder})")
    return counts, unexplained


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", choices=sorted(MODULES),
                        help="mutate only this module (repeatable); default: all")
    parser.add_argument("--jobs", type=int, default=1,
                        help="mutants tested at once (default 1: CPUs are shared)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep each scratch copy under this folder (for `mutmut browse`)")
    args = parser.parse_args(argv)
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
    unexplained: dict[str, list[str]] = {}
    totals = []
    for name in args.module or list(MODULES):
        counts, left = run_module(name, args.jobs, args.keep)
        totals.append((name, counts))
        if left:
            unexplained[name] = left
    print("\n== summary")
    for name, counts in totals:
        print(f"{name:<10} mutants {sum(counts.values()):>4}  killed {counts.get('killed', 0):>4}"
              f"  survived {counts.get('survived', 0):>3}"
              f"  unexplained {len(unexplained.get(name, [])):>3}")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
