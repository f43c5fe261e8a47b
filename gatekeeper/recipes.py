"""Evidence recipes: the standard tools that produce the evidence gatekeeper reads, with the flags
it reads best, and where each writes (``evidence/``) and is configured (gatekeeper.yaml).

``plan`` decides, from what the repository holds (gatekeeper/survey.py) and its gatekeeper.yaml,
which recipes apply and which of those can run here (the tool installed, the network allowed);
``run`` runs them. The ML-BOM is written in-process (gatekeeper/mlbom.py), so it always runs when
the system declares a model.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gatekeeper.kinds import LLM_KINDS
from gatekeeper.survey import Survey

EVIDENCE_DIR = "evidence"
# What a recipe needs from the repository before it applies.
NEEDS = ("python", "requirements", "iac", "models", "pickles", "llm", "promptfoo_config")
# The model formats picklescan reads: pickles and the archives and arrays that hold them.
PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib", ".pt", ".pth", ".ckpt", ".bin", ".npy", ".npz")
MODEL_SCANS = ("SDL-model-files-scanned", "RTE-attack-coverage")
RED_TEAM = ("RTE-red-team-gate", "RTE-attack-coverage", "RTE-adversarial-ml-tested",
            "APP-injection-jailbreak-tested")


@dataclass(frozen=True)
class Recipe:
    """One producer: ``command`` is an argv template ({output}, {root}, {requirements},
    {models}, {model_dir}); a recipe without ``executable`` runs in-process."""

    name: str
    config_key: str  # where gatekeeper.yaml lists its output
    output: str
    command: tuple[str, ...]
    needs: str
    executable: str | None = None
    package: str | None = None  # the PyPI package that installs it (the `scanners` extra)
    network: bool = False
    stdout: bool = False  # the tool prints its report: gatekeeper writes it to output
    ok_codes: tuple[int, ...] = (0,)
    entry: Mapping[str, Any] = field(default_factory=dict)  # extra keys of its config entry
    why_not: str = ""  # a recipe that never runs by itself: what it needs from you
    feeds: tuple[str, ...] = ()  # the controls that read what it produces

    @property
    def output_path(self) -> str:
        return f"{EVIDENCE_DIR}/{self.output}"


RECIPES: tuple[Recipe, ...] = (
    Recipe("cyclonedx-py", "evidence.sbom", "sbom.cdx.json",
           ("cyclonedx-py", "requirements", "{requirements}", "--of", "JSON", "-o", "{output}"),
           needs="requirements", executable="cyclonedx-py", package="cyclonedx-bom",
           feeds=("SDL-sbom-present",)),
    Recipe("ml-bom", "evidence.sbom", "mlbom.cdx.json",
           ("gatekeeper", "evidence", "mlbom", "-o", "{output}"), needs="models",
           feeds=("SDL-mlbom-covers-models", "MOD-registry-digest-matches")),
    Recipe("bandit", "evidence.scanners", "bandit.json",
           ("bandit", "-r", "{root}", "-f", "json", "-o", "{output}", "-x",
            "./.git,./.venv,./venv,./evidence"),
           needs="python", executable="bandit", package="bandit", ok_codes=(0, 1),
           entry={"tool": "bandit"},
           feeds=("SDL-sast-clean",)),
    Recipe("checkov", "evidence.scanners", "checkov.json",
           ("checkov", "-d", "{root}", "-o", "json", "--skip-download"),
           needs="iac", executable="checkov", package="checkov", stdout=True, ok_codes=(0, 1),
           entry={"tool": "checkov"},
           feeds=("SDL-iac-scan-clean", "INF-iac-scanned", "DAT-encryption-configured",
                  "SDL-secrets-clean")),
    Recipe("pip-audit", "evidence.scanners", "pip-audit.json",
           ("pip-audit", "-r", "{requirements}", "-f", "json", "-o", "{output}"),
           needs="requirements", executable="pip-audit", package="pip-audit", network=True,
           ok_codes=(0, 1), entry={"tool": "pip-audit"},
           feeds=("SDL-dependencies-clean",)),
    Recipe("modelaudit", "evidence.modelaudit", "modelaudit.json",
           ("modelaudit", "scan", "{models}", "--format", "json", "-o", "{output}"),
           needs="models", executable="modelaudit", package="modelaudit", ok_codes=(0, 1, 2),
           feeds=MODEL_SCANS),
    Recipe("modelscan", "evidence.modelscan", "modelscan.json",
           ("modelscan", "scan", "-p", "{model_dir}", "-r", "json", "-o", "{output}",
            "--show-skipped"),
           needs="models", executable="modelscan", package="modelscan", ok_codes=(0, 1, 2, 3),
           entry={"root": "{model_dir}"},
           feeds=MODEL_SCANS),
    Recipe("picklescan", "evidence.picklescan", "picklescan.txt",
           ("picklescan", "-l", "DEBUG", "-p", "{model_dir}"),
           needs="pickles", executable="picklescan", package="picklescan", stdout=True,
           ok_codes=(0, 1, 2),
           feeds=MODEL_SCANS),
    Recipe("promptfoo", "evidence.promptfoo", "promptfoo.json",
           ("promptfoo", "eval", "-c", "promptfooconfig.yaml", "-o", "{output}"),
           needs="promptfoo_config", executable="promptfoo", network=True, ok_codes=(0, 100),
           feeds=RED_TEAM),
    Recipe("garak", "evidence.garak", "garak.report.jsonl",
           ("garak", "--model_type", "<type>", "--model_name", "<model>", "--report_prefix",
            "evidence/garak"),
           needs="llm", executable="garak", package="garak", network=True,
           why_not="needs your model endpoint: run it by hand with --model_type/--model_name",
           feeds=RED_TEAM),
)


def producer_hint(config_key: str, control_id: str) -> str | None:
    """What produces the evidence one control reads under one config key: ``gatekeeper
    evidence run`` (naming its tools), ``gatekeeper init`` for what init writes, the command
    to run by hand, or None when nothing here produces it."""
    if config_key in ("artifacts", "evidence.manifest"):
        return "gatekeeper init (lists the model files and writes ai-system.yaml)"
    feeding = [recipe for recipe in RECIPES
               if recipe.config_key == config_key and control_id in recipe.feeds]
    tools = [recipe.name for recipe in feeding if not recipe.why_not]
    if tools:
        return f"gatekeeper evidence run (runs {', '.join(tools)})"
    if feeding:
        return " ".join(_argv(feeding[0], {"output": feeding[0].output_path}))
    return None


@dataclass(frozen=True)
class Step:
    """A recipe as it applies to this repository: run it, or why not."""

    recipe: Recipe
    argv: tuple[str, ...]
    output: str
    skip: str | None  # None: it runs

    @property
    def shown(self) -> str:
        line = " ".join(self.argv)
        return f"{line} > {self.output}" if self.recipe.stdout else line


def _argv(recipe: Recipe, values: Mapping[str, str]) -> tuple[str, ...]:
    argv: list[str] = []
    for part in recipe.command:
        if part == "{models}":
            argv += values.get("models", "").split("\0") if values.get("models") else []
        else:
            argv.append(part.format_map(_Missing(values)))
    return tuple(argv)


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _applies(recipe: Recipe, survey: Survey, kinds: tuple[str, ...]) -> bool:
    facts = {
        "python": bool(survey.python_files),
        "requirements": bool(survey.requirements),
        "iac": bool(survey.iac_files),
        "models": bool(survey.model_files),
        "pickles": any(path.lower().endswith(PICKLE_SUFFIXES) for path in survey.model_files),
        "llm": bool(LLM_KINDS.intersection(kinds)),
        "promptfoo_config": survey.has("promptfooconfig.yaml")
        and bool(LLM_KINDS.intersection(kinds)),
    }
    return facts[recipe.needs]


def plan(survey: Survey, kinds: tuple[str, ...], offline: bool) -> list[Step]:
    """The recipes that apply to this repository, each with its argv and why it would not run."""
    model_dir = _common_dir(survey.model_files)
    values = {
        "root": ".",
        "requirements": survey.requirements[0] if survey.requirements else "requirements.txt",
        "models": "\0".join(survey.model_files),
        "model_dir": model_dir,
    }
    steps = []
    for recipe in RECIPES:
        if not _applies(recipe, survey, kinds):
            continue
        output = recipe.output_path
        argv = _argv(recipe, {**values, "output": output})
        steps.append(Step(recipe, argv, output, _skip_reason(recipe, offline)))
    return steps


def _common_dir(paths: tuple[str, ...]) -> str:
    if not paths:
        return "."
    parents = [Path(path).parent.parts for path in paths]
    common: list[str] = []
    for parts in zip(*parents, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return Path(*common).as_posix() if common else "."


def _skip_reason(recipe: Recipe, offline: bool) -> str | None:
    if recipe.why_not:
        return recipe.why_not
    if recipe.executable and shutil.which(recipe.executable) is None:
        extra = f" (pip install {recipe.package})" if recipe.package else ""
        return f"{recipe.executable} is not installed{extra}"
    if recipe.network and offline:
        return "needs the network (--offline)"
    return None


@dataclass(frozen=True)
class Outcome:
    step: Step
    ok: bool
    detail: str


def run(steps: list[Step], base: Path, write_mlbom: Any) -> list[Outcome]:
    """Run the steps that can run, from ``base``; ``write_mlbom(path)`` writes the ML-BOM."""
    (base / EVIDENCE_DIR).mkdir(exist_ok=True)
    outcomes = []
    for step in steps:
        if step.skip is not None:
            continue
        if step.recipe.executable is None:
            write_mlbom(base / step.output)
            outcomes.append(Outcome(step, True, "written"))
            continue
        outcomes.append(_run_tool(step, base))
    return outcomes


def _run_tool(step: Step, base: Path) -> Outcome:
    try:
        done = subprocess.run(  # argv from the recipe table, no shell
            step.argv, cwd=base, capture_output=True, check=False, timeout=1800,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return Outcome(step, False, f"could not run: {error}")
    if done.returncode not in step.recipe.ok_codes:
        tail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()[-3:]
        return Outcome(step, False, f"exit {done.returncode}: {' / '.join(tail)}")
    if step.recipe.stdout:
        (base / step.output).write_bytes(done.stdout)
    if not (base / step.output).is_file():
        return Outcome(step, False, f"exit {done.returncode} but wrote no {step.output}")
    return Outcome(step, True, f"exit {done.returncode}")
