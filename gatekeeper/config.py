"""gatekeeper.yaml: the subject, its artifacts, evidence sources, profile, thresholds, trust."""

from __future__ import annotations

import copy
import fnmatch
from dataclasses import dataclass, field
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any

from gatekeeper.errors import ConfigError
from gatekeeper.schemas import validation_errors
from gatekeeper.yamlio import load_yaml_file, load_yaml_text


class Enforcement(str, Enum):
    BLOCKING = "blocking"
    ADVISORY = "advisory"
    DISABLED = "disabled"


@dataclass(frozen=True)
class Profile:
    """Control id globs. A control is disabled, else advisory, else blocking if it matches."""

    blocking: tuple[str, ...] = ("*",)
    advisory: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()

    def enforcement(self, control_id: str) -> Enforcement:
        def matches(globs: tuple[str, ...]) -> bool:
            return any(fnmatch.fnmatchcase(control_id, glob) for glob in globs)

        if matches(self.disabled):
            return Enforcement.DISABLED
        if matches(self.advisory):
            return Enforcement.ADVISORY
        if matches(self.blocking):
            return Enforcement.BLOCKING
        return Enforcement.ADVISORY


@dataclass(frozen=True)
class ArtifactSpec:
    path: str
    kind: str
    name: str | None = None


@dataclass(frozen=True)
class Config:
    path: Path
    subject: dict[str, Any]
    artifacts: tuple[ArtifactSpec, ...] = ()
    evidence: dict[str, Any] = field(default_factory=dict)
    policy_dirs: tuple[Path, ...] = ()
    profile: Profile = Profile()
    thresholds: dict[str, Any] = field(default_factory=dict)
    trust: dict[str, Any] = field(default_factory=dict)

    @property
    def base_dir(self) -> Path:
        return self.path.parent


def default_thresholds() -> dict[str, Any]:
    text = resources.files("gatekeeper").joinpath("defaults.yaml").read_text(encoding="utf-8")
    return load_yaml_text(text, "gatekeeper/defaults.yaml")


def merge_thresholds(
    defaults: dict[str, Any], overrides: dict[str, Any], path: Path, prefix: str = "thresholds"
) -> dict[str, Any]:
    """Overlay ``overrides`` on ``defaults``; an unknown key or a changed type is an error.

    ``custom`` is the one open mapping: user policies keep their settings there.
    """
    merged = copy.deepcopy(defaults)
    for key, value in overrides.items():
        where = f"{prefix}.{key}"
        if prefix == "thresholds" and key == "custom":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: must be a mapping", path=path)
            merged[key] = value
            continue
        if key not in defaults:
            known = ", ".join(sorted(defaults))
            raise ConfigError(f"{where}: unknown threshold (known here: {known})", path=path)
        default = defaults[key]
        if isinstance(default, dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: must be a mapping", path=path)
            merged[key] = merge_thresholds(default, value, path, where)
        elif not _same_type(default, value):
            raise ConfigError(
                f"{where}: expected {type(default).__name__}, got {type(value).__name__}",
                path=path,
            )
        else:
            merged[key] = value
    return merged


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def load_config(path: Path) -> Config:
    raw = load_yaml_file(path)
    if not isinstance(raw, dict):
        raise ConfigError("expected a mapping at the top level", path=path)
    errors = validation_errors(raw, "config")
    if errors:
        raise ConfigError(
            "invalid configuration:\n  " + "\n  ".join(errors),
            path=path,
            hint="see the configuration reference in README.md",
        )
    profile = raw.get("profile", {})
    return Config(
        path=path.resolve(),
        subject=raw["subject"],
        artifacts=tuple(ArtifactSpec(**item) for item in raw.get("artifacts", [])),
        evidence=raw.get("evidence", {}),
        policy_dirs=tuple((path.parent / item).resolve() for item in raw.get("policies", [])),
        profile=Profile(
            blocking=tuple(profile.get("blocking", ["*"])),
            advisory=tuple(profile.get("advisory", [])),
            disabled=tuple(profile.get("disabled", [])),
        ),
        thresholds=merge_thresholds(default_thresholds(), raw.get("thresholds", {}), path),
        trust=raw.get("trust", {}),
    )
