"""``gatekeeper policy test``: run the Rego ``test_`` rules of policy folders, like ``opa test``.

Tests see ``data.gatekeeper.config`` set to the shipped thresholds, as a gate run does, and
override it per test with ``with data.gatekeeper.config... as ...``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gatekeeper.engine.policies import PolicySet
from gatekeeper.engine.regorus_engine import (
    FATAL_EXCEPTIONS,
    clean_message,
    new_engine,
    query,
    thresholds_data,
)

_TEST_RULE = re.compile(r"^(test_\w+)\b", re.MULTILINE)


@dataclass(frozen=True)
class RegoTestResult:
    package: str
    name: str
    outcome: str  # pass | fail | error
    detail: str = ""
    file: str = ""


def find_test_rules(policies: PolicySet) -> list[tuple[str, str, str]]:
    """(package, rule, file) of every test rule, in file order, each name once per package."""
    found: dict[tuple[str, str], str] = {}
    for policy in policies.files:
        if policy.is_test:
            for name in _TEST_RULE.findall(policy.text):
                found.setdefault((policy.package, name), str(policy.path))
    return [(package, name, file) for (package, name), file in found.items()]


def run_tests(policies: PolicySet, config: dict[str, Any]) -> list[RegoTestResult]:
    engine = new_engine(policies.files)
    engine.add_data_json(thresholds_data(config))
    results = []
    for package, name, file in find_test_rules(policies):
        try:
            value = query(engine, f"data.{package}.{name}")
        except FATAL_EXCEPTIONS:
            raise
        except BaseException as error:
            results.append(RegoTestResult(package, name, "error", clean_message(error), file))
            continue
        outcome = "pass" if value is True else "fail"
        detail = "" if value is True else ("undefined" if value is None else f"= {value!r}")
        results.append(RegoTestResult(package, name, outcome, detail, file))
    return results
