package gatekeeper.controls.hil.annotators_vetted_scoped_test

import rego.v1

import data.gatekeeper.controls.hil.annotators_vetted_scoped as control

labeling := {
	"platform": "Label Studio, self-hosted",
	"workforce": [{"group": "qa", "type": "employees", "vetting": {"checks": ["background check", "NDA"], "renew_every_days": 365}, "role": "annotator"}],
	"roles": [
		{"name": "annotator", "permissions": ["view_assigned", "label"]},
		{"name": "admin", "permissions": ["view_all", "export", "admin"]},
	],
}

evidence(declared) := {"manifest": {"source": "ai-system.yaml", "declared": declared, "prompt_templates": []}}

test_pass_for_vetted_annotators_with_narrow_roles if {
	control.applicable with input as evidence({"labeling": labeling})
	count(control.deny) == 0 with input as evidence({"labeling": labeling})
}

test_fail_for_unvetted_crowd_workers_who_can_export if {
	crowd := object.union(labeling, {"workforce": [{"group": "crowd", "type": "crowd", "role": "admin"}]})
	denied := control.deny with input as evidence({"labeling": crowd})
	{entry.finding | some entry in denied} == {
		"group:crowd:vetting", "group:crowd:revetting", "group:crowd:permission:export",
		"group:crowd:permission:admin", "group:crowd:permission:view_all",
	}
}

test_fail_for_an_undeclared_role_or_no_workforce if {
	unknown := object.union(labeling, {"workforce": [object.union(labeling.workforce[0], {"role": "labeler"})]})
	denied := control.deny with input as evidence({"labeling": unknown})
	{entry.finding | some entry in denied} == {"group:qa:role"}
	denied_empty := control.deny with input as evidence({"labeling": {"platform": "x"}})
	{entry.finding | some entry in denied_empty} == {"labeling:workforce"}
}

test_fail_without_labeling if {
	denied := control.deny with input as evidence({})
	{entry.finding | some entry in denied} == {"labeling:none"}
}

test_threshold_sets_the_revetting_interval if {
	denied := control.deny with input as evidence({"labeling": labeling})
		with data.gatekeeper.config.ai_system.max_revetting_days as 180
	{entry.finding | some entry in denied} == {"group:qa:revetting"}
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
