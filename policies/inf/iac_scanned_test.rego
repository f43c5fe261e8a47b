package gatekeeper.controls.inf.iac_scanned_test

import rego.v1

import data.gatekeeper.controls.inf.iac_scanned

workload := {
	"kind": "Deployment", "name": "scorer", "namespace": "ml", "file": "deploy/k8s/deployment.yaml", "line": 1,
	"pod_labels": {}, "host_network": false, "host_pid": false, "host_ipc": false, "runtime_class": null,
	"node_selector": {}, "required_node_affinity": [], "tolerations": [], "containers": [],
}

dockerfile := {"path": "deploy/Dockerfile", "stages": [], "version_pins": [], "uses_cuda": false, "user": "1000", "runs_as_root": false}

run(files) := {"tool": "checkov", "source": "evidence/checkov.json", "format": "checkov-json:kubernetes", "categories": ["iac"], "finding_count": 0, "inconclusive": false, "skipped": [], "scanned_files": files}

evidence(runs) := {
	"kubernetes": {"files": [{"path": "deploy/k8s/deployment.yaml", "objects": 1}], "workloads": [workload], "network_policies": []},
	"dockerfiles": [dockerfile],
	"scans": {"runs": runs, "findings": []},
}

test_pass_when_the_scan_names_every_file if {
	scanned := evidence([run(["deploy/k8s/deployment.yaml", "deploy/Dockerfile"])])
	iac_scanned.applicable with input as scanned
	denied := iac_scanned.deny with input as scanned
	count(denied) == 0
}

test_a_longer_path_is_another_file if {
	scanned := evidence([run(["examples/app/deploy/k8s/deployment.yaml", "examples/app/deploy/Dockerfile"])])
	denied := iac_scanned.deny with input as scanned
	count(denied) == 2
}

test_a_file_of_the_same_name_elsewhere_does_not_count if {
	denied := iac_scanned.deny with input as evidence([run(["deploy/k8s/deployment.yaml", "src/Dockerfile"])])
	{entry.finding | some entry in denied} == {"deploy/Dockerfile:unscanned"}
}

test_fail_on_a_file_no_scan_names if {
	partial := evidence([run(["deploy/k8s/deployment.yaml"])])
	denied := iac_scanned.deny with input as partial
	some entry in denied
	entry.finding == "deploy/Dockerfile:unscanned"
	details := iac_scanned.details with input as partial
	{"file": "deploy/Dockerfile", "scanned": false} in details.files
}

test_a_suffix_is_not_the_file if {
	denied := iac_scanned.deny with input as evidence([run(["k8s/deployment.yaml", "Dockerfile"])])
	count(denied) == 2
}

test_fail_without_any_iac_scan if {
	sast := object.union(run([]), {"categories": ["sast"]})
	denied := iac_scanned.deny with input as evidence([sast])
	count(denied) == 1
}

test_fail_when_the_scan_could_not_parse_a_file if {
	skipped := object.union(run(["deploy/k8s/deployment.yaml", "deploy/Dockerfile"]), {"skipped": [{"name": "deploy/k8s/broken.yaml", "reason": "checkov could not parse this file"}]})
	denied := iac_scanned.deny with input as evidence([skipped])
	some entry in denied
	entry.finding == "deploy/k8s/broken.yaml:unparsed"
}

test_a_sarif_run_cannot_show_coverage if {
	sarif := {"tool": "checkov", "source": "checkov.sarif", "format": "sarif", "categories": ["iac"], "finding_count": 0}
	denied := iac_scanned.deny with input as evidence([sarif])
	count(denied) == 2
	warned := iac_scanned.warn with input as evidence([sarif])
	count(warned) == 1
}

test_no_evidence_without_infrastructure_files if {
	not iac_scanned.applicable with input as {}
	not iac_scanned.applicable with input as {"scans": {"runs": [run(["Dockerfile"])], "findings": []}}
}
