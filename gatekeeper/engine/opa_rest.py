"""OPA's REST API (v1) through opa-python-client, every failure turned into one clear error.

Imported only when a run asks an OPA server (it pulls in requests). Facts about
opa-python-client 3.0 that shape this module:

- its retry policy leaves out POST (the request that evaluates) and 503, so the session is
  built here, through the client's ``_init_session`` hook, with bounded retries and backoff on
  connection errors, timeouts and every 5xx;
- ``update_policy_from_string`` rewrites a policy the server rejects as Rego v0 and sends it
  again unless ``rego_compat=False``: gatekeeper's policies are Rego v1, and a server that
  rejects them must produce an error, not run a rewritten policy;
- its health check answers a bare boolean, so the first request is ``GET /v1/policies``,
  whose failure says what went wrong (TLS, refused, token);
- requests lets ``REQUESTS_CA_BUNDLE`` override a session's CA bundle, so the adapter pins
  the configured ``ca_bundle`` on every request.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urljoin

import requests
from opa_client.errors import PolicyNotFoundError, RegoParseError
from opa_client.opa import OpaClient
from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

from gatekeeper.errors import EngineError
from gatekeeper.jsonio import mapping_or_empty

BACKOFF_FACTOR = 0.25  # waits 0, 0.5, 1, 2 ... seconds between attempts
BACKOFF_MAX = 8.0
EVALUATION_ERROR = "error(s) occurred while evaluating query"  # OPA's message for a 500 of Rego
MAX_DETAIL = 400


class Rejected(Exception):
    """The server refused a policy it was sent (it does not parse or compile)."""


class EvaluationFailed(Exception):
    """The server could not evaluate the query (a Rego error, such as a conflict)."""


class Redirected(Exception):
    """The server answered a redirect; gatekeeper never follows one (it could send the evidence
    and the token to another host, or over plain http, and let that host decide)."""

    def __init__(self, status: int, target: str) -> None:
        self.status, self.target = status, target
        super().__init__(f"HTTP {status} to {target}")


def refuse_redirects(response: Any, **kwargs: Any) -> Any:
    """A requests response hook: runs before requests would follow a redirect."""
    if 300 <= response.status_code < 400:
        location = response.headers.get("Location")
        target = urljoin(response.url, location) if location else "(no Location header)"
        raise Redirected(response.status_code, target)
    return response


def retry_policy(retries: int) -> Retry:
    return Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,  # TLS failures and the like: retrying cannot help
        allowed_methods=None,  # every method, POST included: evaluating changes nothing
        status_forcelist=frozenset(range(500, 600)),
        backoff_factor=BACKOFF_FACTOR,
        backoff_max=BACKOFF_MAX,
        raise_on_status=False,  # hand back the last answer, so OPA's message can be shown
        respect_retry_after_header=False,  # keep the wait bounded by our backoff
    )


class PinnedCAAdapter(HTTPAdapter):
    """Verifies with the configured CA bundle, whatever REQUESTS_CA_BUNDLE says."""

    def __init__(self, ca_bundle: str | None, **kwargs: Any) -> None:
        self.ca_bundle = ca_bundle
        super().__init__(**kwargs)

    def send(
        self,
        request: PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> Response:
        return super().send(
            request, stream=stream, timeout=timeout, verify=self.ca_bundle or verify, cert=cert,
            proxies=proxies,
        )


class GatekeeperOpaClient(OpaClient):  # type: ignore[misc]  # opa-python-client is untyped
    """opa-python-client with gatekeeper's transport: retries, backoff, pinned CA bundle."""

    def __init__(self, *args: Any, ca_bundle: str | None = None, **kwargs: Any) -> None:
        self.ca_bundle = ca_bundle  # read by _init_session, which the parent calls
        super().__init__(*args, **kwargs)

    def _init_session(self) -> requests.Session:
        session = requests.Session()
        session.headers.update(self.headers or {})
        session.max_redirects = 0
        session.hooks["response"].append(refuse_redirects)
        adapter = PinnedCAAdapter(self.ca_bundle, max_retries=retry_policy(self.retries))
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session


class OpaConnection:
    """One OPA server for one run. Methods name the REST call they make."""

    def __init__(
        self,
        *,
        url: str,
        host: str,
        port: int,
        tls: bool,
        token: str | None,
        token_env: str | None,
        ca_bundle: str | None,
        timeout: float,
        retries: int,
    ) -> None:
        self.url = url
        self.token = token
        self.token_env = token_env
        self.ca_bundle = ca_bundle
        self.timeout = timeout
        self.retries = retries
        self.client = GatekeeperOpaClient(
            host=host, port=port, ssl=tls, token=token, retries=retries, timeout=timeout,
            ca_bundle=ca_bundle,
        )

    def __enter__(self) -> OpaConnection:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.client.close_connection()

    # The REST calls.

    def policy_packages(self) -> set[str]:
        """``GET /v1/policies``: the Rego packages the server holds."""
        info = self.call("GET /v1/policies", self.client.get_policies_info)
        prefix = f"{self.client.root_url}/data/"
        try:
            return {
                entry["path"].removeprefix(prefix).replace("/", ".")
                for entry in info.values()
                if entry["path"].startswith(prefix)
            }
        except (AttributeError, KeyError, TypeError):
            raise self.error("GET /v1/policies", "the answer is not a list of policies") from None

    def healthy(self) -> bool:
        """``GET /health?bundles=true``: up, and every configured bundle activated."""
        return bool(self.client.check_health(query={"bundles": "true"}))

    def push_policy(self, policy_id: str, text: str) -> None:
        """``PUT /v1/policies/{id}``, exactly as written (no v0 rewriting)."""
        request = f"PUT /v1/policies/{policy_id}"
        try:
            self.call(
                request, self.client.update_policy_from_string, text, policy_id, rego_compat=False
            )
        except RegoParseError as error:
            if error.expression == "invalid_parameter":
                raise Rejected(self.redact(opa_error_text(error.message, error.errors))) from None
            raise self.refused(request, error.expression, error.message) from None

    def push_data(self, path: str, value: dict[str, Any]) -> None:
        """``PUT /v1/data/{path}``."""
        request = f"PUT /v1/data/{path}"
        try:
            self.call(request, self.client.update_or_create_data, value, path)
        except RegoParseError as error:
            raise self.refused(request, error.expression, error.message) from None

    def read_data(self, path: str) -> Any:
        """``GET /v1/data/{path}``: the value, or None when the server holds nothing there."""
        request = f"GET /v1/data/{path}"
        try:
            body = self.call(request, self.client.get_data, path)
        except PolicyNotFoundError as error:
            if error.expression == "PolicyNotFoundError":  # the client's word for "no result"
                return None
            raise self.refused(request, error.expression, error.message) from None
        return body["result"]

    def query(self, package: str, input_document: Any) -> dict[str, Any]:
        """``POST /v1/data/{package}?provenance=true`` with ``{"input": ...}``: OPA's answer."""
        path = package.replace(".", "/")

        def post() -> Any:
            try:
                return self.client.query_rule(
                    input_document, package, query_params={"provenance": "true"}
                )
            except requests.HTTPError as error:
                body = json_body(error.response)
                if error.response.status_code == 500 and body.get("message") == EVALUATION_ERROR:
                    raise EvaluationFailed(
                        self.redact(opa_error_text("", body.get("errors")))
                    ) from None
                raise

        answer = self.call(f"POST /v1/data/{path}", post)
        if not isinstance(answer, dict):
            raise self.error(f"POST /v1/data/{path}", "the answer is not a JSON object")
        return answer

    # Failures.

    def call(self, request: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one client call; a transport or HTTP failure becomes an EngineError."""
        try:
            return function(*args, **kwargs)
        except Redirected as redirect:
            raise self.error(
                request,
                f"redirected (HTTP {redirect.status}) from {self.url} to {redirect.target}; "
                "gatekeeper never follows a redirect",
                hint="set engine.url (or --opa-url) to the server that answers",
            ) from None
        except requests.exceptions.SSLError as error:
            raise self.error(
                request,
                f"TLS failed: {tls_reason(error)}",
                hint="give the CA that signs the server's certificate as engine.ca_bundle"
                if not self.ca_bundle else "check that engine.ca_bundle holds the CA that "
                "signs the server's certificate, issued for this host name",
            ) from None
        except requests.exceptions.Timeout:
            raise self.timed_out(request) from None
        except requests.exceptions.ConnectionError as error:
            if timed_out(error):
                raise self.timed_out(request) from None
            raise self.error(
                request, f"cannot connect ({connection_reason(error)}){self.attempts()}",
                hint="check the URL and that the server runs (opa run --server)",
            ) from None
        except requests.exceptions.HTTPError as error:
            raise self.http_error(request, error.response) from None
        except requests.exceptions.JSONDecodeError:
            raise self.error(request, "the answer is not JSON: is this an OPA server?") from None
        except requests.exceptions.RequestException as error:
            raise self.error(request, f"the request failed ({type(error).__name__})") from None
        except (AttributeError, KeyError, TypeError):  # the client read an answer of another shape
            raise self.error(request, "the answer is not shaped like OPA's") from None

    def http_error(self, request: str, response: Any) -> EngineError:
        status = response.status_code
        detail = json_body(response).get("message")
        said = f": {detail}" if isinstance(detail, str) and detail else ""
        if status in (401, 403):
            return self.refused(request, "unauthorized", f"HTTP {status}{said}")
        if status == 404:
            return self.error(request, f"not found (HTTP 404{said}): is this an OPA server?")
        if status >= 500:
            return self.error(request, f"server error (HTTP {status}{said}){self.attempts()}")
        return self.error(request, f"HTTP {status}{said}")

    def refused(self, request: str, code: str | None, message: str | None) -> EngineError:
        """An OPA error answer; ``unauthorized`` gets the token hint."""
        text = f"{code}: {message}" if message else str(code)
        if code == "unauthorized":
            hint = (
                f"the server did not accept the token in ${self.token_env}, or does not allow "
                "this request for it" if self.token_env
                else "the server wants a bearer token: name the variable that holds it in "
                "engine.token_env"
            )
            return self.error(request, f"the server refused the request ({text})", hint=hint)
        return self.error(request, f"the server answered an error ({text})")

    def timed_out(self, request: str) -> EngineError:
        return self.error(
            request, f"timed out (no answer within {self.timeout:g} s{self.attempts(';')})",
            hint="raise engine.timeout if the server is slow on large evidence",
        )

    def attempts(self, joint: str = " after") -> str:
        return f"{joint} {self.retries + 1} attempts" if self.retries else ""

    def error(self, request: str, problem: str, hint: str | None = None) -> EngineError:
        return EngineError(self.redact(f"OPA server {self.url}: {request}: {problem}"), hint=hint)

    def redact(self, text: str) -> str:
        """A server may echo what it was sent; the token never reaches a message."""
        text = text[: MAX_DETAIL * 2]
        return text.replace(self.token, "***") if self.token else text


def json_body(response: Any) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def opa_error_text(message: str | None, errors: Any) -> str:
    """OPA's ``{message, errors: [{code, message, location: {file, row, col}}]}`` as one line."""
    parts = []
    for item in errors if isinstance(errors, list) else []:
        if not isinstance(item, dict):
            continue
        location = mapping_or_empty(item.get("location"))
        where = ":".join(str(location[k]) for k in ("file", "row", "col") if location.get(k))
        text = f"{item.get('code', 'error')}: {item.get('message', '')}"
        parts.append(f"{where}: {text}" if where else text)
    text = "; ".join(parts) or (message or "no detail given")
    return text if len(text) <= MAX_DETAIL else text[:MAX_DETAIL] + " ..."


def causes(error: BaseException) -> list[BaseException]:
    """The exception and what it wraps (urllib3 keeps the cause in ``reason`` and ``args``)."""
    chain: list[BaseException] = []
    todo: list[BaseException] = [error]
    while todo and len(chain) < 20:
        current = todo.pop(0)
        if current in chain:
            continue
        chain.append(current)
        reason = getattr(current, "reason", None)
        todo += [c for c in (reason, *current.args, current.__cause__, current.__context__)
                 if isinstance(c, BaseException)]
    return chain


def timed_out(error: BaseException) -> bool:
    return any(
        isinstance(c, ReadTimeoutError)
        or (isinstance(c, ConnectTimeoutError) and not isinstance(c, NewConnectionError))
        for c in causes(error)
    )


def tls_reason(error: BaseException) -> str:
    for cause in causes(error):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"certificate verify failed: {cause.verify_message}"
    for cause in causes(error):
        if isinstance(cause, ssl.SSLError):
            return cause.reason or str(cause)
    return "the TLS handshake failed"


def connection_reason(error: BaseException) -> str:
    for cause in causes(error):
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
    return type(error).__name__
