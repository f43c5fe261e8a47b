"""Real OPA (the Go engine, in-process through opa-golib-python-bindings) for the parity tests.

A test helper, not a product engine: it evaluates the same policy files, data and input the
embedded regorus engine gets, and returns the same shapes (``RegoTestResult`` per Rego test,
``Decision`` per control), so tests can compare the two engines value for value.

Install: pip install --ignore-requires-python opa-golib-python-bindings
(the wheel declares Python 3.14 but its ctypes wrapper and Go library work on 3.10+).
"""

from __future__ import annotations

from typing import Any

import orjson
from opa_bindings import OpaEngine, OpaError

from gatekeeper.engine.interface import RULES, Decision, decision_from_values
from gatekeeper.engine.policies import PolicyFile, PolicySet
from gatekeeper.engine.testing import RegoTestResult, find_test_rules


def new_engine(files: tuple[PolicyFile, ...], config: dict[str, Any]) -> OpaEngine:
    engine = OpaEngine()
    for policy in files:
        engine.add_policy(str(policy.path), policy.text)
    engine.add_data({"gatekeeper": {"config": config}})
    return engine


class PackageDocuments:
    """Rule values per package. OPA prepares (compiles) each distinct query anew, about 0.2 s
    here, so the whole ``data.gatekeeper.controls`` tree is evaluated once; when that fails
    (one package's evaluation error), packages are evaluated one by one to isolate it."""

    ROOT = "gatekeeper.controls"

    def __init__(self, engine: OpaEngine, evidence: Any = None):
        self.engine, self.evidence = engine, evidence
        try:
            self.tree: dict[str, Any] | None = engine.eval_document(self.ROOT, evidence)
        except OpaError:
            self.tree = None

    def get(self, package: str) -> dict[str, Any] | OpaError:
        if self.tree is None or not package.startswith(self.ROOT + "."):  # a library's tests
            try:
                return self.engine.eval_document(package, self.evidence) or {}
            except OpaError as error:
                return error
        node: Any = self.tree
        for part in package.removeprefix(self.ROOT + ".").split("."):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        return node if isinstance(node, dict) else {}


def run_tests(policies: PolicySet, config: dict[str, Any]) -> list[RegoTestResult]:
    """Like ``gatekeeper.engine.testing.run_tests``, on OPA."""
    results = []
    with new_engine(policies.files, config) as engine:
        documents = PackageDocuments(engine)
        for package, name, file in find_test_rules(policies):
            document = documents.get(package)
            if isinstance(document, OpaError):
                results.append(RegoTestResult(package, name, "error", str(document), file))
                continue
            value = document.get(name)
            outcome = "pass" if value is True else "fail"
            detail = "" if value is True else ("undefined" if value is None else f"= {value!r}")
            results.append(RegoTestResult(package, name, outcome, detail, file))
    return results


def evaluate(
    policies: PolicySet, evidence_json: str, config: dict[str, Any]
) -> dict[str, Decision]:
    """Like ``RegorusEngine.evaluate``, on OPA: one decision per control."""
    decisions = {}
    with new_engine(policies.modules, config) as engine:
        documents = PackageDocuments(engine, orjson.loads(evidence_json))
        for control in policies.controls:
            document = documents.get(control.package)
            if isinstance(document, OpaError):
                decisions[control.id] = Decision(error=f"policy evaluation failed: {document}")
                continue
            decisions[control.id] = decision_from_values(*(document.get(rule) for rule in RULES))
    return decisions
