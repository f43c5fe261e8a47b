"""Item 7 of issue 12: a remote OPA server cannot hand the decision to another host.

The configured server answers a redirect (to another host, to plain http, to itself): the gate
stops with exit 3 naming both URLs, the other host receives nothing (neither the evidence nor
the token), and no results file is written."""

from __future__ import annotations

import ssl
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import trustme
from conftest import NOW
from engine.opa_rest_server import OpaRestServer, QuietServer

from gatekeeper.config import default_thresholds
from gatekeeper.engine.policies import load_policies

TOKEN = "redirect-test-token-4d1e"


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


class Redirector:
    """A real HTTP(S) server on 127.0.0.1 that answers every request with a redirect."""

    def __init__(self, status: int, location: str | None, tls: ssl.SSLContext | None = None):
        outer = self
        self.requests: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                """Quiet."""

            def redirect(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.requests.append(f"{self.command} {self.path}")
                self.send_response(status)
                if location is not None:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = do_PUT = redirect

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.scheme = "http"
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def other_host():
    """The host a redirect points to: a working OPA holding gatekeeper's policies."""
    with OpaRestServer() as server:
        server.hold(load_policies(()).modules, default_thresholds())
        yield server


def _project(folder: Path, engine: dict | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    text = "version: 1\nsubject: {name: demo}\n"
    if engine:
        import orjson

        text += f"engine: {orjson.dumps(engine).decode()}\n"
    (folder / "gatekeeper.yaml").write_text(text)
    return folder


def _refused(run, folder: Path, first: str, second: str) -> None:
    assert run.code == 3, run.err
    assert first in run.err and second in run.err, run.err
    assert "never follows a redirect" in run.err
    assert "internal error" not in run.err
    assert not (folder / "gatekeeper-results.json").exists()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_host_is_refused(gatekeeper, tmp_path, other_host, status):
    with Redirector(status, f"{other_host.url}/v1/policies") as server:
        folder = _project(tmp_path / "r")
        run = gatekeeper("check", "--now", NOW, "--opa-url", server.url, cwd=folder)
    _refused(run, folder, server.url, other_host.url)
    assert other_host.requests == []


def test_a_redirect_of_the_evaluation_request_is_refused(gatekeeper, tmp_path):
    """The server answers its health and policy requests, then redirects the POST that
    carries the evidence."""
    with OpaRestServer() as server:
        server.hold(load_policies(()).modules, default_thresholds())
        server.fault = lambda method, path: (307, b"") if method == "POST" else None
        folder = _project(tmp_path / "r")
        run = gatekeeper("check", "--now", NOW, "--opa-url", server.url, cwd=folder)
    _refused(run, folder, server.url, "POST /v1/data/gatekeeper/controls")
    assert server.count("POST ") == 1


def test_the_token_never_reaches_the_host_a_redirect_names(gatekeeper, tmp_path, other_host,
                                                           monkeypatch):
    monkeypatch.setenv("OPA_TOKEN", TOKEN)
    with Redirector(307, other_host.url + "/v1/policies") as server:
        folder = _project(tmp_path / "r", {"kind": "opa", "url": server.url,
                                           "token_env": "OPA_TOKEN"})
        run = gatekeeper("check", "--now", NOW, cwd=folder)
    _refused(run, folder, server.url, other_host.url)
    assert other_host.requests == [] and TOKEN not in run.err


def test_a_redirect_from_https_down_to_http_is_refused(gatekeeper, tmp_path, other_host):
    authority = trustme.CA()
    authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with Redirector(308, other_host.url + "/v1/policies", tls=context) as server:
        assert server.url.startswith("https://") and other_host.url.startswith("http://")
        folder = _project(tmp_path, {"kind": "opa", "url": server.url, "ca_bundle": "ca.pem"})
        run = gatekeeper("check", "--now", NOW, cwd=folder)
    _refused(run, folder, server.url, other_host.url)
    assert other_host.requests == []


def test_a_redirect_to_the_same_server_is_refused_too(gatekeeper, tmp_path):
    with Redirector(307, "/v1/elsewhere") as server:
        folder = _project(tmp_path / "r")
        run = gatekeeper("check", "--now", NOW, "--opa-url", server.url, cwd=folder)
        _refused(run, folder, server.url, f"{server.url}/v1/elsewhere")
        assert len(server.requests) == 1  # asked once, never followed


def test_a_redirect_without_a_location_is_refused(gatekeeper, tmp_path):
    with Redirector(302, None) as server:
        folder = _project(tmp_path / "r")
        run = gatekeeper("check", "--now", NOW, "--opa-url", server.url, cwd=folder)
    _refused(run, folder, server.url, "no Location header")


def test_a_redirect_is_not_retried(gatekeeper, tmp_path, other_host):
    with Redirector(307, other_host.url) as server:
        folder = _project(tmp_path / "r", {"kind": "opa", "url": server.url, "retries": 3})
        run = gatekeeper("check", "--now", NOW, cwd=folder)
    assert run.code == 3 and len(server.requests) == 1
