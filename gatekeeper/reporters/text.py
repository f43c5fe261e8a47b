"""The terminal report: a table of controls, the details of each that did not pass, the verdict.

Readable at 80 columns; colour only when asked for (the CLI asks when stdout is a tty).
"""

from __future__ import annotations

import textwrap
from typing import Any

import click

from gatekeeper.engine.policies import STRENGTHS
from gatekeeper.jsonio import dumps
from gatekeeper.recipes import producer_hint
from gatekeeper.reporters.interface import DEFAULT_OPTIONS, ReportOptions
from gatekeeper.reporters.view import VERDICT_WORDS, describe_points, partial_run
from gatekeeper.verdict import below_its_minimum, blocks, let_through

MAX_MESSAGES = 10
COLORS = {
    "pass": "green",
    "fail": "red",
    "error": "red",
    "warn": "yellow",
    "waived": "cyan",
    "no_evidence": "magenta",
}
NOT_APPLICABLE = "not_applicable"
LABELS = {"fail": "FAIL", "error": "ERROR", NOT_APPLICABLE: "n/a"}
VERBOSITIES = ("quiet", "normal", "verbose")


def _style(text: str, outcome: str, color: bool, bold: bool = False) -> str:
    return click.style(text, fg=COLORS.get(outcome), bold=bold) if color else text


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _open(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m for m in messages if "waived_by" not in m]


def _reason(control: dict[str, Any]) -> str:
    if control["outcome"] == "waived" and "waiver" in control:
        waiver = control["waiver"]
        return f"waived by {waiver['exception']} until {waiver.get('expires', '?')}"
    if control["outcome"] == NOT_APPLICABLE:
        return f"only for {', '.join(control.get('applies_to', []))}"
    entries = _open(control["messages"]) or control["warnings"]
    if control["outcome"] == "pass" or not entries:
        return str(control["title"])
    more = f" (+{len(entries) - 1} more)" if len(entries) > 1 else ""
    return f"{entries[0]['message']}{more}"


def _table(controls: list[dict[str, Any]], color: bool, width: int) -> list[str]:
    id_width = min(max((len(c["id"]) for c in controls), default=7), 34)
    why_width = max(width - 12 - id_width - 2, 20)
    lines = [f"{'OUTCOME':<12}{'CONTROL':<{id_width}}  WHY"]
    for control in controls:
        outcome = control["outcome"]
        label = LABELS.get(outcome, outcome)
        cell = _style(f"{label:<12}", outcome, color, bold=outcome in ("fail", "error"))
        reason = _reason(control)
        if control["enforcement"] != "blocking":
            reason = f"(advisory) {reason}"
        lines.append(
            f"{cell}{_clip(control['id'], id_width):<{id_width}}  {_clip(reason, why_width)}"
        )
    return lines


def _location(message: dict[str, Any]) -> str:
    waived = f" [waived by {message['waived_by']}]" if message.get("waived_by") else ""
    if not message.get("file"):
        return waived
    line = f":{message['line']}" if message.get("line") else ""
    return f" ({message['file']}{line}){waived}"


def _details(control: dict[str, Any], color: bool, width: int) -> list[str]:
    outcome = control["outcome"]
    label = outcome.upper()
    heading = textwrap.wrap(
        f"{label}  {control['id']}: {control['title']}", width, subsequent_indent="  ",
        break_on_hyphens=False,
    )
    heading[0] = _style(label, outcome, color, bold=True) + heading[0][len(label):]
    lines = ["", *heading]
    entries = control["messages"] if control["messages"] else control["warnings"]
    for message in entries[:MAX_MESSAGES]:
        text = message["message"] + _location(message)
        lines += textwrap.wrap(text, width, initial_indent="  - ", subsequent_indent="    ")
    if len(entries) > MAX_MESSAGES:
        lines.append(f"  … and {len(entries) - MAX_MESSAGES} more (see the JSON results)")
    if "waiver" in control:
        waiver = control["waiver"]
        text = (
            f"{waiver['exception']} until {waiver.get('expires', '?')} "
            f"({waiver.get('ticket', 'no ticket')}): {waiver.get('justification', '')}"
        )
        lines += textwrap.wrap(
            text, width, initial_indent="  waived: ", subsequent_indent="          "
        )
    for text in _fixes(control):
        lines += textwrap.wrap(text, width, initial_indent="  fix: ", subsequent_indent="       ")
    return lines


def _fixes(control: dict[str, Any]) -> list[str]:
    """How to fix a control that failed or had no evidence: its remediation and the
    gatekeeper.yaml keys it reads; for missing evidence, what produces each key."""
    keys = control.get("config_keys") or []
    where = f" (gatekeeper.yaml: {', '.join(keys)})" if keys else ""
    if control["outcome"] == "fail":
        return [control["remediation"] + where]
    if control["outcome"] != "no_evidence":
        return []
    hints = {key: producer_hint(key, control["id"]) for key in keys}
    fixes = [f"configure {key} in gatekeeper.yaml; produce it with: {hint}"
             for key, hint in hints.items() if hint]
    by_hand = [key for key, hint in hints.items() if not hint]
    if by_hand and fixes:
        fixes.append(f"or configure {', '.join(by_hand)} in gatekeeper.yaml")
    elif by_hand:
        fixes.append(f"configure {', '.join(by_hand)} in gatekeeper.yaml: "
                     f"{control['remediation']}")
    return fixes or [control["remediation"]]


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


def _answered(question: dict[str, Any]) -> str:
    """How a question got its score: the answer's strength (verified, measured, declared,
    documented, attested), expired, refused, no evidence, unanswered."""
    attestation = question.get("attestation") or {}
    if attestation.get("status") in ("expired", "refused"):
        return str(attestation["status"])
    if question["source"] in ("controls", "attestation"):
        return str(question.get("strength") or question["source"])
    return "no evidence" if question["mode"] == "automated" else "unanswered"


def _blocker_cell(domain: dict[str, Any], questions: dict[str, Any], width: int) -> str:
    if not domain["blockers"]:
        return "(top level)" if domain["level"] >= 5 else "(the next level does not apply)"
    blocker = domain["blockers"][0]
    how = _answered(questions[blocker["question"]])
    return _clip(f"{blocker['question']} {blocker['score']}/4 {how}: {blocker['text']}", width)


def _strengths(controls: list[dict[str, Any]], width: int) -> list[str]:
    """Each control's evidence strength, grouped strongest first (docs/maturity.md)."""
    lines = ["", "EVIDENCE STRENGTH (how each control's evidence is bound to the release)"]
    for strength in STRENGTHS:
        ids = [c["id"] for c in controls
               if c.get("strength") == strength and c["outcome"] != NOT_APPLICABLE]
        if ids:
            lines += textwrap.wrap(f"{strength}: {', '.join(ids)}", width, initial_indent="  ",
                                   subsequent_indent="    ", break_on_hyphens=False)
    return lines if len(lines) > 2 else []


def _maturity(maturity: dict[str, Any], width: int) -> list[str]:
    """The 11-domain table: level, questions met, and the first question blocking the next level."""
    overall = maturity["overall"]
    lines = [
        "",
        f"MATURITY  level {overall['level']} (lowest domain) · mean level "
        f"{overall.get('mean_level', overall['level']):.1f} · mean score {overall['mean']:.2f}/4",
        f"{'DOMAIN':<8}{'LEVEL':<7}{'MET':<7}FIRST BLOCKING QUESTION (score, how answered)",
    ]
    questions = {q["id"]: q for q in maturity["questions"]}
    for domain in maturity["domains"]:
        met = f"{domain['questions_met']}/{domain['questions_total']}"
        cell = _blocker_cell(domain, questions, width - 22)
        lines.append(f"{domain['id']:<8}{domain['level']:<7}{met:<7}{cell}")
    lines += _not_applicable_questions(maturity["questions"], width)
    for question in maturity["questions"]:
        attestation = question.get("attestation") or {}
        if attestation.get("status") == "expired":
            lines += textwrap.wrap(
                f"expired attestation: {question['id']} scores 0 (expired "
                f"{attestation['expires']}, by {attestation['attested_by']}); renew it with "
                f"`gatekeeper assess -q {question['id']}`",
                width, subsequent_indent="  ", break_on_hyphens=False,
            )
    for domain in maturity["domains"]:
        if below_its_minimum(domain):
            lines.append(f"below minimum: {domain['id']} is at level {domain['level']}, "
                         f"the profile requires {domain['minimum_level']}")
    return lines


def _not_applicable_questions(questions: list[dict[str, Any]], width: int) -> list[str]:
    """The questions left out of every level because none of their controls applies."""
    left_out = [q for q in questions if q.get("not_applicable")]
    if not left_out:
        return []
    ids = ", ".join(q["id"] for q in left_out)
    return textwrap.wrap(f"{left_out[0]['not_applicable']}, left out of the levels: {ids}",
                         width, subsequent_indent="  ", break_on_hyphens=False)


def _verdict_lines(results: dict[str, Any], color: bool, width: int) -> list[str]:
    """``VERDICT: BLOCKED (exit 1)``, and under it the partial-run notice of a partial run."""
    verdict = results["verdict"]
    line = (_style(f"VERDICT: {VERDICT_WORDS[verdict['outcome']]}", verdict["outcome"], color,
                   bold=True) + f" (exit {verdict['exit_code']})")
    return [line, *textwrap.wrap(partial_run(results), width, initial_indent="  ",
                                 subsequent_indent="  ", break_on_hyphens=False)]


def _passing(control: dict[str, Any], width: int) -> list[str]:
    """--verbose: a passing control's evidence files and details."""
    lines = ["", f"pass  {control['id']}: {control['title']}"]
    files = ", ".join(control["evidence_files"]) or "none"
    lines += textwrap.wrap(f"evidence ({control.get('strength', 'unknown')}): {files}", width,
                           initial_indent="  ", subsequent_indent="    ",
                           break_on_hyphens=False)
    if control.get("details"):
        text = dumps(control["details"], pretty=False).decode("utf-8")
        lines += textwrap.wrap(f"details: {text}", width, initial_indent="  ",
                               subsequent_indent="    ", break_on_hyphens=False)
    return lines


def render(results: dict[str, Any], options: ReportOptions = DEFAULT_OPTIONS) -> str:
    """The report; ``options.verbosity`` quiet: the verdict line only; verbose: passing
    controls too."""
    color, width, verbosity = options.color, options.width, options.verbosity
    if verbosity == "quiet":
        return "\n".join(_verdict_lines(results, color, width)) + "\n"
    subject = results["subject"]
    engine = results["engine"]
    title = " ".join(filter(None, [subject["name"], subject.get("version")]))
    lines = [
        f"gatekeeper {results['tool']['version']} · {title} · "
        f"{engine['kind']} {engine.get('version', '')}".rstrip(),
        "",
    ]
    org = results.get("policy", {}).get("org_policy")
    if org:
        lines.insert(1, f"org policy {org['file']} · sha256 {org['sha256']}")
    lines[-1:-1] = textwrap.wrap(partial_run(results), width, subsequent_indent="  ",
                                 break_on_hyphens=False)
    controls = results["controls"]
    lines += _table(controls, color, width)
    if results.get("kinds") and any(c["outcome"] == NOT_APPLICABLE for c in controls):
        lines += textwrap.wrap(
            f"n/a: not applicable to this {' and '.join(results['kinds'])} system "
            "(ai-system.yaml kinds:): not evaluated, never blocks", width,
            subsequent_indent="  ",
        )
    for control in controls:
        lines += _attack_classes(control, width)
    for control in controls:
        if control["outcome"] not in ("pass", NOT_APPLICABLE):
            lines += _details(control, color, width)
        elif verbosity == "verbose":
            lines += _passing(control, width)
    lines += _strengths(controls, width)
    if "maturity" in results:
        lines += _maturity(results["maturity"], width)
    if "trends" in results:
        lines += _trends_block(results["trends"], width)
    if "exceptions" in results:
        lines += _exceptions_block(results["exceptions"], width)
    if "baseline" in results:
        lines += _baseline_block(results["baseline"], width)
    counts = " · ".join(f"{n} {outcome}" for outcome, n in results["summary"].items() if n)
    lines += ["", f"{len(controls)} controls: {counts}"]
    lines += _verdict_lines(results, color, width)
    blocking = [c for c in controls if blocks(c, results)]
    if blocking:
        names = ", ".join(f"{c['id']} ({c['outcome']})" for c in blocking)
        lines += textwrap.wrap(
            f"blocked by: {names}", width, subsequent_indent="  ", break_on_hyphens=False
        )
    if let_through(results):
        lines += textwrap.wrap(
            "let through by the baseline (--fail-on new): "
            + ", ".join(sorted(let_through(results))),
            width, subsequent_indent="  ", break_on_hyphens=False,
        )
    return "\n".join(lines) + "\n"


def _trends_block(trends: dict[str, Any], width: int) -> list[str]:
    """One line per series of the trend controls: question, measure, values, direction."""
    lines = ["", f"TRENDS over the last {trends['window']} runs of the results history"]
    for series in trends["series"]:
        text = (f"{series['question'] or '-'} {series['metric']}: "
                f"{describe_points(series['points'])} ({series['direction']})")
        lines.append("  " + _clip(text, width - 2))
    if not trends["series"]:
        lines.append("  no series yet")
    return lines


def _item(label: str, text: str, width: int) -> list[str]:
    """One entry of a section: a 10-column label, the text wrapped under itself."""
    return textwrap.wrap(
        text, width, initial_indent=f"  {label:<10}", subsequent_indent=" " * 12,
        break_on_hyphens=False,
    )


def _exceptions_block(section: dict[str, Any], width: int) -> list[str]:
    """Every exception that applied, expired, expires soon, or matched nothing."""
    lines = ["", f"EXCEPTIONS  {section['file']}"]
    for entry in section["applied"]:
        waived = "; ".join(_waived_item(item, "findings" in entry) for item in entry["waived"])
        lines += _item(
            "applied",
            f"{entry['id']}: waives {waived}; until {entry['expires']}; owner "
            f"{entry['owner']}, approved by {entry['approved_by']}, ticket {entry['ticket']}",
            width,
        )
    for entry in section["expiring"]:
        lines += _item(
            "WARNING",
            f"{entry['id']} expires in {entry['days_left']} days ({entry['expires']}); then "
            f"{', '.join(entry['controls'])} no longer waived (ticket {entry['ticket']})",
            width,
        )
    for entry in section["expired"]:
        lines += _item(
            "expired",
            f"{entry['id']} expired {entry['expires']}: no effect on "
            f"{', '.join(entry['controls'])}; remove it or renew it by review",
            width,
        )
    for entry in section["unused"]:
        lines += _item("unused", f"{entry['id']}: {entry['reason']}", width)
    if len(lines) == 2:
        lines.append("  (the file holds no exceptions)")
    return lines


def _waived_item(item: dict[str, Any], finding_scoped: bool) -> str:
    """``SDL-sast-clean (B324@src/train.py:35; still fails)``, or the control alone."""
    notes = []
    if finding_scoped:
        keys = item["findings"]
        notes.append(", ".join(keys[:3]) + (f" +{len(keys) - 3}" if len(keys) > 3 else ""))
    if item["outcome"] != "waived":
        notes.append("control still fails")
    return f"{item['control']}" + (f" ({'; '.join(notes)})" if notes else "")


def _baseline_block(section: dict[str, Any], width: int) -> list[str]:
    """What is new, fixed and unchanged against the baseline, and what was let through."""
    def failures(entries: list[dict[str, Any]]) -> int:
        return sum(len(entry["findings"]) for entry in entries)

    lines = [
        "",
        f"BASELINE  {section['file']} (evaluated {section.get('evaluated_at', '?')}), "
        f"fail on {section.get('fail_on', 'any')}",
        f"  {failures(section['new'])} new, {failures(section['fixed'])} fixed, "
        f"{failures(section['unchanged'])} unchanged failures",
    ]
    for label, key in (("new", "new"), ("fixed", "fixed")):
        for entry in section[key][:MAX_MESSAGES]:
            lines += _item(label, f"{entry['control']}: {', '.join(entry['findings'])}", width)
        if len(section[key]) > MAX_MESSAGES:
            lines.append(f"  … and {len(section[key]) - MAX_MESSAGES} more {label}")
    held = (
        ("let through by the baseline (they failed the same way in it):",
         section.get("let_through", [])),
        ("unchanged but not waivable, so still blocking (fix them, or disable the control "
         "under profile.disabled where the organization policy allows; no baseline or "
         "waiver accepts them):", section.get("not_waivable", [])),
    )
    for title, entries in held:
        if entries:
            lines += textwrap.wrap(title, width, initial_indent="  ", subsequent_indent="  ")
        for entry in entries:
            count = len(entry["findings"])
            lines.append(
                f"    {entry['control']} ({entry['outcome']}, {count} "
                f"failure{'s' if count != 1 else ''})"
            )
    return lines
