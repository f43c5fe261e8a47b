package gatekeeper.controls.sdl.model_files_scanned_test

import rego.v1

import data.gatekeeper.controls.sdl.model_files_scanned

model(path, format) := {"path": path, "name": path, "kind": "model", "sha256": "0000000000000000000000000000000000000000000000000000000000000000", "size": 1, "format": format}

file(path, status) := {"tool": "modelscan", "source": "modelscan.json", "path": path, "status": status, "reason": "SCAN_NOT_SUPPORTED: Model Scan did not scan file"}

issue(path, severity) := {"tool": "modelscan", "source": "modelscan.json", "path": path, "severity": severity, "operator": "posix.system", "message": "Use of unsafe operator 'system' from module 'posix'", "key": "modelscan:posix.system@model.pkl"}

release(models, files, issues, errors) := {
	"artifacts": models,
	"model_scans": {"runs": [{"tool": "modelscan"}], "files": files, "issues": issues, "errors": errors},
}

test_pass_when_every_model_file_was_scanned_clean if {
	clean := release([model("release/model.pkl", "pickle")], [file("model.pkl", "scanned")], [], [])
	model_files_scanned.applicable with input as clean
	count(model_files_scanned.deny) == 0 with input as clean
}

test_pass_when_a_safetensors_file_was_skipped if {
	tensors := release([model("release/model.safetensors", "safetensors")], [file("release/model.safetensors", "skipped")], [], [])
	model_files_scanned.applicable with input as tensors
	count(model_files_scanned.deny) == 0 with input as tensors
}

test_fail_on_an_unsafe_operator if {
	flagged := release([model("release/model.pkl", "pickle")], [file("model.pkl", "scanned")], [issue("release/model.pkl", "critical")], [])
	denied := model_files_scanned.deny with input as flagged
	some entry in denied
	entry.msg == "modelscan [critical] release/model.pkl: Use of unsafe operator 'system' from module 'posix'"
}

test_low_issue_only_warns if {
	low := release([model("release/model.pkl", "pickle")], [file("model.pkl", "scanned")], [issue("release/model.pkl", "low")], [])
	count(model_files_scanned.deny) == 0 with input as low
	count(model_files_scanned.warn) == 1 with input as low
}

test_fail_on_a_scanner_error if {
	broken := release([model("release/model.pkl", "pickle")], [file("model.pkl", "scanned")], [], [{"tool": "modelscan", "source": "modelscan.json", "path": "release/model.pkl", "message": "PICKLE_GENOPS: parse error"}])
	denied := model_files_scanned.deny with input as broken
	some entry in denied
	entry.msg == "modelscan could not scan release/model.pkl: PICKLE_GENOPS: parse error"
}

test_fail_when_a_pickle_was_skipped if {
	skipped := release([model("release/model.pkl", "pickle")], [file("model.pkl", "skipped")], [], [])
	not model_files_scanned.applicable with input as skipped
	denied := model_files_scanned.deny with input as skipped
	some entry in denied
	startswith(entry.msg, "modelscan skipped model file release/model.pkl")
}

test_no_evidence_when_a_model_file_was_not_looked_at if {
	partial := release([model("release/a.pkl", "pickle"), model("release/b.pkl", "pickle")], [file("a.pkl", "scanned")], [], [])
	not model_files_scanned.applicable with input as partial
	count(model_files_scanned.deny) == 0 with input as partial
	not model_files_scanned.applicable with input as {"artifacts": [model("release/a.pkl", "pickle")]}
}

test_paths_match_by_suffix_either_way if {
	absolute := release([model("release/model.pkl", "pickle")], [file("/ci/checkout/release/model.pkl", "scanned")], [], [])
	model_files_scanned.applicable with input as absolute
	other := release([model("release/model.pkl", "pickle")], [file("other/model.pkl.bak", "scanned")], [], [])
	not model_files_scanned.applicable with input as other
}

test_a_recorded_sha256_matches_wherever_the_file_was if {
	moved := object.union(file("/scanner/cache/blob-7f3a", "scanned"), {"tool": "modelaudit", "sha256": "0000000000000000000000000000000000000000000000000000000000000000"})
	scanned := release([model("release/model.safetensors", "safetensors")], [moved], [], [])
	model_files_scanned.applicable with input as scanned
}
