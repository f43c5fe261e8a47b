package gatekeeper.controls.mon.detector_precision_recall_test

import rego.v1

import data.gatekeeper.controls.mon.detector_precision_recall

metric(name, value, slice) := {
	"name": name, "value": value, "slice": slice, "origin": "metrics",
	"source": "metrics.yaml", "line": 20,
}

evals(metrics) := {"evals": {"runs": [], "attacks": [], "metrics": metrics}}

test_pass_with_both_measures_per_detector if {
	good := evals([metric("detector_precision", 0.96, "pi-filter"), metric("detector_recall", 0.88, "pi-filter")])
	detector_precision_recall.applicable with input as good
	count(detector_precision_recall.deny) == 0 with input as good
}

test_fail_on_low_recall if {
	blind := evals([metric("detector_precision", 0.99, "pi-filter"), metric("detector_recall", 0.4, "pi-filter")])
	denied := detector_precision_recall.deny with input as blind
	some entry in denied
	entry.msg == "detector_recall[pi-filter] 0.4 is below the minimum 0.8"
}

test_fail_when_a_detector_has_one_measure_only if {
	lopsided := evals([
		metric("detector_precision", 0.96, "pi-filter"), metric("detector_recall", 0.88, "pi-filter"),
		metric("detector_precision", 0.97, "leak-filter"),
	])
	denied := detector_precision_recall.deny with input as lopsided
	some entry in denied
	entry.msg == "detector_precision[leak-filter] 0.97 has no detector_recall for the same detector"
}

test_no_evidence_without_recall if {
	not detector_precision_recall.applicable with input as evals([metric("detector_precision", 0.96, "pi-filter")])
}

# MON-Q5 checks every declared detector: one the manifest declares but nobody measured fails.
test_fail_for_a_declared_detector_without_measures if {
	measured := evals([metric("detector_precision", 0.96, "pi-filter"), metric("detector_recall", 0.88, "pi-filter")])
	manifest := {"source": "ai-system.yaml", "declared": {"telemetry": {"detectors": [{"name": "pi-filter"}, {"name": "extraction-detector"}]}}}
	denied := detector_precision_recall.deny with input as object.union(measured, {"manifest": manifest})
	{entry.msg | some entry in denied} == {
		"detector extraction-detector, declared in the manifest, has no detector_precision measured (slice \"extraction-detector\")",
		"detector extraction-detector, declared in the manifest, has no detector_recall measured (slice \"extraction-detector\")",
	}
	only_pi := {"source": "ai-system.yaml", "declared": {"telemetry": {"detectors": [{"name": "pi-filter"}]}}}
	count(detector_precision_recall.deny) == 0 with input as object.union(measured, {"manifest": only_pi})
}

# The measures per detector, for the results history; bound only when the metrics file names
# one of the release's artifacts.
test_details_list_each_detector_measure_and_its_binding if {
	bound := object.union(metric("detector_precision", 0.96, "pi-filter"), {"bound": true, "model_sha256": "aa"})
	doc := object.union(evals([bound, metric("detector_recall", 0.88, "pi-filter")]), {"artifacts": [{"sha256": "aa"}]})
	detector_precision_recall.details == {"detectors": [
		{"detector": "pi-filter", "metric": "detector_precision", "value": 0.96, "bound": true},
		{"detector": "pi-filter", "metric": "detector_recall", "value": 0.88, "bound": false},
	]} with input as doc
	not detector_precision_recall.details with input as evals([])
}
