"""`gatekeeper serve` as a command: what it refuses before listening, and a real start."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import EXAMPLES

from gatekeeper.serve.run import is_loopback


@pytest.mark.parametrize("host,loopback", [
    ("127.0.0.1", True), ("127.8.0.1", True), ("localhost", True), ("::1", True),
    ("[::1]", True), ("0.0.0.0", False), ("::", False), ("192.168.1.5", False),
    ("example.com", False), ("localhost.example.com", False),
])
def test_loopback_addresses(host, loopback):
    assert is_loopback(host) is loopback


def test_another_address_without_a_token_is_a_usage_error(gatekeeper, project, monkeypatch):
    monkeypatch.delenv("GATEKEEPER_SERVE_TOKEN", raising=False)
    run = gatekeeper("serve", "--host", "0.0.0.0", "--port", "0", cwd=project)
    assert run.code == 2
    assert "--host 0.0.0.0" in run.err and "--token" in run.err


def test_a_short_token_is_refused(gatekeeper, project, monkeypatch):
    monkeypatch.setenv("GATEKEEPER_SERVE_TOKEN", "short")
    run = gatekeeper("serve", "--host", "0.0.0.0", "--port", "0", cwd=project)
    assert run.code == 2 and "at least 16 characters" in run.err


def test_without_results_it_says_to_run_the_gate_first(gatekeeper, tmp_path):
    config = EXAMPLES / "model-release" / "gatekeeper.yaml"
    run = gatekeeper("serve", "-c", config, "--results", tmp_path / "none.json", "--port", "0")
    assert run.code == 2
    assert "none.json: results file not found" in run.err and "gatekeeper check" in run.err


def test_a_broken_attestations_file_stops_it_before_listening(gatekeeper, project):
    (project / "attestations.yaml").write_text("version: 1\nattestations:\n  GRC-Q1: {score: 9}\n")
    run = gatekeeper("serve", "--port", "0", cwd=project)
    assert run.code == 2 and "attestations.yaml" in run.err


def test_it_serves_the_example_on_loopback(project):
    """The README's command, for real: a uvicorn server on a free port answers the page."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gatekeeper", "serve", "--port", "0"], cwd=project,
        stderr=subprocess.PIPE, text=True,
        env={**os.environ, "GATEKEEPER_SERVE_TOKEN": ""},
    )
    try:
        line = process.stderr.readline()
        assert line.startswith("gatekeeper serve: http://127.0.0.1:"), line
        url = line.split()[2]
        for _ in range(50):
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert "Questionnaire: sentiment-scorer 1.4.0" in page
    finally:
        process.terminate()
        process.wait(timeout=10)
