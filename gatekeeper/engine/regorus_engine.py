"""The embedded engine: regorus (Rust), from the pinned ``gordon-to-regorus`` package.

Facts about this engine that shape the code: values cross as JSON (the native-object calls
break on sets of objects); an engine may only be used on the thread that created it; its
panics derive from BaseException; it lacks ``crypto.sha256`` (added below) and
``rego.metadata`` (METADATA is parsed in Python).
"""

from __future__ import annotations

import hashlib
import re
from importlib import metadata
from typing import Any

import orjson

from gatekeeper.engine.interface import RULES, Decision, decision_from_values
from gatekeeper.engine.policies import PolicyFile, PolicySet
from gatekeeper.errors import EngineError, PolicyError

_LOCATION = re.compile(r"-->\s*(?P<file>.+?):(?P<line>\d+):(?P<col>\d+)")
_ERROR = re.compile(r"^error:\s*(?P<text>.+)$", re.MULTILINE)
FATAL_EXCEPTIONS = (KeyboardInterrupt, SystemExit, GeneratorExit)


def clean_message(error: BaseException, *, with_file: bool = True) -> str:
    """regorus messages carry a source excerpt and, when RUST_BACKTRACE is set, a stack."""
    text = str(error).split("Stack backtrace:", 1)[0].strip()
    location, problem = _LOCATION.search(text), _ERROR.search(text)
    if location and problem:
        line, column = location["line"], location["col"]
        where = (
            f"{location['file']}:{line}:{column}" if with_file else f"line {line}, column {column}"
        )
        return f"{where}: {problem['text'].strip()}"
    return text or type(error).__name__


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_engine(files: tuple[PolicyFile, ...]) -> Any:
    """A regorus engine holding ``files``; a policy that does not compile is a PolicyError."""
    import regorus

    engine = regorus.Engine()
    engine.add_extension("crypto.sha256", 1, _sha256)
    for policy in files:
        try:
            engine.add_policy(str(policy.path), policy.text)
        except FATAL_EXCEPTIONS:
            raise
        except BaseException as error:  # regorus raises RuntimeError, and panics
            raise PolicyError(
                f"does not compile: {clean_message(error, with_file=False)}",
                path=policy.path,
            ) from None
    return engine


def query(engine: Any, path: str) -> Any:
    """The value at ``path`` (``data.x.y``), or None when undefined."""
    result = orjson.loads(engine.eval_query_as_json(path))
    rows = result.get("result") or []
    if not rows:
        return None
    return rows[0]["expressions"][0]["value"]


class RegorusEngine:
    kind = "regorus"

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "version": metadata.version("gordon-to-regorus")}

    def evaluate(
        self, policies: PolicySet, evidence_json: bytes, config: dict[str, Any]
    ) -> dict[str, Decision]:
        engine = new_engine(policies.modules)
        try:
            engine.add_data_json(orjson.dumps({"gatekeeper": {"config": config}}).decode())
            engine.set_input_json(evidence_json.decode("utf-8"))
        except FATAL_EXCEPTIONS:
            raise
        except BaseException as error:
            raise EngineError(
                f"regorus refused the evidence document: {clean_message(error)}"
            ) from None
        return {control.id: self._decide(engine, control.package) for control in policies.controls}

    @staticmethod
    def _decide(engine: Any, package: str) -> Decision:
        try:
            values = [query(engine, f"data.{package}.{rule}") for rule in RULES]
        except FATAL_EXCEPTIONS:
            raise
        except BaseException as error:  # an evaluation error or an engine panic: this control only
            return Decision(error=f"policy evaluation failed: {clean_message(error)}")
        return decision_from_values(*values)
