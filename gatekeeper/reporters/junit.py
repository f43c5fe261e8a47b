"""JUnit XML for GitLab merge-request test reports and Jenkins.

A test suite per domain, in the order the results document lists its controls (the catalog's
domain order), a test case per control.

A ``<failure>`` is exactly what blocks the release: a blocking control that failed or has no
evidence (and that no baseline let through), with every message and the remediation.
error -> ``<error>``; waived and non-blocking missing evidence -> ``<skipped>`` with a reason
that says which; an advisory (or let-through) failure and a warning -> a passing case whose
messages are in ``<system-out>``, after a note of what the outcome does to the release. So a
passing gate never shows a ``<failure>``.

Evidence text may hold anything a scanner printed: ANSI colour sequences are dropped and every
other character XML 1.0 forbids (NUL, the C0 controls) is written as a visible ``\\xNN``, in
every text and attribute, so the file always parses. ``base`` (the configuration's folder
relative to the repository root) is put before ``file=`` paths, as in SARIF.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from typing import Any

from gatekeeper.reporters.interface import DEFAULT_OPTIONS, ReportOptions
from gatekeeper.reporters.view import (
    domain_names,
    effect,
    entries,
    location,
    partial_run,
    subject_title,
)
from gatekeeper.verdict import NOT_MET_OUTCOMES, blocks

ANSI_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
NOT_BLOCKING = {"advisory": "advisory, does not block"}


def xml_safe(text: str) -> str:
    """``text`` without ANSI sequences, every character XML 1.0 forbids as ``\\xNN``."""
    return XML_FORBIDDEN.sub(lambda m: f"\\x{ord(m.group()):02x}", ANSI_SEQUENCE.sub("", text))


def _text(control: dict[str, Any]) -> str:
    lines = []
    for message in entries(control):
        where = location(message)
        waived = f" [waived by {message['waived_by']}]" if message.get("waived_by") else ""
        lines.append(f"- {message['message']}{f' ({where})' if where else ''}{waived}")
    if control["outcome"] in NOT_MET_OUTCOMES:
        lines.append(f"Remediation: {control['remediation']}")
    return "\n".join(lines)


def _summary(control: dict[str, Any]) -> str:
    said = entries(control)
    if not said:
        return str(control["title"])
    more = f" (+{len(said) - 1} more)" if len(said) > 1 else ""
    return f"{said[0]['message']}{more}"


def _skip_reason(control: dict[str, Any], results: dict[str, Any]) -> str:
    if control["outcome"] == "waived":
        waiver = control.get("waiver") or {}
        reason = f"waived by {waiver.get('exception', 'an exception')}"
        if waiver.get("expires"):
            reason += f" until {waiver['expires']}"
        return reason + (f": {waiver['justification']}" if waiver.get("justification") else "")
    said = {"blocks": "blocks the release", **NOT_BLOCKING}
    what = effect(control, results)
    return f"{_summary(control)}; {said.get(what, what)}"


def _note(control: dict[str, Any], results: dict[str, Any]) -> str:
    """A passing case's output: what the outcome does to the release, then the messages."""
    what = effect(control, results)
    if control["outcome"] == "warn":
        return _text(control)
    return f"{control['outcome']}: {NOT_BLOCKING.get(what, what)}\n{_text(control)}"


def testcase(control: dict[str, Any], results: dict[str, Any], base: str = "") -> ET.Element:
    case = ET.Element("testcase", {
        "classname": f"gatekeeper.{control['domain']}",
        "name": control["id"],
        "time": "0",
    })
    files = [m["file"] for m in entries(control) if m.get("file")]
    if control["outcome"] != "no_evidence":
        files += control["evidence_files"]
    if files:
        case.set("file", posixpath.join(base, files[0]))
    outcome = control["outcome"]
    if outcome in ("fail", "no_evidence") and blocks(control, results):
        kind = "fail" if outcome == "fail" else "no evidence"
        child = ET.SubElement(case, "failure", {"message": _summary(control), "type": kind})
        child.text = _text(control)
    elif outcome == "error":
        child = ET.SubElement(case, "error", {"message": _summary(control), "type": "error"})
        child.text = _text(control)
    elif outcome == "not_applicable":
        reason = f"not applicable: {control.get('not_applicable', '')}"
        ET.SubElement(case, "skipped", {"message": reason})
    elif outcome in ("waived", "no_evidence"):
        ET.SubElement(case, "skipped", {"message": _skip_reason(control, results)}).text = _text(
            control)
    elif outcome in ("fail", "warn"):
        ET.SubElement(case, "system-out").text = _note(control, results)
    return case


def _make_xml_safe(root: ET.Element) -> None:
    for element in root.iter():
        if element.text:
            element.text = xml_safe(element.text)
        for name, value in element.attrib.items():
            element.set(name, xml_safe(value))


def _count(cases: list[ET.Element], tag: str) -> str:
    return str(sum(case.find(tag) is not None for case in cases))


def _totals(element: ET.Element, cases: list[ET.Element]) -> None:
    element.set("tests", str(len(cases)))
    for tag, attribute in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
        element.set(attribute, _count(cases, tag))
    element.set("time", "0")


def render(results: dict[str, Any], options: ReportOptions = DEFAULT_OPTIONS) -> str:
    names = domain_names(results)
    root = ET.Element("testsuites", {"name": f"gatekeeper: {subject_title(results)}"})
    every_case = []
    by_domain: dict[str, list[dict[str, Any]]] = {}
    for control in results["controls"]:
        by_domain.setdefault(control["domain"], []).append(control)
    for domain, controls in by_domain.items():
        name = f"{domain} {names[domain]}" if domain in names else domain
        suite = ET.SubElement(root, "testsuite", {"name": name})
        cases = [testcase(control, results, options.base) for control in controls]
        _totals(suite, cases)
        if partial_run(results):
            properties = ET.SubElement(suite, "properties")
            ET.SubElement(properties, "property",
                          {"name": "gatekeeper.partial_run", "value": partial_run(results)})
        suite.extend(cases)
        every_case += cases
    _totals(root, every_case)
    _make_xml_safe(root)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
