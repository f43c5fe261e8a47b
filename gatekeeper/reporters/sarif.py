"""SARIF 2.1.0 for code scanning: one rule per control, one result per finding.

A rule carries the control's title, description, remediation (as help), a
``security-severity`` from its severity, and its framework ids as tags. A result is written
for each message of a control that did not pass (failed, warned, waived, had no evidence or
errored), located at the file and line the message names. GitHub rejects a SARIF file in which
any result has no file location, so a message without a file is placed at the control's first
evidence file, and missing evidence (fixed in the configuration) at the configuration file.
A waived message carries a suppression with the exception's justification, so code scanning
shows it as dismissed, not as open.

File paths in the results document are relative to the configuration file's folder; ``base``
(that folder relative to the repository root) is put in front so code scanning finds the files.

``category`` becomes ``automationDetails.id`` (``<category>/``): code scanning keeps analyses
of different categories apart, and takes the category from the file when the file has one, so
the category must be written here (upload-sarif's own ``category`` input does not override it).
Without one, the id is ``gatekeeper/<subject name>/``.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from typing import Any

from gatekeeper.jsonio import dumps
from gatekeeper.reporters.interface import DEFAULT_OPTIONS, ReportOptions
from gatekeeper.reporters.view import anchor_file, entries, partial_run, utc
from gatekeeper.verdict import NOT_MET_OUTCOMES

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
# GitHub reads security-severity as a CVSS-like score: >= 9 critical, >= 7 high, >= 4 medium.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
SEVERITY_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note",
                  "info": "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
INFORMATION_URI = "https://gatekeeper.dev"
FINGERPRINT = "gatekeeperFinding/v2"  # v2: no time-dependent text (issue 13 item 7)
NUMBERS = re.compile(r"\d+")


def _rule_name(control_id: str) -> str:
    """``SDL-sbom-present`` -> ``SbomPresent``: an identifier-like name as SARIF suggests."""
    return "".join(part.capitalize() for part in control_id.split("-")[1:])


def _tags(control: dict[str, Any]) -> list[str]:
    ids = [i for _, framework in sorted(control["frameworks"].items()) for i in framework]
    return ["security", "ai-security", *ids]


def rule(control: dict[str, Any]) -> dict[str, Any]:
    severity = control["severity"]
    frameworks = "; ".join(
        f"{name}: {', '.join(ids)}" for name, ids in sorted(control["frameworks"].items())
    )
    markdown = f"**Remediation.** {control['remediation']}"
    if frameworks:
        markdown += f"\n\n**Frameworks.** {frameworks}"
    if control["questions"]:
        markdown += f"\n\n**Maturity questions.** {', '.join(control['questions'])}"
    return {
        "id": control["id"],
        "name": _rule_name(control["id"]),
        "shortDescription": {"text": control["title"]},
        "fullDescription": {"text": control["description"]},
        "help": {"text": f"Remediation: {control['remediation']}", "markdown": markdown},
        "defaultConfiguration": {"level": SEVERITY_LEVEL[severity]},
        "properties": {
            "tags": _tags(control),
            "security-severity": SECURITY_SEVERITY[severity],
            "problem.severity": PROBLEM_SEVERITY[SEVERITY_LEVEL[severity]],
            "precision": "high",
            **({"strength": control["strength"]} if "strength" in control else {}),
        },
    }


def _level(control: dict[str, Any]) -> str:
    """``error`` for what blocks (or would, were it not waived or let through by a baseline),
    ``warning`` for the rest."""
    blocking = control["enforcement"] == "blocking"
    return "error" if blocking and control["outcome"] in NOT_MET_OUTCOMES else "warning"


def _location(uri: str, line: int | None, base: str) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": posixpath.join(base, uri)}}
    if line:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _fingerprint(control_id: str, message: dict[str, Any]) -> str:
    """Stable across runs: the control and the finding key (and file), never the message,
    which may hold an age or a count ("1035 days old"). A message without a finding key is
    identified by its file and its text with every number blanked."""
    finding = message.get("finding")
    identity = finding if finding else NUMBERS.sub("#", message["message"])
    key = "\0".join([control_id, "finding" if finding else "text", identity,
                     message.get("file") or ""])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _suppression(control: dict[str, Any], message: dict[str, Any],
                 justifications: dict[str, str]) -> dict[str, Any] | None:
    waiver = control.get("waiver") if control["outcome"] == "waived" else None
    exception = message.get("waived_by") or (waiver or {}).get("exception")
    if not exception:
        return None
    justification = justifications.get(exception) or (waiver or {}).get("justification") or ""
    properties = {"exception": exception}
    if waiver and waiver.get("expires") and waiver.get("exception") == exception:
        properties["expires"] = waiver["expires"]
    return {
        "kind": "external",
        "status": "accepted",
        "justification": f"{exception}: {justification}".rstrip(": "),
        "properties": properties,
    }


def results_of(control: dict[str, Any], index: int, anchor: str, base: str,
               justifications: dict[str, str]) -> list[dict[str, Any]]:
    found = []
    for message in entries(control):
        result: dict[str, Any] = {
            "ruleId": control["id"],
            "ruleIndex": index,
            "level": _level(control),
            "message": {"text": f"{control['title']}: {message['message']}"},
            "locations": [
                _location(anchor_file(control, message, anchor), message.get("line"), base)
            ],
            "partialFingerprints": {FINGERPRINT: _fingerprint(control["id"], message)},
            "properties": {
                "outcome": control["outcome"],
                "enforcement": control["enforcement"],
                **({"strength": control["strength"]} if "strength" in control else {}),
                **({"finding": message["finding"]} if message.get("finding") else {}),
            },
        }
        suppression = _suppression(control, message, justifications)
        if suppression:
            result["suppressions"] = [suppression]
        found.append(result)
    return found


def _automation_id(results: dict[str, Any], category: str) -> str:
    return f"{category.strip('/') or 'gatekeeper/' + results['subject']['name']}/"


def render(results: dict[str, Any], options: ReportOptions = DEFAULT_OPTIONS) -> str:
    controls = results["controls"]
    justifications = {
        entry["id"]: entry.get("justification", "")
        for entry in (results.get("exceptions") or {}).get("applied", [])
    }
    sarif_results = []
    for index, control in enumerate(controls):
        if control["outcome"] != "pass":
            sarif_results += results_of(
                control, index, options.config_file, options.base, justifications
            )
    version = results["tool"]["version"]
    verdict = results["verdict"]
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "gatekeeper",
                        "informationUri": INFORMATION_URI,
                        "version": version,
                        "semanticVersion": version,
                        "rules": [rule(control) for control in controls],
                    }
                },
                "automationDetails": {"id": _automation_id(results, options.category)},
                "invocations": [
                    {
                        "executionSuccessful": verdict["outcome"] != "error",
                        "endTimeUtc": utc(results["evaluated_at"]),
                        "exitCode": verdict["exit_code"],
                    }
                ],
                "results": sarif_results,
                "properties": {
                    "verdict": verdict["outcome"],
                    "policyDigest": results["policy"]["digest"],
                    "evidenceDigest": results["evidence"]["sha256"],
                    **_org_policy_digest(results),
                    **({"partialRun": partial_run(results)} if partial_run(results) else {}),
                },
            }
        ],
    }
    return dumps(log).decode("utf-8")


def _org_policy_digest(results: dict[str, Any]) -> dict[str, str]:
    """The organization policy's digest, when one set the floor (docs/security.md)."""
    org = results["policy"].get("org_policy")
    return {"orgPolicyDigest": org["sha256"]} if org else {}
