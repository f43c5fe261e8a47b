"""Item 10 of issue 12: property-based fuzz of every collector, the exceptions loader and the
config loader (tests/adversarial/fuzz_targets.py says what an input and an outcome are).

Deterministic and small in CI: GATEKEEPER_FUZZ_EXAMPLES inputs per target (default 20).
``python benchmarks/fuzz.py`` runs the same fuzz with 10,000 inputs per target and prints the
counts. Every input must be read, or refused with an error naming the file: no internal error,
no error without the file, no fail-open."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings

from adversarial import fuzz_targets

EXAMPLES = int(os.environ.get("GATEKEEPER_FUZZ_EXAMPLES", "20"))
FAILURES = ("internal", "unnamed", "fail_open")


@pytest.mark.parametrize("target", fuzz_targets.TARGETS, ids=lambda target: target.name)
def test_every_input_is_read_or_refused_naming_the_file(target, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"fuzz-{target.name}")
    fuzz_targets.prepare(target, folder)

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(fuzz_targets.inputs(target))
    def one(data: bytes) -> None:
        outcome, detail = fuzz_targets.run_one(target, data, folder)
        assert outcome not in FAILURES, f"{target.name}: {outcome}: {detail}"

    one()


def test_the_fuzz_covers_every_collector_and_both_loaders():
    from gatekeeper.evidence import COLLECTORS

    fuzzed = {target.name for target in fuzz_targets.TARGETS}
    # signatures needs a real Sigstore bundle over a real artifact: fuzzed through
    # model_signatures and provenance, which read the same DSSE and bundle shapes.
    assert set(COLLECTORS) - fuzzed <= {"signatures"}
    assert {"exceptions", "config"} <= fuzzed

