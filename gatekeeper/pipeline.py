"""The library entry points: collect, evaluate, check. The CLI is a thin shell over these.

collect  -> the evidence document (plain JSON data)
evaluate -> the results document (plain JSON data) from an evidence document
check    -> both in one go; ``evaluate(collect(...))`` gives the same results
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from gatekeeper import __version__
from gatekeeper.attestations import load_attestations
from gatekeeper.config import Config, Enforcement
from gatekeeper.engine import ENGINES, Engine
from gatekeeper.engine.policies import PolicySet, load_policies, shipped_policy_dir
from gatekeeper.evidence import collect as collect_evidence
from gatekeeper.jsonio import dumps, sha256_bytes
from gatekeeper.results import ControlResult, control_result, decide, summary
from gatekeeper.scoring import below_minimum, score_maturity

RESULTS_SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class RunOptions:
    now: datetime
    extra_policy_dirs: tuple[Path, ...] = ()
    engine: str = "regorus"


def policy_set(config: Config, options: RunOptions) -> PolicySet:
    return load_policies(config.policy_dirs + options.extra_policy_dirs)


def policy_digest(policies: PolicySet, config: Config) -> tuple[str, list[dict[str, str]]]:
    """A digest of everything that decides: every policy module, the thresholds, the profile."""
    shipped = shipped_policy_dir()
    files = []
    for module in policies.modules:
        name = module.path.relative_to(shipped).as_posix() if module.path.is_relative_to(
            shipped) else module.path.as_posix()
        files.append({"path": name, "sha256": sha256_bytes(module.text.encode("utf-8"))})
    files.sort(key=lambda item: item["path"])
    profile = {
        "blocking": list(config.profile.blocking),
        "advisory": list(config.profile.advisory),
        "disabled": list(config.profile.disabled),
    }
    if config.profile.minimum_level:
        profile["minimum_level"] = config.profile.minimum_level
    payload = dumps({"files": files, "thresholds": config.thresholds, "profile": profile}, pretty=False)
    return hashlib.sha256(payload).hexdigest(), files


def collect(config: Config, options: RunOptions) -> dict[str, Any]:
    return collect_evidence(config, options.now)


def evaluate(
    config: Config,
    evidence: dict[str, Any],
    options: RunOptions,
    engine: Engine | None = None,
) -> dict[str, Any]:
    policies = policy_set(config, options)
    engine = engine or ENGINES[options.engine]()
    evidence_json = dumps(evidence, pretty=False)
    active = [
        (control, config.profile.enforcement(control.id))
        for control in policies.controls
        if config.profile.enforcement(control.id) is not Enforcement.DISABLED
    ]
    decisions = engine.evaluate(
        PolicySet(policies.files, tuple(c for c, _ in active)), evidence_json, config.thresholds
    )
    results: list[ControlResult] = [
        control_result(control, enforcement, decisions[control.id], evidence["sources"])
        for control, enforcement in active
    ]
    maturity = score_run(config, policies, results, options)
    verdict = decide(results, below_minimum(maturity))
    digest, files = policy_digest(policies, config)
    return {
        "schema_version": RESULTS_SCHEMA_VERSION,
        "tool": {"name": "gatekeeper", "version": __version__},
        "engine": engine.describe(),
        "subject": evidence["subject"],
        "evaluated_at": options.now.isoformat(),
        "evidence": {
            "collected_at": evidence["collected_at"],
            "sha256": sha256_bytes(evidence_json),
            "sources": evidence["sources"],
        },
        "policy": {
            "digest": digest,
            "files": files,
            "thresholds": config.thresholds,
            "disabled": sorted(
                c.id for c in policies.controls
                if config.profile.enforcement(c.id) is Enforcement.DISABLED
            ),
        },
        "verdict": verdict.to_dict(),
        "summary": summary(results),
        "controls": [result.to_dict() for result in results],
        "maturity": maturity,
    }


def score_run(
    config: Config, policies: PolicySet, results: list[ControlResult], options: RunOptions
) -> dict[str, Any]:
    """Stage 4: the maturity section, from the control results and the attestations file."""
    attestations = (
        load_attestations(config.base_dir / config.attestations) if config.attestations else None
    )
    maturity = score_maturity(
        policies.controls,
        results,
        options.now,
        attestations.answers if attestations else None,
        config.profile.minimum_level,
    )
    maturity["attestations"] = (
        {"file": config.attestations, "sha256": attestations.sha256} if attestations else None
    )
    return maturity


def check(config: Config, options: RunOptions, engine: Engine | None = None) -> dict[str, Any]:
    return evaluate(config, collect(config, options), options, engine)
