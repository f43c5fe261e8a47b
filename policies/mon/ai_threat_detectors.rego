# METADATA
# title: Detectors for prompt injection, data leakage and model extraction act and alert
# description: >-
#   The system manifest's telemetry declares a detector for every threat in
#   ai_system.required_detectors (by default prompt injection, data leakage and model
#   extraction), each with its engine, an action (block, throttle, alert or escalate) and a
#   declared incident contact to alert. Declared, not measured: the detector precision and
#   recall in the evaluation evidence are what show the detectors are tuned.
# custom:
#   severity: high
#   questions: [MON-Q4]
#   waivable: true
#   applies_to: [llm-app, rag, agent]
#   remediation: >-
#     Run detectors on the telemetry stream for each threat class (for example an injection
#     classifier on inputs and retrieved chunks, PII / canary matching on outputs, per-key query
#     analytics for extraction) and declare them under telemetry.detectors.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7, MANAGE 4.1, MEASURE 3.1]
#     owasp_llm: [LLM01:2025, LLM02:2025, LLM10:2025]
#     atlas: [AML.T0051, AML.T0057, AML.T0024.002, AML.M0015, AML.M0024]
#     saif: [PIJ, SDD, MRE, controlThreatDetection]
package gatekeeper.controls.mon.ai_threat_detectors

import rego.v1

import data.gatekeeper.lib.manifest

detectors := object.get(object.get(manifest.declared, "telemetry", {}), "detectors", [])

applicable if input.manifest

deny contains manifest.entry(msg, sprintf("detector:%s", [threat])) if {
	some threat in manifest.config.required_detectors
	count([d | some d in detectors; d.threat == threat]) == 0
	msg := sprintf("no detector for %s is declared (telemetry.detectors)", [replace(threat, "_", " ")])
}

deny contains manifest.entry(msg, sprintf("detector:%s:%s", [detector.name, field])) if {
	some detector in detectors
	some field in ["engine", "action"]
	object.get(detector, field, null) == null
	msg := sprintf("detector %s names no %s", [detector.name, field])
}

deny contains manifest.entry(msg, sprintf("detector:%s:alert", [detector.name])) if {
	some detector in detectors
	not manifest.routed(detector)
	msg := sprintf("detector %s alerts no declared incident contact (alert_route)", [detector.name])
}

details := {detector.threat: detector.name | some detector in detectors}

deny contains problem if some problem in manifest.placeholder_problems(["telemetry.detectors"])
