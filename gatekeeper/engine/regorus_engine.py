"""The embedded engine: regorus (Rust), from the pinned ``gordon-to-regorus`` package.

Facts about this engine that shape the code: values cross as JSON (the native-object calls
break on sets of objects); an engine may only be used on the thread that created it; its
panics derive from BaseException; it lacks ``crypto.sha256`` (added below) and
``rego.metadata`` (METADATA is parsed in Python); each query evaluates the library rules it
needs afresh, so one query over every control shares them where 432 queries would evaluate
them again and again; and a query's first read of a path nothing has evaluated yet (a package,
or data no module defines) walks every module loaded, so that one query reads the tree of all
control packages, not each package by name.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from typing import Any

import orjson

from gatekeeper.config import EngineSettings
from gatekeeper.engine.interface import RULES, Decision, EngineInput, decision_from_values
from gatekeeper.engine.policies import (
    CONTROL_PREFIX,
    CONTROLS_PACKAGE,
    PolicyFile,
    PolicySet,
)
from gatekeeper.errors import EngineError, GatekeeperError, PolicyError

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


# regorus's allocator (mimalloc) reads this once, when the binding loads.
NO_HUGE_PAGES = ("MIMALLOC_ALLOW_THP", "0")


def regorus_module() -> Any:
    """The regorus binding, its allocator told not to ask for transparent huge pages (unless
    the environment says otherwise). The engine loads the evidence in a forked child, where
    the kernel takes far longer to hand out 2 MiB pages than the 4 KiB pages they replace:
    240 MB of input loaded in 4.3 s with them (2.7 s of it in the kernel) and in 2.1 s without
    (0.5 s). The variable is set only while the binding loads."""
    name, value = NO_HUGE_PAGES
    if name in os.environ or "regorus" in sys.modules:
        import regorus
    else:
        os.environ[name] = value
        try:
            import regorus
        finally:
            del os.environ[name]
    return regorus


def new_engine(files: tuple[PolicyFile, ...]) -> Any:
    """A regorus engine holding ``files``; a policy that does not compile is a PolicyError."""
    engine = regorus_module().Engine()
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


# The package of the generated module that gathers every control's rules (under the shipped
# library namespace, which no user module may enter).
DECISIONS_PACKAGE = "gatekeeper.lib.engine_decisions"
EVERY_CONTROL = "every control"  # what the child evaluates during the one query


def decisions_module(packages: list[str]) -> str:
    """Rego giving ``data.<DECISIONS_PACKAGE>.controls``: each control's package (by position)
    as one object, its undefined rules absent: the one query when a control outside this run
    fails the tree. Naming the packages, not their 6 rules each, keeps the engine's lookups
    few: with 280 controls it is 2.4x faster."""
    lines = [f"package {DECISIONS_PACKAGE}", "", "import rego.v1", "", "controls := ["]
    lines += [f"\tdata.{package}," for package in packages]
    return "\n".join([*lines, "]", ""])


_PREPARED = threading.local()  # per thread, as regorus engines are: (key, engine)


def thresholds_data(config: dict[str, Any]) -> str:
    """The data document policies read the thresholds from (``data.gatekeeper.config``)."""
    return orjson.dumps({"gatekeeper": {"config": config}}).decode()


def prepared_engine(
    files: tuple[PolicyFile, ...], packages: tuple[str, ...], data: str = "{}"
) -> Any:
    """An engine holding ``files``, the decisions module of ``packages`` and the data document
    ``data`` (``thresholds_data``), analysed: what each evaluation's child forks from. The
    data is added here, not in the child: adding data makes regorus analyse every module
    again at the next query (13 ms for 280 controls, and in the child every page that writes
    is a page fault more). The last engine is kept for the thread that asked (regorus
    engines stay on theirs), so a process that evaluates again with the same policies and
    thresholds (a server, a benchmark) compiles them once."""
    key = (files, packages, data)
    kept = getattr(_PREPARED, "engine", None)
    if kept is None or kept[0] != key:
        _PREPARED.engine = kept = (key, _prepare(files, packages, data))
    return kept[1]


def _prepare(files: tuple[PolicyFile, ...], packages: tuple[str, ...], data: str) -> Any:
    engine = new_engine(files)
    engine.add_policy("<every control>", decisions_module(list(packages)))
    engine.add_data_json(data)
    try:
        engine.eval_query_as_json("1")  # regorus analyses every module once, kept for later
    except FATAL_EXCEPTIONS:
        raise
    except BaseException:  # a module the analysis refuses: the child's queries say which
        pass
    return engine


def _value_or_none(engine: Any, path: str) -> Any:
    """The value at ``path``; None when undefined or when its evaluation fails."""
    try:
        return query(engine, path)
    except FATAL_EXCEPTIONS:
        raise
    except BaseException:  # an evaluation error or an engine panic in some control
        return None


def _packages_in(tree: dict[str, Any], packages: tuple[str, ...]) -> list[Any]:
    """Each control package's object in the tree under ``data.gatekeeper.controls``; one whose
    rules are all undefined is absent there, and reads as an empty object."""
    found = []
    for package in packages:
        domain, slug = package.removeprefix(CONTROL_PREFIX).split(".")
        found.append((tree.get(domain) or {}).get(slug, {}))
    return found


def query(engine: Any, path: str) -> Any:
    """The value at ``path`` (``data.x.y``), or None when undefined."""
    result = orjson.loads(engine.eval_query_as_json(path))
    rows = result.get("result") or []
    if not rows:
        return None
    return rows[0]["expressions"][0]["value"]


class RegorusEngine:
    """Evaluates in a child process that the run can stop: regorus holds the GIL and has no
    execution limit of its own, so a control that loops (a 10^10-step comprehension) could
    otherwise never be interrupted. The child announces each control before evaluating it;
    past a deadline it is killed and the error names that control."""

    kind = "regorus"

    def __init__(
        self,
        evaluation_timeout: float = EngineSettings.evaluation_timeout,
        control_timeout: float = EngineSettings.control_timeout,
    ) -> None:
        self.evaluation_timeout = evaluation_timeout
        self.control_timeout = control_timeout

    def describe(self) -> dict[str, Any]:
        """The engine for the results: kind and the regorus binding's version."""
        return {"kind": self.kind, "version": metadata.version("gordon-to-regorus")}

    def evaluate(
        self, policies: PolicySet, evidence: EngineInput, config: dict[str, Any]
    ) -> dict[str, Decision]:
        """Every control in one query, in a child forked from the prepared engine; should that
        query fail, overrun its share of the time or bring the engine down, a fresh child asks
        control by control, so the error, the deadline or the crash names the control."""
        started = time.monotonic()
        engine = prepared_engine(policies.modules, tuple(c.package for c in policies.controls),
                                 thresholds_data(config))
        release_free_memory()
        children: list[Child] = []

        def start(together: bool) -> Child:
            children.append(Child.start(engine, policies, evidence, together))
            evidence.pack()  # the child has the text; a fallback child unpacks it
            return children[-1]

        try:
            return self._follow(start, started)
        finally:
            for child in children:
                child.stop()

    def _follow(self, start: Callable[[bool], Child], started: float) -> dict[str, Decision]:
        """Read the messages until the decisions, within both deadlines."""
        child = start(True)
        current, current_started, step_limit = None, time.monotonic(), self.control_timeout
        while True:
            now = time.monotonic()
            whole_left = started + self.evaluation_timeout - now
            step_left = current_started + step_limit - now
            message: tuple[Any, ...] | None = None
            if child.receiver.poll(max(0.0, min(whole_left, step_left))):
                try:
                    message = child.receiver.recv()
                except EOFError:  # the engine stopped: its exit code says how
                    child.process.join()
                    if current is not EVERY_CONTROL:
                        where = f" while evaluating {current}" if current else ""
                        raise EngineError(f"the regorus engine stopped{where} "
                                          f"(exit code {child.process.exitcode})") from None
            elif current is not EVERY_CONTROL:
                raise self._timed_out(current, whole_left <= step_left)
            if message is None or message[0] == "one by one":
                child.stop()  # the one query failed, overran or crashed: ask each control
                child = start(False)
                current, current_started = None, time.monotonic()
                step_limit = self.control_timeout
            elif message[0] == "control":
                current, current_started = message[1], time.monotonic()
                step_limit = self.control_timeout
            elif message[0] == "together":
                # an eighth of the time left at most: the rest may still name the culprit
                current, current_started = EVERY_CONTROL, time.monotonic()
                step_limit = min(self.control_timeout, whole_left / 8)
            elif message[0] == "done":
                decisions: dict[str, Decision] = message[1]
                return decisions
            elif message[0] == "interrupted":
                raise KeyboardInterrupt
            else:  # ("error", type name, message, path, hint)
                _, kind, text, path, hint = message
                error_type = PolicyError if kind == "PolicyError" else EngineError
                raise error_type(text, path=path, hint=hint)

    def _timed_out(self, control: str | None, whole: bool) -> EngineError:
        where = f"control {control}" if control else "loading the evidence"
        if whole:
            limit = f"the evaluation timeout of {self.evaluation_timeout:g} s"
            setting = "engine.evaluation_timeout"
        else:
            limit = f"the control timeout of {self.control_timeout:g} s"
            setting = "engine.control_timeout"
        return EngineError(
            f"evaluation stopped: {where} exceeded {limit}",
            hint=f"a policy that loops or explodes never finishes; if the evidence is genuinely "
            f"that large, raise {setting} in gatekeeper.yaml",
        )

    @staticmethod
    def _decide_all(engine: Any, packages: tuple[str, ...]) -> list[Decision] | None:
        """Every control's decision (in the order of ``packages``) from one query: the tree of
        every control package, read once; where some control of the tree fails (one this run
        does not evaluate included), the decisions module (``prepared_engine``), which reads
        only this run's. regorus walks every module loaded for each package named: with 280
        controls the tree takes 0.7x the time of naming each package. None when both fail
        (then each control is asked on its own, so the failure is laid at its door)."""
        tree = _value_or_none(engine, f"data.{CONTROLS_PACKAGE}")
        values = _packages_in(tree, packages) if isinstance(tree, dict) else None
        if values is None:
            values = _value_or_none(engine, f"data.{DECISIONS_PACKAGE}.controls")
        if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
            return None
        return [decision_from_values(*(package.get(rule) for rule in RULES))
                for package in values]

    @staticmethod
    def _decide(engine: Any, package: str) -> Decision:
        try:
            values = [query(engine, f"data.{package}.{rule}") for rule in RULES]
        except FATAL_EXCEPTIONS:
            raise
        except BaseException as error:  # an evaluation error or an engine panic: this control only
            return Decision(error=f"policy evaluation failed: {clean_message(error)}")
        return decision_from_values(*values)


def release_free_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``) before a
    child is forked: what reading the evidence freed stays resident otherwise, in the parent
    and, shared, in the child's footprint (at 21 MB of evidence, 24 MB of the parent's 97).
    Nothing to do on a C library without it."""
    import ctypes

    trim = getattr(ctypes.CDLL(None), "malloc_trim", None)  # the symbols already loaded
    if trim is not None:
        trim(0)


# One child forked and written its input at a time: a child forked by another thread meanwhile
# would inherit the write end of this child's input pipe, and this child would wait for the end
# of its input until that other child exits.
_FORKING = threading.Lock()


@dataclass
class Child:
    """A child process evaluating on its copy of the prepared engine, and its messages."""

    process: Any
    receiver: Any

    @staticmethod
    def start(engine: Any, policies: PolicySet, evidence: EngineInput, together: bool) -> Child:
        context = multiprocessing.get_context("fork")
        with _FORKING:
            receiver, sender = context.Pipe(duplex=False)
            reader, writer = os.pipe()
            process = context.Process(
                target=_evaluate_in_child,
                args=(sender, engine, policies, evidence, (reader, writer), together),
                daemon=True,
            )
            try:
                process.start()
            finally:
                sender.close()
                os.close(reader)
            try:
                evidence.write_to(writer)
            except OSError:  # the child stopped before reading it all: its exit says why
                pass
            finally:
                os.close(writer)
        return Child(process, receiver)

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.receiver.close()


def load_input(engine: Any, evidence: EngineInput, reader: int, writer: int) -> None:
    """The child's input, read by regorus from the pipe the parent writes it to: the child
    lets go of its copy of the parent's text first, so the text is never resident in the child
    beside the engine's own copy (the binding copies a text handed to it as a string: at 200
    MB of evidence, 240 MiB more at the child's peak)."""
    os.close(writer)
    evidence.release()
    path = f"/dev/fd/{reader}"
    try:
        if os.path.exists(path):
            engine.set_input_from_json_file(path)
        else:  # no /dev/fd (a container without /proc): read the pipe here
            engine.set_input_json(_read_all(reader).decode("utf-8"))
    finally:
        os.close(reader)


def _read_all(descriptor: int) -> bytes:
    parts = []
    while part := os.read(descriptor, 1 << 20):
        parts.append(part)
    return b"".join(parts)


def _evaluate_in_child(
    sender: Any, engine: Any, policies: PolicySet, evidence: EngineInput,
    pipe: tuple[int, int], together: bool,
) -> None:
    """The child's work, on its copy of the prepared engine: every control's decision from the
    one query (``together``; "one by one" when it fails), or control by control, each
    announced before it is evaluated."""
    try:
        try:
            load_input(engine, evidence, *pipe)
        except FATAL_EXCEPTIONS:
            raise
        except BaseException as error:
            raise EngineError(
                f"regorus refused the evidence document: {clean_message(error)}"
            ) from None
        if together:
            sender.send(("together",))
            packages = tuple(c.package for c in policies.controls)
            decided = RegorusEngine._decide_all(engine, packages)
            if decided is None or len(decided) != len(policies.controls):
                sender.send(("one by one",))
            else:
                done = zip(policies.controls, decided, strict=True)  # lengths checked above
                sender.send(("done", {c.id: d for c, d in done}))
            return
        decisions = {}
        for control in policies.controls:
            sender.send(("control", control.id))
            decisions[control.id] = RegorusEngine._decide(engine, control.package)
        sender.send(("done", decisions))
    except GatekeeperError as error:
        sender.send(("error", type(error).__name__, error.message, error.path, error.hint))
    except KeyboardInterrupt:  # the parent stops as the user asked
        sender.send(("interrupted",))
    finally:
        sender.close()
