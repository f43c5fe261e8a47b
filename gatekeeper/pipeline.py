"""The library entry points: collect, evaluate, check. The CLI is a thin shell over these.

collect  -> the evidence document (plain JSON data)
evaluate -> the results document (plain JSON data) from an evidence document
check    -> both in one go; ``evaluate(collect(...))`` gives the same results
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from gatekeeper import __version__
from gatekeeper.attestations import load_attestations, verify_evidence_files
from gatekeeper.baseline import FAIL_ON, Baseline, check_subject, compare, load_baseline
from gatekeeper.baseline import section as baseline_section
from gatekeeper.config import Config, Enforcement, EngineSettings
from gatekeeper.engine import ENGINES, Engine
from gatekeeper.engine.policies import PolicySet, load_policies, shipped_policy_dir
from gatekeeper.errors import ConfigError, EvidenceError
from gatekeeper.evidence import collect as collect_evidence
from gatekeeper.jsonio import dumps, sha256_bytes
from gatekeeper.org_policy import (
    NO_ORG_POLICY,
    OrgPolicy,
    effective_config,
    effective_policies,
    load_org_policy,
)
from gatekeeper.results import ControlResult, control_result, decide, summary
from gatekeeper.schemas import load_document
from gatekeeper.scoring import below_minimum, score_maturity
from gatekeeper.waivers import WaiverFile, apply_waivers, load_waivers

RESULTS_SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class RunOptions:
    now: datetime
    extra_policy_dirs: tuple[Path, ...] = ()
    exceptions_path: Path | None = None  # overrides gatekeeper.yaml's `exceptions:`
    baseline_path: Path | None = None
    fail_on: str = "any"  # with a baseline: "new" blocks only on new failures
    opa_url: str | None = None
    org_policy_path: Path | None = None  # --org-policy / $GATEKEEPER_ORG_POLICY
    # per question, the consecutive prior runs its evidence held (gatekeeper.history.held)
    held_runs: Mapping[str, int] | None = None


def engine_settings(config: Config, options: RunOptions) -> EngineSettings:
    """gatekeeper.yaml's ``engine:``, or the OPA server ``--opa-url`` names (other keys stay)."""
    if options.opa_url is None:
        return config.engine
    return replace(config.engine, kind="opa", url=options.opa_url)


def policy_set(config: Config, options: RunOptions) -> PolicySet:
    return load_policies(config.policy_dirs + options.extra_policy_dirs)


@dataclass(frozen=True)
class GateInputs:
    """What the user wrote that decides besides evidence, read and validated up front.

    ``config``: gatekeeper.yaml as the organization policy lets it decide (the effective one).
    """

    policies: PolicySet
    exceptions: WaiverFile | None = None
    baseline: Baseline | None = None
    config: Config | None = None
    org_policy: OrgPolicy = NO_ORG_POLICY


def read_inputs(config: Config, options: RunOptions) -> GateInputs:
    """Policies, the exceptions file and the baseline, each read whole or not at all."""
    if options.fail_on not in FAIL_ON:
        raise ConfigError(f"--fail-on {options.fail_on!r}: one of {', '.join(FAIL_ON)}")
    if options.fail_on == "new" and options.baseline_path is None:
        raise ConfigError("--fail-on new needs --baseline (the results to compare with)")
    org = load_org_policy(options.org_policy_path) if options.org_policy_path else NO_ORG_POLICY
    policies = effective_policies(policy_set(config, options), org)
    config = effective_config(config, policies, org)
    path = options.exceptions_path or config.exceptions
    exceptions = None
    if path is not None:
        exceptions = load_waivers(
            path, policies.controls, config.exceptions_policy, name=_shown(path, config)
        )
    baseline = None
    if options.baseline_path is not None:
        baseline = load_baseline(options.baseline_path, name=str(options.baseline_path))
    return GateInputs(policies, exceptions, baseline, config, org)


def _shown(path: Path, config: Config) -> str:
    """A path as reports show it: relative to gatekeeper.yaml's folder, like evidence sources."""
    try:
        return path.resolve().relative_to(config.base_dir).as_posix()
    except ValueError:
        return str(path)


def waive_and_compare(
    inputs: GateInputs, results: list[ControlResult], subject: dict[str, Any], options: RunOptions
) -> tuple[list[ControlResult], dict[str, Any], frozenset[str]]:
    """Stage 3 and the baseline: the results after exceptions, the document sections this
    fills (``exceptions``, ``baseline``), and the controls the baseline lets through."""
    sections: dict[str, Any] = {}
    let_through: frozenset[str] = frozenset()
    if inputs.exceptions is not None:
        results, sections["exceptions"] = apply_waivers(
            results, inputs.exceptions, subject, options.now
        )
    if inputs.baseline is not None:
        check_subject(inputs.baseline, subject)
        comparison = compare(inputs.baseline, results, options.fail_on)
        sections["baseline"] = baseline_section(inputs.baseline, comparison, options.fail_on)
        let_through = comparison.let_through_controls
    return results, sections, let_through


def policy_digest(
    policies: PolicySet, config: Config, org: OrgPolicy = NO_ORG_POLICY
) -> tuple[str, list[dict[str, str]]]:
    """A digest of everything that decides: every policy module, the thresholds, the profile,
    and the organization policy's file when there is one."""
    shipped = shipped_policy_dir()
    files = []
    for module in policies.modules:
        name = (
            module.path.relative_to(shipped).as_posix()
            if module.path.is_relative_to(shipped)
            else module.path.as_posix()
        )
        files.append({"path": name, "sha256": sha256_bytes(module.text.encode("utf-8"))})
    files.sort(key=lambda item: item["path"])
    profile: dict[str, Any] = {
        "blocking": list(config.profile.blocking),
        "advisory": list(config.profile.advisory),
        "disabled": list(config.profile.disabled),
    }
    if config.profile.minimum_level:
        profile["minimum_level"] = config.profile.minimum_level
    decides: dict[str, Any] = {"files": files, "thresholds": config.thresholds, "profile": profile}
    if org.sha256 is not None:
        decides["org_policy"] = org.sha256
    payload = dumps(decides, pretty=False)
    return hashlib.sha256(payload).hexdigest(), files


def gate_section(policies: PolicySet, config: Config) -> dict[str, Any]:
    """The profile as policies see it (``input.gate``): every loaded control's enforcement.

    Added at evaluation, never collected, so ``collect`` then ``evaluate`` sees the same gate
    as ``check``; controls about the gate itself (mandatory controls are blocking) read it.
    """
    return {
        "controls": {
            control.id: config.profile.enforcement(control.id).value
            for control in policies.controls
        }
    }


def collect(config: Config, options: RunOptions) -> dict[str, Any]:
    return collect_evidence(config, options.now)


def evaluate(
    config: Config,
    evidence: dict[str, Any],
    options: RunOptions,
    engine: Engine | None = None,
    inputs: GateInputs | None = None,
) -> dict[str, Any]:
    inputs = inputs or read_inputs(config, options)
    policies, config = inputs.policies, inputs.config or config
    if engine is None:
        settings = engine_settings(config, options)
        engine = ENGINES[settings.kind](settings)
    evidence_json = dumps(evidence, pretty=False)
    input_json = dumps({**evidence, "gate": gate_section(policies, config)}, pretty=False)
    active = [
        (control, config.profile.enforcement(control.id))
        for control in policies.controls
        if config.profile.enforcement(control.id) is not Enforcement.DISABLED
    ]
    decisions = engine.evaluate(
        PolicySet(policies.files, tuple(c for c, _ in active)), input_json, config.thresholds
    )
    results: list[ControlResult] = [
        control_result(control, enforcement, decisions[control.id], evidence["sources"])
        for control, enforcement in active
    ]
    subject = evidence["subject"]
    results, sections, let_through = waive_and_compare(inputs, results, subject, options)
    maturity = score_run(
        config, policies, results, options, evidence["sources"], inputs.org_policy
    )
    verdict = decide(results, below_minimum(maturity), let_through=let_through)
    digest, files = policy_digest(policies, config, inputs.org_policy)
    document = {
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
                c.id
                for c in policies.controls
                if config.profile.enforcement(c.id) is Enforcement.DISABLED
            ),
            "org_policy": inputs.org_policy.to_dict(),
        },
        "verdict": verdict.to_dict(),
        "summary": summary(results),
        "controls": [result.to_dict() for result in results],
        "maturity": maturity,
    }
    document.update(sections)
    return document


def score_run(
    config: Config,
    policies: PolicySet,
    results: list[ControlResult],
    options: RunOptions,
    sources: list[dict[str, Any]],
    org: OrgPolicy = NO_ORG_POLICY,
) -> dict[str, Any]:
    """Stage 4: the maturity section, from the control results and the attestations file; an
    attestation answers a question whose control is disabled only if the org policy allows it."""
    attestations = (
        load_attestations(config.base_dir / config.attestations) if config.attestations else None
    )
    if attestations:
        verify_evidence_files(attestations)
    maturity = score_maturity(
        policies.controls,
        results,
        options.now,
        attestations.answers if attestations else None,
        config.profile.minimum_level,
        sources=sources,
        history=options.held_runs,
        allow_attested_disabled=org.attestations_answer_disabled_controls,
    )
    maturity["attestations"] = (
        {"file": config.attestations, "sha256": attestations.sha256} if attestations else None
    )
    return maturity


def check(config: Config, options: RunOptions, engine: Engine | None = None) -> dict[str, Any]:
    inputs = read_inputs(config, options)  # a bad exceptions or baseline file stops us first
    return evaluate(config, collect(config, options), options, engine, inputs)


def load_results(path: Path) -> dict[str, Any]:
    """A saved results document, checked against the shipped schema and its version."""
    document, _ = load_document(
        path,
        "results",
        what="results",
        error_type=EvidenceError,
        hint="run the gate again with this gatekeeper version",
    )
    return document
