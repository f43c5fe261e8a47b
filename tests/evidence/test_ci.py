from gatekeeper.evidence.release.ci import collect


def test_github_actions_run_with_its_address():
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_RUN_ID": "9001",
        "GITHUB_RUN_ATTEMPT": "2",
        "GITHUB_REPOSITORY": "example-org/sentiment-scorer",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_WORKFLOW_REF": (
            "example-org/sentiment-scorer/.github/workflows/release.yml@refs/tags/v1.4.0"
        ),
        "GITHUB_JOB": "gate",
        "GITHUB_REF": "refs/tags/v1.4.0",
        "GITHUB_SHA": "a" * 40,
        "GITHUB_EVENT_NAME": "push",
    }
    ci = collect(env)["ci"]
    assert ci["detected"] is True and ci["provider"] == "github-actions"
    assert ci["run_id"] == "9001" and ci["run_attempt"] == "2"
    assert ci["run_url"] == "https://github.com/example-org/sentiment-scorer/actions/runs/9001"
    assert ci["workflow"].endswith(".github/workflows/release.yml@refs/tags/v1.4.0")
    assert (ci["job"], ci["ref"], ci["commit"], ci["event"]) == (
        "gate",
        "refs/tags/v1.4.0",
        "a" * 40,
        "push",
    )


def test_gitlab_ci_pipeline():
    env = {
        "GITLAB_CI": "true",
        "CI_PIPELINE_ID": "77",
        "CI_PIPELINE_URL": "https://gitlab.example.com/ml/triage/-/pipelines/77",
        "CI_JOB_NAME": "gate",
        "CI_PROJECT_PATH": "ml/triage",
        "CI_COMMIT_SHA": "b" * 40,
        "CI_COMMIT_REF_NAME": "main",
        "CI_PIPELINE_SOURCE": "push",
    }
    ci = collect(env)["ci"]
    assert (ci["provider"], ci["run_id"], ci["workflow"]) == ("gitlab-ci", "77", ".gitlab-ci.yml")
    assert ci["run_url"].endswith("/pipelines/77")


def test_a_local_run_or_a_bare_ci_flag_is_not_a_pipeline_run():
    assert collect({}) == {"ci": {"detected": False, "provider": None, "strength": "declared"}}
    assert collect({"CI": "true", "GITHUB_ACTIONS": "false"})["ci"]["detected"] is False


def test_missing_run_variables_are_null_not_empty():
    ci = collect({"GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": ""})["ci"]
    assert ci["detected"] is True and ci["run_id"] is None and ci["run_url"] is None
