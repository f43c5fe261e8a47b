"""Stage 2, evaluate: Rego policies over the evidence document, behind one engine interface."""

from __future__ import annotations

from collections.abc import Callable

from gatekeeper.engine.interface import Decision, Engine
from gatekeeper.engine.regorus_engine import RegorusEngine

ENGINES: dict[str, Callable[[], Engine]] = {
    RegorusEngine.kind: RegorusEngine,
}

__all__ = ["ENGINES", "Decision", "Engine", "RegorusEngine"]
