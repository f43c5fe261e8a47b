"""Stage 2, evaluate: Rego policies over the evidence document, behind one engine interface."""

from __future__ import annotations

from collections.abc import Callable

from gatekeeper.config import EngineSettings
from gatekeeper.engine.interface import Decision, Engine
from gatekeeper.engine.opa_server import OpaServerEngine
from gatekeeper.engine.regorus_engine import RegorusEngine

ENGINES: dict[str, Callable[[EngineSettings], Engine]] = {
    RegorusEngine.kind: lambda settings: RegorusEngine(
        settings.evaluation_timeout, settings.control_timeout
    ),
    OpaServerEngine.kind: OpaServerEngine,
}

__all__ = ["ENGINES", "Decision", "Engine", "OpaServerEngine", "RegorusEngine"]
