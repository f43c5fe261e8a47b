"""Dockerfiles: base images and their digests, CUDA / driver version pins, the final user."""

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.infrastructure.dockerfiles import collect, read_dockerfile

DIGEST = "sha256:" + "0123456789abcdef" * 4

MULTI_STAGE = f"""\
ARG CUDA=12.4.1
FROM nvidia/cuda:${{CUDA}}-cudnn-devel-ubuntu22.04@{DIGEST} AS build
ENV CUDA_VERSION=12.4.1 \\
    NVIDIA_DRIVER_VERSION=550.90.07
RUN make
FROM --platform=linux/amd64 python:3.12-slim AS runtime
COPY --from=build /out /app
FROM runtime
USER app
"""


def test_stages_resolve_args_and_tell_pinned_from_unpinned():
    facts = read_dockerfile(MULTI_STAGE.encode(), "Dockerfile")
    build, runtime, final = facts["stages"]
    assert build["image"] == f"nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04@{DIGEST}"
    assert build["written"].startswith("nvidia/cuda:${CUDA}")
    assert (build["repository"], build["tag"], build["digest"], build["line"]) == (
        "nvidia/cuda", "12.4.1-cudnn-devel-ubuntu22.04", DIGEST, 2)
    assert (runtime["image"], runtime["digest"], runtime["stage_ref"]) == (
        "python:3.12-slim", None, False)
    assert (final["image"], final["stage_ref"]) == ("runtime", True)
    assert facts["user"] == "app" and facts["runs_as_root"] is False


def test_cuda_and_driver_pins_come_from_env_args_and_tags():
    facts = read_dockerfile(MULTI_STAGE.encode(), "Dockerfile")
    assert facts["uses_cuda"] is True
    pins = facts["version_pins"]
    assert [(p["component"], p["name"], p["value"], p["line"], p["pinned"]) for p in pins] == [
        ("cuda", "ENV CUDA_VERSION", "12.4.1", 3, True),
        ("driver", "ENV NVIDIA_DRIVER_VERSION", "550.90.07", 3, True),
        ("cuda", f"FROM nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04@{DIGEST}", "12.4.1", 2, True),
    ]


@pytest.mark.parametrize(
    ("text", "pins"),
    [
        ("FROM pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime\n", [("cuda", "12.1", True)]),
        ("FROM nvidia/cuda:latest\n", [("cuda", "latest", False)]),
        ("FROM ubuntu:22.04\nENV CUDA_VERSION=12\n", [("cuda", "12", False)]),
        ("FROM ubuntu:22.04\nARG NVIDIA_DRIVER_VERSION\n", [("driver", "", False)]),
        ("FROM ubuntu:22.04\nENV CUDNN_VERSION=8.9.7.29\n", [("cudnn", "8.9.7.29", True)]),
        ("FROM python:3.12\nENV PYTHON_VERSION=3.12.4\n", []),
    ],
)
def test_version_pins(text, pins):
    facts = read_dockerfile(text.encode(), "Dockerfile")
    assert [(p["component"], p["value"], p["pinned"]) for p in facts["version_pins"]] == pins
    assert facts["uses_cuda"] is bool(pins and pins[0][0] != "driver")


def test_no_user_means_root_and_unresolved_variables_are_flagged():
    facts = read_dockerfile(b"ARG BASE\nFROM $BASE\nRUN true\n", "Dockerfile")
    assert facts["stages"][0]["unresolved"] is True
    assert facts["user"] is None and facts["runs_as_root"] is True
    assert read_dockerfile(b"FROM scratch\nUSER 0\n", "D")["stages"][0]["stage_ref"] is True


@pytest.mark.parametrize(
    ("data", "problem"),
    [(b"RUN echo no base\n", "no FROM instruction"), (b"\xff\xfeFROM x\n", "not UTF-8 text")],
)
def test_bad_dockerfiles_are_errors_naming_the_file(data, problem):
    with pytest.raises(EvidenceError, match=f"^docker/Dockerfile: {problem}"):
        read_dockerfile(data, "docker/Dockerfile")


def test_the_collector_records_each_file(tmp_path):
    (tmp_path / "Dockerfile").write_text(f"FROM python:3.12@{DIGEST}\nUSER 1000\n")
    context = CollectContext(tmp_path)
    section = collect(["Dockerfile"], context)
    assert section["dockerfiles"][0]["path"] == "Dockerfile"
    assert context.sources[0].collector == "dockerfiles"
