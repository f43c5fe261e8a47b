"""Markdown for ``$GITHUB_STEP_SUMMARY`` and merge-request comments.

Verdict first; then the controls that did not pass with their reasons and remediation, the
waivers (and the ones about to expire), maturity per domain and the baseline comparison, as far
as the results hold them. GitHub takes at most 1 MiB of step summary per step: past ``limit``
bytes the report is cut between blocks -- a table keeps its header and loses its last rows,
never half a row -- and ends with a note saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gatekeeper.reporters.interface import DEFAULT_OPTIONS, ReportOptions
from gatekeeper.reporters.view import (
    LEVEL_NAMES,
    VERDICT_WORDS,
    baseline_item,
    describe_points,
    effect,
    entries,
    exceptions,
    location,
    partial_run,
    subject_title,
)
from gatekeeper.verdict import below_its_minimum, blocks

MAX_MESSAGES = 20
VERDICT_ICONS = {"pass": "✅", "fail": "❌", "error": "⛔"}
OUTCOME_ICONS = {"fail": "❌", "error": "⛔", "no_evidence": "❔", "warn": "⚠️", "waived": "🟦",
                 "pass": "✅"}
BASELINE_LISTS = (
    ("new", "new"), ("fixed", "fixed"), ("unchanged", "unchanged"),
    ("let_through", "**let through by the baseline**"),
    ("not_waivable", "unchanged but not waivable, still blocking"),
)
ORDER = {"error": 0, "fail": 1, "no_evidence": 2, "warn": 3, "waived": 4}
_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
# GFM's autolink extension links bare URLs, www. names and e-mail addresses in any text. A
# backslash before the scheme's colon or www's dot stops the first two; an e-mail address is
# found after escapes are read, so an empty HTML comment after its @ splits it instead.
_URL_SCHEME = re.compile(r"(?i)(https?|ftp|mailto|xmpp):")
_WWW_DOT = re.compile(r"(?i)(www)\.")
_EMAIL_AT = re.compile(r"(?<=[\w.+-])@(?=[\w-]+\.[\w-])")


def md(text: Any) -> str:
    """Text as inert Markdown: one line, with the characters that format or link escaped."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    escaped = _WWW_DOT.sub(r"\1\\.", _URL_SCHEME.sub(r"\1\\:", escaped))
    return _EMAIL_AT.sub("@<!-- -->", escaped)


def code(text: str) -> str:
    return f"`{text}`" if "`" not in text else md(text)


@dataclass(frozen=True)
class Table:
    """A table and the line that introduces it: cut only between rows, never without a row."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def lines(self, rows: int | None = None) -> list[str]:
        head = [self.title, "", "| " + " | ".join(self.header) + " |",
                "|" + "---|" * len(self.header)]
        return head + ["| " + " | ".join(row) + " |" for row in self.rows[:rows]]


Block = str | Table


def _headline(results: dict[str, Any]) -> list[Block]:
    verdict = results["verdict"]
    word = VERDICT_WORDS[verdict["outcome"]]
    counts = " · ".join(f"{n} {outcome}" for outcome, n in results["summary"].items() if n)
    lines = [
        f"## {VERDICT_ICONS[verdict['outcome']]} gatekeeper: {word} — {md(subject_title(results))}",
        "",
        f"**Verdict: {word}** (exit {verdict['exit_code']}) · "
        f"{len(results['controls'])} controls: {counts}",
    ]
    if partial_run(results):
        lines.append(f"\n> ⚠️ **Partial run.** {md(partial_run(results))}")
    maturity = results.get("maturity")
    if maturity:
        overall = maturity["overall"]
        mean_level = (f", mean domain level {overall['mean_level']:.1f}"
                      if "mean_level" in overall else "")
        lines.append(
            f"\nMaturity: overall level **{overall['level']}** "
            f"({LEVEL_NAMES[overall['level']]}, the lowest domain){mean_level}, "
            f"mean question score {overall['mean']:.2f} of 4"
        )
    return ["\n".join(lines)]


def _reason(control: dict[str, Any]) -> str:
    said = entries(control)
    if not said:
        return md(control["title"])
    more = f" (+{len(said) - 1} more)" if len(said) > 1 else ""
    return md(said[0]["message"]) + more


def _effect(control: dict[str, Any], results: dict[str, Any]) -> str:
    what = effect(control, results)
    if what == "blocks":
        return "**blocks**"
    if what == "waived":
        return f"waived ({md((control.get('waiver') or {}).get('exception', ''))})"
    return what


def not_passing(results: dict[str, Any]) -> list[dict[str, Any]]:
    found = [c for c in results["controls"] if c["outcome"] in ORDER]
    return sorted(found, key=lambda c: (not blocks(c, results), ORDER[c["outcome"]], c["id"]))


def _controls_table(controls: list[dict[str, Any]], results: dict[str, Any]) -> list[Block]:
    if not controls:
        return ["### Controls\n\nEvery control passed."]
    rows = tuple(
        (f"{OUTCOME_ICONS[c['outcome']]} {c['outcome']}", code(c["id"]), c["severity"],
         c.get("strength", "—"), _effect(c, results), _reason(c))
        for c in controls
    )
    return [Table(f"### Controls that did not pass ({len(controls)})",
                  ("Outcome", "Control", "Severity", "Strength", "Effect", "Why"), rows)]


def _message_line(message: dict[str, Any]) -> str:
    where = location(message)
    line = f"- {md(message['message'])}" + (f" ({code(where)})" if where else "")
    if message.get("waived_by"):
        line += f" — _waived by {md(message['waived_by'])}_"
    return line


def _control_details(control: dict[str, Any]) -> str:
    lines = [f"#### {OUTCOME_ICONS[control['outcome']]} {code(control['id'])} — "
             f"{md(control['title'])}", ""]
    said = entries(control)
    lines += [_message_line(m) for m in said[:MAX_MESSAGES]]
    if len(said) > MAX_MESSAGES:
        lines.append(f"- … and {len(said) - MAX_MESSAGES} more (see the JSON results)")
    waiver = control.get("waiver")
    if control["outcome"] == "waived" and waiver:
        lines.append(f"\n{_waiver_line(waiver)}")
    if control["outcome"] != "warn":
        lines.append(f"\n**Fix:** {md(control['remediation'])}")
    return "\n".join(lines)


def _waiver_line(waiver: dict[str, Any]) -> str:
    who = ", ".join(f"{label} {md(waiver[key])}" for key, label in (
        ("owner", "owner"), ("approved_by", "approved by"), ("ticket", "ticket"))
        if waiver.get(key))
    line = f"Waived by **{md(waiver['exception'])}**"
    line += f" until {md(waiver['expires'])}" if waiver.get("expires") else ""
    line += f" ({who})" if who else ""
    return line + (f": {md(waiver['justification'])}" if waiver.get("justification") else "")


def _exception_row(entry: dict[str, Any]) -> tuple[str, ...]:
    return (
        md(entry["id"]),
        ", ".join(code(c) for c in entry.get("controls", [])),
        md(", ".join(entry.get("findings", []))) or "all",
        md(entry.get("owner", "")),
        md(entry.get("approved_by", "")),
        md(entry.get("ticket", "")),
        md(entry.get("expires", "")),
        md(entry.get("justification", "")),
    )


EXCEPTION_HEADER = ("Exception", "Controls", "Findings", "Owner", "Approved by", "Ticket",
                    "Expires", "Justification")


def _waivers(results: dict[str, Any]) -> list[Block]:
    if "exceptions" not in results:
        return []
    lists = exceptions(results)
    blocks_: list[Block] = ["### Waivers"]
    if lists["applied"]:
        blocks_.append(Table(f"Applied ({len(lists['applied'])}):", EXCEPTION_HEADER,
                             tuple(_exception_row(e) for e in lists["applied"])))
    else:
        blocks_.append("No exception applied.")
    if lists["expiring"]:
        blocks_.append("⚠️ **Expiring soon:** " + "; ".join(
            f"{md(e['id'])} expires {md(e['expires'])}"
            + (f" (in {e['days_left']} days)" if "days_left" in e else "")
            + f", then {', '.join(code(c) for c in e['controls'])} no longer waived"
            for e in lists["expiring"]))
    if lists["expired"]:
        blocks_.append(Table(f"Expired, no effect ({len(lists['expired'])}):", EXCEPTION_HEADER,
                             tuple(_exception_row(e) for e in lists["expired"])))
    if lists["unused"]:
        blocks_.append("Unused (waived nothing in this run): " + "; ".join(
            md(e["id"]) + (f" ({md(e['reason'])})" if e.get("reason") else "")
            for e in lists["unused"]))
    return blocks_


def _maturity(results: dict[str, Any]) -> list[Block]:
    maturity = results.get("maturity")
    if not maturity:
        return []
    rows = []
    strengths = {q["id"]: q.get("strength") for q in maturity["questions"]}
    for domain in maturity["domains"]:
        blockers = ", ".join(
            f"{md(b['question'])} ({b['score']}/4 {strengths[b['question']] or 'unanswered'})"
            for b in domain["blockers"][:3])
        if len(domain["blockers"]) > 3:
            blockers += f" (+{len(domain['blockers']) - 3})"
        level = f"{domain['level']} {LEVEL_NAMES[domain['level']]}"
        if below_its_minimum(domain):
            level += f" ❌ (minimum {domain['minimum_level']})"
        rows.append((
            f"{md(domain['id'])} {md(domain['name'])}", level, f"{domain['mean']:.2f}",
            f"{domain['questions_met']}/{domain['questions_total']}",
            blockers or "—",
        ))
    return [Table("### Maturity per domain",
                  ("Domain", "Level", "Mean (0-4)", "Questions met", "Holding it back"),
                  tuple(rows))]


def _not_applicable(results: dict[str, Any]) -> list[Block]:
    """The controls not evaluated for this kind of system, grouped by why, and the questions
    left out of the levels."""
    reasons: dict[str, list[str]] = {}
    for control in results["controls"]:
        if control["outcome"] == "not_applicable":
            reasons.setdefault(control.get("not_applicable", ""), []).append(code(control["id"]))
    if not reasons:
        return []
    lines = ["### Not applicable (not evaluated, never block)", ""]
    lines += [f"- {md(reason)}: {', '.join(ids)}" for reason, ids in reasons.items()]
    questions = [q for q in (results.get("maturity") or {}).get("questions", [])
                 if q.get("not_applicable")]
    if questions:
        lines.append(f"- {md(questions[0]['not_applicable'])}, left out of the levels: "
                     + ", ".join(md(q["id"]) for q in questions))
    return ["\n".join(lines)]


def _baseline(results: dict[str, Any]) -> list[Block]:
    baseline = results.get("baseline")
    if not baseline:
        return []
    fail_on = baseline.get("fail_on", "any")
    lines = [
        "### Compared with the baseline",
        "",
        f"Baseline {code(baseline['file'])}"
        + (f" (evaluated {md(baseline['evaluated_at'])})" if baseline.get("evaluated_at") else "")
        + f": {len(baseline['new'])} new, {len(baseline['fixed'])} fixed, "
        f"{len(baseline['unchanged'])} unchanged"
        + (" — only new failures block" if fail_on == "new" else ""),
        "",
    ]
    for name, title in BASELINE_LISTS:
        if baseline.get(name):
            lines.append(f"- {title}: "
                         + ", ".join(md(baseline_item(i)) for i in baseline[name]))
    return ["\n".join(lines)]


def _trends(results: dict[str, Any]) -> list[Block]:
    trends = results.get("trends")
    if not trends:
        return []
    rows = tuple(
        (md(s["question"] or "—"), code(s["control"]), md(s["metric"]),
         md(describe_points(s["points"])), md(s["direction"]))
        for s in trends["series"]
    )
    if not rows:
        return [f"### Trends\n\nNo series over the last {trends['window']} runs yet."]
    return [Table(f"### Trends over the last {trends['window']} runs",
                  ("Question", "Control", "Measure", "Values (oldest first)", "Direction"), rows)]


def _footer(results: dict[str, Any]) -> str:
    engine = results["engine"]
    org = results["policy"].get("org_policy")
    return (
        f"<sub>gatekeeper {md(results['tool']['version'])} · {md(engine['kind'])} "
        f"{md(engine.get('version', ''))} · evaluated {md(results['evaluated_at'])} · "
        f"policy sha256 {results['policy']['digest'][:16]}… · "
        + (f"org policy sha256 {org['sha256'][:16]}… · " if org else "")
        + f"evidence sha256 {results['evidence']['sha256'][:16]}…</sub>"
    )


def report_blocks(results: dict[str, Any]) -> list[Block]:
    controls = not_passing(results)
    found: list[Block] = [*_headline(results), *_controls_table(controls, results)]
    found += [_control_details(c) for c in controls]
    found += _waivers(results) + _maturity(results) + _trends(results)
    found += _not_applicable(results) + _baseline(results)
    return [*found, _footer(results)]


def _size(lines: list[str]) -> int:
    return sum(len(line.encode("utf-8")) + 1 for line in lines)


def _rows_that_fit(table: Table, room: int) -> list[str]:
    """The table's title and header with as many whole rows as fit in ``room`` bytes."""
    head = table.lines(0)
    room -= _size(head)
    rows = []
    for line in table.lines()[len(head):]:
        room -= _size([line])
        if room < 0:
            break
        rows.append(line)
    return head + rows if rows else []


def render(results: dict[str, Any], options: ReportOptions = DEFAULT_OPTIONS) -> str:
    limit = options.limit
    note = (f"> ✂️ Report truncated to stay within {limit:,} bytes: the full report is in "
            "the JSON results and the HTML report.")
    budget = limit - _size([note])
    out: list[str] = []
    used = 0
    for block in report_blocks(results):
        lines = [*([block] if isinstance(block, str) else block.lines()), ""]
        if used + _size(lines) <= budget:
            out += lines
            used += _size(lines)
            continue
        if isinstance(block, Table):
            fitting = _rows_that_fit(block, budget - used - 1)
            out += [*fitting, ""] if fitting else []
        out.append(note)
        break
    return "\n".join(out).rstrip("\n") + "\n"
