"""What a repository holds that gatekeeper can gate: model files, Dockerfiles, Kubernetes and
Terraform files, dependency and lock files, evidence already produced (SARIF, SBOMs, scanner
reports), CI workflows and governance documents. Read by ``gatekeeper init`` and the evidence
recipes; file names and a few leading bytes only, never a whole large file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

MODEL_SUFFIXES = frozenset({
    ".pkl", ".pickle", ".joblib", ".skops", ".pt", ".pth", ".ckpt", ".safetensors", ".onnx",
    ".h5", ".hdf5", ".keras", ".gguf", ".tflite", ".mlmodel",
})
SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".venv", "venv", "env", "node_modules", "__pycache__", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", "dist", "build",
    "gatekeeper-reports",
})
MAX_FILES = 50_000
SNIFF_BYTES = 4096
LOCK_FILES = frozenset({"poetry.lock", "uv.lock", "Pipfile.lock", "pdm.lock", "package-lock.json",
                        "yarn.lock", "pnpm-lock.yaml", "go.sum", "Cargo.lock"})
REQUIREMENTS = re.compile(r"^requirements[\w.-]*\.txt$")
CI_FILES = (".gitlab-ci.yml", "Jenkinsfile", "azure-pipelines.yml", ".circleci/config.yml")
# Document kinds gatekeeper reads (evidence.documents.<kind>) and the file names that hold them.
DOCUMENT_NAMES = {
    "model_card": re.compile(r"^model[_-]?card\.md$", re.I),
    "datasheet": re.compile(r"^data[_-]?sheet\.md$", re.I),
    "threat_model": re.compile(r"^threat[_-]?model\.md$", re.I),
    "dpia": re.compile(r"^dpia\.md$", re.I),
    "incident_playbooks": re.compile(r"^incident[_-]?(playbooks?|response)\.md$", re.I),
    "secure_sdlc": re.compile(r"^secure[_-]?sdlc\.md$", re.I),
    "safety_policy": re.compile(r"^safety[_-]?policy\.md$", re.I),
}
# Evidence a tool already wrote: (config key, marker in the file's first bytes).
EVIDENCE_MARKERS = (
    ("evidence.sbom", b'"bomFormat"'),
    ("evidence.sbom", b'"spdxVersion"'),
    ("evidence.modelscan", b'"modelscan_version"'),
    ("evidence.modelaudit", b'"files_scanned"'),
)
LLM_HINTS = re.compile(rb"\b(openai|anthropic|langchain|llama[_-]?index|transformers|vllm|"
                       rb"litellm|ollama|guardrails)\b", re.I)


@dataclass(frozen=True)
class Survey:
    root: Path
    model_files: tuple[str, ...] = ()
    dockerfiles: tuple[str, ...] = ()
    kubernetes: tuple[str, ...] = ()
    terraform: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    lock_files: tuple[str, ...] = ()
    python_files: tuple[str, ...] = ()
    ci_workflows: tuple[str, ...] = ()
    documents: tuple[tuple[str, str], ...] = ()  # (kind, path)
    evidence: tuple[tuple[str, str], ...] = ()  # (config key, path)
    llm_dependencies: tuple[str, ...] = ()  # requirement files naming an LLM library

    @property
    def iac_files(self) -> tuple[str, ...]:
        return self.dockerfiles + self.kubernetes + self.terraform

    def has(self, name: str) -> bool:
        return (self.root / name).is_file()


def _files(root: Path) -> list[str]:
    found: list[str] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.endswith(".egg-info"))
        relative = Path(folder).relative_to(root)
        found += [(relative / name).as_posix() for name in sorted(names)]
        if len(found) > MAX_FILES:
            break
    return found


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            return stream.read(SNIFF_BYTES)
    except OSError:
        return b""


def _is_dockerfile(name: str) -> bool:
    return name == "Dockerfile" or name.startswith("Dockerfile.") or name.endswith(".Dockerfile")


def _is_kubernetes(head: bytes) -> bool:
    return re.search(rb"^apiVersion:", head, re.M) is not None and re.search(
        rb"^kind:", head, re.M) is not None


def survey(root: Path) -> Survey:
    """Look at the repository at ``root`` (gatekeeper.yaml's folder)."""
    lists: dict[str, list[str]] = {key: [] for key in (
        "model_files", "dockerfiles", "kubernetes", "terraform", "requirements", "lock_files",
        "python_files", "ci_workflows", "llm_dependencies")}
    documents: list[tuple[str, str]] = []
    evidence: list[tuple[str, str]] = []
    for path in _files(root):
        name = path.rsplit("/", 1)[-1]
        if name.startswith("gatekeeper"):  # gatekeeper's own results and reports
            continue
        suffix = Path(name).suffix.lower()
        if suffix in MODEL_SUFFIXES:
            lists["model_files"].append(path)
        elif _is_dockerfile(name):
            lists["dockerfiles"].append(path)
        elif suffix == ".tf":
            lists["terraform"].append(path)
        elif suffix == ".py":
            lists["python_files"].append(path)
        elif path in CI_FILES or (
                path.startswith(".github/workflows/") and suffix in (".yml", ".yaml")):
            lists["ci_workflows"].append(path)
        elif suffix in (".yml", ".yaml") and _is_kubernetes(_head(root / path)):
            lists["kubernetes"].append(path)
        elif suffix == ".sarif" or name.endswith(".sarif.json"):
            evidence.append(("evidence.sarif", path))
        elif suffix == ".json":
            head = _head(root / path)
            evidence += [(key, path) for key, marker in EVIDENCE_MARKERS if marker in head][:1]
        elif name in LOCK_FILES:
            lists["lock_files"].append(path)
        elif REQUIREMENTS.match(name) or name == "pyproject.toml":
            if name != "pyproject.toml":
                lists["requirements"].append(path)
            if LLM_HINTS.search(_head(root / path)):
                lists["llm_dependencies"].append(path)
        if suffix == ".md":
            documents += [(kind, path) for kind, pattern in DOCUMENT_NAMES.items()
                          if pattern.match(name)]
    requirements = sorted(lists.pop("requirements"), key=_requirements_first)
    return Survey(root=root, requirements=tuple(requirements), documents=tuple(documents),
                  evidence=tuple(evidence), **{key: tuple(value) for key, value in lists.items()})


def _requirements_first(path: str) -> tuple[int, int, str]:
    """requirements.txt at the top first: what cyclonedx-py and pip-audit read."""
    return (path.rsplit("/", 1)[-1] != "requirements.txt", path.count("/"), path)
