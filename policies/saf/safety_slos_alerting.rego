# METADATA
# title: Safety SLOs are set, alert an incident contact, and hold where measured
# description: >-
#   The system manifest declares safety SLOs (kind safety) covering every metric in
#   ai_system.safety_slos (by default toxicity rate), each at least as strict as the threshold,
#   measured over a window, and alerting a declared incident contact when it regresses. Where
#   the evaluation evidence measures the same metric (input.evals.metrics, every slice), each
#   value must meet the objective; a declared SLO without a measurement fails the control: a
#   declaration is no evidence that the objective is met.
# custom:
#   severity: high
#   questions: [SAF-Q4]
#   waivable: true
#   applies_to: [llm-app, rag, agent]
#   remediation: >-
#     Declare safety SLOs (slos with kind: safety, objective, window, alert_route) in
#     ai-system.yaml, wire their alerts to the on-call contact, and ship the safety evaluation
#     metrics with each release.
#   evidence: [manifest, metrics]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.6, MANAGE 4.1, MEASURE 3.1]
#     owasp_llm: [LLM05:2025, LLM09:2025]
#     saif: [IMO, controlThreatDetection, controlIncidentResponseManagement]
package gatekeeper.controls.saf.safety_slos_alerting

import rego.v1

import data.gatekeeper.lib.manifest

required := manifest.config.safety_slos

safety := [slo | some slo in manifest.slos; slo.kind == "safety"]

applicable if input.manifest

deny contains manifest.entry(msg, sprintf("slo:%s:missing", [metric])) if {
	some metric in {r.metric | some r in required}
	count([slo | some slo in safety; slo.metric == metric]) == 0
	msg := sprintf("no safety SLO is declared for %s", [metric])
}

deny contains manifest.entry(msg, "slo:safety:none") if {
	count(safety) == 0
	msg := "no safety SLO is declared (slos with kind: safety)"
}

deny contains manifest.entry(msg, sprintf("slo:%s:alert", [slo.metric])) if {
	some slo in safety
	not manifest.routed(slo)
	msg := sprintf("safety SLO %s alerts no declared incident contact (alert_route)", [slo.metric])
}

deny contains manifest.entry(msg, sprintf("slo:%s:window", [slo.metric])) if {
	some slo in safety
	not slo.window
	msg := sprintf("safety SLO %s has no measurement window", [slo.metric])
}

deny contains problem if {
	some slo in safety
	some problem in manifest.slo_problems(slo, required)
}

deny contains manifest.entry(msg, sprintf("slo:%s:unmeasured", [slo.metric])) if {
	some slo in safety
	count(manifest.measured(slo.metric)) == 0
	msg := sprintf("safety SLO %s is declared but not measured in this release's evaluation metrics", [slo.metric])
}
