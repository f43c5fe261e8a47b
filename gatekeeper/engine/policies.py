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
from gatekeeper.jsonio import mapping_or_empty
from gatekeeper.schemas import key_path, schema_errors
from gatekeeper.yamlio import load_yaml_text

CONTROL_PREFIX = "gatekeeper.controls."
CONTROLS_PACKAGE = CONTROL_PREFIX.rstrip(".")  # every control package beneath
LIBRARY_PREFIX = "gatekeeper.lib"
USER_LIBRARY_PREFIX = "gatekeeper.user.lib."
TEST_SUFFIX = "_test.rego"  # a Rego test module: run by `gatekeeper policy test`, never gated
# Evidence strength, strongest first (docs/maturity.md): cryptographically bound to the release;
# tool output bound by artifact digest or scanned paths; manifest facts; documents.
STRENGTHS = ("verified", "measured", "declared", "documented")
# A control from a user's policy folder cannot vouch for more than a manifest fact: only the
# shipped policies, reviewed by the platform team, may claim measured or verified evidence.
USER_STRENGTHS = ("declared", "documented")
USER_DEFAULT_STRENGTH = "declared"


@dataclass(frozen=True)
class PolicyFile:
    path: Path
    text: str
    package: str
    package_line: int = 0  # 1-based line of the package declaration, as the parser found it

    @property
    def is_test(self) -> bool:
        return is_test_module(self.path)


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
    applies_to: tuple[str, ...] = ()  # METADATA custom.applies_to: system kinds; () = every kind

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
            **({"applies_to": list(self.applies_to)} if self.applies_to else {}),
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
    from gatekeeper.engine.regorus_engine import FATAL_EXCEPTIONS, clean_message, regorus_module

    try:
        package = regorus_module().Engine().add_policy(name, text)
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


METADATA_SCHEMA = "control-metadata"
METADATA_HINT = (
    "see the README (Writing a control) and gatekeeper/schemas/control-metadata.schema.json"
)


def metadata_problems(meta: dict[str, Any], shipped: bool) -> list[str]:
    """Every way a control's METADATA is wrong, as ``field: problem`` lines: the JSON Schema
    (schemas/control-metadata.schema.json), then what a schema cannot know (the catalog's
    question ids; the strength a shipped or a user control may claim)."""
    problems = sorted(
        f"METADATA {key_path(error.instance_path)}: {_explained(error)}"
        for error in schema_errors(meta, METADATA_SCHEMA, limit=100)
    )
    custom = mapping_or_empty(meta.get("custom"))
    questions = custom.get("questions")
    for question in questions if isinstance(questions, list) else ():
        if isinstance(question, str) and not is_question_id(question):
            problems.append(f"METADATA custom.questions: unknown question {question!r}")
    if shipped and "strength" not in custom:
        problems.append("METADATA custom.strength: required on a shipped control")
    elif not shipped and custom.get("strength") in set(STRENGTHS) - set(USER_STRENGTHS):
        problems.append(
            f"METADATA custom.strength {custom['strength']!r}: one of {', '.join(USER_STRENGTHS)}"
            " (only shipped controls may claim measured or verified)"
        )
    return problems


def _explained(error: Any) -> str:
    """A schema error in the words a policy author needs: every allowed value, not three."""
    kind = error.kind
    if type(kind).__name__ == "Enum":
        return f"{error.instance!r} is not one of {', '.join(map(str, kind.options))}"
    if type(kind).__name__ == "Pattern" and kind.pattern == r"\S":
        return "must not be blank"
    return str(error.message)


def parse_control(policy: PolicyFile) -> Control:
    """The control a policy file defines; a PolicyError listing every METADATA problem."""
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
    shipped = path.resolve().is_relative_to(shipped_policy_dir().resolve())
    problems = metadata_problems(meta, shipped)
    if problems:
        raise PolicyError(
            "invalid METADATA:\n  " + "\n  ".join(problems),
            path=path,
            hint=METADATA_HINT,
        )
    custom = meta["custom"]
    return Control(
        id=control_id(policy.package),
        package=policy.package,
        path=path,
        title=meta["title"].strip(),
        description=" ".join(meta["description"].split()),
        remediation=" ".join(custom["remediation"].split()),
        severity=custom["severity"],
        questions=tuple(custom["questions"]),
        waivable=custom["waivable"],
        frameworks={key: tuple(ids) for key, ids in custom["frameworks"].items()},
        evidence=tuple(custom.get("evidence", ())),
        strength=custom.get("strength", USER_DEFAULT_STRENGTH),
        mandatory=custom.get("mandatory", False),
        applies_to=tuple(custom.get("applies_to", ())),
    )


def load_policies(extra_dirs: tuple[Path, ...] = (), *, shipped_tests: bool = True) -> PolicySet:
    """The shipped policies plus every user folder; a control id defined twice is an error, and
    a user module in a shipped namespace is a ConfigError (exit 2) naming the file and package.

    A gate run leaves out the shipped ``_test.rego`` files (``shipped_tests=False``): it never
    evaluates them, and compiling them is half the cost of reading the policies. The user's
    are still read, so a broken or misplaced test module is reported wherever it is found."""
    shipped = read_policy_dir(shipped_policy_dir(), tests=shipped_tests)
    reserved = frozenset(f.package for f in shipped if not f.is_test)
    files = list(shipped)
    for directory in extra_dirs:
        user_files = read_policy_dir(directory)
        for policy in user_files:
            refuse_shipped_namespace(policy, reserved)
        files.extend(user_files)
    controls: dict[str, Control] = {}
    invalid: list[PolicyError] = []
    for policy in files:
        if policy.is_test or is_library(policy.package):
            continue
        if not policy.package.startswith(CONTROL_PREFIX):
            raise PolicyError(
                f"package {policy.package!r} is neither a control (gatekeeper.controls.*) nor a "
                f"library ({LIBRARY_PREFIX}.* shipped, {USER_LIBRARY_PREFIX}* yours)",
                path=policy.path,
            )
        try:
            control = parse_control(policy)
        except PolicyError as error:
            invalid.append(error)
            continue
        if control.id in controls:
            raise PolicyError(
                f"control {control.id} is already defined in {controls[control.id].path}",
                path=policy.path,
            )
        controls[control.id] = control
    refuse_invalid(invalid)
    return PolicySet(files=tuple(files), controls=tuple(sorted(controls.values(), key=_order)))


def refuse_invalid(invalid: list[PolicyError]) -> None:
    """Every policy file's problems in one error, so one run shows them all."""
    if len(invalid) == 1:
        raise invalid[0]
    if invalid:
        raise PolicyError(
            f"{len(invalid)} policy files are invalid:\n"
            + "\n".join(error.message if error.path is None else f"{error.path}: {error.message}"
                         for error in invalid),
            hint=METADATA_HINT,
        )


def read_policy_dir(directory: Path, *, tests: bool = True) -> list[PolicyFile]:
    if not directory.is_dir():
        raise ConfigError("policy folder not found", path=directory)  # a usage error: exit 2
    return [
        read_policy_file(path)
        for path in sorted(directory.rglob("*.rego"))
        if tests or not is_test_module(path)
    ]


def is_test_module(path: Path) -> bool:
    return path.name.endswith(TEST_SUFFIX)


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
