package gatekeeper.controls.sdl.no_unsafe_deserialization_test

import rego.v1

import data.gatekeeper.controls.sdl.no_unsafe_deserialization

artifact(format) := {"path": "model.bin", "name": "model.bin", "kind": "model", "sha256": "0000000000000000000000000000000000000000000000000000000000000000", "size": 1, "format": format}

finding(rule) := {
	"tool": "bandit", "category": "sast", "rule_id": rule, "severity": "medium",
	"message": "unsafe loader", "file": "load.py", "line": 7,
	"suppressed": false, "key": sprintf("%s@load.py:7", [rule]), "source": "bandit.sarif",
}

release(format, findings) := {
	"artifacts": [artifact(format)],
	"scans": {"runs": [{"tool": "bandit", "source": "bandit.sarif", "format": "sarif", "categories": ["sast"], "finding_count": 0}], "findings": findings},
}

test_pass_with_safetensors_and_safe_loaders if {
	no_unsafe_deserialization.applicable with input as release("safetensors", [finding("B101")])
	count(no_unsafe_deserialization.deny) == 0 with input as release("safetensors", [finding("B101")])
}

test_fail_on_a_pickle_model if {
	denied := no_unsafe_deserialization.deny with input as release("pytorch-pickle", [])
	some entry in denied
	contains(entry.msg, "serialized as pytorch-pickle")
}

test_fail_on_a_banned_loader_rule if {
	count(no_unsafe_deserialization.deny) == 1 with input as release("safetensors", [finding("B614")])
}

test_banned_lists_come_from_config if {
	count(no_unsafe_deserialization.deny) == 0 with input as release("pickle", [finding("B614")])
		with data.gatekeeper.config.unsafe_deserialization as {"banned_formats": [], "banned_rules": []}
}

test_no_evidence_without_models_or_code_scan if {
	not no_unsafe_deserialization.applicable with input as {"artifacts": [artifact("pickle")]}
	not no_unsafe_deserialization.applicable with input as object.union(release("pickle", []), {"artifacts": []})
}

test_only_the_code_scan_names_unsafe_loaders if {
	# a secrets scanner's rule that happens to share an id is no loader finding
	elsewhere := object.union(finding("B614"), {"category": "secrets", "tool": "gitleaks"})
	count(no_unsafe_deserialization.deny) == 0 with input as release("safetensors", [elsewhere])
	count(no_unsafe_deserialization.deny) == 1 with input as release("safetensors", [elsewhere, finding("B614")])
}
