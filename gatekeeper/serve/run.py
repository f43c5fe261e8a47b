"""Start the app: check what it serves and where it listens, then run uvicorn.

Loopback only by default. Any other address needs a token of at least 16 characters (the
--token option or GATEKEEPER_SERVE_TOKEN), else it is a usage error (exit 2) before anything
listens. The configuration, the results and the attestations file are read once before
starting, so a broken one stops the command with its message and exit code.
"""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gatekeeper.engine.opa_server import is_loopback
from gatekeeper.errors import ConfigError
from gatekeeper.serve.project import LOOPBACK_HOSTS, Settings, load_project
from gatekeeper.serve.security import MIN_TOKEN_LENGTH


def check_access(host: str, token: str | None) -> None:
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise ConfigError(f"--token: at least {MIN_TOKEN_LENGTH} characters, got {len(token)}",
                          hint="python -c 'import secrets; print(secrets.token_urlsafe())'")
    if token is None and not is_loopback(host):
        raise ConfigError(
            f"--host {host}: listening beyond this machine needs an access token",
            hint="give --token TOKEN or set GATEKEEPER_SERVE_TOKEN (every request must then "
            "carry it), or keep the default --host 127.0.0.1",
        )


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as error:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {error.strerror}",
                          hint="choose another --port") from None
    sock.listen(128)
    return sock


def serve(
    config_path: Path,
    results_path: Path,
    history_url: str | None,
    host: str,
    port: int,
    token: str | None,
) -> int:
    import uvicorn

    from gatekeeper.serve.app import create_app

    check_access(host, token)
    hosts = LOOPBACK_HOSTS if is_loopback(host) else ("*",)  # off loopback: the token guards
    settings = Settings(config_path.resolve(), results_path.resolve(), history_url, token, hosts)
    load_project(settings)
    sock = bind(host, port)
    shown_host = f"[{host}]" if ":" in host else host
    print(f"gatekeeper serve: http://{shown_host}:{sock.getsockname()[1]}/questionnaire"
          + (" (open it with ?token=TOKEN once)" if token else ""), file=sys.stderr, flush=True)
    server = uvicorn.Server(uvicorn.Config(
        create_app(settings), log_level="warning", server_header=False, access_log=False,
    ))
    server.run(sockets=[sock])
    return 0


@contextmanager
def serving_in_thread(app: Any) -> Iterator[str]:
    """``app`` under uvicorn on 127.0.0.1 and a free port, in a thread, for the browser tests
    and tools/screenshots.py; its base URL. Stopped on exit."""
    import uvicorn

    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            thread.join(0.02)
            if not thread.is_alive():
                raise ConfigError("the app's server did not start")
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
