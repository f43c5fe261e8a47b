"""One family of errors. Each carries the exit code the CLI maps it to.

Exit codes: 0 pass, 1 gate failed, 2 usage or configuration error, 3 evidence or engine error.
Every error names what is wrong (the file, and the key or line where known) and, where it
helps, how to fix it; the CLI prints ``str(error)`` and never a traceback.
"""

from __future__ import annotations

from pathlib import Path

EXIT_PASS = 0
EXIT_GATE_FAILED = 1
EXIT_CONFIG_ERROR = 2
EXIT_EVIDENCE_ERROR = 3


class GatekeeperError(Exception):
    """Base of every error gatekeeper raises on purpose."""

    exit_code = EXIT_EVIDENCE_ERROR

    def __init__(self, message: str, *, path: Path | str | None = None, hint: str | None = None):
        self.message = message
        self.path = str(path) if path is not None else None
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ConfigError(GatekeeperError):
    """The user's configuration (gatekeeper.yaml, exceptions, attestations, CLI usage) is wrong."""

    exit_code = EXIT_CONFIG_ERROR


class EvidenceError(GatekeeperError):
    """An evidence file is missing, unreadable, malformed or of the wrong format."""

    exit_code = EXIT_EVIDENCE_ERROR


class PolicyError(GatekeeperError):
    """A Rego policy does not parse, lacks its METADATA, or breaks the control contract."""

    exit_code = EXIT_EVIDENCE_ERROR


class EngineError(GatekeeperError):
    """The policy engine failed (a panic, an evaluation error, an unreachable server)."""

    exit_code = EXIT_EVIDENCE_ERROR
