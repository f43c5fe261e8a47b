"""gatekeeper.yaml: the subject, its artifacts, evidence sources, profile, thresholds, trust."""

from __future__ import annotations

import copy
import fnmatch
import re
from dataclasses import dataclass, field
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any

from gatekeeper.errors import ConfigError, GatekeeperError
from gatekeeper.schemas import validation_errors
from gatekeeper.yamlio import load_yaml_file, load_yaml_text


class Enforcement(str, Enum):
    """What a control's outcome does: blocks the release, only informs, or is not evaluated."""

    BLOCKING = "blocking"
    ADVISORY = "advisory"
    DISABLED = "disabled"


@dataclass(frozen=True)
class Profile:
    """Control id globs. A control is disabled, else advisory, else blocking if it matches."""

    blocking: tuple[str, ...] = ("*",)
    advisory: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()
    # Maturity gate: domain id -> the lowest level it may score (gatekeeper.scoring).
    minimum_level: dict[str, int] = field(default_factory=dict)

    def enforcement(self, control_id: str) -> Enforcement:
        """The control's enforcement under this profile (advisory when no glob matches)."""

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
    """An entry of ``artifacts:``: a released file, its kind, and an optional name."""

    path: str
    kind: str
    name: str | None = None


@dataclass(frozen=True)
class WaiverPolicy:
    """How long an exception may live, and how early its expiry is announced."""

    max_lifetime_days: int = 90
    warn_within_days: int = 14
    approvers: tuple[str, ...] = ()  # from the organization policy only; empty: anyone but owner


@dataclass(frozen=True)
class EngineSettings:
    """``engine:``: which engine decides. ``kind: opa`` asks a remote OPA server at ``url``."""

    kind: str = "regorus"
    url: str | None = None
    token_env: str | None = None
    ca_bundle: Path | None = None
    push_policies: bool = False
    timeout: float = 10.0
    retries: int = 2
    evaluation_timeout: float = 300.0  # seconds for the whole evaluation
    control_timeout: float = 60.0  # seconds for one control


_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def refuse_inline_token(raw: dict[str, Any], path: Path) -> None:
    """A bearer token never sits in gatekeeper.yaml; checked before the schema, whose messages
    would quote the value."""
    engine = raw.get("engine")
    if not isinstance(engine, dict):
        return
    if "token" in engine:
        raise ConfigError(
            "engine.token: a token never goes in this file",
            path=path,
            hint="put it in an environment variable and name that variable in engine.token_env",
        )
    name = engine.get("token_env")
    if name is not None and not (isinstance(name, str) and _ENV_NAME.fullmatch(name)):
        raise ConfigError(
            "engine.token_env: must be the name of an environment variable (like OPA_TOKEN), "
            "not the token itself",
            path=path,
        )


def engine_settings(raw: dict[str, Any], path: Path) -> EngineSettings:
    """``engine:`` as settings, defaults filled in; ``ca_bundle`` relative to the file."""
    ca_bundle = raw.get("ca_bundle")
    return EngineSettings(
        kind=raw.get("kind", "regorus"),
        url=raw.get("url"),
        token_env=raw.get("token_env"),
        ca_bundle=(path.parent / ca_bundle).resolve() if ca_bundle else None,
        push_policies=raw.get("push_policies", False),
        timeout=float(raw.get("timeout", EngineSettings.timeout)),
        retries=raw.get("retries", EngineSettings.retries),
        evaluation_timeout=float(
            raw.get("evaluation_timeout", EngineSettings.evaluation_timeout)
        ),
        control_timeout=float(raw.get("control_timeout", EngineSettings.control_timeout)),
    )


_GiB, _MiB = 1 << 30, 1 << 20
# The most one evidence file of a kind may weigh, unless ``limits:`` says otherwise. Scan
# reports and evaluation logs grow with the model and the run (a garak report or a SARIF log
# of several hundred MB is real); files people write or sign stay small.
DEFAULT_LIMITS: dict[str, int] = {
    **dict.fromkeys(
        ("sarif", "scanners", "garak", "promptfoo", "metrics", "modelscan", "picklescan",
         "modelaudit"), _GiB,
    ),
    "sbom": 512 * _MiB,
    **dict.fromkeys(
        ("documents", "signatures", "model_signatures", "provenance", "trust", "kubernetes",
         "dockerfiles", "manifest", "codeowners"), 64 * _MiB,
    ),
}
_UNITS = {"B": 1, "KiB": 1 << 10, "MiB": _MiB, "GiB": _GiB, "TiB": 1 << 40}
_SIZE = re.compile(r"(?P<number>[0-9]+) ?(?P<unit>B|KiB|MiB|GiB|TiB)")


def parse_size(value: int | str) -> int:
    """``limits:`` values: bytes, or ``2 GiB`` (the schema has checked the form)."""
    if isinstance(value, int):
        return value
    match = _SIZE.fullmatch(value)
    if match is None:
        raise ConfigError(f"limits: {value!r} is not a size (bytes, or like '2 GiB')")
    return int(match["number"]) * _UNITS[match["unit"]]


def limits(raw: dict[str, Any]) -> dict[str, int]:
    """The most bytes one evidence file of each kind may have: ``limits:`` over the defaults."""
    return {**DEFAULT_LIMITS, **{kind: parse_size(value) for kind, value in raw.items()}}


def check_inside_repository(
    target: Path, config_path: Path, key: str, outside: tuple[Path, ...]
) -> None:
    """A file gatekeeper.yaml names lies, symbolic links resolved, in the repository or in
    a folder of ``outside_repository:``."""
    real, root = target.resolve(), repository_root(config_path.parent)
    if not any(real.is_relative_to(folder) for folder in (root, *outside)):
        raise ConfigError(
            f"{key}: {target} resolves to {real}, outside the repository ({root})",
            path=config_path,
            hint="list its folder under `outside_repository:` to allow it",
        )


def repository_root(folder: Path) -> Path:
    """The repository's top folder: the nearest folder at or above ``folder`` holding ``.git``
    (a folder, or a file in a git worktree), else ``folder`` itself."""
    folder = folder.resolve()
    return next((f for f in (folder, *folder.parents) if (f / ".git").exists()), folder)


@dataclass(frozen=True)
class Config:
    """gatekeeper.yaml, read and checked (``load_config``): paths in it are resolved against
    its folder, thresholds merged over the defaults."""

    path: Path
    subject: dict[str, Any]
    artifacts: tuple[ArtifactSpec, ...] = ()
    evidence: dict[str, Any] = field(default_factory=dict)
    policy_dirs: tuple[Path, ...] = ()
    profile: Profile = Profile()
    thresholds: dict[str, Any] = field(default_factory=dict)
    exceptions: Path | None = None
    exceptions_policy: WaiverPolicy = WaiverPolicy()
    engine: EngineSettings = EngineSettings()
    attestations: str | None = None  # the attestations file, relative to this file
    trust: dict[str, Any] = field(default_factory=dict)
    history: Any = None  # gatekeeper.history.url.HistorySettings
    limits: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    # Folders outside the repository that evidence may come from (``outside_repository:``).
    outside_repository: tuple[Path, ...] = ()

    @property
    def repository_root(self) -> Path:
        """The repository the configuration lives in (evidence must lie inside it)."""
        return repository_root(self.base_dir)

    @property
    def base_dir(self) -> Path:
        """The configuration's folder: what its relative paths are relative to."""
        return self.path.parent


def default_thresholds() -> dict[str, Any]:
    """The shipped thresholds (gatekeeper/defaults.yaml) that ``thresholds:`` overrides."""
    text = resources.files("gatekeeper").joinpath("defaults.yaml").read_text(encoding="utf-8")
    defaults: dict[str, Any] = load_yaml_text(text, "gatekeeper/defaults.yaml")
    return defaults


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


def check_trust(settings: dict[str, Any], config_path: Path) -> None:
    """Every trust file (keys, certificate chains, trusted root) is read and checked with the
    configuration, not first when a signature needs it; the error names both files."""
    if not settings:
        return
    from gatekeeper.evidence.signing.trust import check_trust_files

    try:
        check_trust_files(settings, config_path.parent)
    except GatekeeperError as error:
        where = f"{error.path}: " if error.path else ""
        raise ConfigError(f"{where}{error.message}", path=config_path, hint=error.hint) from None


def load_config(path: Path) -> Config:
    """Read gatekeeper.yaml, check it whole (schema, inline tokens, history URL, trust files,
    files outside the repository) and return it; a ``ConfigError`` (exit 2) naming the file
    and what is wrong otherwise."""
    raw = load_yaml_file(path)
    if not isinstance(raw, dict):
        raise ConfigError("expected a mapping at the top level", path=path)
    refuse_inline_token(raw, path)
    history_settings(raw.get("history"), path)  # before the schema, whose messages quote values
    errors = validation_errors(raw, "config")
    if errors:
        raise ConfigError(
            "invalid configuration:\n  " + "\n  ".join(errors),
            path=path,
            hint="see the configuration reference in README.md",
        )
    check_trust(raw.get("trust", {}), path)
    profile = raw.get("profile", {})
    outside = tuple((path.parent / item).resolve() for item in raw.get("outside_repository", []))
    for key in ("exceptions", "attestations"):
        if key in raw:
            check_inside_repository(path.parent / raw[key], path, key, outside)
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
            minimum_level=profile.get("minimum_level", {}),
        ),
        thresholds=merge_thresholds(default_thresholds(), raw.get("thresholds", {}), path),
        exceptions=(path.parent / raw["exceptions"]).resolve() if "exceptions" in raw else None,
        exceptions_policy=WaiverPolicy(**raw.get("exceptions_policy", {})),
        engine=engine_settings(raw.get("engine", {}), path),
        attestations=raw.get("attestations"),
        trust=raw.get("trust", {}),
        history=history_settings(raw.get("history"), path),
        limits=limits(raw.get("limits", {})),
        outside_repository=outside,
    )


def history_settings(raw: Any, path: Path) -> Any:
    """``history:``: where runs are kept; a password in its URL is refused (exit 2)."""
    from gatekeeper.history.url import settings_from_config

    return settings_from_config(raw, path)
