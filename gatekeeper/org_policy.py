"""The organization policy: the platform team's floor, which gatekeeper.yaml may only raise.

A YAML file (``--org-policy FILE`` or ``$GATEKEEPER_ORG_POLICY``; schema
``schemas/org-policy.schema.json``) sets the mandatory controls and their weakest enforcement,
the controls no exception may name, who may approve exceptions and for how long, and the
lowest maturity levels. Without one, the floor is what the shipped METADATA says: every control
marked ``mandatory: true`` stays blocking.

``effective_config`` checks gatekeeper.yaml against the floor (any attempt to loosen is a
ConfigError naming both files) and returns the configuration the run uses; a run in which no
control would block is refused the same way. See docs/security.md.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from gatekeeper.config import Config, Enforcement, WaiverPolicy
from gatekeeper.engine.policies import Control, PolicySet
from gatekeeper.errors import ConfigError
from gatekeeper.identity import identity_problem
from gatekeeper.jsonio import decode_text, read_bytes, sha256_bytes
from gatekeeper.kinds import applies
from gatekeeper.schemas import validation_errors
from gatekeeper.yamlio import load_yaml_text

ENV_VAR = "GATEKEEPER_ORG_POLICY"
SHIPPED_METADATA = "the shipped policies' METADATA (mandatory: true)"
_STRENGTH = {Enforcement.DISABLED: 0, Enforcement.ADVISORY: 1, Enforcement.BLOCKING: 2}


@dataclass(frozen=True)
class Mandate:
    """Controls (id globs) that may not be weaker than ``minimum`` in the profile."""

    controls: tuple[str, ...]
    minimum: Enforcement

    def covers(self, control_id: str) -> bool:
        return any(fnmatch.fnmatchcase(control_id, glob) for glob in self.controls)


@dataclass(frozen=True)
class OrgPolicy:
    """A read organization policy; ``OrgPolicy()`` is the floor without a file."""

    path: Path | None = None
    sha256: str | None = None
    mandatory: tuple[Mandate, ...] = ()
    shipped_mandatory: bool = True
    non_waivable: tuple[str, ...] = ()
    approvers: tuple[str, ...] = ()  # empty: anyone but the owner may approve
    max_lifetime_days: int | None = None
    minimum_level: dict[str, int] = field(default_factory=dict)
    # May an attestation answer a question whose automated control is disabled? (scoring)
    attestations_answer_disabled_controls: bool = False
    # May a system declare no LLM kind while its evidence shows an LLM? (gatekeeper.kinds)
    allow_contradicting_evidence: bool = False

    @property
    def name(self) -> str:
        return str(self.path) if self.path is not None else SHIPPED_METADATA

    def to_dict(self) -> dict[str, Any] | None:
        """The results' ``policy.org_policy``: which file set the floor, and its digest."""
        if self.path is None:
            return None
        return {"file": str(self.path), "sha256": self.sha256}


NO_ORG_POLICY = OrgPolicy()  # the floor without a file: the shipped METADATA's


def load_org_policy(path: Path) -> OrgPolicy:
    """Read and validate the whole file; any problem is a ConfigError naming it (exit 2)."""
    data = read_bytes(path, ConfigError)
    raw = load_yaml_text(decode_text(data, path, ConfigError), path)
    if not isinstance(raw, dict):
        raise ConfigError("an organization policy is a mapping with 'version: 1'", path=path)
    errors = validation_errors(raw, "org-policy")
    if errors:
        raise ConfigError(
            "invalid organization policy:\n  " + "\n  ".join(errors),
            path=path,
            hint="see docs/security.md (the organization policy)",
        )
    exceptions, maturity = raw.get("exceptions", {}), raw.get("maturity", {})
    for approver in exceptions.get("approvers", []):
        problem = identity_problem(approver)
        if problem is not None:
            raise ConfigError(f"exceptions.approvers: {problem}", path=path)
    return OrgPolicy(
        path=path.resolve(),
        sha256=sha256_bytes(data),
        mandatory=tuple(
            Mandate(tuple(item["controls"]), Enforcement(item["minimum"]))
            for item in raw.get("mandatory", [])
        ),
        shipped_mandatory=raw.get("shipped_mandatory", True),
        non_waivable=tuple(raw.get("non_waivable", [])),
        approvers=tuple(exceptions.get("approvers", [])),
        max_lifetime_days=exceptions.get("max_lifetime_days"),
        minimum_level=dict(maturity.get("minimum_level", {})),
        attestations_answer_disabled_controls=maturity.get(
            "attestations_answer_disabled_controls", False
        ),
        allow_contradicting_evidence=raw.get("kinds", {}).get(
            "allow_contradicting_evidence", False
        ),
    )


def org_policy_path(option: Path | None, environ: dict[str, str]) -> Path | None:
    """``--org-policy``, else ``$GATEKEEPER_ORG_POLICY``, else none (an empty value is none)."""
    if option is not None:
        return option
    value = environ.get(ENV_VAR, "").strip()
    return Path(value) if value else None


def minimum_enforcement(org: OrgPolicy, control: Control) -> tuple[Enforcement, str] | None:
    """The weakest enforcement ``control`` may have, and who set it; None: no floor."""
    floors = [(m.minimum, org.name) for m in org.mandatory if m.covers(control.id)]
    if org.shipped_mandatory and control.mandatory:
        floors.append((Enforcement.BLOCKING, f"{control.path} (METADATA mandatory: true)"))
    if not floors:
        return None
    return max(floors, key=lambda floor: _STRENGTH[floor[0]])


def effective_config(config: Config, policies: PolicySet, org: OrgPolicy) -> Config:
    """gatekeeper.yaml raised to the organization's floor, or a ConfigError naming both files
    when it tries to go below it; also refused: a profile under which no control blocks."""
    _refuse_weakened_controls(config, [c for c in policies.controls if not c.applies_to], org)
    _refuse_no_blocking_control(config, policies)
    return replace(
        config,
        profile=replace(config.profile, minimum_level=_minimum_level(config, org)),
        exceptions_policy=effective_waiver_policy(config.exceptions_policy, org, config.path),
    )


def effective_policies(policies: PolicySet, org: OrgPolicy) -> PolicySet:
    """The controls as this run treats them: those the org policy makes non-waivable are."""
    if not org.non_waivable:
        return policies
    controls = tuple(
        replace(c, waivable=False)
        if any(fnmatch.fnmatchcase(c.id, glob) for glob in org.non_waivable)
        else c
        for c in policies.controls
    )
    return replace(policies, controls=controls)


def refuse_weakened_for_kinds(
    config: Config, policies: PolicySet, org: OrgPolicy, kinds: Sequence[str] | None
) -> None:
    """The floor of the controls restricted to some kinds, once the system's kinds are known
    (at evaluation): one that applies may not be weakened; one that does not is not required.
    ``effective_config`` has checked the controls that apply to every kind."""
    restricted = [c for c in policies.controls if c.applies_to and applies(c, kinds)]
    _refuse_weakened_controls(config, restricted, org)


def _refuse_weakened_controls(config: Config, controls: Sequence[Control], org: OrgPolicy) -> None:
    problems = []
    for control in controls:
        floor = minimum_enforcement(org, control)
        if floor is None:
            continue
        minimum, source = floor
        enforcement = config.profile.enforcement(control.id)
        if _STRENGTH[enforcement] < _STRENGTH[minimum]:
            problems.append(
                f"{control.id} is {enforcement.value} in the profile; {source} requires at least "
                f"{minimum.value}"
            )
    if problems:
        raise ConfigError(
            f"the profile weakens mandatory controls set by {org.name}:\n  "
            + "\n  ".join(problems),
            path=config.path,
            hint="keep them blocking: remove them from profile.advisory / profile.disabled and "
            "make sure profile.blocking matches them",
        )


def _refuse_no_blocking_control(config: Config, policies: PolicySet) -> None:
    if not any(
        config.profile.enforcement(c.id) is Enforcement.BLOCKING for c in policies.controls
    ):
        raise ConfigError(
            "profile: no control is blocking, so the gate could never fail",
            path=config.path,
            hint="make at least the controls your release depends on blocking",
        )


def _minimum_level(config: Config, org: OrgPolicy) -> dict[str, int]:
    written = config.profile.minimum_level
    lower = {
        domain: (level, org.minimum_level[domain])
        for domain, level in written.items()
        if domain in org.minimum_level and level < org.minimum_level[domain]
    }
    if lower:
        detail = ", ".join(f"{d} {mine} < {theirs}" for d, (mine, theirs) in sorted(lower.items()))
        raise ConfigError(
            f"profile.minimum_level is below the organization policy {org.name} ({detail})",
            path=config.path,
            hint="gatekeeper.yaml may only raise the organization's minimum levels",
        )
    return {**org.minimum_level, **written}


def effective_waiver_policy(
    policy: WaiverPolicy, org: OrgPolicy, path: Path
) -> WaiverPolicy:
    """``exceptions_policy`` of the configuration at ``path`` under the organization's cap and
    approvers; a cap written above the organization's is a ConfigError naming both files."""
    cap = org.max_lifetime_days
    if cap is not None and policy.max_lifetime_days > cap:
        if policy.max_lifetime_days != WaiverPolicy.max_lifetime_days:  # written, not default
            raise ConfigError(
                f"exceptions_policy.max_lifetime_days {policy.max_lifetime_days} is above the "
                f"cap of {cap} days set by the organization policy {org.name}",
                path=path,
                hint="gatekeeper.yaml may only lower the organization's cap",
            )
        policy = replace(policy, max_lifetime_days=cap)
    return replace(policy, approvers=org.approvers)
