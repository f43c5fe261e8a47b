"""``--only`` / ``--skip``: the controls one run evaluates, never below the organization's floor.

A selection makes a *partial run*: the results document carries a ``selection`` section, every
report says so, the run is not stored in the history and gets no verification summary, since a
partial run is no release decision. The controls the organization policy (or the shipped
METADATA) makes mandatory always run: ``--skip`` naming one is refused, and ``--only`` keeps them
besides what it names, so a partial run's exit code still says what they say.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from gatekeeper.config import Config, Enforcement
from gatekeeper.engine.policies import Control, PolicySet
from gatekeeper.errors import ConfigError
from gatekeeper.org_policy import OrgPolicy, minimum_enforcement

ONLY_ENV, SKIP_ENV = "GATEKEEPER_ONLY", "GATEKEEPER_SKIP"


@dataclass(frozen=True)
class Selection:
    """Control-id globs (fnmatch): run only those matching ``only`` (all when empty), minus
    those matching ``skip``."""

    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.only or self.skip)


EVERY_CONTROL = Selection()  # no --only / --skip: a full run


def _globs(flags: tuple[str, ...], environ: Mapping[str, str], name: str) -> tuple[str, ...]:
    """The flags when given, else the variable's comma-separated globs (empty ones ignored)."""
    if flags:
        return flags
    return tuple(glob.strip() for glob in environ.get(name, "").split(",") if glob.strip())


def selection_from(
    only: tuple[str, ...], skip: tuple[str, ...], environ: Mapping[str, str]
) -> Selection:
    """``--only`` / ``--skip``, else ``$GATEKEEPER_ONLY`` / ``$GATEKEEPER_SKIP``."""
    return Selection(_globs(only, environ, ONLY_ENV), _globs(skip, environ, SKIP_ENV))


def _matches(control_id: str, globs: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(control_id, glob) for glob in globs)


def _refuse_unmatched(selection: Selection, enabled: list[Control]) -> None:
    for flag, globs in (("--only", selection.only), ("--skip", selection.skip)):
        unmatched = [g for g in globs if not any(fnmatch.fnmatchcase(c.id, g) for c in enabled)]
        if unmatched:
            raise ConfigError(
                f"{flag} {', '.join(unmatched)}: matches no enabled control",
                hint="`gatekeeper controls` lists the control ids; globs use * and ?",
            )


def _refuse_skipped_mandatory(selection: Selection, enabled: list[Control], org: OrgPolicy
                              ) -> None:
    refused = []
    for control in enabled:
        floor = minimum_enforcement(org, control)
        if floor is not None and _matches(control.id, selection.skip):
            refused.append(f"{control.id} (mandatory: {floor[1]})")
    if refused:
        raise ConfigError(
            "--skip may not leave out mandatory controls:\n  " + "\n  ".join(refused),
            hint="mandatory controls run in every run; skip only the others",
        )


def select_controls(
    policies: PolicySet, selection: Selection, config: Config, org: OrgPolicy
) -> tuple[PolicySet, dict[str, Any] | None]:
    """The policy set with only the selected controls (its files unchanged, so the policy digest
    is the same), and the results' ``selection`` section; no selection: both unchanged, None."""
    if not selection:
        return policies, None
    enabled = [c for c in policies.controls
               if config.profile.enforcement(c.id) is not Enforcement.DISABLED]
    _refuse_unmatched(selection, enabled)
    _refuse_skipped_mandatory(selection, enabled, org)
    mandatory = {c.id for c in enabled if minimum_enforcement(org, c) is not None}
    named = {c.id for c in enabled if not selection.only or _matches(c.id, selection.only)}
    selected = {c.id for c in enabled
                if c.id in named | mandatory and not _matches(c.id, selection.skip)}
    if not selected:
        raise ConfigError("--only / --skip: the selection leaves no control to evaluate")
    section = {
        "only": list(selection.only),
        "skip": list(selection.skip),
        "controls": [c.id for c in enabled if c.id in selected],
        "left_out": [c.id for c in enabled if c.id not in selected],
        "kept_mandatory": [c.id for c in enabled if c.id in mandatory - named],
    }
    disabled = {c.id for c in policies.controls} - {c.id for c in enabled}
    controls = tuple(c for c in policies.controls if c.id in selected | disabled)
    return replace(policies, controls=controls), section
