# METADATA
# title: Detectors have measured precision and recall
# description: >-
#   Every detector the release relies on (prompt-injection, leakage, extraction detectors)
#   has both precision and recall measured on a labelled set (detector_precision and
#   detector_recall, sliced by detector name), each at or above thresholds.detectors.min;
#   every detector the system manifest declares (telemetry.detectors) is among them.
# custom:
#   severity: medium
#   questions: [MON-Q5]
#   waivable: true
#   applies_to: [llm-app, rag, agent]
#   remediation: >-
#     Evaluate each detector on a labelled holdout set of attacks and benign traffic, report
#     detector_precision and detector_recall per detector (slice = detector name), and tune it
#     until both meet the thresholds.
#   evidence: [metrics, sbom]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7, MEASURE 4.2]
#     owasp_llm: [LLM01:2025]
#     atlas: [AML.M0015, AML.M0024]
#     saif: [controlThreatDetection]
package gatekeeper.controls.mon.detector_precision_recall

import rego.v1

import data.gatekeeper.lib.evals

cfg := data.gatekeeper.config.detectors

applicable if {
	count(cfg.required) > 0
	count(evals.missing(cfg)) == 0
}

deny contains entry if some entry in evals.out_of_bounds(cfg)

# A detector measured on one side only: precision without recall says little, and vice versa.
deny contains evals.metric_entry(metric, msg) if {
	some name in cfg.required
	some metric in evals.named(name)
	some other in cfg.required
	other != name
	not measured(other, evals.slice_of(metric))
	msg := sprintf("%s has no %s for the same detector", [evals.describe_metric(metric), other])
}

measured(name, slice) if {
	some metric in evals.named(name)
	evals.slice_of(metric) == slice
}

# Every detector the manifest declares, measured on both sides (slice = its name).
declared_detectors := {d.name | some d in object.get(input, ["manifest", "declared", "telemetry", "detectors"], [])}

deny contains {"msg": msg, "finding": sprintf("detector:%s:%s", [detector, name]), "file": input.manifest.source} if {
	some detector in declared_detectors
	some name in cfg.required
	not measured(name, detector)
	msg := sprintf("detector %s, declared in the manifest, has no %s measured (slice %q)", [detector, name, detector])
}

bound_flag(metric) := true if evals.bound(metric)

else := false

# Each detector's measures, which the results history keeps per run (MON-detector-trend).
details := {"detectors": rows} if {
	rows := [{"detector": evals.slice_of(metric), "metric": name, "value": metric.value, "bound": bound_flag(metric)} |
		some name in cfg.required
		some metric in evals.named(name)
	]
	count(rows) > 0
}
