"""The fuzz of tests/adversarial/test_fuzz.py, at length: every collector, the exceptions
loader and the config loader, each fed N mutated or arbitrary inputs (default 10,000).

    python benchmarks/fuzz.py [--inputs 10000] [--only garak,sarif] [--hang-seconds 10]

Prints one row per target: inputs, accepted, refused (an error naming the file), unnamed (an
error that does not name the file), internal errors, hangs (an input still running after
--hang-seconds), fail-opens (bytes not of the format accepted), and the first example of each
failure kind. Every column after "refused" must be 0. Exit 1 if one is not.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS / "adversarial"))

import fuzz_targets  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

FAILURES = ("unnamed", "internal", "hang", "fail_open")


class Hang(Exception):
    """An input ran past --hang-seconds."""


def _alarm(signum, frame):
    raise Hang


def fuzz(target: fuzz_targets.Target, count: int, hang_seconds: int, folder: Path):
    outcomes: Counter[str] = Counter()
    examples: dict[str, str] = {}
    fuzz_targets.prepare(target, folder)

    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(fuzz_targets.inputs(target))
    def one(data: bytes) -> None:
        signal.alarm(hang_seconds)
        try:
            outcome, detail = fuzz_targets.run_one(target, data, folder)
        except Hang:
            outcome, detail = "hang", f"{len(data)} bytes"
        finally:
            signal.alarm(0)
        outcomes[outcome] += 1
        if outcome in FAILURES:
            examples.setdefault(outcome, f"{detail} <- {data[:200]!r}")

    one()
    return outcomes, examples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--only", default="", help="comma-separated target names")
    parser.add_argument("--hang-seconds", type=int, default=10)
    arguments = parser.parse_args()
    wanted = set(filter(None, arguments.only.split(",")))
    signal.signal(signal.SIGALRM, _alarm)
    header = ("target", "inputs", "accepted", "refused", *FAILURES, "seconds")
    print("  ".join(f"{h:>10}" for h in header))
    failed = False
    for target in fuzz_targets.TARGETS:
        if wanted and target.name not in wanted:
            continue
        with tempfile.TemporaryDirectory() as folder:
            started = time.monotonic()
            outcomes, examples = fuzz(target, arguments.inputs, arguments.hang_seconds,
                                      Path(folder))
        row = (target.name, sum(outcomes.values()), outcomes["accepted"], outcomes["refused"],
               *(outcomes[f] for f in FAILURES), f"{time.monotonic() - started:.0f}")
        print("  ".join(f"{value:>10}" for value in row), flush=True)
        for kind, example in examples.items():
            print(f"    first {kind}: {example}", flush=True)
        failed = failed or any(outcomes[f] for f in FAILURES)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
