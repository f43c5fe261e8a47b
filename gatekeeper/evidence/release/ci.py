"""The CI run the gate runs in, read from the environment: the evidence that the gate is part of
the release pipeline (GitHub Actions, GitLab CI), with the run's id and address.

Always collected; outside CI the section says so (``detected: false``). Variables can be set by
anyone who runs the command, so this records where the run says it is, for the report and for
controls that ask whether compliance checks are tied to CI. Its strength is ``declared``:
GRC-gate-enforced-in-ci counts the run as verified only when the release's signed SLSA
provenance names it (its run address or its workflow).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NAME = "ci"
STRENGTH = "declared"


def _github(env: Mapping[str, str]) -> dict[str, Any]:
    server = env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    repository, run_id = env.get("GITHUB_REPOSITORY"), env.get("GITHUB_RUN_ID")
    run_url = f"{server}/{repository}/actions/runs/{run_id}" if repository and run_id else None
    return {
        "provider": "github-actions",
        "run_id": run_id,
        "run_attempt": env.get("GITHUB_RUN_ATTEMPT"),
        "run_url": run_url,
        "workflow": env.get("GITHUB_WORKFLOW_REF") or env.get("GITHUB_WORKFLOW"),
        "job": env.get("GITHUB_JOB"),
        "repository": repository,
        "ref": env.get("GITHUB_REF"),
        "commit": env.get("GITHUB_SHA"),
        "event": env.get("GITHUB_EVENT_NAME"),
    }


def _gitlab(env: Mapping[str, str]) -> dict[str, Any]:
    return {
        "provider": "gitlab-ci",
        "run_id": env.get("CI_PIPELINE_ID"),
        "run_attempt": None,
        "run_url": env.get("CI_PIPELINE_URL"),
        "workflow": env.get("CI_CONFIG_PATH") or ".gitlab-ci.yml",
        "job": env.get("CI_JOB_NAME"),
        "repository": env.get("CI_PROJECT_PATH"),
        "ref": env.get("CI_COMMIT_REF_NAME"),
        "commit": env.get("CI_COMMIT_SHA"),
        "event": env.get("CI_PIPELINE_SOURCE"),
    }


def collect(env: Mapping[str, str]) -> dict[str, Any]:
    if env.get("GITHUB_ACTIONS") == "true":
        context = _github(env)
    elif env.get("GITLAB_CI") == "true":
        context = _gitlab(env)
    else:
        return {NAME: {"detected": False, "provider": None, "strength": STRENGTH}}
    found = {key: value or None for key, value in context.items()}
    return {NAME: {"detected": True, **found, "strength": STRENGTH}}
