package gatekeeper.controls.grc.mandatory_gates_blocking_test

import rego.v1

import data.gatekeeper.controls.grc.mandatory_gates_blocking as control

enforced := {
	"SDL-model-signed": "blocking",
	"SDL-provenance-verified": "blocking",
	"SDL-sbom-present": "blocking",
	"SDL-mlbom-covers-models": "blocking",
	"RTE-redteam-gate": "blocking",
	"SDL-dependencies-clean": "advisory",
}

test_pass_when_every_family_is_loaded_and_blocking if {
	control.applicable with input as {"gate": {"controls": enforced}}
	count(control.deny) == 0 with input as {"gate": {"controls": enforced}}
	control.details.sbom == ["SDL-mlbom-covers-models", "SDL-sbom-present"] with input as {"gate": {"controls": enforced}}
}

test_fail_when_a_mandatory_control_is_advisory_or_disabled if {
	weakened := object.union(enforced, {"SDL-model-signed": "advisory", "RTE-redteam-gate": "disabled"})
	denied := control.deny with input as {"gate": {"controls": weakened}}
	{entry.finding | some entry in denied} == {"family:signing:SDL-model-signed", "family:evaluation:RTE-redteam-gate"}
}

test_fail_when_a_family_has_no_control if {
	missing := object.remove(enforced, ["SDL-provenance-verified"])
	denied := control.deny with input as {"gate": {"controls": missing}}
	{entry.finding | some entry in denied} == {"family:provenance"}
}

test_families_come_from_the_thresholds if {
	families := [{"family": "scans", "controls": ["SDL-*-clean"]}]
	denied := control.deny with input as {"gate": {"controls": enforced}}
		with data.gatekeeper.config.governance.mandatory_controls as families
	{entry.finding | some entry in denied} == {"family:scans:SDL-dependencies-clean"}
}

test_no_evidence_without_the_gate_section if {
	not control.applicable with input as {}
}

test_a_family_that_does_not_apply_to_the_system_is_not_missing if {
	classical := object.remove(enforced, ["RTE-redteam-gate"])
	gate := {"controls": classical, "not_applicable": ["RTE-redteam-gate"]}
	count(control.deny) == 0 with input as {"gate": gate}
}

test_a_not_applicable_control_of_another_family_does_not_excuse_a_missing_one if {
	missing := object.remove(enforced, ["SDL-provenance-verified"])
	gate := {"controls": missing, "not_applicable": ["RTE-redteam-gate"]}
	denied := control.deny with input as {"gate": gate}
	{entry.finding | some entry in denied} == {"family:provenance"}
}

test_a_pattern_matches_past_its_literal_head if {
	ids := {"SDL-model-signed": "blocking", "MOD-weights-signed": "advisory", "SDL-a.b": "blocking"}
	families := [
		{"family": "leading", "controls": ["*-weights-signed"]},
		{"family": "one", "controls": ["SDL-model-sign?d"]},
		{"family": "class", "controls": ["SDL-[m]odel-signed"]},
		{"family": "group", "controls": ["{MOD,SDL}-weights-signed"]},
		{"family": "escaped", "controls": ["SDL-a\\.b"]},
		{"family": "exact", "controls": ["SDL-model-signed"]},
		{"family": "none", "controls": ["SDL-model-signed-x"]},
	]
	details := control.details with input as {"gate": {"controls": ids}}
		with data.gatekeeper.config.governance.mandatory_controls as families
	details == {
		"leading": ["MOD-weights-signed"], "one": ["SDL-model-signed"],
		"class": ["SDL-model-signed"], "group": ["MOD-weights-signed"],
		"escaped": ["SDL-a.b"], "exact": ["SDL-model-signed"], "none": [],
	}
}

test_the_literal_head_stops_at_the_first_wildcard if {
	control.literal_head("SDL-*signed*") == "SDL-"
	control.literal_head("SDL-?x*") == "SDL-"
	control.literal_head("RTE-[ab]*") == "RTE-"
	control.literal_head("{A,B}-x") == ""
	control.literal_head("A\\*") == "A"
	control.literal_head("SDL-model-signed") == "SDL-model-signed"
}
