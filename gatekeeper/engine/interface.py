"""The engine interface: evidence + policies + config in, one decision per control out.

An engine is anything that can evaluate Rego v1; the embedded regorus engine is the default,
a remote OPA server is another. Engines return raw decisions; turning them into outcomes is
the same for every engine (``gatekeeper.results``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from gatekeeper.engine.policies import PolicySet


@dataclass(frozen=True)
class Decision:
    """What a control's rules evaluated to, or why they could not be evaluated."""

    applicable: bool = False
    deny: tuple[Any, ...] = ()
    warn: tuple[Any, ...] = ()
    details: dict[str, Any] | None = None
    error: str | None = None
    errors: tuple[Any, ...] = ()
    suppressed: tuple[Any, ...] = ()


class Engine(Protocol):
    """What decides the controls: the embedded regorus engine or an OPA server (``ENGINES``)."""

    def describe(self) -> dict[str, Any]:
        """Which engine decided: kind, version, and where (for a server) -- for the results."""
        ...

    def evaluate(
        self, policies: PolicySet, evidence_json: str, config: dict[str, Any]
    ) -> dict[str, Decision]:
        """One decision per control id. Raises EngineError or PolicyError if nothing can run."""
        ...


RULES = ("applicable", "deny", "warn", "details", "errors", "suppressed")


def decision_from_values(
    applicable: Any, deny: Any, warn: Any, details: Any = None, errors: Any = None,
    suppressed: Any = None,
) -> Decision:
    """Check the shape of a control's rule values (``None`` is undefined).

    ``details`` is optional: structured data a control hands to reports (a table, say).
    ``errors`` is optional: what the control could not decide (evidence that exists but could
    not be verified); any entry makes the outcome ``error``, whatever ``deny`` says.
    ``suppressed`` is optional: findings the scanner suppressed in a tool the configuration
    trusts (entries as deny's, with ``waived_by``); they are waived, never failing.
    """
    problems = []
    for name, value in (("deny", deny), ("warn", warn), ("errors", errors),
                        ("suppressed", suppressed)):
        if value is not None and not isinstance(value, list):
            problems.append(f"'{name}' must be a set, got {type(value).__name__}")
    if applicable is not None and not isinstance(applicable, bool):
        problems.append(f"'applicable' must be a boolean, got {type(applicable).__name__}")
    if details is not None and not isinstance(details, dict):
        problems.append(f"'details' must be an object, got {type(details).__name__}")
    if problems:
        return Decision(error="; ".join(problems))
    return Decision(
        applicable=applicable is True,
        deny=tuple(deny or ()),
        warn=tuple(warn or ()),
        details=details,
        errors=tuple(errors or ()),
        suppressed=tuple(suppressed or ()),
    )
