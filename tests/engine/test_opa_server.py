"""The remote OPA engine against a test server for OPA's REST API (see opa_rest_server.py).

No real OPA runs here: the server answers as OPA's documented REST API does and evaluates
with regorus. Broken servers (slow, 5xx, 401, wrong JSON, missing packages) exercise every
failure mode: each exits 3 with its message.
"""

from __future__ import annotations

import socket
import ssl
import time
from importlib import metadata
from pathlib import Path

import certifi
import orjson
import pytest
import trustme
from conftest import EXAMPLES, NOW
from opa_rest_server import VERSION, OpaRestServer

from gatekeeper.config import default_thresholds, load_config
from gatekeeper.engine.opa_server import differing_keys, parse_url
from gatekeeper.engine.policies import load_policies
from gatekeeper.errors import ConfigError
from gatekeeper.schemas import validation_errors

TOKEN = "s3cr3t-opa-token-7f9c"
HEADER = """# METADATA
# title: Demo
# description: Demo.
# custom:
#   severity: low
#   questions: [GRC-Q4]
#   waivable: true
#   remediation: none
#   frameworks: {}
package gatekeeper.controls.grc.demo
"""


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def opa():
    with OpaRestServer() as server:
        yield server


def holding(server: OpaRestServer, thresholds: dict | None = None, dirs=()) -> OpaRestServer:
    """The server as a central team runs it: gatekeeper's policies and thresholds loaded."""
    server.hold(load_policies(dirs).modules,
                default_thresholds() if thresholds is None else thresholds)
    return server


def project(folder: Path, engine: dict | None = None, policies: str | None = None) -> Path:
    """A release with no evidence (every control: no_evidence, exit 1) and an engine section."""
    folder.mkdir(exist_ok=True)
    text = "version: 1\nsubject: {name: demo}\n"
    if engine is not None:
        text += f"engine: {orjson.dumps(engine).decode()}\n"
    if policies is not None:
        text += f"policies: [{policies}]\n"
    (folder / "gatekeeper.yaml").write_text(text)
    return folder


def read(path: Path) -> dict:
    return orjson.loads(path.read_bytes())


def without_engine(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "engine"}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The same results as the embedded engine.


@pytest.mark.parametrize("example, code", [("model-release", 0), ("unsafe-release", 1)])
def test_an_opa_server_decides_as_the_embedded_engine(gatekeeper, tmp_path, opa, example, code):
    folder = EXAMPLES / example
    holding(opa, load_config(folder / "gatekeeper.yaml").thresholds)
    embedded = gatekeeper("check", "--now", NOW, "--results", tmp_path / "embedded.json",
                          cwd=folder)
    remote = gatekeeper("check", "--now", NOW, "--results", tmp_path / "remote.json",
                        "--opa-url", opa.url, cwd=folder)
    assert (embedded.code, remote.code) == (code, code), remote.err
    regorus = f"regorus {metadata.version('gordon-to-regorus')}"
    assert remote.out == embedded.out.replace(regorus, f"opa {VERSION}")
    document = read(tmp_path / "remote.json")
    assert validation_errors(document, "results") == []
    assert document["engine"] == {"kind": "opa", "url": opa.url, "version": VERSION}
    assert without_engine(document) == without_engine(read(tmp_path / "embedded.json"))
    assert opa.requests == [  # one query decides every control
        "GET /v1/policies/",
        "GET /health?bundles=true",
        "GET /v1/data/gatekeeper/config",
        "POST /v1/data/gatekeeper/controls?provenance=true",
    ]


def test_evaluate_a_saved_evidence_document_on_the_server(gatekeeper, tmp_path, opa):
    folder = EXAMPLES / "unsafe-release"
    holding(opa, load_config(folder / "gatekeeper.yaml").thresholds)
    evidence = tmp_path / "evidence.json"
    assert gatekeeper("collect", "--now", NOW, "-o", evidence, cwd=folder).code == 0
    run = gatekeeper("evaluate", evidence, "--now", NOW, "--results", tmp_path / "remote.json",
                     "--opa-url", opa.url, cwd=folder)
    assert run.code == 1, run.err
    gatekeeper("check", "--now", NOW, "--results", tmp_path / "embedded.json", cwd=folder)
    assert without_engine(read(tmp_path / "remote.json")) == without_engine(
        read(tmp_path / "embedded.json"))


def test_push_policies_uploads_libraries_first_then_the_thresholds(gatekeeper, tmp_path, opa):
    folder = project(tmp_path / "release", {"kind": "opa", "url": opa.url, "push_policies": True})
    remote = gatekeeper("check", "--now", NOW, "--results", "remote.json", cwd=folder)
    assert remote.code == 1, remote.err
    modules = load_policies().modules
    puts = [r.removeprefix("PUT /v1/policies/") for r in opa.requests
            if r.startswith("PUT /v1/policies/")]
    assert len(puts) == len(modules) == len(opa.policies)
    libraries = [i for i, p in enumerate(puts) if p.startswith("gatekeeper/lib/")]
    assert libraries == list(range(len(libraries))) and libraries
    assert opa.data == {"gatekeeper": {"config": default_thresholds()}}
    assert opa.requests.index("PUT /v1/data/gatekeeper/config") < opa.requests.index(
        "POST /v1/data/gatekeeper/controls?provenance=true")
    gatekeeper("check", "--now", NOW, "--results", "embedded.json", cwd=folder)
    assert without_engine(read(folder / "remote.json")) == without_engine(
        read(folder / "embedded.json"))


def test_one_broken_control_errors_alone_as_with_the_embedded_engine(gatekeeper, tmp_path, opa):
    policies = tmp_path / "policies" / "grc"
    policies.mkdir(parents=True)
    (policies / "demo.rego").write_text(HEADER + "import rego.v1\n\napplicable := true\n"
                                        'level := "a" if input.subject\n'
                                        'level := "b" if input.subject\n'
                                        "deny contains level if level\n")
    folder = project(tmp_path / "release", {"retries": 0}, policies="../policies")
    holding(opa, dirs=(tmp_path / "policies",))
    embedded = gatekeeper("check", "--now", NOW, "--results", "embedded.json", cwd=folder)
    remote = gatekeeper("check", "--now", NOW, "--results", "remote.json", "--opa-url", opa.url,
                        cwd=folder)
    assert embedded.code == remote.code == 3
    outcomes = [{c["id"]: c["outcome"] for c in read(folder / name)["controls"]}
                for name in ("embedded.json", "remote.json")]
    assert outcomes[0] == outcomes[1] and outcomes[1]["GRC-demo"] == "error"
    demo = next(c for c in read(folder / "remote.json")["controls"] if c["id"] == "GRC-demo")
    assert "policy evaluation failed" in demo["messages"][0]["message"]
    assert "rule conflicts" in demo["messages"][0]["message"]


def test_the_errors_rule_is_an_error_on_both_engines(gatekeeper, tmp_path, opa):
    policies = tmp_path / "policies" / "grc"
    policies.mkdir(parents=True)
    (policies / "demo.rego").write_text(HEADER + "import rego.v1\n\napplicable := true\n"
                                        'errors contains "could not verify demo.sig offline"\n')
    folder = project(tmp_path / "release", {"retries": 0}, policies="../policies")
    holding(opa, dirs=(tmp_path / "policies",))
    embedded = gatekeeper("check", "--now", NOW, "--results", "embedded.json", cwd=folder)
    remote = gatekeeper("check", "--now", NOW, "--results", "remote.json", "--opa-url", opa.url,
                        cwd=folder)
    assert embedded.code == remote.code == 3
    for name in ("embedded.json", "remote.json"):
        demo = next(c for c in read(folder / name)["controls"] if c["id"] == "GRC-demo")
        assert demo["outcome"] == "error"
        assert demo["messages"] == [{"message": "could not verify demo.sig offline"}]


# Retries.


def test_5xx_answers_are_retried_with_backoff(gatekeeper, tmp_path, opa):
    holding(opa)
    failures = iter([True, True])
    opa.fault = lambda method, path: (500, {"code": "internal_error", "message": "busy"}) if (
        method == "POST" and next(failures, False)) else None
    folder = project(tmp_path / "release", {"retries": 2})
    started = time.monotonic()
    run = gatekeeper("check", "--now", NOW, "--opa-url", opa.url, cwd=folder)
    assert run.code == 1, run.err
    assert opa.count("POST ") == 3
    assert time.monotonic() - started >= 0.5  # waits 0, then 0.5 s


def test_a_server_that_keeps_failing_is_an_error_after_the_retries(gatekeeper, tmp_path, opa):
    holding(opa)
    opa.fault = lambda method, path: (503, {"code": "unavailable", "message": "overloaded"}) if (
        method == "POST") else None
    run = gatekeeper("check", "--opa-url", opa.url, cwd=project(tmp_path / "r", {"retries": 1}))
    assert run.code == 3
    assert "POST /v1/data/gatekeeper/controls: server error (HTTP 503: overloaded) after 2 " \
           "attempts" in run.err
    assert opa.count("POST ") == 2


# Failure modes: exit 3 and a message that says what went wrong.


def test_an_unreachable_server(gatekeeper, tmp_path):
    url = f"http://127.0.0.1:{closed_port()}"
    run = gatekeeper("check", "--opa-url", url, cwd=project(tmp_path / "r", {"retries": 1}))
    assert run.code == 3
    assert f"OPA server {url}: GET /v1/policies: cannot connect (Connection refused) after 2 " \
           "attempts" in run.err
    assert "Traceback" not in run.err


def test_a_slow_server_times_out(gatekeeper, tmp_path, opa):
    holding(opa)
    opa.fault = lambda method, path: time.sleep(1.5) if method == "POST" else None
    folder = project(tmp_path / "r", {"timeout": 0.2, "retries": 1})
    run = gatekeeper("check", "--opa-url", opa.url, cwd=folder)
    # Not timed (the machine's load decides wall time): a client that waited would get the
    # server's answer after 1.5 s and pass; only one that gave up says so and exits 3.
    assert run.code == 3
    assert "POST /v1/data/gatekeeper/controls: timed out (no answer within 0.2 s; 2 attempts)" \
        in run.err
    assert "raise engine.timeout" in run.err
    assert opa.count("POST ") == 2


@pytest.fixture
def certificate_authority(tmp_path):
    authority = trustme.CA()
    authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    return authority


@pytest.fixture
def tls_opa(certificate_authority):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate_authority.issue_cert("127.0.0.1").configure_cert(context)
    with OpaRestServer(tls=context) as server:
        yield holding(server)


def test_tls_is_verified_and_fails_without_the_servers_ca(gatekeeper, tmp_path, tls_opa):
    run = gatekeeper("check", "--opa-url", tls_opa.url, cwd=project(tmp_path / "r"))
    assert run.code == 3
    assert f"OPA server {tls_opa.url}: GET /v1/policies: TLS failed: certificate verify " \
           "failed: unable to get local issuer certificate" in run.err
    assert "engine.ca_bundle" in run.err
    assert not any(r.startswith("POST") for r in tls_opa.requests)


def test_tls_succeeds_with_the_ca_bundle_even_if_requests_ca_bundle_says_otherwise(
    gatekeeper, tmp_path, tls_opa, monkeypatch
):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certifi.where())  # requests would prefer this one
    folder = project(tmp_path, {"kind": "opa", "url": tls_opa.url, "ca_bundle": "ca.pem"})
    run = gatekeeper("check", "--now", NOW, cwd=folder)
    assert run.code == 1, run.err
    assert read(folder / "gatekeeper-results.json")["engine"]["url"].startswith("https://")


def test_a_token_the_server_refuses(gatekeeper, tmp_path, monkeypatch):
    monkeypatch.setenv("OPA_TOKEN", TOKEN)
    with OpaRestServer(token="another-token") as server:
        folder = project(tmp_path, {"kind": "opa", "url": server.url, "token_env": "OPA_TOKEN"})
        run = gatekeeper("check", "--now", NOW, cwd=folder)
    assert run.code == 3
    assert "GET /v1/policies: the server refused the request (unauthorized: HTTP 401: request " \
           "rejected by administrative policy)" in run.err
    assert "the server did not accept the token in $OPA_TOKEN" in run.err
    assert TOKEN not in run.out + run.err


def test_a_server_that_wants_a_token_says_so(gatekeeper, tmp_path):
    with OpaRestServer(token=TOKEN) as server:
        run = gatekeeper("check", "--opa-url", server.url, cwd=project(tmp_path))
    assert run.code == 3
    assert "name the variable that holds it in engine.token_env" in run.err


def test_403_is_refused_too(gatekeeper, tmp_path, opa):
    opa.fault = lambda method, path: (403, b"<html>Forbidden</html>")
    run = gatekeeper("check", "--opa-url", opa.url, cwd=project(tmp_path))
    assert run.code == 3
    assert "GET /v1/policies: the server refused the request (unauthorized: HTTP 403)" in run.err


def test_the_token_is_sent_and_never_shown(gatekeeper, tmp_path, monkeypatch):
    monkeypatch.setenv("OPA_TOKEN", TOKEN)
    with OpaRestServer(token=TOKEN) as server:
        holding(server)
        folder = project(tmp_path, {"kind": "opa", "url": server.url, "token_env": "OPA_TOKEN",
                                    "retries": 0})
        ok = gatekeeper("check", "--now", NOW, "-f", "json", "-o", "report.json", cwd=folder)
        # A server that echoes what it was sent: the token is redacted from the message.
        server.fault = lambda method, path: (500, {"message": f"bad header: Bearer {TOKEN}"})
        echoed = gatekeeper("check", "--now", NOW, "--results", "failed.json", cwd=folder)
    assert ok.code == 1, ok.err
    assert echoed.code == 3 and "bad header: Bearer ***" in echoed.err
    for text in (ok.out, ok.err, echoed.out, echoed.err, (folder / "report.json").read_text(),
                 (folder / "gatekeeper-results.json").read_text()):
        assert TOKEN not in text


def test_a_missing_policy_package(gatekeeper, tmp_path, opa):
    holding(opa)
    control = load_policies().controls[0]
    del opa.policies[f"bundle/{control.path.parent.name}/{control.path.name}"]
    run = gatekeeper("check", "--opa-url", opa.url, cwd=project(tmp_path))
    assert run.code == 3
    assert f"holds no policy for 1 control(s): {control.id} (package {control.package})" in run.err
    assert "push_policies" in run.err
    assert opa.count("POST ") == 0


def test_a_server_without_the_thresholds(gatekeeper, tmp_path, opa):
    opa.hold(load_policies().modules, None)
    run = gatekeeper("check", "--opa-url", opa.url, cwd=project(tmp_path))
    assert run.code == 3
    assert "holds no data.gatekeeper.config (the thresholds)" in run.err


def test_a_server_whose_thresholds_differ_from_this_runs(gatekeeper, tmp_path, opa):
    thresholds = default_thresholds()
    thresholds["sast"]["block_at"] = "critical"
    holding(opa, thresholds)
    run = gatekeeper("check", "--opa-url", opa.url, cwd=project(tmp_path))
    assert run.code == 3
    assert "data.gatekeeper.config differs from this run's thresholds at sast.block_at" in run.err


def test_a_server_whose_bundles_are_not_active(gatekeeper, tmp_path, opa):
    holding(opa)
    opa.fault = lambda method, path: (500, {}) if path == "/health" else None
    run = gatekeeper("check", "--opa-url", opa.url, cwd=project(tmp_path, {"retries": 0}))
    assert run.code == 3
    assert "GET /health?bundles=true: not healthy" in run.err


@pytest.mark.parametrize("answer, message", [
    ({"result": {"sdl": "oops"}}, "the decision for SDL-"),
    ({"result": {"grc": {"datasheet_complete": []}}}, "is an array, not the rules of a package"),
    ({"result": {}}, "holds no policy for"),
    ({}, "holds no policy for"),
    (["not", "an", "object"], "the answer is not a JSON object"),
    (b"<html>proxy error page</html>", "the answer is not JSON: is this an OPA server?"),
])
def test_a_decision_of_the_wrong_shape(gatekeeper, tmp_path, opa, answer, message):
    holding(opa)
    opa.fault = lambda method, path: (200, answer) if method == "POST" else None
    run = gatekeeper("check", "--opa-url", opa.url, cwd=project(tmp_path))
    assert run.code == 3
    assert "POST /v1/data/gatekeeper/controls" in run.err or "holds no policy" in run.err
    assert message in run.err


def test_a_policy_the_server_rejects_on_push(gatekeeper, tmp_path, opa):
    policies = tmp_path / "policies" / "grc"
    policies.mkdir(parents=True)
    (policies / "demo.rego").write_text(HEADER + "import rego.v1\n\ndeny contains msg if {\n")
    folder = project(tmp_path / "release", {"kind": "opa", "url": opa.url, "push_policies": True},
                     policies="../policies")
    run = gatekeeper("check", cwd=folder)
    assert run.code == 3
    # Every module is parsed locally first (its package decides what it may define), so a
    # module that does not parse never reaches the server.
    assert f"{policies / 'demo.rego'}: does not compile: line " in run.err
    assert opa.count("PUT ") == opa.count("POST ") == 0


def test_a_rejected_policy_is_not_rewritten_and_sent_again(gatekeeper, tmp_path, opa):
    """opa-python-client would rewrite it as Rego v1 and retry; gatekeeper turns that off."""
    policies = tmp_path / "policies" / "grc"
    policies.mkdir(parents=True)
    (policies / "demo.rego").write_text(HEADER + "\ndeny contains 1 if input.x\n")
    old_server = {"code": "invalid_parameter", "message": "error(s) occurred while compiling",
                  "errors": [{"code": "rego_parse_error", "message": "`if` keyword is required "
                              "before rule body"}]}
    opa.fault = lambda method, path: (400, old_server) if path.endswith("/demo.rego") else None
    folder = project(tmp_path / "release", {"kind": "opa", "url": opa.url, "push_policies": True},
                     policies="../policies")
    run = gatekeeper("check", cwd=folder)
    assert run.code == 3
    assert "the OPA server rejected it: rego_parse_error: `if` keyword is required" in run.err
    assert opa.count("PUT /v1/policies/gatekeeper/controls/grc/demo/") == 1


# Configuration errors: exit 2, and the token never echoed.


@pytest.mark.parametrize("engine, message", [
    ({"kind": "opa", "url": "https://opa.example", "token": TOKEN},
     "engine.token: a token never goes in this file"),
    ({"kind": "opa", "url": "https://opa.example", "token_env": TOKEN},
     "engine.token_env: must be the name of an environment variable"),
    ({"kind": "opa", "url": "https://opa.example", "token_env": "GATEKEEPER_TEST_UNSET"},
     "the environment variable GATEKEEPER_TEST_UNSET is not set or is empty"),
    ({"kind": "opa"}, 'engine: "url" is a required property'),
    ({"kind": "opa", "url": "http://opa.example:8181", "token_env": "OPA_TOKEN"},
     "refusing to send the bearer token over plain http to opa.example"),
    ({"kind": "opa", "url": f"https://ci:{TOKEN}@opa.example"}, "credentials do not belong"),
    ({"kind": "opa", "url": "https://opa.example/v1/data"}, "give only scheme, host and port"),
    ({"kind": "opa", "url": "https://opa.example", "ca_bundle": "nope.pem"},
     "engine.ca_bundle: file not found"),
])
def test_engine_configuration_errors(gatekeeper, tmp_path, monkeypatch, engine, message):
    monkeypatch.setenv("OPA_TOKEN", TOKEN)
    monkeypatch.delenv("GATEKEEPER_TEST_UNSET", raising=False)
    run = gatekeeper("check", cwd=project(tmp_path, engine))
    assert run.code == 2, run.err
    assert message in run.err
    assert TOKEN not in run.err + run.out


# Helpers.


def test_urls_are_normalized_with_their_default_ports():
    assert parse_url("https://opa.internal") == (
        "https://opa.internal:443", "opa.internal", 443, True)
    assert parse_url("http://[::1]:8181/") == ("http://[::1]:8181", "[::1]", 8181, False)
    with pytest.raises(ConfigError, match="http"):
        parse_url("ftp://opa.internal")


def test_differing_keys_name_every_difference():
    ours = {"a": {"b": 1, "c": [1, 2]}, "d": True}
    assert differing_keys(ours, {"a": {"b": 1.0, "c": [1, 2]}, "d": True}) == []
    assert differing_keys(ours, {"a": {"b": 2, "c": [2]}, "d": 1, "e": 0}) == [
        "a.b", "a.c", "d", "e"]


def test_without_opa_python_client_the_install_hint_is_given(gatekeeper, tmp_path, monkeypatch):
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "opa_client" else find_spec(name, *a))
    run = gatekeeper("check", "--opa-url", "http://127.0.0.1:1", cwd=project(tmp_path))
    assert run.code == 2
    assert "needs the opa-python-client package" in run.err
    assert "pip install 'ai-gatekeeper[opa]'" in run.err


def test_engine_settings_default_to_the_embedded_engine_and_resolve_the_ca_bundle(tmp_path):
    from gatekeeper.config import EngineSettings

    assert load_config(project(tmp_path / "a") / "gatekeeper.yaml").engine == EngineSettings()
    folder = project(tmp_path / "b", {"kind": "opa", "url": "https://opa.example",
                                      "ca_bundle": "certs/ca.pem", "timeout": 3, "retries": 0})
    engine = load_config(folder / "gatekeeper.yaml").engine
    assert engine == EngineSettings(kind="opa", url="https://opa.example",
                                    ca_bundle=(folder / "certs" / "ca.pem").resolve(),
                                    timeout=3.0, retries=0)
