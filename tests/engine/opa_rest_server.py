"""A test server for the part of OPA's REST API (v1) gatekeeper uses, on 127.0.0.1.

It is not OPA (no OPA binary can be installed on the build machines): it answers as OPA's
documented REST API does -- status codes, ``{"result": ...}`` bodies, ``{code, message,
errors}`` error bodies, ``provenance=true`` -- and evaluates with the embedded regorus
engine. A regorus engine may only be used on the thread that created it, and every request
is handled on a thread of its own, so each request that evaluates builds its engine on that
thread from the modules and data the server holds.

``fault`` lets a test break it on purpose: a callable ``(method, path) -> (status, body) |
None`` consulted before anything else (a body of bytes is sent as is, anything else as JSON).
"""

from __future__ import annotations

import json
import ssl
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote

import regorus

from gatekeeper.engine.policies import PolicyFile
from gatekeeper.engine.regorus_engine import clean_message, new_engine, query
from gatekeeper.errors import PolicyError

EVALUATION_ERROR = "error(s) occurred while evaluating query"  # OPA's server/types messages
COMPILE_ERROR = "error(s) occurred while compiling module(s)"
UNAUTHORIZED = "request rejected by administrative policy"
VERSION = "test-server (regorus)"

Fault = Callable[[str, str], "tuple[int, Any] | None"]


class QuietServer(ThreadingHTTPServer):
    """A client that gave up (a timeout test) is expected: its broken pipe is not printed.

    socketserver prints any handler error to ``sys.stderr``; from a handler thread still
    sleeping after its test ended, that traceback lands in whatever test captures stderr next.
    """

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class OpaRestServer:
    def __init__(self, *, token: str | None = None, tls: ssl.SSLContext | None = None) -> None:
        self.policies: dict[str, str] = {}
        self.data: dict[str, Any] = {}
        self.token = token
        self.fault: Fault | None = None
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.httpd.app = self  # type: ignore[attr-defined]
        self.scheme = "http"
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> OpaRestServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def hold(self, files: tuple[PolicyFile, ...], thresholds: dict[str, Any] | None) -> None:
        """What a bundle would load: the modules, and the thresholds at gatekeeper/config."""
        for policy in files:
            self.policies[f"bundle/{policy.path.parent.name}/{policy.path.name}"] = policy.text
        if thresholds is not None:
            self.data = {"gatekeeper": {"config": thresholds}}

    def count(self, prefix: str) -> int:
        return sum(1 for request in self.requests if request.startswith(prefix))

    # The REST API.

    def handle(self, method: str, path: str, params: dict[str, list[str]], body: bytes,
               authorization: str | None) -> tuple[int, Any]:
        if self.token is not None and authorization != f"Bearer {self.token}":
            return 401, {"code": "unauthorized", "message": UNAUTHORIZED}
        if method == "GET" and path == "/health":
            return 200, {}
        if method == "GET" and path.rstrip("/") == "/v1/policies":
            return 200, {"result": [self.policy_entry(i, t) for i, t in self.policies.items()]}
        if path.startswith("/v1/policies/") and method == "PUT":
            return self.put_policy(unquote(path.removeprefix("/v1/policies/")), body)
        if path.startswith("/v1/data"):
            ref = ".".join(["data", *filter(None, path.removeprefix("/v1/data").split("/"))])
            if method == "PUT":
                self.put_data(ref, json.loads(body))
                return 204, None
            if method in ("GET", "POST"):
                document = json.loads(body) if body else {}
                answer = self.evaluate(ref, document.get("input"))
                if "provenance" in params and answer[0] == 200:
                    answer[1]["provenance"] = {"version": VERSION, "build_commit": "test"}
                return answer
        return 404, {"code": "resource_not_found", "message": f"{method} {path}"}

    def policy_entry(self, policy_id: str, text: str) -> dict[str, Any]:
        package = regorus.Engine().add_policy(policy_id, text)
        path = [{"type": "var", "value": "data"}] + [
            {"type": "string", "value": part} for part in package.split(".")[1:]
        ]
        return {"id": policy_id, "raw": text, "ast": {"package": {"path": path}, "rules": []}}

    def put_policy(self, policy_id: str, body: bytes) -> tuple[int, Any]:
        text = body.decode("utf-8")
        with self.lock:
            candidate = {**self.policies, policy_id: text}
            try:
                new_engine(self.files(candidate))
            except PolicyError as error:
                return 400, {
                    "code": "invalid_parameter",
                    "message": COMPILE_ERROR,
                    "errors": [{"code": "rego_parse_error", "message": error.message,
                                "location": {"file": policy_id}}],
                }
            self.policies = candidate
        return 200, {}

    def put_data(self, ref: str, value: Any) -> None:
        parts = ref.split(".")[1:]
        with self.lock:
            node = self.data
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            node[parts[-1]] = value

    def evaluate(self, ref: str, input_document: Any) -> tuple[int, Any]:
        with self.lock:
            files, data = self.files(self.policies), json.dumps(self.data)
        engine = new_engine(files)  # on this request's thread: regorus engines stay on theirs
        engine.add_data_json(data)
        if input_document is not None:
            engine.set_input_json(json.dumps(input_document))
        try:
            value = query(engine, ref)
        except BaseException as error:  # regorus raises RuntimeError, and panics
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
            return 500, {
                "code": "internal_error",
                "message": EVALUATION_ERROR,
                "errors": [{"code": "eval_error", "message": clean_message(error)}],
            }
        return 200, ({} if value is None else {"result": value})

    @staticmethod
    def files(policies: dict[str, str]) -> tuple[PolicyFile, ...]:
        return tuple(PolicyFile(Path(i), text, "") for i, text in policies.items())


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes

    def log_message(self, *args: Any) -> None:
        """Quiet: tests read ``requests`` instead."""

    def do_GET(self) -> None:
        self.answer("GET")

    def do_PUT(self) -> None:
        self.answer("PUT")

    def do_POST(self) -> None:
        self.answer("POST")

    def answer(self, method: str) -> None:
        app: OpaRestServer = self.server.app  # type: ignore[attr-defined]
        path, _, query_string = self.path.partition("?")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        app.requests.append(f"{method} {self.path}")
        result = app.fault(method, path) if app.fault else None
        if result is None:
            result = app.handle(method, path, parse_qs(query_string, keep_blank_values=True),
                                body, self.headers.get("Authorization"))
        status, payload = result
        data = payload if isinstance(payload, bytes) else (
            b"" if payload is None else json.dumps(payload).encode())
        self.send_response(status)
        if payload is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
