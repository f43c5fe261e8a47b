package gatekeeper.controls.sdl.model_files_scanned_test

import rego.v1

import data.gatekeeper.controls.sdl.model_files_scanned

model(path, format) := {"path": path, "name": path, "kind": "model", "sha256": "0000000000000000000000000000000000000000000000000000000000000000", "size": 1, "format": format, "mtime_us": 1000}

file(path, status) := {"tool": "modelscan", "source": "modelscan.json", "path": path, "status": status, "reason": "SCAN_NOT_SUPPORTED: Model Scan did not scan file", "report_mtime_us": 2000}

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

zeros := "0000000000000000000000000000000000000000000000000000000000000000"

ones := "1111111111111111111111111111111111111111111111111111111111111111"

audited(digest) := object.union(file("release/model.pkl", "scanned"), {"tool": "modelaudit", "sha256": digest})

test_a_recorded_sha256_that_differs_fails_even_at_the_same_path if {
	tampered := release([model("release/model.pkl", "pickle")], [audited(ones)], [], [])
	not model_files_scanned.applicable with input as tampered
	denied := model_files_scanned.deny with input as tampered
	some entry in denied
	entry.finding == "stale:release/model.pkl"
	entry.msg == "modelaudit scanned release/model.pkl with sha256 111111111111, but the file now has 000000000000: it changed after the scan; scan it again"
}

test_a_digest_match_is_measured_and_named_sha256 if {
	scanned := release([model("release/model.pkl", "pickle")], [audited(zeros)], [], [])
	count(model_files_scanned.deny) == 0 with input as scanned
	details := model_files_scanned.details with input as scanned
	details.model_files[0].scanned_by == ["modelaudit (sha256)"]
	not details.strength
}

test_a_path_match_is_declared_and_named_by_path if {
	scanned := release([model("release/model.pkl", "pickle")], [file("release/model.pkl", "scanned")], [], [])
	details := model_files_scanned.details with input as scanned
	details.model_files[0].scanned_by == ["modelscan (by path)"]
	details.strength == "declared"
}

test_a_path_match_needs_a_report_newer_than_the_file if {
	older := object.union(file("release/model.pkl", "scanned"), {"report_mtime_us": 999})
	stale := release([model("release/model.pkl", "pickle")], [older], [], [])
	not model_files_scanned.applicable with input as stale
	denied := model_files_scanned.deny with input as stale
	some entry in denied
	entry.finding == "stale:release/model.pkl"
	startswith(entry.msg, "modelscan's report modelscan.json is older than release/model.pkl")
	same := object.union(file("release/model.pkl", "scanned"), {"report_mtime_us": 1000})
	model_files_scanned.applicable with input as release([model("release/model.pkl", "pickle")], [same], [], [])
}

test_an_issue_without_a_file_names_its_report if {
	unnamed := object.union(issue("release/model.pkl", "medium"), {"path": null, "source": "evidence/picklescan.txt", "tool": "picklescan"})
	flagged := release([model("release/model.pkl", "pickle")], [file("model.pkl", "scanned")], [unnamed], [])
	some entry in model_files_scanned.deny with input as flagged
	entry.msg == "picklescan [medium] a file in evidence/picklescan.txt: Use of unsafe operator 'system' from module 'posix'"
}
