"""OSCAL assessment results (JSON), built and validated with compliance-trestle's models.

One result for the run; one observation per control, with its evidence files (and their
sha256) as relevant evidence and its outcome as properties; one finding per control that did
not pass (failed, waived, no evidence, error), targeting the control and pointing at its
observation; the verdict and the maturity scores as properties of the result. OSCAL needs an
assessment plan to import: gatekeeper's plan is its policy set and configuration, so
``import-ap`` points at a back-matter resource that names them by their digest.

UUIDs are derived (UUID 5) from the run's evidence and policy digests, its time and the control,
so the same results document always gives the same OSCAL document.
"""

from __future__ import annotations

import uuid
from typing import Any

from gatekeeper.jsonio import dumps
from gatekeeper.reporters.interface import DEFAULT_OPTIONS, ReportOptions
from gatekeeper.reporters.view import location, partial_run, subject_title
from gatekeeper.timeutil import require_rfc3339
from gatekeeper.verdict import NOT_MET_OUTCOMES

NAMESPACE = "https://gatekeeper.dev/ns/oscal"
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, NAMESPACE)


class _Ids:
    """Stable UUIDs for one run: the same results document always gives the same ids."""

    def __init__(self, results: dict[str, Any]):
        self.run = "|".join(
            [results["evidence"]["sha256"], results["policy"]["digest"], results["evaluated_at"]]
        )

    def __call__(self, *parts: str) -> str:
        return str(uuid.uuid5(UUID_NAMESPACE, "|".join([self.run, *parts])))


def _prop(name: str, value: Any, cls: str | None = None) -> Any:
    from trestle.oscal.common import Property

    fields: dict[str, Any] = {"name": name, "value": str(value), "ns": NAMESPACE}
    if cls:
        fields["class_"] = cls
    return Property(**fields)


def _text(value: str) -> str:
    """OSCAL titles and prop values are one line with no edge spaces."""
    return " ".join(value.split()) or "-"


def _messages(control: dict[str, Any]) -> str:
    lines = []
    for message in control["messages"] + control["warnings"]:
        where = location(message)
        waived = f" [waived by {message['waived_by']}]" if message.get("waived_by") else ""
        lines.append(f"- {message['message']}{f' ({where})' if where else ''}{waived}")
    return "\n".join(lines)


def observation(control: dict[str, Any], results: dict[str, Any], ids: _Ids) -> Any:
    from trestle.oscal.common import Observation, RelevantEvidence

    digests = {s["path"]: s["sha256"] for s in results["evidence"]["sources"]}
    evidence = [
        RelevantEvidence(
            href=path,
            description=f"sha256 {digests[path]}" if path in digests else "cited by the control",
            props=[_prop("sha256", digests[path])] if path in digests else None,
        )
        for path in control["evidence_files"]
    ]
    props = [
        _prop("control-id", control["id"]),
        _prop("outcome", control["outcome"]),
        _prop("enforcement", control["enforcement"]),
        _prop("severity", control["severity"]),
        *(_prop("question", q) for q in control["questions"]),
    ]
    return Observation(
        uuid=ids("observation", control["id"]),
        title=_text(f"{control['id']}: {control['title']}"),
        description=control["description"],
        props=props,
        methods=["TEST"],
        types=["control-objective"],
        relevant_evidence=evidence or None,
        collected=require_rfc3339(results["evidence"]["collected_at"]),
        remarks=_messages(control) or None,
    )


def finding(control: dict[str, Any], ids: _Ids) -> Any:
    from trestle.oscal.common import Finding, FindingTarget, ObjectiveStatus, RelatedObservation

    remarks = f"Remediation: {control['remediation']}"
    waiver = control.get("waiver")
    if control["outcome"] == "waived" and waiver:
        remarks = (f"Waived by exception {waiver['exception']}"
                   + (f" until {waiver['expires']}" if waiver.get("expires") else "")
                   + (f": {waiver['justification']}" if waiver.get("justification") else "")
                   + f"\n{remarks}")
    return Finding(
        uuid=ids("finding", control["id"]),
        title=_text(f"{control['id']} {control['outcome'].replace('_', ' ')}"),
        description=_messages(control) or control["title"],
        props=[_prop("outcome", control["outcome"]), _prop("enforcement", control["enforcement"])],
        target=FindingTarget(
            type="objective-id",
            target_id=control["id"],
            title=_text(control["title"]),
            status=ObjectiveStatus(state="not-satisfied", reason="fail"),
        ),
        related_observations=[
            RelatedObservation(observation_uuid=ids("observation", control["id"]))
        ],
        remarks=remarks,
    )


def maturity_props(results: dict[str, Any]) -> list[Any]:
    maturity = results.get("maturity")
    if not maturity:
        return []
    props = [
        _prop("maturity-level", maturity["overall"]["level"], "overall"),
        _prop("maturity-mean", f"{maturity['overall']['mean']:.2f}", "overall"),
    ]
    for domain in maturity["domains"]:
        props += [_prop("maturity-level", domain["level"], domain["id"]),
                  _prop("maturity-mean", f"{domain['mean']:.2f}", domain["id"])]
    props += [_prop("question-score", q["score"], q["id"]) for q in maturity["questions"]]
    return props


def assessment_results(results: dict[str, Any]) -> Any:
    """The trestle model; building it validates every field against OSCAL's constraints."""
    from trestle.oscal import OSCAL_VERSION
    from trestle.oscal.assessment_results import AssessmentResults, ImportAp, Result
    from trestle.oscal.common import (
        BackMatter,
        ControlSelections,
        Hash,
        Metadata,
        Resource,
        ReviewedControls,
        Rlink,
        SelectControlById,
    )

    ids = _Ids(results)
    evaluated = require_rfc3339(results["evaluated_at"])
    policy = results["policy"]
    controls = results["controls"]
    plan = Resource(
        uuid=ids("policy"),
        title="gatekeeper policy set and configuration",
        description=(
            "The assessment plan: every Rego policy module, the thresholds and the profile that "
            f"decided, identified by their combined sha256 digest {policy['digest']}."
        ),
        props=[_prop("policy-digest", policy["digest"])]
        + ([_prop("org-policy-digest", policy["org_policy"]["sha256"])]
           if policy.get("org_policy") else []),
        rlinks=[Rlink(href=p["path"], hashes=[Hash(algorithm="SHA-256",
                                                                  value=p["sha256"])])
                for p in policy["files"]] or None,
    )
    result = Result(
        uuid=ids("result"),
        title=_text(f"gatekeeper gate for {subject_title(results)}"),
        description=(
            f"Verdict {results['verdict']['outcome']} (exit {results['verdict']['exit_code']}) "
            f"over {len(controls)} controls."
        ),
        start=evaluated,
        end=evaluated,
        props=[_prop("verdict", results["verdict"]["outcome"]),
               _prop("evidence-digest", results["evidence"]["sha256"]),
               *maturity_props(results),
               *([_prop("partial-run", "true")] if partial_run(results) else [])],
        reviewed_controls=ReviewedControls(
            control_selections=[ControlSelections(
                include_controls=[SelectControlById(control_id=c["id"]) for c in controls]
                or None,
            )],
        ),
        observations=[observation(c, results, ids) for c in controls] or None,
        findings=[finding(c, ids) for c in controls if c["outcome"] in NOT_MET_OUTCOMES]
        or None,
        remarks="\n".join(filter(None, [partial_run(results), *results["verdict"]["reasons"]]))
        or None,
    )
    return AssessmentResults(
        uuid=ids("assessment-results"),
        metadata=Metadata(
            title=_text(f"gatekeeper assessment results: {subject_title(results)}"),
            last_modified=evaluated,
            version=results["subject"].get("version") or results["tool"]["version"],
            oscal_version=OSCAL_VERSION,
            props=[_prop("tool-version", results["tool"]["version"])],
        ),
        import_ap=ImportAp(href=f"#{ids('policy')}"),
        results=[result],
        back_matter=BackMatter(resources=[plan]),
    )


def render(results: dict[str, Any], options: ReportOptions = DEFAULT_OPTIONS) -> str:
    model = assessment_results(results)
    return dumps({"assessment-results": model.oscal_dict()["assessment-results"]}).decode("utf-8")
