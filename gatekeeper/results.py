"""Control outcomes: from engine decisions to the closed set of outcomes.

Outcomes: pass, fail, warn, waived, no_evidence, error, not_applicable. A control errors when
its policy cannot be evaluated or when its ``errors`` rule names evidence it could not verify.
A control that does not apply to the system's kinds (gatekeeper.kinds) is not evaluated:
``not_applicable`` with the reason; it never blocks and is never a pass. Which outcomes block
the release, and the verdict they give, is decided in ``gatekeeper.verdict``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from gatekeeper.config import Enforcement
from gatekeeper.engine.interface import Decision
from gatekeeper.engine.policies import STRENGTHS, Control
from gatekeeper.verdict import Standing, counts_against


class Outcome(str, Enum):
    """The closed set of what a control came out as in a run."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    WAIVED = "waived"
    NO_EVIDENCE = "no_evidence"
    ERROR = "error"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Message:
    """One thing a policy said: the text, and the finding, file and line it is about."""

    text: str
    finding: str | None = None
    file: str | None = None
    line: int | None = None
    waived_by: str | None = None  # the exception that waived it

    @property
    def key(self) -> str:
        """What identifies this failure across runs: its finding id, else its file and text."""
        if self.finding:
            return self.finding
        return f"{self.file}: {self.text}" if self.file else self.text

    def to_dict(self) -> dict[str, Any]:
        """The message as the results document holds it (unset fields left out)."""
        data: dict[str, Any] = {"message": self.text}
        for key in ("finding", "file", "line", "waived_by"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Message:
        """A message of a saved results document (the inverse of ``to_dict``)."""
        return cls(
            text=data["message"],
            finding=data.get("finding"),
            file=data.get("file"),
            line=data.get("line"),
            waived_by=data.get("waived_by"),
        )


def to_message(value: Any) -> Message:
    """A deny/warn entry: a string, or an object with ``msg`` and optional finding/file/line."""
    if isinstance(value, str):
        return Message(value)
    if isinstance(value, dict) and isinstance(value.get("msg"), str):
        line = value.get("line")
        return Message(
            text=value["msg"],
            finding=str(value["finding"]) if value.get("finding") is not None else None,
            file=str(value["file"]) if value.get("file") is not None else None,
            line=line if isinstance(line, int) else None,
        )
    raise ValueError(f"a deny/warn entry must be a string or an object with 'msg', got {value!r}")


@dataclass(frozen=True)
class ControlResult:
    """One control's result in a run: its METADATA, enforcement, outcome and what it said."""

    control: Control
    enforcement: Enforcement
    outcome: Outcome
    messages: tuple[Message, ...] = ()
    warnings: tuple[Message, ...] = ()
    evidence_files: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """The control's id."""
        return self.control.id

    @property
    def blocks(self) -> bool:
        """Whether it blocks the release unless a baseline lets it through."""
        return counts_against(self.enforcement.value, self.outcome.value)

    @property
    def standing(self) -> Standing:
        """What the verdict reads of this result (``gatekeeper.verdict.decide``)."""
        still_open = self.open_messages
        return Standing(
            self.id, self.enforcement.value, self.outcome.value,
            still_open[0].text if still_open else "",
        )

    @property
    def open_messages(self) -> tuple[Message, ...]:
        """The messages no exception waived: what still fails."""
        return tuple(m for m in self.messages if m.waived_by is None)

    @property
    def strength(self) -> str:
        """The METADATA strength, or the weaker one the policy reported for this run in
        ``details.strength`` (unbound metrics are declared); a policy can never raise it."""
        reported = self.extra.get("details", {}).get("strength")
        if reported in STRENGTHS and STRENGTHS.index(reported) > STRENGTHS.index(
            self.control.strength
        ):
            return str(reported)
        return self.control.strength

    @property
    def waived_absence(self) -> bool:
        """Waived although it had no evidence at all: an exception accepted the absence."""
        absent = absence_message(self.control).text
        return self.outcome is Outcome.WAIVED and all(m.text == absent for m in self.messages)

    def with_outcome(self, outcome: Outcome, **extra: Any) -> ControlResult:
        """The same result with another outcome and more document fields (a waiver, say)."""
        return replace(self, outcome=outcome, extra={**self.extra, **extra})

    def to_dict(self) -> dict[str, Any]:
        """The result as an entry of the results document's ``controls``."""
        data = {
            **self.control.to_dict(),
            "enforcement": self.enforcement.value,
            "outcome": self.outcome.value,
            "messages": [m.to_dict() for m in self.messages],
            "warnings": [m.to_dict() for m in self.warnings],
            "evidence_files": list(self.evidence_files),
        }
        data.update(self.extra)
        data["strength"] = self.strength
        return data


def evidence_files(
    control: Control, sources: list[dict[str, Any]], messages: tuple[Message, ...]
) -> tuple[str, ...]:
    """The files a control read: every source of the collectors it names, and files it cited."""
    collectors = control.collectors
    used = {s["path"] for s in sources if s["collector"] in collectors}
    used.update(m.file for m in messages if m.file)
    return tuple(sorted(used))


def control_result(
    control: Control,
    enforcement: Enforcement,
    decision: Decision,
    sources: list[dict[str, Any]],
) -> ControlResult:
    """A control's result from its engine decision: an evaluation error or an ``errors``
    entry is ``error``; else a deny is ``fail``; only suppressed findings, ``waived``; not
    applicable, ``no_evidence``; a warning, ``warn``; else ``pass``."""
    if decision.error is None:
        try:
            messages = tuple(to_message(v) for v in decision.deny)
            warnings = tuple(to_message(v) for v in decision.warn)
            errors = tuple(to_message(v) for v in decision.errors)
            suppressed = tuple(suppressed_message(v) for v in decision.suppressed)
        except ValueError as error:
            decision = Decision(error=str(error))
    if decision.error is not None:
        outcome, messages, warnings = Outcome.ERROR, (Message(decision.error),), ()
    elif errors:
        # Evidence the control could not verify: nobody knows the answer, so no fail or pass.
        # Its reasons come first, then what the control denied anyway.
        outcome = Outcome.ERROR
        messages = _sorted(errors) + _sorted(messages)
    elif messages:
        outcome, messages = Outcome.FAIL, messages + suppressed
    elif suppressed:
        # Only findings the scanner suppressed, in a tool the configuration trusts: waived.
        outcome, messages = Outcome.WAIVED, suppressed
    elif not decision.applicable:
        outcome, warnings = Outcome.NO_EVIDENCE, ()
        messages = (absence_message(control),)
    else:
        outcome = Outcome.WARN if warnings else Outcome.PASS
    return ControlResult(
        control=control,
        enforcement=enforcement,
        outcome=outcome,
        messages=messages if outcome is Outcome.ERROR else _sorted(messages),
        warnings=_sorted(warnings),
        evidence_files=evidence_files(control, sources, messages + warnings),
        extra=_extra(decision, messages if outcome is Outcome.WAIVED else ()),
    )


def not_applicable_result(
    control: Control, enforcement: Enforcement, reason: str
) -> ControlResult:
    """A control that does not apply to this system: not evaluated, its reason recorded."""
    return ControlResult(
        control=control,
        enforcement=enforcement,
        outcome=Outcome.NOT_APPLICABLE,
        extra={"not_applicable": reason},
    )


def suppressed_message(value: Any) -> Message:
    """A ``suppressed`` entry: a deny-like object naming who waived it (``waived_by``)."""
    message = to_message(value)
    if not isinstance(value, dict) or not isinstance(value.get("waived_by"), str):
        raise ValueError(f"a suppressed entry must be an object with 'waived_by', got {value!r}")
    return replace(message, waived_by=value["waived_by"])


def _extra(decision: Decision, waived: tuple[Message, ...]) -> dict[str, Any]:
    """The control's details, and on a control waived by trusted in-source suppressions the
    ``waiver`` every report shows (as an exception's)."""
    extra: dict[str, Any] = {"details": decision.details} if decision.details else {}
    if waived:
        by = sorted({m.waived_by for m in waived if m.waived_by})
        reasons = sorted({str(v.get("justification")) for v in decision.suppressed
                          if isinstance(v, dict) and v.get("justification")})
        extra["waiver"] = {
            "exception": by[0], "exceptions": by,
            "justification": "; ".join(reasons) or "suppressed in the scanned source, "
                             "trusted by the configuration (trust_suppressions)",
        }
    return extra


def absence_message(control: Control) -> Message:
    """What a control with no evidence says (and what an exception accepting that waives)."""
    return Message(f"no evidence (needs {_needs(control)})")


def _needs(control: Control) -> str:
    """Where in gatekeeper.yaml the evidence this control reads is configured."""
    return ", ".join(control.config_keys) or "the evidence its policy reads"


def _sorted(messages: tuple[Message, ...]) -> tuple[Message, ...]:
    return tuple(sorted(messages, key=_message_order))


def _message_order(message: Message) -> tuple[str, str, int, str]:
    return (message.file or "", message.finding or "", message.line or 0, message.text)


def summary(results: Iterable[ControlResult]) -> dict[str, int]:
    """How many controls came out as each outcome (every outcome listed, zeros too)."""
    return count_outcomes(result.outcome.value for result in results)


def count_outcomes(outcomes: Iterable[str]) -> dict[str, int]:
    """The summary of a results document: its controls' outcomes counted."""
    counts = {outcome.value: 0 for outcome in Outcome}
    for outcome in outcomes:
        counts[outcome] += 1
    return counts
