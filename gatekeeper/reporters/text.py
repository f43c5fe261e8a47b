"""The terminal report: a table of controls, the details of each that did not pass, the verdict.

Readable at 80 columns; colour only when asked for (the CLI asks when stdout is a tty).
"""

from __future__ import annotations

import textwrap
from typing import Any

import click

WIDTH = 80
MAX_MESSAGES = 10
COLORS = {
    "pass": "green",
    "fail": "red",
    "error": "red",
    "warn": "yellow",
    "waived": "cyan",
    "no_evidence": "magenta",
}
VERDICT_WORDS = {"pass": "PASSED", "fail": "BLOCKED", "error": "ERROR"}
BLOCKS = ("fail", "no_evidence", "error")


def _style(text: str, outcome: str, color: bool, bold: bool = False) -> str:
    return click.style(text, fg=COLORS.get(outcome), bold=bold) if color else text


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _reason(control: dict[str, Any]) -> str:
    entries = control["messages"] or control["warnings"]
    if control["outcome"] == "pass" or not entries:
        return control["title"]
    more = f" (+{len(entries) - 1} more)" if len(entries) > 1 else ""
    return entries[0]["message"] + more


def _table(controls: list[dict[str, Any]], color: bool, width: int) -> list[str]:
    id_width = min(max((len(c["id"]) for c in controls), default=7), 34)
    why_width = max(width - 12 - id_width - 2, 20)
    lines = [f"{'OUTCOME':<12}{'CONTROL':<{id_width}}  WHY"]
    for control in controls:
        outcome = control["outcome"]
        label = outcome.upper() if outcome in ("fail", "error") else outcome
        cell = _style(f"{label:<12}", outcome, color, bold=outcome in ("fail", "error"))
        reason = _reason(control)
        if control["enforcement"] != "blocking":
            reason = f"(advisory) {reason}"
        lines.append(
            f"{cell}{_clip(control['id'], id_width):<{id_width}}  {_clip(reason, why_width)}"
        )
    return lines


def _location(message: dict[str, Any]) -> str:
    if not message.get("file"):
        return ""
    line = f":{message['line']}" if message.get("line") else ""
    return f" ({message['file']}{line})"


def _details(control: dict[str, Any], color: bool, width: int) -> list[str]:
    outcome = control["outcome"]
    head = _style(outcome.upper(), outcome, color, bold=True)
    lines = ["", f"{head}  {control['id']}: {control['title']}"]
    entries = control["messages"] if control["messages"] else control["warnings"]
    for message in entries[:MAX_MESSAGES]:
        text = message["message"] + _location(message)
        lines += textwrap.wrap(text, width, initial_indent="  - ", subsequent_indent="    ")
    if len(entries) > MAX_MESSAGES:
        lines.append(f"  … and {len(entries) - MAX_MESSAGES} more (see the JSON results)")
    if outcome == "fail":
        lines += textwrap.wrap(
            control["remediation"], width, initial_indent="  fix: ", subsequent_indent="       "
        )
    return lines


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _families(tests: list[str]) -> str:
    """``garak dan.X, garak dan.Y, promptfoo pii:direct`` -> ``garak dan; promptfoo pii:direct
    (3 tests)``: garak probes by family, so a full run stays a few lines long."""
    families: dict[str, list[str]] = {}
    for test in tests:
        tool, _, name = test.partition(" ")
        family = name.split(".", 1)[0] if tool == "garak" else name
        if family not in families.setdefault(tool, []):
            families[tool].append(family)
    text = "; ".join(f"{tool} {', '.join(names)}" for tool, names in families.items())
    shown = sum(len(names) for names in families.values())
    return text + (f" ({len(tests)} tests)" if len(tests) > shown else "")


def _attack_classes(control: dict[str, Any], width: int) -> list[str]:
    """The per-attack-class table a red-team control hands over in ``details``."""
    rows = (control.get("details") or {}).get("attack_classes") or []
    if not rows:
        return []
    lines = ["", f"Attack classes ({control['id']}):",
             f"{'CLASS':<23}{'RATE':>7}{'ATTEMPTS':>14}{'MAX':>8}  {'STATUS':<9}OWASP"]
    for row in rows:
        attempts = f"{row['succeeded']} of {row['evaluated']}"
        owasp = ", ".join(row["owasp_llm"]) or "-"
        lines.append(
            f"{_clip(row['class'], 22):<23}{_percent(row['rate']):>7}{attempts:>14}"
            f"{_percent(row['threshold']):>8}  {row['status']:<9}{owasp}"
        )
        ran = f"ran: {_families(row['tests'])}; ATLAS {', '.join(row['atlas']) or '-'}"
        lines += textwrap.wrap(ran, width, initial_indent="  ", subsequent_indent="    ",
                               break_on_hyphens=False)
    return lines


def render(results: dict[str, Any], *, color: bool = False, width: int = WIDTH) -> str:
    subject = results["subject"]
    engine = results["engine"]
    title = " ".join(filter(None, [subject["name"], subject.get("version")]))
    lines = [
        f"gatekeeper {results['tool']['version']} · {title} · "
        f"{engine['kind']} {engine.get('version', '')}".rstrip(),
        "",
    ]
    controls = results["controls"]
    lines += _table(controls, color, width)
    for control in controls:
        lines += _attack_classes(control, width)
    for control in controls:
        if control["outcome"] != "pass":
            lines += _details(control, color, width)
    counts = " · ".join(f"{n} {outcome}" for outcome, n in results["summary"].items() if n)
    verdict = results["verdict"]
    word = VERDICT_WORDS[verdict["outcome"]]
    lines += ["", f"{len(controls)} controls: {counts}"]
    lines.append(
        _style(f"VERDICT: {word}", verdict["outcome"], color, bold=True)
        + f" (exit {verdict['exit_code']})"
    )
    blocking = [c for c in controls if c["enforcement"] == "blocking" and c["outcome"] in BLOCKS]
    if blocking:
        names = ", ".join(f"{c['id']} ({c['outcome']})" for c in blocking)
        lines += textwrap.wrap(
            f"blocked by: {names}", width, subsequent_indent="  ", break_on_hyphens=False
        )
    return "\n".join(lines) + "\n"
