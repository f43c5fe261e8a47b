package gatekeeper.controls.grc.owners_raci_declared_test

import rego.v1

import data.gatekeeper.controls.grc.owners_raci_declared as control

owners := [
	{"id": "ml", "name": "ML team", "email": "ml@example.com"},
	{"id": "cto", "name": "CTO", "email": "cto@example.com"},
	{"id": "sec", "name": "Security", "email": "sec@example.com"},
]

raci := [
	{"activity": "risk-acceptance", "responsible": ["ml"], "accountable": "cto", "consulted": ["sec"]},
	{"activity": "release-approval", "responsible": ["ml"], "accountable": "cto"},
	{"activity": "incident-response", "responsible": ["ml", "sec"], "accountable": "sec", "informed": ["cto"]},
]

evidence(declared) := {"manifest": {"source": "ai-system.yaml", "declared": declared, "prompt_templates": []}}

test_pass_with_owners_and_a_complete_raci if {
	control.applicable with input as evidence({"owners": owners, "raci": raci})
	count(control.deny) == 0 with input as evidence({"owners": owners, "raci": raci})
}

test_fail_for_a_missing_activity_and_an_unknown_owner if {
	partial := [
		{"activity": "risk-acceptance", "responsible": ["ml"], "accountable": "ceo"},
		{"activity": "release-approval", "responsible": [], "accountable": "cto"},
	]
	denied := control.deny with input as evidence({"owners": owners, "raci": partial})
	findings := {entry.finding | some entry in denied}
	findings == {"raci:incident-response", "raci:risk-acceptance:ceo", "raci:release-approval:responsible"}
}

test_fail_without_a_raci if {
	denied := control.deny with input as evidence({"owners": owners})
	count(denied) == 3
}

test_fail_for_a_duplicate_owner_id if {
	twice := array.concat(owners, [{"id": "ml", "name": "Other", "email": "o@example.com"}])
	denied := control.deny with input as evidence({"owners": twice, "raci": raci})
	some entry in denied
	entry.finding == "owner:ml:duplicate"
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
