"""Every library entry point says what it does: the public functions and classes (and their
public methods) of the modules a program calls gatekeeper through have a docstring of their
own (a dataclass's or an enum's generated one does not count)."""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest

# The modules whose every public name is an entry point.
ENTRY_MODULES = (
    "gatekeeper.pipeline",
    "gatekeeper.results",
    "gatekeeper.verdict",
    "gatekeeper.config",
    "gatekeeper.evidence",
    "gatekeeper.engine.interface",
    "gatekeeper.history.store",
    "gatekeeper.reporters",
    "gatekeeper.reporters.interface",
)
# Entry points of modules that hold helpers besides: the engines.
ENTRY_CLASSES = (
    ("gatekeeper.engine.regorus_engine", "RegorusEngine"),
    ("gatekeeper.engine.opa_server", "OpaServerEngine"),
)


def own_doc(obj: Any) -> str:
    """The docstring written for ``obj``, not one Python generated."""
    doc = obj.__doc__ or ""
    generated = doc.startswith(f"{obj.__name__}(") or doc == "An enumeration."  # 3.10's
    return "" if inspect.isclass(obj) and generated else doc.strip()


def methods(cls: type) -> list[tuple[str, Any]]:
    """A class's own public methods and properties."""
    found = []
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(member, property):
            member = member.fget
        elif isinstance(member, (classmethod, staticmethod)):
            member = member.__func__
        if inspect.isfunction(member):
            found.append((f"{cls.__name__}.{name}", member))
    return found


def entry_points() -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for module_name in ENTRY_MODULES:
        module = importlib.import_module(module_name)
        for name, obj in vars(module).items():
            defined_here = getattr(obj, "__module__", None) == module_name
            if name.startswith("_") or not defined_here:
                continue
            if inspect.isfunction(obj):
                found.append((f"{module_name}.{name}", obj))
            elif inspect.isclass(obj):
                found.append((f"{module_name}.{name}", obj))
                found += [(f"{module_name}.{n}", m) for n, m in methods(obj)]
    for module_name, class_name in ENTRY_CLASSES:
        cls = getattr(importlib.import_module(module_name), class_name)
        found.append((f"{module_name}.{class_name}", cls))
        found += [(f"{module_name}.{n}", m) for n, m in methods(cls)]
    return found


def test_the_entry_points_include_the_calls_a_program_makes():
    names = {name for name, _ in ENTRY_POINTS}
    assert {
        "gatekeeper.pipeline.collect", "gatekeeper.pipeline.evaluate", "gatekeeper.pipeline.check",
        "gatekeeper.pipeline.load_results", "gatekeeper.config.load_config",
        "gatekeeper.verdict.verdict_of", "gatekeeper.reporters.render",
        "gatekeeper.engine.opa_server.OpaServerEngine.evaluate",
        "gatekeeper.engine.regorus_engine.RegorusEngine.evaluate",
        "gatekeeper.history.store.open_store", "gatekeeper.history.store.HistoryStore.push",
    } <= names


ENTRY_POINTS = entry_points()


@pytest.mark.parametrize(("name", "obj"), ENTRY_POINTS, ids=[name for name, _ in ENTRY_POINTS])
def test_every_entry_point_has_a_docstring(name, obj):
    assert own_doc(obj), f"{name} has no docstring"
