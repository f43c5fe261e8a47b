"""JUnit XML for GitLab merge-request test reports and Jenkins.

A test suite per domain, a test case per control.

fail -> ``<failure>`` (with every message and the remediation), error -> ``<error>``,
waived and no_evidence -> ``<skipped>`` with a reason that says which (and, for missing evidence
on a blocking control, that it blocks the release), warn -> a passing case whose warnings are
in ``<system-out>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from gatekeeper.catalog import DOMAINS
from gatekeeper.reporters.view import domain_names, effect, entries, location, subject_title


def _text(control: dict[str, Any]) -> str:
    lines = []
    for message in entries(control):
        where = location(message)
        waived = f" [waived by {message['waived_by']}]" if message.get("waived_by") else ""
        lines.append(f"- {message['message']}{f' ({where})' if where else ''}{waived}")
    if control["outcome"] in ("fail", "no_evidence", "error", "waived"):
        lines.append(f"Remediation: {control['remediation']}")
    return "\n".join(lines)


def _summary(control: dict[str, Any]) -> str:
    said = entries(control)
    if not said:
        return control["title"]
    more = f" (+{len(said) - 1} more)" if len(said) > 1 else ""
    return said[0]["message"] + more


def _skip_reason(control: dict[str, Any], results: dict[str, Any]) -> str:
    if control["outcome"] == "waived":
        waiver = control.get("waiver") or {}
        reason = f"waived by {waiver.get('exception', 'an exception')}"
        if waiver.get("expires"):
            reason += f" until {waiver['expires']}"
        return reason + (f": {waiver['justification']}" if waiver.get("justification") else "")
    said = {"blocks": "blocks the release", "advisory": "advisory, does not block"}
    what = effect(control, results)
    return f"{_summary(control)}; {said.get(what, what)}"


def testcase(control: dict[str, Any], results: dict[str, Any]) -> ET.Element:
    case = ET.Element("testcase", {
        "classname": f"gatekeeper.{control['domain']}",
        "name": control["id"],
        "time": "0",
    })
    files = [m["file"] for m in entries(control) if m.get("file")]
    if control["outcome"] != "no_evidence":
        files += control["evidence_files"]
    if files:
        case.set("file", files[0])
    outcome = control["outcome"]
    if outcome == "fail":
        kind = "fail" if control["enforcement"] == "blocking" else "advisory fail"
        child = ET.SubElement(case, "failure", {"message": _summary(control), "type": kind})
        child.text = _text(control)
    elif outcome == "error":
        child = ET.SubElement(case, "error", {"message": _summary(control), "type": "error"})
        child.text = _text(control)
    elif outcome in ("waived", "no_evidence"):
        ET.SubElement(case, "skipped", {"message": _skip_reason(control, results)}).text = _text(
            control)
    elif outcome == "warn":
        ET.SubElement(case, "system-out").text = _text(control)
    return case


def _count(cases: list[ET.Element], tag: str) -> str:
    return str(sum(case.find(tag) is not None for case in cases))


def _totals(element: ET.Element, cases: list[ET.Element]) -> None:
    element.set("tests", str(len(cases)))
    for tag, attribute in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
        element.set(attribute, _count(cases, tag))
    element.set("time", "0")


def render(results: dict[str, Any], *, color: bool = False) -> str:
    names = domain_names(results)
    root = ET.Element("testsuites", {"name": f"gatekeeper: {subject_title(results)}"})
    every_case = []
    for domain in DOMAINS:
        controls = [c for c in results["controls"] if c["domain"] == domain]
        if not controls:
            continue
        name = f"{domain} {names[domain]}" if domain in names else domain
        suite = ET.SubElement(root, "testsuite", {"name": name})
        cases = [testcase(control, results) for control in controls]
        _totals(suite, cases)
        suite.extend(cases)
        every_case += cases
    _totals(root, every_case)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
