# METADATA
# title: Drift and anomaly monitors with baselines and thresholds cover every model
# description: >-
#   The system manifest's telemetry declares drift monitors covering every declared model and at
#   least one anomaly monitor, each with what it measures, the baseline it compares with, the
#   threshold that alerts and a declared incident contact to alert. Declared, not observed: the
#   control requires each baseline and threshold concretely, as the monitoring configuration
#   must hold them.
# custom:
#   severity: medium
#   questions: [MON-Q2]
#   waivable: true
#   remediation: >-
#     Set up drift monitoring (for example feature and score PSI against the training or a
#     production baseline) for each model and anomaly detection on usage, and declare them under
#     telemetry.monitors with signals, baseline, threshold and alert_route.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.4, MANAGE 4.1, MEASURE 3.1]
#     atlas: [AML.M0024]
#     saif: [controlThreatDetection]
package gatekeeper.controls.mon.drift_anomaly_monitored

import rego.v1

import data.gatekeeper.lib.manifest

monitors := object.get(object.get(manifest.declared, "telemetry", {}), "monitors", [])

watched := [m | some m in monitors; m.kind in {"drift", "anomaly"}]

applicable if input.manifest

deny contains manifest.entry(msg, "models:none") if {
	count(manifest.models) == 0
	msg := "the manifest declares no model, so no drift monitoring can be checked"
}

deny contains manifest.entry(msg, sprintf("model:%s:drift-monitor", [model.name])) if {
	some model in manifest.models
	count([m | some m in monitors; m.kind == "drift"; model.name in m.models]) == 0
	msg := sprintf("no drift monitor covers model %s", [model.name])
}

deny contains manifest.entry(msg, "monitors:anomaly") if {
	count([m | some m in monitors; m.kind == "anomaly"]) == 0
	msg := "no anomaly monitor is declared (telemetry.monitors with kind: anomaly)"
}

deny contains manifest.entry(msg, sprintf("monitor:%s:%s", [monitor.name, field])) if {
	some monitor in watched
	some field in ["signals", "baseline", "threshold"]
	object.get(monitor, field, null) == null
	msg := sprintf("%s monitor %s names no %s", [monitor.kind, monitor.name, field])
}

deny contains manifest.entry(msg, sprintf("monitor:%s:alert", [monitor.name])) if {
	some monitor in watched
	not manifest.routed(monitor)
	msg := sprintf("%s monitor %s alerts no declared incident contact (alert_route)", [monitor.kind, monitor.name])
}

details := {monitor.name: monitor.kind | some monitor in watched}

deny contains problem if some problem in manifest.placeholder_problems(["telemetry.monitors"])
