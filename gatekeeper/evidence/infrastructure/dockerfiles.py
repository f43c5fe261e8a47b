"""Dockerfiles -> base images, CUDA / driver version pins, and the user the image runs as.

``evidence.dockerfiles`` lists paths or globs. Parsing is dockerfile-parse's (line
continuations, quoting, ``ARG`` substitution into ``FROM``). Facts per file:

- ``stages``: each ``FROM`` with the image as written and as resolved from ``ARG`` defaults,
  its tag and ``sha256`` digest, whether it names an earlier stage (or ``scratch``), and whether
  a ``$variable`` is left unresolved (then nothing about it can be known);
- ``version_pins``: every ``ENV``/``ARG`` whose name says it holds a CUDA, cuDNN or NVIDIA
  driver version (``CUDA_VERSION``, ``NV_CUDA_CUDART_VERSION``, ``NVIDIA_DRIVER_VERSION``...),
  plus the CUDA version a base image tag carries (``nvidia/cuda:12.4.1-runtime-ubuntu22.04``,
  ``pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime``); a value is ``pinned`` when it is an exact
  dotted version (``12.4.1``), not ``latest``, a bare major, or a variable;
- ``uses_cuda``: a base image from ``nvidia/cuda``, NVIDIA's registry (``nvcr.io/nvidia``) or a
  tag naming CUDA, or any CUDA version variable;
- ``user``: the last ``USER`` of the final stage (``null`` when there is none: root).

What a Dockerfile cannot show: the GPU driver of the node (set by the node pool or the GPU
operator), and whether a base image is signed.
"""

from __future__ import annotations

import io
import re
from typing import Any

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.jsonio import decode_text

NAME = "dockerfiles"
_DIGEST = re.compile(r"@(sha256:[0-9a-f]{64})$")
_EXACT_VERSION = re.compile(r"^v?\d+\.\d+(\.\d+)*([-+][\w.]+)?$")
_TAG_CUDA = (
    re.compile(r"cuda[-_]?(\d+(?:\.\d+)*)", re.IGNORECASE),
    re.compile(r"^(\d+\.\d+(?:\.\d+)?)-"),  # nvidia/cuda:<version>-<flavour>
)
_ROOT_USERS = {"root", "0", "root:root", "0:0"}


def _split_image(image: str) -> tuple[str, str | None, str | None]:
    """(repository, tag, digest) of an image reference."""
    match = _DIGEST.search(image)
    digest = match.group(1) if match else None
    rest = image[: match.start()] if match else image.split("@", 1)[0]
    name, _, tag = rest.rpartition(":") if ":" in rest.rsplit("/", 1)[-1] else (rest, "", "")
    return name, tag or None, digest


def _component(variable: str) -> str | None:
    name = variable.upper()
    if not name.endswith("_VERSION"):
        return None
    if "DRIVER" in name:
        return "driver"
    if "CUDNN" in name:
        return "cudnn"
    return "cuda" if "CUDA" in name else None


def _pin(component: str, name: str, value: str, line: int) -> dict[str, Any]:
    return {
        "component": component, "name": name, "value": value, "line": line,
        "pinned": bool(_EXACT_VERSION.match(value)) and "$" not in value,
    }


def _tag_cuda_version(repository: str, tag: str | None) -> str | None:
    if not tag:
        return None
    match = _TAG_CUDA[0].search(tag)
    if match:
        return match.group(1)
    if repository.endswith("nvidia/cuda"):
        match = _TAG_CUDA[1].match(tag)
        return match.group(1) if match else tag
    return None


def _stages(parser: Any, structure: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from dockerfile_parse.parser import image_from

    stages: list[dict[str, Any]] = []
    names: set[str] = set()
    froms = [item for item in structure if item["instruction"] == "FROM"]
    for item, resolved in zip(froms, parser.parent_images, strict=True):
        written, alias = image_from(item["value"])
        repository, tag, digest = _split_image(resolved)
        stage_ref = resolved.lower() in names or resolved == "scratch"
        stages.append({
            "index": len(stages), "name": alias, "written": written, "image": resolved,
            "repository": repository, "tag": tag, "digest": digest,
            "line": item["startline"] + 1, "stage_ref": stage_ref,
            "unresolved": "$" in resolved or not resolved.strip(),
        })
        if alias:
            names.add(alias.lower())
    return stages


def _version_pins(
    parser: Any, structure: list[dict[str, Any]], stages: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    from dockerfile_parse.util import extract_key_values

    pins = []
    for item, context in zip(structure, parser.context_structure, strict=True):
        if item["instruction"] not in ("ENV", "ARG"):
            continue
        # The names this instruction sets; their values as substituted in its context.
        values = context.envs if item["instruction"] == "ENV" else context.args
        declared = extract_key_values(
            env_replace=False, args={}, envs={}, instruction_value=item["value"])
        for name, _ in declared:
            component = _component(name)
            if component:
                pins.append(_pin(component, f"{item['instruction']} {name}",
                                 str(values.get(name, "")), item["startline"] + 1))
    for stage in stages:
        version = _tag_cuda_version(stage["repository"], stage["tag"])
        if version and not stage["stage_ref"]:
            pins.append(_pin("cuda", f"FROM {stage['image']}", version, stage["line"]))
    return pins


def _uses_cuda(stages: list[dict[str, Any]], pins: list[dict[str, Any]]) -> bool:
    for stage in stages:
        repository = stage["repository"].lower()
        if repository.endswith("nvidia/cuda") or repository.startswith("nvcr.io/nvidia/"):
            return True
        if stage["tag"] and "cuda" in stage["tag"].lower():
            return True
    return any(pin["component"] in ("cuda", "cudnn") for pin in pins)


def _final_user(structure: list[dict[str, Any]]) -> str | None:
    user = None
    for item in structure:
        if item["instruction"] == "FROM":
            user = None
        elif item["instruction"] == "USER":
            user = item["value"].strip() or None
    return user


def read_dockerfile(data: bytes, source: str) -> dict[str, Any]:
    from dockerfile_parse import DockerfileParser

    decode_text(data, source)  # refuse binary files before the parser guesses an encoding
    parser = DockerfileParser(fileobj=io.BytesIO(data))
    try:
        structure = parser.structure
        stages = _stages(parser, structure)
        pins = _version_pins(parser, structure, stages)
    except (ValueError, KeyError, IndexError) as error:
        raise EvidenceError(f"cannot parse the Dockerfile: {error}", path=source) from None
    if not stages:
        raise EvidenceError("no FROM instruction: not a Dockerfile", path=source)
    user = _final_user(structure)
    return {
        "path": source,
        "stages": stages,
        "version_pins": pins,
        "uses_cuda": _uses_cuda(stages, pins),
        "user": user,
        "runs_as_root": user is None or user.lower() in _ROOT_USERS,
    }


def collect(patterns: list[str], context: CollectContext) -> dict[str, Any]:
    files = []
    for index, pattern in enumerate(patterns):
        for path in context.expand(pattern, f"evidence.dockerfiles[{index}]"):
            source = context.display_path(path)
            files.append(read_dockerfile(context.read(path, NAME), source))
    return {"dockerfiles": files}
