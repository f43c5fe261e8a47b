# METADATA
# title: Every model's runtime behaviour is monitored, with anomaly detection, alerting on-call
# description: >-
#   The system manifest's telemetry records model outputs and declares monitors that cover
#   every declared model: a behaviour monitor (the signals it watches against a baseline) and an
#   anomaly monitor, each alerting a declared incident contact. Declared monitoring, not observed:
#   the control requires each model to be named by a monitor with its signals, baseline and alert
#   route, which the monitoring configuration must match.
# custom:
#   severity: medium
#   questions: [MOD-Q5]
#   waivable: true
#   remediation: >-
#     Monitor each model's outputs in production (behaviour: output distribution, toxicity,
#     refusals; anomaly: usage patterns) and declare the monitors under telemetry.monitors with
#     the models they cover, their signals, baseline and alert_route.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.4, MANAGE 4.1, MEASURE 3.1]
#     owasp_llm: [LLM10:2025]
#     atlas: [AML.M0024, AML.T0024.002]
#     saif: [MRE, controlThreatDetection]
package gatekeeper.controls.mod.behaviour_monitored

import rego.v1

import data.gatekeeper.lib.manifest

telemetry := object.get(manifest.declared, "telemetry", {})

monitors := object.get(telemetry, "monitors", [])

kinds := ["behaviour", "anomaly"]

applicable if input.manifest

deny contains manifest.entry(msg, "models:none") if {
	count(manifest.models) == 0
	msg := "the manifest declares no model, so no runtime monitoring can be checked"
}

deny contains manifest.entry(msg, "telemetry:outputs") if {
	count(object.get(telemetry, ["captures", "outputs", "attributes"], [])) == 0
	msg := "model outputs are not captured in telemetry (telemetry.captures.outputs), so there is nothing to monitor"
}

deny contains manifest.entry(msg, sprintf("model:%s:%s-monitor", [model.name, kind])) if {
	some model in manifest.models
	some kind in kinds
	not covered(model.name, kind)
	msg := sprintf("no %s monitor covers model %s (telemetry.monitors)", [kind, model.name])
}

deny contains manifest.entry(msg, sprintf("monitor:%s:%s", [monitor.name, field])) if {
	some monitor in monitors
	monitor.kind in kinds
	some field in ["signals", "baseline"]
	object.get(monitor, field, null) == null
	msg := sprintf("%s monitor %s names no %s", [monitor.kind, monitor.name, field])
}

deny contains manifest.entry(msg, sprintf("monitor:%s:alert", [monitor.name])) if {
	some monitor in monitors
	monitor.kind in kinds
	not manifest.routed(monitor)
	msg := sprintf("%s monitor %s alerts no declared incident contact (alert_route)", [monitor.kind, monitor.name])
}

covered(name, kind) if {
	some monitor in monitors
	monitor.kind == kind
	name in monitor.models
}

deny contains problem if some problem in manifest.placeholder_problems(["telemetry.monitors"])
