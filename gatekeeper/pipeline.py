"""The library entry points: collect, evaluate, check. The CLI is a thin shell over these.

collect  -> the evidence document (plain JSON data)
evaluate -> the results document (plain JSON data) from an evidence document
check    -> both in one go; ``evaluate(collect(...))`` gives the same results
"""

from __future__ import annotations

import functools
import gc
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
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
from gatekeeper.engine.interface import EngineInput
from gatekeeper.engine.policies import PolicyFile, PolicySet, load_policies, shipped_policy_dir
from gatekeeper.errors import ConfigError, EvidenceError
from gatekeeper.evidence import collect as collect_evidence
from gatekeeper.evidence.scans.findings_index import index_of
from gatekeeper.jsonio import dumps, sha256_bytes
from gatekeeper.kinds import KINDS, not_applicable, refuse_contradicting_evidence, system_kinds
from gatekeeper.org_policy import (
    NO_ORG_POLICY,
    OrgPolicy,
    effective_config,
    effective_policies,
    load_org_policy,
    refuse_weakened_for_kinds,
)
from gatekeeper.prior_runs import PriorRun, history_section, trends_section
from gatekeeper.results import (
    ControlResult,
    control_result,
    not_applicable_result,
    summary,
)
from gatekeeper.schemas import load_document
from gatekeeper.scoring import HELD_RUNS, score_maturity
from gatekeeper.selection import EVERY_CONTROL, Selection, select_controls
from gatekeeper.verdict import Verdict, below_minimum, decide
from gatekeeper.waivers import WaiverFile, apply_waivers, load_waivers

RESULTS_SCHEMA_VERSION = "1"


@dataclass(frozen=True)
class RunOptions:
    """What a run needs besides gatekeeper.yaml: the time it judges at, and the command line's
    extra inputs (policy folders, exceptions, baseline, OPA server, organization policy)."""

    now: datetime
    extra_policy_dirs: tuple[Path, ...] = ()
    exceptions_path: Path | None = None  # overrides gatekeeper.yaml's `exceptions:`
    baseline_path: Path | None = None
    fail_on: str = "any"  # with a baseline: "new" blocks only on new failures
    opa_url: str | None = None
    org_policy_path: Path | None = None  # --org-policy / $GATEKEEPER_ORG_POLICY
    # per question, the consecutive prior runs its evidence held (gatekeeper.history.held)
    held_runs: Mapping[str, int] | None = None
    # this system's prior runs, (run id, results document), from a results history: the
    # trend controls' evidence (gatekeeper.prior_runs); None: no history
    prior_runs: Sequence[PriorRun] | None = None
    selection: Selection = EVERY_CONTROL  # --only / --skip: a partial run (gatekeeper.selection)


def engine_settings(config: Config, options: RunOptions) -> EngineSettings:
    """gatekeeper.yaml's ``engine:``, or the OPA server ``--opa-url`` names (other keys stay)."""
    if options.opa_url is None:
        return config.engine
    return replace(config.engine, kind="opa", url=options.opa_url)


def policy_set(config: Config, options: RunOptions) -> PolicySet:
    """The policies of the configuration's folders and of ``--policies`` (no shipped tests)."""
    return load_policies(config.policy_dirs + options.extra_policy_dirs, shipped_tests=False)


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
    selection: dict[str, Any] | None = None  # the results' section of a partial run


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
    policies, selection = select_controls(policies, options.selection, config, org)
    return GateInputs(policies, exceptions, baseline, config, org, selection)


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


@functools.lru_cache(maxsize=4)
def module_digests(modules: tuple[PolicyFile, ...]) -> tuple[tuple[str, str], ...]:
    """Each module's name (relative to the shipped folder for shipped ones) and sha256, by
    name: worked out once per policy set, as a server or a benchmark evaluates again."""
    shipped = shipped_policy_dir()
    named = (
        (
            module.path.relative_to(shipped).as_posix()
            if module.path.is_relative_to(shipped)
            else module.path.as_posix(),
            sha256_bytes(module.text.encode("utf-8")),
        )
        for module in modules
    )
    return tuple(sorted(named))


def policy_digest(
    policies: PolicySet, config: Config, org: OrgPolicy = NO_ORG_POLICY
) -> tuple[str, list[dict[str, str]]]:
    """A digest of everything that decides: every policy module, the thresholds, the profile,
    and the organization policy's file when there is one."""
    files = [{"path": name, "sha256": digest} for name, digest in module_digests(policies.modules)]
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


def gate_section(
    enforcement: Mapping[str, Enforcement],
    inapplicable: Mapping[str, str] | None = None,
    kinds: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The profile as policies see it (``input.gate``): every applicable control's enforcement,
    the controls that do not apply to the system's kinds, and those kinds (all when undeclared).

    Added at evaluation, never collected, so ``collect`` then ``evaluate`` sees the same gate
    as ``check``; controls about the gate itself (mandatory controls are blocking) read it.
    """
    inapplicable = inapplicable or {}
    return {
        "controls": {
            control_id: value.value
            for control_id, value in enforcement.items()
            if control_id not in inapplicable
        },
        "not_applicable": sorted(inapplicable),
        "kinds": list(kinds or KINDS),
    }


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """The cyclic garbage collector off while evidence is read and decided: building millions
    of plain dicts and lists (which hold no cycles) would otherwise trigger one full collection
    after another, each walking every object already built. Restored afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def gated_kinds(evidence: Mapping[str, Any], config: Config, inputs: GateInputs) -> tuple[
    tuple[str, ...] | None, dict[str, str]
]:
    """The system's declared kinds (None: every kind) and the controls that do not apply, each
    with its reason; refused (exit 2) when the evidence contradicts the kinds, or when the
    profile weakens a mandatory control that applies to them."""
    kinds = system_kinds(evidence)
    refuse_contradicting_evidence(evidence, kinds, inputs.org_policy.allow_contradicting_evidence)
    refuse_weakened_for_kinds(config, inputs.policies, inputs.org_policy, kinds)
    return kinds, not_applicable(inputs.policies.controls, kinds)


def collect(config: Config, options: RunOptions) -> dict[str, Any]:
    """Stage 1: the evidence document of the configuration's evidence, at ``options.now``,
    with the ``history`` section when the prior runs of the system are given."""
    with _no_gc_pauses():
        evidence = collect_evidence(config, options.now)
    if options.prior_runs is not None:
        evidence = with_history(evidence, options.prior_runs)
    return evidence


def with_history(evidence: dict[str, Any], prior_runs: Sequence[PriorRun]) -> dict[str, Any]:
    """The evidence with its ``history`` section: what this system's prior runs measured,
    over the documented window of runs (HELD_RUNS, the window a score of 4 needs)."""
    return {**evidence, "history": history_section(prior_runs, evidence, HELD_RUNS)}


def evaluate(
    config: Config,
    evidence: dict[str, Any],
    options: RunOptions,
    engine: Engine | None = None,
    inputs: GateInputs | None = None,
    *,
    hand_over: bool = False,
) -> dict[str, Any]:
    """Stages 2 to 5: the results document of an evidence document -- every enabled control
    decided by the engine, waivers and the baseline applied, the maturity scored, the verdict.

    ``engine`` defaults to the one gatekeeper.yaml (or ``--opa-url``) names; ``inputs`` to
    what ``read_inputs`` reads (``check`` reads them before collecting, to fail early).
    ``hand_over``: the caller is done with ``evidence``, whose sections only the engine reads
    are dropped once serialised for it (``keep_recorded``)."""
    with _no_gc_pauses():
        inputs = inputs or read_inputs(config, options)
        policies, config = inputs.policies, inputs.config or config
        engine = choose_engine(config, options) if engine is None else engine
        enforcement = enforcements(policies, config)
        kinds, inapplicable = gated_kinds(evidence, config, inputs)
        gate = gate_section(enforcement, inapplicable, kinds)
        evidence_sha256, evidence_input = engine_input(evidence, gate)
        if hand_over:
            keep_recorded(evidence)
        results = decide_controls(
            engine, policies, enforcement, evidence_input, evidence, config, inapplicable
        )
        results, sections, let_through = waive_and_compare(
            inputs, results, evidence["subject"], options
        )
        maturity = score_run(
            config, policies, results, options, evidence["sources"], inputs.org_policy, kinds
        )
        verdict = decide([r.standing for r in results], below_minimum(maturity), let_through)
        document = results_document(
            RunRecord(engine, inputs, config, enforcement, evidence, evidence_sha256, kinds),
            options, results, maturity, verdict,
        )
        if "history" in evidence:
            window = evidence["history"]["window"]
            document["trends"] = trends_section(document["controls"], window)
        document.update(sections)
        if inputs.selection is not None:
            document["selection"] = inputs.selection
        return document


# What the stages after the engine read of the evidence: the results document records them.
RECORDED_SECTIONS = ("subject", "collected_at", "sources", "history")


def keep_recorded(evidence: dict[str, Any]) -> None:
    """Drop, in place, every section of the evidence but RECORDED_SECTIONS: the engine has its
    own copy, and the findings and components, serialised, weigh as much as the evidence files:
    held needlessly while the engine runs."""
    for section in [key for key in evidence if key not in RECORDED_SECTIONS]:
        del evidence[section]


def choose_engine(config: Config, options: RunOptions) -> Engine:
    """The engine gatekeeper.yaml's ``engine:`` names, or the OPA server of ``--opa-url``."""
    settings = engine_settings(config, options)
    return ENGINES[settings.kind](settings)


def enforcements(policies: PolicySet, config: Config) -> dict[str, Enforcement]:
    """Every loaded control's enforcement under the profile (disabled ones included)."""
    return {control.id: config.profile.enforcement(control.id) for control in policies.controls}


def engine_input(evidence: dict[str, Any], gate: dict[str, Any]) -> tuple[str, EngineInput]:
    """The evidence's sha256 (of its canonical JSON) and the engine's input: the evidence plus
    ``gate``, the profile as policies see it (``gate_section``), and the index of the findings
    (``scans.index``). The large arrays are held serialised (``JsonArray``), so each
    serialisation is mostly a copy of their bytes; each copy is let go as soon as the next is
    made, as the input weighs as much as the evidence."""
    evidence_sha256 = sha256_bytes(dumps(evidence, pretty=False))
    text = dumps({**evidence, **indexed_scans(evidence), "gate": gate}, pretty=False)
    return evidence_sha256, EngineInput(text.decode("utf-8"))


def indexed_scans(evidence: dict[str, Any]) -> dict[str, Any]:
    """The ``scans`` section with the index of its findings (``findings_index``), kept as they
    were collected or built from them here: an index in the evidence document is never read."""
    scans = evidence.get("scans")
    if not isinstance(scans, dict):
        return {}
    return {"scans": {**scans, "index": index_of(scans.get("findings") or [])}}


def decide_controls(
    engine: Engine,
    policies: PolicySet,
    enforcement: dict[str, Enforcement],
    evidence_input: EngineInput,
    evidence: dict[str, Any],
    config: Config,
    inapplicable: Mapping[str, str] | None = None,
) -> list[ControlResult]:
    """Stage 2: each enabled control's result, from the engine's decision on its input;
    one that does not apply to the system's kinds is not evaluated (``not_applicable``)."""
    inapplicable = inapplicable or {}
    active = [c for c in policies.controls if enforcement[c.id] is not Enforcement.DISABLED]
    evaluated = tuple(c for c in active if c.id not in inapplicable)
    decisions = engine.evaluate(PolicySet(policies.files, evaluated), evidence_input,
                                config.thresholds)
    return [
        not_applicable_result(control, enforcement[control.id], inapplicable[control.id])
        if control.id in inapplicable
        else control_result(control, enforcement[control.id], decisions[control.id],
                            evidence["sources"])
        for control in active
    ]


@dataclass(frozen=True)
class RunRecord:
    """What a results document records about how it was decided, besides the results."""

    engine: Engine
    inputs: GateInputs
    config: Config
    enforcement: dict[str, Enforcement]
    evidence: dict[str, Any]
    evidence_sha256: str
    kinds: tuple[str, ...] | None  # the system's declared kinds; None: every kind


def results_document(
    run: RunRecord,
    options: RunOptions,
    results: list[ControlResult],
    maturity: dict[str, Any],
    verdict: Verdict,
) -> dict[str, Any]:
    """Stage 5: the results document (schemas/results), before the sections waivers and the
    baseline add."""
    policies, config, evidence, kinds = run.inputs.policies, run.config, run.evidence, run.kinds
    digest, files = policy_digest(policies, config, run.inputs.org_policy)
    disabled = [i for i, e in run.enforcement.items() if e is Enforcement.DISABLED]
    return {
        "schema_version": RESULTS_SCHEMA_VERSION,
        "tool": {"name": "gatekeeper", "version": __version__},
        "engine": run.engine.describe(),
        "subject": evidence["subject"],
        "kinds": list(kinds) if kinds is not None else None,
        "evaluated_at": options.now.isoformat(),
        "evidence": {
            "collected_at": evidence["collected_at"],
            "sha256": run.evidence_sha256,
            "sources": evidence["sources"],
        },
        "policy": {
            "digest": digest,
            "files": files,
            "thresholds": config.thresholds,
            "disabled": sorted(disabled),
            "org_policy": run.inputs.org_policy.to_dict(),
        },
        "verdict": verdict.to_dict(),
        "summary": summary(results),
        "controls": [result.to_dict() for result in results],
        "maturity": maturity,
    }


def score_run(
    config: Config,
    policies: PolicySet,
    results: list[ControlResult],
    options: RunOptions,
    sources: list[dict[str, Any]],
    org: OrgPolicy = NO_ORG_POLICY,
    kinds: Sequence[str] | None = None,
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
        kinds=kinds,
    )
    maturity["attestations"] = (
        {"file": config.attestations, "sha256": attestations.sha256} if attestations else None
    )
    return maturity


def check(config: Config, options: RunOptions, engine: Engine | None = None) -> dict[str, Any]:
    """Collect, then evaluate: the results document of the release ``config`` describes."""
    inputs = read_inputs(config, options)  # a bad exceptions or baseline file stops us first
    return evaluate(config, collect(config, options), options, engine, inputs, hand_over=True)


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
