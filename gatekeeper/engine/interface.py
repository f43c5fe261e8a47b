"""The engine interface: evidence + policies + config in, one decision per control out.

An engine is anything that can evaluate Rego v1; the embedded regorus engine is the default,
a remote OPA server is another. Engines return raw decisions; turning them into outcomes is
the same for every engine (``gatekeeper.results``).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from gatekeeper.engine.policies import PolicySet
from gatekeeper.errors import EngineError


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


PACKED_SLICE = 1 << 20  # characters of the input encoded and compressed at a time


class EngineInput:
    """The engine's input document, as JSON text, which weighs as much as the evidence. Once
    an engine has loaded it, its holders ``pack`` it (compressed about 15x: a second load is
    needed only should the first evaluation fail) and ``release`` it, so the text does not stay
    resident for the whole evaluation beside the engine's own copy."""

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._packed: bytes | None = None

    def text(self) -> str:
        """The JSON text, unpacked when it was packed."""
        if self._text is not None:
            return self._text
        return b"".join(self._encoded_slices()).decode("utf-8")

    def write_to(self, descriptor: int) -> None:
        """Write the text, as UTF-8, to ``descriptor`` (a pipe), a slice at a time: unpacked
        a slice at a time too when packed, so no whole copy is ever made."""
        for part in self._encoded_slices():
            view = memoryview(part)
            while view:
                view = view[os.write(descriptor, view):]

    def _encoded_slices(self) -> Iterator[bytes]:
        """The text as UTF-8, a slice at a time, from the text or from its packed copy."""
        if self._text is not None:
            text = self._text
            for start in range(0, len(text), PACKED_SLICE):
                yield text[start:start + PACKED_SLICE].encode("utf-8")
        elif self._packed is not None:
            unpacker = zlib.decompressobj()
            for start in range(0, len(self._packed), PACKED_SLICE):
                yield unpacker.decompress(self._packed[start:start + PACKED_SLICE])
            yield unpacker.flush()
        else:
            raise EngineError("the engine's input was released before it was read (a bug)")

    def pack(self) -> None:
        """Keep the text compressed only (a slice at a time: no whole encoded copy)."""
        if self._text is None:
            return
        packer = zlib.compressobj(1)
        parts = [packer.compress(part) for part in self._encoded_slices()]
        self._packed, self._text = b"".join([*parts, packer.flush()]), None

    def release(self) -> None:
        """Drop the text and its packed copy: for a holder that has loaded it for good."""
        self._text = self._packed = None


class Engine(Protocol):
    """What decides the controls: the embedded regorus engine or an OPA server (``ENGINES``)."""

    def describe(self) -> dict[str, Any]:
        """Which engine decided: kind, version, and where (for a server) -- for the results."""
        ...

    def evaluate(
        self, policies: PolicySet, evidence: EngineInput, config: dict[str, Any]
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
