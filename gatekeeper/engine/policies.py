"""Policy files and the controls they define.

A control is one Rego package ``gatekeeper.controls.<domain>.<slug>`` in
``<dir>/<domain>/<slug>.rego``; its id is ``<DOMAIN>-<slug with dashes>`` (``SDL-sbom-present``).
Its package-scoped ``# METADATA`` block (OPA's annotation format) carries what reports show.
Packages under ``gatekeeper.lib`` are shared helpers; ``*_test.rego`` files hold Rego tests.
Engines do not all support ``rego.metadata``, so METADATA is parsed here, in Python.

Namespaces (docs/security.md): a module's package is what the Rego parser says it is, never a
guess from its text. A user folder (``--policy``, ``policies:``) may add controls under
``gatekeeper.controls.<domain>.<slug>`` whose package no shipped policy uses, and helpers under
``gatekeeper.user.lib``; it may never define or extend a shipped package or ``gatekeeper.lib``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from gatekeeper.catalog import DOMAINS, is_question_id
from gatekeeper.errors import ConfigError, PolicyError
from gatekeeper.yamlio import load_yaml_text

CONTROL_PREFIX = "gatekeeper.controls."
LIBRARY_PREFIX = "gatekeeper.lib"
USER_LIBRARY_PREFIX = "gatekeeper.user.lib."
SEVERITIES = ("info", "low", "medium", "high", "critical")
# Evidence strength, strongest first (docs/maturity.md): cryptographically bound to the release;
# tool output bound by artifact digest or scanned paths; manifest facts; documents.
STRENGTHS = ("verified", "measured", "declared", "documented")
# A control from a user's policy folder cannot vouch for more than a manifest fact: only the
# shipped policies, reviewed by the platform team, may claim measured or verified evidence.
USER_STRENGTHS = ("declared", "documented")
USER_DEFAULT_STRENGTH = "declared"
FRAMEWORK_ID_PATTERNS = {
    "nist_ai_rmf": re.compile(r"^(GOVERN|MAP|MEASURE|MANAGE) \d+\.\d+$"),
    "owasp_llm": re.compile(r"^LLM(0[1-9]|10):2025$"),
    "atlas": re.compile(r"^AML\.[TM]\d{4}(\.\d{3})?$"),
    "saif": re.compile(r"^(SAIF-E[1-6]|[A-Z]{2,3}|control[A-Za-z]+)$"),
}


@dataclass(frozen=True)
class PolicyFile:
    path: Path
    text: str
    package: str
    package_line: int = 0  # 1-based line of the package declaration, as the parser found it

    @property
    def is_test(self) -> bool:
        return self.path.name.endswith("_test.rego")


@dataclass(frozen=True)
class Control:
    """One security control: a Rego package and what its METADATA says about it."""

    id: str
    package: str
    path: Path
    title: str
    description: str
    remediation: str
    severity: str
    questions: tuple[str, ...]
    waivable: bool
    frameworks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    evidence: tuple[str, ...] = ()
    strength: str = USER_DEFAULT_STRENGTH
    mandatory: bool = False  # METADATA custom.mandatory: gatekeeper.yaml may not weaken it

    @property
    def domain(self) -> str:
        return self.id.split("-", 1)[0]

    @property
    def collectors(self) -> tuple[str, ...]:
        """The collectors whose files it reads: METADATA evidence names a collector, or one
        of its keys (``documents.datasheet``)."""
        return tuple(dict.fromkeys(name.split(".", 1)[0] for name in self.evidence))

    @property
    def config_keys(self) -> tuple[str, ...]:
        """Where gatekeeper.yaml configures that evidence: ``evidence.documents.datasheet``."""
        return tuple(name if name == "artifacts" else f"evidence.{name}" for name in self.evidence)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "domain": self.domain,
            "title": self.title,
            "description": self.description,
            "remediation": self.remediation,
            "severity": self.severity,
            "questions": list(self.questions),
            "waivable": self.waivable,
            "frameworks": {key: list(ids) for key, ids in sorted(self.frameworks.items())},
            "evidence": list(self.evidence),
            "config_keys": list(self.config_keys),
            "strength": self.strength,
            "package": self.package,
        }


@dataclass(frozen=True)
class PolicySet:
    files: tuple[PolicyFile, ...]
    controls: tuple[Control, ...]

    @property
    def modules(self) -> tuple[PolicyFile, ...]:
        """The files evaluated in a gate run (tests excluded)."""
        return tuple(f for f in self.files if not f.is_test)

    def control(self, control_id: str) -> Control:
        for control in self.controls:
            if control.id == control_id:
                return control
        raise KeyError(control_id)


def shipped_policy_dir() -> Path:
    """``policies/`` inside the installed package, or beside it in a source checkout."""
    packaged = Path(str(resources.files("gatekeeper"))) / "policies"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "policies"


def control_id(package: str) -> str:
    domain, slug = package.removeprefix(CONTROL_PREFIX).split(".", 1)
    return f"{domain.upper()}-{slug.replace('_', '-')}"


def read_policy_file(path: Path) -> PolicyFile:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError(f"cannot read policy: {error}", path=path) from None
    package, line = parsed_package(str(path), text)
    return PolicyFile(path=path, text=text, package=package, package_line=line)


@functools.lru_cache(maxsize=1024)
def parsed_package(name: str, text: str) -> tuple[str, int]:
    """The package a module declares, from the Rego parser, and the line of that declaration.

    Once the parser has accepted the module, its declaration is on the first line that is not
    blank or a comment: Rego puts the package first and has no other comments. A file that does
    not parse is a PolicyError naming it. Cached: every run in a process reads the shipped ones.
    """
    import regorus

    from gatekeeper.engine.regorus_engine import FATAL_EXCEPTIONS, clean_message

    try:
        package = regorus.Engine().add_policy(name, text)
    except FATAL_EXCEPTIONS:
        raise
    except BaseException as error:  # regorus raises RuntimeError, and panics
        raise PolicyError(
            f"does not compile: {clean_message(error, with_file=False)}", path=name
        ) from None
    line = next(
        number
        for number, content in enumerate(text.splitlines(), start=1)
        if content.strip() and not content.lstrip().startswith("#")
    )
    return package.removeprefix("data."), line


def metadata_block(policy: PolicyFile) -> dict[str, Any]:
    """The YAML of the ``# METADATA`` comment block just before the package declaration.

    The block is the run of ``#`` lines that ends on the line above the package line the parser
    reported, and starts at its ``# METADATA`` line; a package line inside a string is not one.
    """
    path, package_line = policy.path, policy.package_line - 1  # 0-based
    lines = policy.text.splitlines()
    start = package_line
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    marker = next(
        (i for i in range(start, package_line) if lines[i].strip() == "# METADATA"), None
    )
    if marker is None:
        raise PolicyError(
            f"line {package_line + 1}: no '# METADATA' block before the package declaration",
            path=path,
        )
    body = []
    for line in lines[marker + 1 : package_line]:
        if not line.startswith("#"):
            break
        body.append(line[2:] if line.startswith("# ") else line[1:])
    metadata = load_yaml_text("\n".join(body), f"{path} (METADATA)", PolicyError)
    if not isinstance(metadata, dict):
        raise PolicyError("METADATA must be a YAML mapping", path=path)
    return metadata


def _string_list(value: Any, where: str, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PolicyError(f"METADATA {where}: expected a list of strings", path=path)
    return tuple(value)


def parse_control(policy: PolicyFile) -> Control:
    path = policy.path
    domain, _, slug = policy.package.removeprefix(CONTROL_PREFIX).partition(".")
    if domain.upper() not in DOMAINS or not re.fullmatch(r"[a-z][a-z0-9_]*", slug):
        raise PolicyError(
            f"package {policy.package!r}: expected gatekeeper.controls.<domain>.<slug> with "
            f"domain one of {', '.join(d.lower() for d in DOMAINS)}",
            path=path,
        )
    if path.stem != slug or path.parent.name != domain:
        raise PolicyError(
            f"package {policy.package!r} must live in {domain}/{slug}.rego", path=path
        )
    meta = metadata_block(policy)
    custom = meta.get("custom")
    if not isinstance(custom, dict):
        raise PolicyError("METADATA lacks its 'custom' mapping", path=path)
    for key in ("title", "description"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise PolicyError(f"METADATA lacks '{key}'", path=path)
    for key in ("remediation", "severity", "questions", "waivable", "frameworks"):
        if key not in custom:
            raise PolicyError(f"METADATA lacks 'custom.{key}'", path=path)
    if custom["severity"] not in SEVERITIES:
        raise PolicyError(
            f"METADATA custom.severity {custom['severity']!r}: one of {', '.join(SEVERITIES)}",
            path=path,
        )
    if not isinstance(custom["waivable"], bool):
        raise PolicyError("METADATA custom.waivable: expected true or false", path=path)
    if not isinstance(custom.get("mandatory", False), bool):
        raise PolicyError("METADATA custom.mandatory: expected true or false", path=path)
    questions = _string_list(custom["questions"], "custom.questions", path)
    for question in questions:
        if not is_question_id(question):
            raise PolicyError(f"METADATA names unknown question {question!r}", path=path)
    return Control(
        id=control_id(policy.package),
        package=policy.package,
        path=path,
        title=meta["title"].strip(),
        description=" ".join(meta["description"].split()),
        remediation=" ".join(str(custom["remediation"]).split()),
        severity=custom["severity"],
        questions=questions,
        waivable=custom["waivable"],
        frameworks=_frameworks(custom["frameworks"], path),
        evidence=_string_list(custom.get("evidence", []), "custom.evidence", path),
        strength=_strength(custom, path),
        mandatory=custom.get("mandatory", False),
    )


def _strength(custom: dict[str, Any], path: Path) -> str:
    """custom.strength: required on shipped controls; a user's control may omit it (declared)
    and may not claim more than declared."""
    shipped = path.resolve().is_relative_to(shipped_policy_dir().resolve())
    if "strength" not in custom:
        if shipped:
            raise PolicyError("METADATA lacks 'custom.strength'", path=path)
        return USER_DEFAULT_STRENGTH
    allowed = STRENGTHS if shipped else USER_STRENGTHS
    if custom["strength"] not in allowed:
        raise PolicyError(
            f"METADATA custom.strength {custom['strength']!r}: one of {', '.join(allowed)}"
            + ("" if shipped else " (only shipped controls may claim measured or verified)"),
            path=path,
        )
    return str(custom["strength"])


def _frameworks(value: Any, path: Path) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise PolicyError("METADATA custom.frameworks: expected a mapping", path=path)
    frameworks = {}
    for key, ids in value.items():
        pattern = FRAMEWORK_ID_PATTERNS.get(key)
        if pattern is None:
            known = ", ".join(FRAMEWORK_ID_PATTERNS)
            raise PolicyError(
                f"METADATA custom.frameworks.{key}: unknown (known: {known})", path=path
            )
        ids = _string_list(ids, f"custom.frameworks.{key}", path)
        for framework_id in ids:
            if not pattern.match(framework_id):
                raise PolicyError(
                    f"METADATA custom.frameworks.{key}: {framework_id!r} is not a valid id",
                    path=path,
                )
        frameworks[key] = ids
    return frameworks


def load_policies(extra_dirs: tuple[Path, ...] = ()) -> PolicySet:
    """The shipped policies plus every user folder; a control id defined twice is an error, and
    a user module in a shipped namespace is a ConfigError (exit 2) naming the file and package."""
    shipped = read_policy_dir(shipped_policy_dir())
    reserved = frozenset(f.package for f in shipped if not f.is_test)
    files = list(shipped)
    for directory in extra_dirs:
        user_files = read_policy_dir(directory)
        for policy in user_files:
            refuse_shipped_namespace(policy, reserved)
        files.extend(user_files)
    controls: dict[str, Control] = {}
    for policy in files:
        if policy.is_test or is_library(policy.package):
            continue
        if not policy.package.startswith(CONTROL_PREFIX):
            raise PolicyError(
                f"package {policy.package!r} is neither a control (gatekeeper.controls.*) nor a "
                f"library ({LIBRARY_PREFIX}.* shipped, {USER_LIBRARY_PREFIX}* yours)",
                path=policy.path,
            )
        control = parse_control(policy)
        if control.id in controls:
            raise PolicyError(
                f"control {control.id} is already defined in {controls[control.id].path}",
                path=policy.path,
            )
        controls[control.id] = control
    return PolicySet(files=tuple(files), controls=tuple(sorted(controls.values(), key=_order)))


def read_policy_dir(directory: Path) -> list[PolicyFile]:
    if not directory.is_dir():
        raise ConfigError("policy folder not found", path=directory)  # a usage error: exit 2
    return [read_policy_file(path) for path in sorted(directory.rglob("*.rego"))]


def is_library(package: str) -> bool:
    return _within(package, LIBRARY_PREFIX) or package.startswith(USER_LIBRARY_PREFIX)


def _within(package: str, namespace: str) -> bool:
    """``package`` is ``namespace`` or a package beneath it."""
    return package == namespace or package.startswith(namespace + ".")


def refuse_shipped_namespace(policy: PolicyFile, reserved: frozenset[str]) -> None:
    """A user module may not define or extend a shipped package: not a shipped control's
    package (nor one beneath it), not ``gatekeeper.lib``, not a prefix of a shipped package.
    Test modules are held to the same rule: they run beside the shipped policies too."""
    package = policy.package
    entered = _within(package, LIBRARY_PREFIX) or any(
        _within(package, shipped) or _within(shipped, package) for shipped in reserved
    )
    if entered:
        raise ConfigError(
            f"package {package} (line {policy.package_line}) is in a shipped namespace: a user "
            "policy may not define or add rules to a shipped control or library",
            path=policy.path,
            hint=f"give your control its own slug (gatekeeper.controls.<domain>.<new slug>) and "
            f"your helpers a package under {USER_LIBRARY_PREFIX}; see docs/security.md",
        )


def _order(control: Control) -> tuple[int, str]:
    return DOMAINS.index(control.domain), control.id
