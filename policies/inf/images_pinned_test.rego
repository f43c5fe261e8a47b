package gatekeeper.controls.inf.images_pinned_test

import rego.v1

import data.gatekeeper.controls.inf.images_pinned

digest := "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

stage(image, line, pinned) := {
	"index": line, "name": null, "written": image, "image": image, "repository": "nvidia/cuda",
	"tag": "12.4.1-runtime-ubuntu22.04", "digest": digest_if(pinned), "line": line,
	"stage_ref": false, "unresolved": false,
}

digest_if(true) := digest

digest_if(false) := null

pin(component, value, pinned) := {"component": component, "name": "ENV CUDA_VERSION", "value": value, "line": 2, "pinned": pinned}

dockerfile(stages, pins, cuda) := {"path": "Dockerfile", "stages": stages, "version_pins": pins, "uses_cuda": cuda, "user": "1000", "runs_as_root": false}

pinned_cuda := dockerfile([stage("nvidia/cuda:12.4.1-runtime-ubuntu22.04@sha256:0123", 1, true)], [pin("cuda", "12.4.1", true)], true)

test_pass_with_digests_and_an_exact_cuda_version if {
	images_pinned.applicable with input as {"dockerfiles": [pinned_cuda]}
	denied := images_pinned.deny with input as {"dockerfiles": [pinned_cuda]}
	count(denied) == 0
}

test_earlier_stages_need_no_digest if {
	builder := object.union(stage("base", 5, false), {"stage_ref": true})
	file := object.union(pinned_cuda, {"stages": array.concat(pinned_cuda.stages, [builder])})
	denied := images_pinned.deny with input as {"dockerfiles": [file]}
	count(denied) == 0
}

test_fail_on_a_base_image_without_digest if {
	file := dockerfile([stage("python:3.12", 1, false)], [], false)
	denied := images_pinned.deny with input as {"dockerfiles": [file]}
	some entry in denied
	entry.finding == "Dockerfile:1:digest"
	entry.line == 1
}

test_fail_on_an_unresolved_base_image if {
	file := dockerfile([object.union(stage("$BASE", 1, false), {"unresolved": true})], [], false)
	denied := images_pinned.deny with input as {"dockerfiles": [file]}
	count(denied) == 1
}

test_fail_when_cuda_is_used_without_a_version if {
	file := dockerfile([stage("nvcr.io/nvidia/pytorch@sha256:0123", 1, true)], [], true)
	denied := images_pinned.deny with input as {"dockerfiles": [file]}
	some entry in denied
	entry.finding == "Dockerfile:cuda-version"
}

test_fail_on_an_unpinned_driver_version if {
	file := object.union(pinned_cuda, {"version_pins": [pin("cuda", "12.4.1", true), pin("driver", "latest", false)]})
	denied := images_pinned.deny with input as {"dockerfiles": [file]}
	some entry in denied
	entry.finding == "Dockerfile:2:driver"
}

test_fail_on_a_workload_image_without_digest if {
	container := {"name": "scorer", "kind": "container", "image": "registry/scorer:1.4", "privileged": false, "allow_privilege_escalation": false, "capabilities_add": [], "resources": {}}
	workload := {
		"kind": "Deployment", "name": "scorer", "namespace": "ml", "file": "k8s/deploy.yaml", "line": 1,
		"pod_labels": {}, "host_network": false, "host_pid": false, "host_ipc": false, "runtime_class": null,
		"node_selector": {}, "required_node_affinity": [], "tolerations": [], "containers": [container],
	}
	manifests := {"kubernetes": {"files": [], "workloads": [workload], "network_policies": []}}
	images_pinned.applicable with input as manifests
	denied := images_pinned.deny with input as manifests
	some entry in denied
	entry.finding == "ml/scorer:scorer:digest"
}

test_no_evidence_without_dockerfiles_or_workloads if {
	not images_pinned.applicable with input as {}
	not images_pinned.applicable with input as {"dockerfiles": []}
}
