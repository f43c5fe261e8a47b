"""One self-contained HTML page: verdict, maturity heat map and radar, questions, controls, waivers.

Nothing is fetched: the styles are inline, the charts are inline SVG, there is no script, and a
Content-Security-Policy forbids every network load, so the file can be mailed, archived as a CI
artifact and opened offline. Every value from the results document is HTML-escaped.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

from gatekeeper.jsonio import dumps
from gatekeeper.reporters.view import (
    LEVEL_NAMES,
    VERDICT_WORDS,
    baseline_item,
    effect,
    entries,
    evidence_files_of,
    exceptions,
    location,
    phase_name,
    score_reasons,
    subject_title,
)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
MAX_MESSAGES = 50
MAX_DEPTH = 3

STYLE = """
:root{--pass:#1a7f37;--fail:#cf222e;--warn:#9a6700;--waived:#0969da;--none:#8250df;
--muted:#57606a;--line:#d0d7de;--bg:#f6f8fa;font-family:system-ui,-apple-system,"Segoe UI",
Roboto,sans-serif;color:#1f2328}
body{margin:0 auto;max-width:1180px;padding:0 24px 48px;line-height:1.45}
h2{border-bottom:1px solid var(--line);padding-bottom:4px;margin-top:40px}
table{border-collapse:collapse;width:100%;font-size:14px;margin:8px 0}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--bg)}
code{font-size:13px;background:var(--bg);padding:1px 4px;border-radius:4px;word-break:break-all}
.verdict{border-radius:8px;padding:16px 24px;margin-top:24px;color:#fff}
.verdict h1{margin:0;font-size:34px}.verdict p{margin:4px 0}
.verdict.pass{background:var(--pass)}.verdict.fail{background:var(--fail)}
.verdict.error{background:#6e2b00}
.chips span{display:inline-block;margin:6px 6px 0 0;padding:2px 10px;border-radius:12px;
background:rgba(255,255,255,.2);font-weight:600}
nav a{margin-right:14px}
code.id{white-space:nowrap;word-break:normal}.nowrap{white-space:nowrap}
.badge{white-space:nowrap;display:inline-block;min-width:84px;text-align:center;padding:1px 6px;
border-radius:4px;color:#fff;font-size:12px;font-weight:600;text-transform:uppercase}
.o-pass{background:var(--pass)}.o-fail,.o-error{background:var(--fail)}.o-warn{background:var(--warn)}
.o-waived{background:var(--waived)}.o-no_evidence{background:var(--none)}
.charts{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
.heat{width:auto;flex:1 1 560px}.heat td{text-align:center;min-width:70px}
.heat td.name{text-align:left}.heat .reached{outline:3px solid #1f2328;outline-offset:-3px;
font-weight:700}.heat .floor{background:#eaeef2}
.radar{flex:0 0 380px}
.blocks{color:var(--fail);font-weight:600}
article{border:1px solid var(--line);border-radius:6px;padding:8px 16px;margin:12px 0}
article h3{margin:8px 0}.muted{color:var(--muted)}
.waived-by{color:var(--waived);font-weight:600}
.score{display:inline-block;width:22px;text-align:center;border-radius:4px;color:#fff;
font-weight:700}
.s0{background:#cf222e}.s1{background:#e16f24}.s2{background:#bf8700}.s3{background:#2da44e}
.s4{background:#1a7f37}
"""


def e(value: Any) -> str:
    return escape(str(value), quote=True)


def _badge(outcome: str) -> str:
    return f'<span class="badge o-{e(outcome)}">{e(outcome.replace("_", " "))}</span>'


def _table(header: list[str], rows: list[list[str]], cls: str = "") -> str:
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    klass = f' class="{cls}"' if cls else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _verdict(results: dict[str, Any]) -> str:
    verdict = results["verdict"]
    chips = "".join(
        f"<span>{n} {e(outcome.replace('_', ' '))}</span>"
        for outcome, n in results["summary"].items() if n
    )
    maturity = results.get("maturity")
    level = ""
    if maturity:
        overall = maturity["overall"]
        mean_level = (f", mean domain level {overall['mean_level']:.1f}"
                      if "mean_level" in overall else "")
        level = (f"<p>Maturity: overall level {overall['level']} "
                 f"({LEVEL_NAMES[overall['level']]}){mean_level}, mean question score "
                 f"{overall['mean']:.2f} of 4</p>")
    return (
        f'<header class="verdict {e(verdict["outcome"])}">'
        f"<h1>{VERDICT_WORDS[verdict['outcome']]}</h1>"
        f"<p><strong>{e(subject_title(results))}</strong> · evaluated {e(results['evaluated_at'])}"
        f" · exit code {verdict['exit_code']}</p>{level}"
        f'<p class="chips">{chips}</p></header>'
    )


def _heat_cell(domain: dict[str, Any], questions: list[dict[str, Any]], level: int) -> str:
    marker = " ●" if level == domain["level"] else ""
    classes = ["reached"] if level == domain["level"] else []
    if level == 1:
        classes.append("floor")
        label, style = "floor", ""
    else:
        due = [q for q in questions if q["target_level"] == level]
        met = sum(q["score"] >= 3 for q in due)
        if due:
            share = met / len(due)
            # from red (nothing met) to green (all met), light enough to read the text on
            hue = round(share * 120)
            label, style = f"{met}/{len(due)}", f' style="background:hsl({hue},65%,78%)"'
        else:
            label, style = "—", ""
    title = f"{domain['id']} level {level} ({LEVEL_NAMES[level]})"
    klass = f' class="{" ".join(classes)}"' if classes else ""
    return f'<td{klass}{style} title="{e(title)}">{e(label)}{marker}</td>'


def _heat_map(maturity: dict[str, Any]) -> str:
    rows = []
    for domain in maturity["domains"]:
        own = [q for q in maturity["questions"] if q["domain"] == domain["id"]]
        cells = [_heat_cell(domain, own, level) for level in range(1, 6)]
        name = f'<td class="name"><strong>{e(domain["id"])}</strong> {e(domain["name"])}</td>'
        rows.append(name + "".join(cells))
    header = "".join(f"<th>{level} {LEVEL_NAMES[level]}</th>" for level in range(1, 6))
    body = "".join(f"<tr>{row}</tr>" for row in rows)
    return (
        '<table class="heat"><caption class="muted">Questions met (score ≥ 3) of those '
        "targeting each level; ● marks the level reached</caption>"
        f"<thead><tr><th>Domain</th>{header}</tr></thead><tbody>{body}</tbody></table>"
    )


def _point(index: int, count: int, radius: float, center: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return center + radius * math.cos(angle), center + radius * math.sin(angle)


def _polygon(values: list[float], radius: float, center: float) -> str:
    points = (_point(i, len(values), radius * v, center) for i, v in enumerate(values))
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def radar(domains: list[dict[str, Any]], size: int = 380) -> str:
    """An SVG radar of the domains' mean question scores (0 at the centre, 4 at the rim)."""
    center, radius = size / 2, size / 2 - 50
    count = len(domains)
    parts = [f'<svg class="radar" role="img" xmlns="http://www.w3.org/2000/svg" width="{size}" '
             f'height="{size}" viewBox="0 0 {size} {size}"><title>Mean score per domain '
             "(0-4)</title>"]
    for ring in range(1, 5):
        parts.append(f'<polygon points="{_polygon([ring / 4] * count, radius, center)}" '
                     'fill="none" stroke="#d0d7de"/>')
    for index, domain in enumerate(domains):
        x, y = _point(index, count, radius, center)
        lx, ly = _point(index, count, radius + 22, center)
        parts.append(f'<line x1="{center:.1f}" y1="{center:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
                     'stroke="#d0d7de"/>')
        parts.append(f'<text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="middle" '
                     f'font-size="12">{e(domain["id"])} {domain["mean"]:.1f}</text>')
    means = [min(max(d["mean"], 0), 4) / 4 for d in domains]
    parts.append(f'<polygon points="{_polygon(means, radius, center)}" fill="rgba(9,105,218,.25)" '
                 'stroke="#0969da" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)


def _maturity(results: dict[str, Any]) -> str:
    maturity = results.get("maturity")
    if not maturity:
        return ('<section id="maturity"><h2>Maturity</h2><p class="muted">Maturity was not '
                "scored in this run.</p></section>")
    return (
        '<section id="maturity"><h2>Maturity</h2><div class="charts">'
        f"{_heat_map(maturity)}{radar(maturity['domains'])}</div>{_gaps(maturity)}</section>"
    )


def _answer(blocker: dict[str, Any]) -> str:
    """The controls that answer a question, and the evidence hint."""
    parts = []
    if blocker.get("controls"):
        parts.append(", ".join(f'<code class="id">{e(c)}</code>' for c in blocker["controls"]))
    if blocker.get("hint"):
        parts.append(f'<span class="muted">{e(blocker["hint"])}</span>')
    return "<br>".join(parts)


def _gaps(maturity: dict[str, Any]) -> str:
    """Per domain, the questions that hold it below its next level, and what would answer them."""
    rows = [
        [f'<span class="nowrap"><strong>{e(domain["id"])}</strong> → {domain["level"] + 1}</span>',
         f'<code class="id">{e(b["question"])}</code> {e(b.get("text", ""))}',
         f'<span class="score s{b["score"]}">{b["score"]}</span>',
         f'<span class="nowrap">{e(phase_name(b["phase"]))}</span>', _answer(b)]
        for domain in maturity["domains"] for b in domain["blockers"]
    ]
    if not rows:
        return ""
    return ("<h3>Gaps to the next level</h3>"
            + _table(["Domain", "Question", "Score", "Roadmap", "Would answer it"], rows))


def _controls(results: dict[str, Any]) -> str:
    rows = []
    for control in results["controls"]:
        said = entries(control)
        why = e(said[0]["message"]) if said else ""
        if len(said) > 1:
            why += f" (+{len(said) - 1} more)"
        what = effect(control, results)
        rows.append([
            _badge(control["outcome"]),
            f'<a href="#control-{e(control["id"])}"><code class="id">{e(control["id"])}</code></a>',
            e(control["title"]), e(control["severity"]), e(control.get("strength", "")),
            '<span class="blocks">blocks</span>' if what == "blocks" else e(what), why,
        ])
    return ('<section id="controls"><h2>Controls</h2>'
            + _table(["Outcome", "Control", "Title", "Severity", "Strength", "Effect", "Why"],
                     rows)
            + "</section>")


def _value(value: Any, depth: int = 0) -> str:
    """Control ``details`` of any shape as nested tables, lists and text."""
    if depth >= MAX_DEPTH and isinstance(value, (dict, list)):
        return f"<code>{e(dumps(value, pretty=False).decode('utf-8'))}</code>"
    if isinstance(value, dict):
        return _table(["Key", "Value"],
                      [[e(k), _value(v, depth + 1)] for k, v in value.items()])
    if isinstance(value, list):
        if value and all(isinstance(item, dict) for item in value):
            keys = list(dict.fromkeys(k for item in value for k in item))
            return _table([e(k) for k in keys],
                          [[_value(item.get(k, ""), depth + 1) for k in keys] for item in value])
        return "<ul>" + "".join(f"<li>{_value(v, depth + 1)}</li>" for v in value) + "</ul>"
    if isinstance(value, bool):
        return "true" if value else "false"
    return e(value)


def _message(message: dict[str, Any]) -> str:
    where = location(message)
    text = e(message["message"]) + (f" <code>{e(where)}</code>" if where else "")
    if message.get("waived_by"):
        text += f' <span class="waived-by">waived by {e(message["waived_by"])}</span>'
    return f"<li>{text}</li>"


def _control_article(control: dict[str, Any]) -> str:
    said = entries(control)
    parts = [
        f'<article id="control-{e(control["id"])}"><h3>{_badge(control["outcome"])} '
        f'<code>{e(control["id"])}</code> {e(control["title"])}</h3>',
        f"<p>{e(control['description'])}</p>",
        f'<p class="muted">severity {e(control["severity"])} · {e(control["enforcement"])} · '
        f'evidence strength {e(control.get("strength", "unknown"))} · '
        f"answers {e(', '.join(control['questions']) or 'no question')}</p>",
    ]
    if said:
        items = "".join(_message(m) for m in said[:MAX_MESSAGES])
        if len(said) > MAX_MESSAGES:
            items += f"<li>… and {len(said) - MAX_MESSAGES} more (see the JSON results)</li>"
        parts.append(f"<ul>{items}</ul>")
    waiver = control.get("waiver")
    if control["outcome"] == "waived" and waiver:
        until = f" until {e(waiver['expires'])}" if waiver.get("expires") else ""
        parts.append(f'<p class="waived-by">Waived by {e(waiver["exception"])}{until}: '
                     f'{e(waiver.get("justification", ""))}</p>')
    if control["outcome"] != "pass":
        parts.append(f"<p><strong>Fix:</strong> {e(control['remediation'])}</p>")
    frameworks = "; ".join(f"{e(name)}: {e(', '.join(ids))}"
                           for name, ids in sorted(control["frameworks"].items()))
    if frameworks:
        parts.append(f'<p class="muted">Frameworks: {frameworks}</p>')
    files = ", ".join(f"<code>{e(path)}</code>" for path in control["evidence_files"])
    parts.append(f'<p class="muted">Evidence files: {files or "none"}</p>')
    if control.get("details"):
        parts.append(f"<h4>Details</h4>{_value(control['details'])}")
    parts.append("</article>")
    return "".join(parts)


def _details(results: dict[str, Any]) -> str:
    shown = [c for c in results["controls"] if c["outcome"] != "pass" or c.get("details")]
    body = "".join(_control_article(c) for c in shown) or "<p>Every control passed.</p>"
    return f'<section id="details"><h2>Control details</h2>{body}</section>'


def _question_evidence(results: dict[str, Any], question: dict[str, Any]) -> str:
    attestation = question.get("attestation") or {}
    parts = [f"<code>{e(p)}</code>" for p in evidence_files_of(results, question.get(
        "controls", []))]
    link = attestation.get("evidence")
    if isinstance(link, str) and link.startswith(("https://", "http://")):
        parts.append(f'<a href="{e(link)}">{e(link)}</a>')
    elif link:
        parts.append(e(link))
    if attestation.get("attested_by"):
        status = attestation.get("status", "valid")
        parts.append(f'attested by {e(attestation["attested_by"])}'
                     + (f' on {e(attestation["date"])}' if attestation.get("date") else "")
                     + (f" ({e(status)})" if status != "valid" else ""))
    return "<br>".join(parts)


def _questions(results: dict[str, Any]) -> str:
    maturity = results.get("maturity")
    if not maturity:
        return ""
    rows = []
    for question in maturity["questions"]:
        controls = ", ".join(f'<a href="#control-{e(c)}"><code class="id">{e(c)}</code></a>'
                             for c in question.get("controls", []))
        rows.append([
            f'<code class="id">{e(question["id"])}</code>', e(question.get("text", "")),
            str(question["target_level"]),
            f'<span class="score s{question["score"]}">{question["score"]}</span>',
            e(question["mode"]), e(question["source"]), e(question.get("strength") or "—"),
            controls, _question_evidence(results, question), _why(question),
        ])
    return ('<section id="questions"><h2>Questions</h2>'
            + _table(["Question", "Text", "Target level", "Score", "Mode", "Source", "Strength",
                      "Controls", "Evidence", "Why this score"], rows) + "</section>")


def _why(question: dict[str, Any]) -> str:
    items = "".join(f"<li>{e(reason)}</li>" for reason in score_reasons(question))
    return f"<details><summary>why {question['score']}</summary><ul>{items}</ul></details>"


def _expires(item: dict[str, Any]) -> str:
    left = f" (in {item['days_left']} days)" if "days_left" in item else ""
    return e(item.get("expires", "")) + left


def _exception_rows(items: list[dict[str, Any]]) -> list[list[str]]:
    return [[
        e(item["id"]), e(", ".join(item.get("controls", []))),
        e(", ".join(item.get("findings", [])) or "all"), e(item.get("owner", "")),
        e(item.get("approved_by", "")), e(item.get("ticket", "")), _expires(item),
        e(item.get("justification", ""))
        + (f'<br><span class="muted">{e(item["reason"])}</span>' if item.get("reason") else ""),
    ] for item in items]


def _waivers(results: dict[str, Any]) -> str:
    if "exceptions" not in results:
        return ('<section id="waivers"><h2>Waivers</h2><p class="muted">No exceptions file was '
                "used in this run.</p></section>")
    lists = exceptions(results)
    header = ["Exception", "Controls", "Findings", "Owner", "Approved by", "Ticket", "Expires",
              "Justification"]
    titles = {"applied": "Applied", "expiring": "Expiring soon", "expired": "Expired (no effect)",
              "unused": "Unused (waived nothing in this run)"}
    parts = ['<section id="waivers"><h2>Waivers</h2>']
    file = (results.get("exceptions") or {}).get("file")
    if file:
        parts.append(f'<p class="muted">From <code>{e(file)}</code></p>')
    for name, title in titles.items():
        items = lists[name]
        parts.append(f"<h3>{title} ({len(items)})</h3>")
        if items:
            parts.append(_table(header, _exception_rows(items)))
    parts.append("</section>")
    return "".join(parts)


def _baseline(results: dict[str, Any]) -> str:
    baseline = results.get("baseline")
    if not baseline:
        return ""
    titles = {"new": "New", "fixed": "Fixed", "unchanged": "Unchanged",
              "let_through": "Let through by the baseline",
              "not_waivable": "Unchanged but not waivable, still blocking"}
    items = "".join(
        f"<li><strong>{title}</strong> ({len(baseline[name])}): "
        f"{e(', '.join(baseline_item(i) for i in baseline[name])) or '—'}</li>"
        for name, title in titles.items() if name in baseline
    )
    note = ("<p>Only new failures block (<code>--fail-on new</code>).</p>"
            if baseline.get("fail_on") == "new" else "")
    when = (f" evaluated {e(baseline['evaluated_at'])}" if baseline.get("evaluated_at") else "")
    return (f'<section id="baseline"><h2>Compared with the baseline</h2><p>Baseline '
            f"<code>{e(baseline['file'])}</code>{when}</p>{note}<ul>{items}</ul></section>")


def _evidence(results: dict[str, Any]) -> str:
    rows = [[f"<code>{e(s['path'])}</code>", e(s["collector"]), f"<code>{e(s['sha256'])}</code>"]
            for s in results["evidence"]["sources"]]
    return ('<section id="evidence"><h2>Evidence</h2>'
            + _table(["File", "Collector", "sha256"], rows) + "</section>")


def _footer(results: dict[str, Any]) -> str:
    engine = results["engine"]
    org = results["policy"].get("org_policy")
    org_digest = (
        f" · org policy {e(org['file'])} sha256 <code>{e(org['sha256'])}</code>" if org else ""
    )
    return (
        f'<footer class="muted"><p>gatekeeper {e(results["tool"]["version"])} · '
        f"{e(engine['kind'])} {e(engine.get('version', ''))} · policy sha256 "
        f"<code>{e(results['policy']['digest'])}</code>{org_digest} · evidence sha256 "
        f"<code>{e(results['evidence']['sha256'])}</code></p></footer>"
    )


def _nav(results: dict[str, Any]) -> str:
    links = [("maturity", "Maturity"), ("controls", "Controls"), ("details", "Details")]
    if results.get("maturity"):
        links.append(("questions", "Questions"))
    links.append(("waivers", "Waivers"))
    if results.get("baseline"):
        links.append(("baseline", "Baseline"))
    links.append(("evidence", "Evidence"))
    return "<nav>" + "".join(f'<a href="#{anchor}">{title}</a>' for anchor, title in links) + (
        "</nav>")


def render(results: dict[str, Any], *, color: bool = False) -> str:
    title = f"gatekeeper: {VERDICT_WORDS[results['verdict']['outcome']]} — {subject_title(results)}"
    body = "".join([
        _verdict(results), _nav(results), _maturity(results), _controls(results),
        _details(results), _questions(results), _waivers(results), _baseline(results),
        _evidence(results), _footer(results),
    ])
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="icon" href="data:,">'
        f"<title>{e(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )
