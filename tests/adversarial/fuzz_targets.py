"""The fuzz of issue 12 item 10, shared by tests/adversarial/test_fuzz.py (a few examples per
target, in CI) and benchmarks/fuzz.py (10,000 and more per target, by hand).

Each target is one reader of user input: every evidence collector, the exceptions loader and
the config loader. An input is a real file of the examples with one to three of its values
replaced (any JSON value, in any place), a line-level mutation of a text file, or arbitrary
bytes. Each input's outcome is one of:

- ``accepted``: read without error;
- ``refused``: a GatekeeperError whose message names the file (what every malformed input
  must give);
- ``unnamed``: a GatekeeperError that does not name the file;
- ``internal``: any other exception (a bug: the CLI would say "internal error");
- ``fail_open``: accepted although the bytes are not even of the reader's format (JSON that
  does not parse, for a JSON reader).
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import yaml
from conftest import EXAMPLES
from hypothesis import strategies as st

from gatekeeper.config import ArtifactSpec, WaiverPolicy, load_config
from gatekeeper.engine.policies import load_policies
from gatekeeper.errors import GatekeeperError
from gatekeeper.evidence import COLLECTORS
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.release import artifacts
from gatekeeper.evidence.signing import trust
from gatekeeper.waivers import load_waivers

MODEL = EXAMPLES / "model-release"
UNSAFE = EXAMPLES / "unsafe-release"


@dataclass(frozen=True)
class Target:
    """One reader: the file it is fuzzed through, its format, and how it is called."""

    name: str
    seed: Path  # a real file the mutations start from
    form: str  # json, jsonl, yaml, text or binary: how the seed is parsed and mutated
    setting: Callable[[str], Any]  # the file's name -> the reader's configuration value
    companions: tuple[Path, ...] = ()  # files the reader also needs, copied beside the input


def _collector(kind: str, seed: Path, form: str, setting=None, companions=()) -> Target:
    return Target(kind, seed, form, setting or (lambda name: [name]), tuple(companions))


TARGETS: tuple[Target, ...] = (
    _collector("sbom", MODEL / "evidence/sbom.cdx.json", "json"),
    _collector("sarif", MODEL / "evidence/bandit.sarif", "json"),
    _collector("documents", MODEL / "docs/MODEL_CARD.md", "text", lambda n: {"model_card": n}),
    _collector(
        "model_signatures", MODEL / "release/model.sig", "json",
        lambda n: [{"model": "model.safetensors", "signature": n}],
        [MODEL / "release/model.safetensors"],
    ),
    _collector(
        "provenance", MODEL / "evidence/provenance.intoto.jsonl", "jsonl",
        lambda n: {"attestations": [n]}, [MODEL / "release/model.safetensors"],
    ),
    _collector("garak", MODEL / "evidence/garak.report.jsonl", "jsonl"),
    _collector("promptfoo", MODEL / "evidence/promptfoo.json", "json"),
    _collector("metrics", MODEL / "evidence/metrics.yaml", "yaml"),
    _collector("drills", MODEL / "evidence/drills.yaml", "yaml"),
    _collector("incidents", MODEL / "evidence/incidents.yaml", "yaml"),
    _collector("modelscan", MODEL / "evidence/modelscan.json", "json"),
    _collector("picklescan", UNSAFE / "evidence/picklescan.txt", "text"),
    _collector("modelaudit", MODEL / "evidence/modelaudit.json", "json"),
    _collector("scanners", MODEL / "evidence/checkov.json", "json"),
    _collector("kubernetes", MODEL / "deploy/k8s/deployment.yaml", "yaml"),
    _collector("dockerfiles", MODEL / "deploy/Dockerfile", "text"),
    _collector("manifest", MODEL / "ai-system.yaml", "yaml", lambda n: n, [MODEL / "prompts"]),
    _collector("codeowners", MODEL / ".github/CODEOWNERS", "text", lambda n: n),
    Target("artifacts", MODEL / "release/model.safetensors", "binary", lambda n: n),
    Target("exceptions", UNSAFE / "gatekeeper-exceptions.yaml", "yaml", lambda n: n),
    Target("config", MODEL / "gatekeeper.yaml", "yaml", lambda n: n),
)
BY_NAME = {target.name: target for target in TARGETS}
SIGNATURE_TARGETS = frozenset({"signatures", "model_signatures", "provenance"})


# --- inputs --------------------------------------------------------------------------------

_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
    st.sampled_from(["", "x", "../../etc/passwd", "/dev/zero", "*", "critical", "error",
                     "2026-01-01", "sha256:00", "file://x", "-1"]),
)  # fmt: skip
JSON_VALUES = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)


def _places(document: Any, limit: int = 4000) -> list[tuple[Any, ...]]:
    """Every place (a path of keys and indexes) in ``document``, the root included."""
    places, todo = [], [((), document)]
    while todo and len(places) < limit:
        path, node = todo.pop()
        places.append(path)
        if isinstance(node, dict):
            todo.extend(((*path, key), value) for key, value in node.items())
        elif isinstance(node, list):
            todo.extend(((*path, index), value) for index, value in enumerate(node))
    return places


def _replace(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    node = document
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return document


@st.composite
def mutated_document(draw: Any, document: Any) -> Any:
    """``document`` with one to three of its values (or itself) replaced by any JSON value."""
    document = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        places = _places(document)
        document = _replace(document, draw(st.sampled_from(places)), draw(JSON_VALUES))
    return document


@st.composite
def mutated_text(draw: Any, text: str) -> str:
    lines = text.splitlines() or [""]
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["replace", "insert", "delete", "truncate"]))
        new = draw(st.text(max_size=60))
        if action == "replace":
            lines[index] = new
        elif action == "insert":
            lines.insert(index, new)
        elif action == "delete" and len(lines) > 1:
            del lines[index]
        else:
            lines[index] = lines[index][: draw(st.integers(0, len(lines[index])))]
    return "\n".join(lines) + "\n"


def _seed_value(target: Target) -> Any:
    data = target.seed.read_bytes()
    if target.form == "json":
        return orjson.loads(data)
    if target.form == "yaml":
        return yaml.safe_load(data)
    if target.form == "jsonl":
        return [orjson.loads(line) for line in data.splitlines() if line.strip()]
    return data.decode("utf-8")


# The magic numbers the artifact reader recognizes: zip, pickle 2-5, GGUF, HDF5, numpy, and a
# safetensors length prefix.
_MAGICS = (b"PK\x03\x04", b"\x80\x02", b"\x80\x05", b"GGUF", b"\x89HDF\r\n\x1a\n",
           b"\x93NUMPY", b"\x93NUMPY\x01\x00", b"\x93NUMPY\x02\x00", b"\x10\x00" + bytes(6))


def _artifact_inputs(seed: bytes) -> st.SearchStrategy[bytes]:
    """A recognized magic number followed by anything, or the real model cut anywhere."""
    prefixed = st.tuples(st.sampled_from(_MAGICS), st.binary(max_size=300)).map(b"".join)
    cut = st.integers(0, len(seed)).map(lambda end: seed[:end])
    return st.one_of(prefixed, prefixed, cut, st.binary(max_size=200))


def inputs(target: Target) -> st.SearchStrategy[bytes]:
    """The bytes the target is fuzzed with: mutations of its seed, and arbitrary bytes."""
    if target.form == "binary":
        return _artifact_inputs(target.seed.read_bytes())
    seed = _seed_value(target)
    if target.form == "text":
        mutated = mutated_text(seed).map(lambda text: text.encode("utf-8"))
    elif target.form == "jsonl":
        mutated = mutated_document(seed).map(
            lambda rows: b"\n".join(orjson.dumps(r) for r in rows) if isinstance(rows, list)
            else orjson.dumps(rows)
        )
    else:  # YAML readers read JSON too: JSON is YAML
        mutated = mutated_document(seed).map(orjson.dumps)
    return st.one_of(mutated, mutated, mutated, st.binary(max_size=200))


# --- one run -------------------------------------------------------------------------------


def _is_format(target: Target, data: bytes) -> bool:
    """Could the bytes be of the target's format at all (for counting fail-opens)?"""
    try:
        if target.form == "json":
            orjson.loads(data)
        elif target.form == "jsonl":
            for line in data.splitlines():
                if line.strip():
                    orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return True


@cache
def _example_config() -> Any:
    return load_config(MODEL / "gatekeeper.yaml")


def _context(folder: Path) -> CollectContext:
    """The example's thresholds and trust (its keys copied into ``keys/`` by ``prepare``)."""
    config = _example_config()
    context = CollectContext(folder, config.thresholds, root=folder.resolve())
    context.trust = trust.Trust(config.trust, context)
    return context


def prepare(target: Target, folder: Path) -> None:
    """The files every input of ``target`` shares (the model a signature signs, the keys)."""
    folder.mkdir(parents=True, exist_ok=True)
    for companion in target.companions:
        if companion.is_dir():
            shutil.copytree(companion, folder / companion.name, dirs_exist_ok=True)
        else:
            shutil.copy(companion, folder / companion.name)
    (folder / "keys").mkdir(exist_ok=True)  # where the example's trust.keys name them
    for key in (MODEL / "keys").glob("*.pub"):
        shutil.copy(key, folder / "keys" / key.name)


def run_one(target: Target, data: bytes, folder: Path) -> tuple[str, str]:
    """Read ``data`` as ``target`` reads its file in ``folder``: (outcome, detail)."""
    name = "input" + target.seed.suffix
    path = folder / name
    path.write_bytes(data)
    try:
        if target.name == "exceptions":
            load_waivers(path, load_policies(()).controls, WaiverPolicy())
        elif target.name == "config":
            load_config(path)
        elif target.name == "artifacts":
            artifacts.collect((ArtifactSpec(name, "model"),), _context(folder))
        else:
            COLLECTORS[target.name](target.setting(name), _context(folder))
    except GatekeeperError as error:
        named = name in str(error)
        return ("refused" if named else "unnamed"), str(error)[:300]
    except Exception as error:
        return "internal", f"{type(error).__name__}: {error}"[:300]
    if not _is_format(target, data):
        return "fail_open", "accepted bytes that are not " + target.form
    return "accepted", ""
