"""A remote Open Policy Agent server decides: ``engine: {kind: opa, url: ...}`` or ``--opa-url``.

One run asks the server, over OPA's REST API (``gatekeeper.engine.opa_rest``):

1. ``GET /v1/policies`` -- reachable, TLS verified, token accepted; which packages it holds;
   then ``GET /health?bundles=true`` -- its bundles are activated.
2. With ``push_policies`` (a development server): ``PUT /v1/policies/{id}`` for every module,
   libraries first, then ``PUT /v1/data/gatekeeper/config`` with this run's thresholds.
   Without (a central server that loads gatekeeper's policies from a bundle): every control's
   package must be there, and ``GET /v1/data/gatekeeper/config`` must equal this run's
   thresholds. gatekeeper does not write the thresholds to a shared server: concurrent
   pipelines would overwrite each other's between write and query, and a bundle owns that
   path. It does not pass them in the input either: policies read ``data.gatekeeper.config``.
3. ``POST /v1/data/gatekeeper/controls`` with ``{"input": evidence}``: every control in one
   request; each control's ``applicable``/``deny``/``warn``/``details`` is read from the tree.
   If the server cannot evaluate the tree (a Rego error in one control), each control is asked
   alone, so only the broken one gets outcome ``error``, as with the embedded engine.

The results record the server (URL, and what ``provenance=true`` tells: OPA version, bundle
revisions) and OPA's decision id when it logs decisions.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import os
import re
import time
from typing import Any
from urllib.parse import urlsplit

import orjson

from gatekeeper.config import EngineSettings
from gatekeeper.engine.interface import RULES, Decision, EngineInput, decision_from_values
from gatekeeper.engine.policies import (
    CONTROL_PREFIX,
    CONTROLS_PACKAGE,
    LIBRARY_PREFIX,
    Control,
    PolicySet,
)
from gatekeeper.errors import ConfigError, EngineError, PolicyError

CONFIG_PATH = "gatekeeper/config"
EXAMPLE_URL = "e.g. https://opa.internal:8181"
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_./-]")


class OpaServerEngine:
    """An ``Engine`` that asks a remote OPA server (see the module's steps).

    Built from ``engine:`` settings, it checks them first: a URL of scheme, host and port only;
    the bearer token from ``engine.token_env``, never sent over plain http except to loopback;
    the opa-python-client package installed; ``engine.ca_bundle`` a file (a ``ConfigError``
    otherwise). ``describe`` tells, after ``evaluate``, what the server said about itself.
    """

    kind = "opa"

    def __init__(self, settings: EngineSettings) -> None:
        self.settings = settings
        self.url, self.host, self.port, self.tls = parse_url(settings.url)
        self.token = read_token(settings.token_env)
        if self.token and not self.tls and not is_loopback(self.host):
            raise ConfigError(
                f"engine: refusing to send the bearer token over plain http to {self.host}",
                hint="use an https:// URL (loopback addresses are the one exception)",
            )
        if importlib.util.find_spec("opa_client") is None:
            raise ConfigError(
                "engine: kind opa needs the opa-python-client package",
                hint="pip install 'ai-gatekeeper[opa]'",
            )
        if settings.ca_bundle is not None and not settings.ca_bundle.is_file():
            raise ConfigError("engine.ca_bundle: file not found", path=settings.ca_bundle)
        self.server: dict[str, Any] = {}

    def describe(self) -> dict[str, Any]:
        """The server for the results: kind, URL, and the OPA version, bundle revisions and
        decision id it reported while evaluating."""
        return {"kind": self.kind, "url": self.url, **self.server}

    def evaluate(
        self, policies: PolicySet, evidence_input: EngineInput, config: dict[str, Any]
    ) -> dict[str, Decision]:
        """One decision per control from the server: after checking it is healthy and holds
        every control's package and this run's thresholds (or pushing them, with
        ``push_policies``). An ``EngineError`` when the server cannot decide them all."""
        from gatekeeper.engine.opa_rest import EvaluationFailed, OpaConnection

        with OpaConnection(
            url=self.url, host=self.host, port=self.port, tls=self.tls, token=self.token,
            token_env=self.settings.token_env,
            ca_bundle=str(self.settings.ca_bundle) if self.settings.ca_bundle else None,
            timeout=self.settings.timeout, retries=self.settings.retries,
        ) as server:
            held = server.policy_packages()
            if not server.healthy():
                raise EngineError(
                    f"OPA server {self.url}: GET /health?bundles=true: not healthy",
                    hint="the server has not activated its policy bundles yet (or denies /health)",
                )
            if self.settings.push_policies:
                push(server, policies, config)
            else:
                self.check_server_holds(server, policies.controls, held, config)
            evidence = orjson.loads(evidence_input.text())
            deadline = time.monotonic() + self.settings.evaluation_timeout
            try:
                answer = server.query(CONTROLS_PACKAGE, evidence)
            except EvaluationFailed:
                return self.decide_one_by_one(server, policies.controls, evidence, deadline)
            self.remember(answer, decision_id=True)
            return self.decisions(answer, policies.controls)

    def check_server_holds(
        self, server: Any, controls: tuple[Control, ...], held: set[str], config: dict[str, Any]
    ) -> None:
        """Refuse a server without every control's package, or whose
        ``data.gatekeeper.config`` is not this run's thresholds (it would decide with its own)."""
        self.refuse_missing([c for c in controls if c.package not in held])
        thresholds = server.read_data(CONFIG_PATH)
        if thresholds is None:
            raise EngineError(
                f"OPA server {self.url}: holds no data.gatekeeper.config (the thresholds)",
                hint="load them with the policies (docs/opa-server.md shows how), or set "
                "engine.push_policies: true on a development server",
            )
        differences = differing_keys(config, thresholds)
        if differences:
            raise EngineError(
                f"OPA server {self.url}: its data.gatekeeper.config differs from this run's "
                f"thresholds at {', '.join(differences[:10])}; the server would decide with its "
                "own",
                hint="set the same thresholds in gatekeeper.yaml (the results record this run's), "
                "or have the server's changed",
            )

    def decisions(
        self, answer: dict[str, Any], controls: tuple[Control, ...]
    ) -> dict[str, Decision]:
        """Each control's rules from the tree under data.gatekeeper.controls."""
        request = f"POST /v1/data/{CONTROLS_PACKAGE.replace('.', '/')}"
        if "result" not in answer:
            self.refuse_missing(list(controls))
        decisions, missing = {}, []
        for control in controls:
            node = answer["result"]
            for part in control.package.removeprefix(CONTROL_PREFIX).split("."):
                if node is None:
                    break
                if not isinstance(node, dict):
                    raise self.wrong_shape(request, control, node)
                node = node.get(part)
            if node is None:
                missing.append(control)
            elif not isinstance(node, dict):
                raise self.wrong_shape(request, control, node)
            else:
                decisions[control.id] = decision_from_values(*(node.get(r) for r in RULES))
        self.refuse_missing(missing)
        return decisions

    def decide_one_by_one(
        self, server: Any, controls: tuple[Control, ...], evidence: Any, deadline: float
    ) -> dict[str, Decision]:
        """A request per control (each bounded by engine.timeout), all within the deadline."""
        from gatekeeper.engine.opa_rest import EvaluationFailed

        decisions = {}
        for control in controls:
            if time.monotonic() > deadline:
                raise EngineError(
                    f"OPA server {self.url}: evaluation stopped: control {control.id} was not "
                    f"decided within the evaluation timeout of "
                    f"{self.settings.evaluation_timeout:g} s",
                    hint="raise engine.evaluation_timeout if the server is slow on large evidence",
                )
            try:
                answer = server.query(control.package, evidence)
            except EvaluationFailed as error:
                decisions[control.id] = Decision(error=f"policy evaluation failed: {error}")
                continue
            self.remember(answer, decision_id=False)
            node = answer.get("result")
            if node is None:
                self.refuse_missing([control])
            if not isinstance(node, dict):
                raise self.wrong_shape(f"POST /v1/data/{control.package.replace('.', '/')}",
                                       control, node)
            decisions[control.id] = decision_from_values(*(node.get(r) for r in RULES))
        return decisions

    def remember(self, answer: dict[str, Any], *, decision_id: bool) -> None:
        """What the server tells about itself: OPA version, bundle revisions, decision id."""
        provenance = answer.get("provenance")
        if isinstance(provenance, dict):
            if isinstance(provenance.get("version"), str):
                self.server["version"] = provenance["version"]
            bundles = provenance.get("bundles")
            if isinstance(bundles, dict):
                revisions = {
                    name: bundle["revision"] for name, bundle in bundles.items()
                    if isinstance(bundle, dict) and isinstance(bundle.get("revision"), str)
                }
                if revisions:
                    self.server["bundles"] = revisions
        if decision_id and isinstance(answer.get("decision_id"), str):
            self.server["decision_id"] = answer["decision_id"]

    def refuse_missing(self, missing: list[Control]) -> None:
        """An ``EngineError`` naming the controls (the first ten) the server holds no policy
        for; nothing when there are none."""
        if not missing:
            return
        names = ", ".join(f"{c.id} (package {c.package})" for c in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        raise EngineError(
            f"OPA server {self.url}: holds no policy for {len(missing)} control(s): {names}{more}",
            hint="load gatekeeper's policies and yours into the server (docs/opa-server.md), or "
            "set engine.push_policies: true on a development server",
        )

    def wrong_shape(self, request: str, control: Control, node: Any) -> EngineError:
        """The error for a control's decision that is not an object of rules."""
        return EngineError(
            f"OPA server {self.url}: {request}: the decision for {control.id} is "
            f"{json_type(node)}, not the rules of a package (an object)"
        )


def push(server: Any, policies: PolicySet, config: dict[str, Any]) -> None:
    """Upload every module (libraries first: controls call their functions), then thresholds."""
    from gatekeeper.engine.opa_rest import Rejected

    modules = sorted(policies.modules, key=lambda m: not m.package.startswith(LIBRARY_PREFIX))
    seen: dict[str, Any] = {}
    for module in modules:
        policy_id = _UNSAFE_ID.sub("_", f"{module.package.replace('.', '/')}/{module.path.name}")
        if policy_id in seen:
            raise PolicyError(
                f"would replace {seen[policy_id]} on the OPA server (same package and file name)",
                path=module.path,
            )
        seen[policy_id] = module.path
        try:
            server.push_policy(policy_id, module.text)
        except Rejected as error:
            raise PolicyError(f"the OPA server rejected it: {error}", path=module.path) from None
    server.push_data(CONFIG_PATH, config)


def parse_url(url: str | None) -> tuple[str, str, int, bool]:
    """(url for messages and results, host, port, tls) of ``http(s)://host[:port]``."""
    if not url:
        raise ConfigError("engine: kind opa needs the server's URL (engine.url or --opa-url)")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise ConfigError(f"OPA server URL: not a valid URL ({EXAMPLE_URL})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"OPA server URL: give http(s)://host[:port] ({EXAMPLE_URL})")
    if parts.username or parts.password:
        raise ConfigError(
            "OPA server URL: credentials do not belong in the URL",
            hint="put the token in an environment variable named by engine.token_env",
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ConfigError(
            f"OPA server URL {url}: give only scheme, host and port; OPA serves its API at /v1"
        )
    tls = parts.scheme == "https"
    port = port or (443 if tls else 80)
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}:{port}", host, port, tls


def read_token(name: str | None) -> str | None:
    """The bearer token in the environment variable ``name`` (none without a name); a
    ``ConfigError`` when the variable is named but unset or empty."""
    if name is None:
        return None
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigError(
            f"engine.token_env: the environment variable {name} is not set or is empty",
            hint=f"export {name} with the OPA server's bearer token (a CI secret)",
        )
    return value


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (an IPv6 one in brackets too)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def differing_keys(ours: Any, theirs: Any, prefix: str = "") -> list[str]:
    """The dotted keys where two threshold documents differ."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        keys = sorted(set(ours) | set(theirs))
        return [d for key in keys for d in differing_keys(ours.get(key), theirs.get(key),
                                                           f"{prefix}.{key}" if prefix else key)]
    same = ours == theirs and isinstance(ours, bool) == isinstance(theirs, bool)
    return [] if same else [prefix or "(top level)"]


def json_type(value: Any) -> str:
    """What a JSON value is, in words for an error message (``an object``, ``null``)."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(value), type(value).__name__)
