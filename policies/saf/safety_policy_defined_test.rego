package gatekeeper.controls.saf.safety_policy_defined_test

import rego.v1

import data.gatekeeper.controls.saf.safety_policy_defined

headings := ["misuse and abuse", "restricted domains", "refusal guidance", "escalation and reporting"]

policy(sections) := {"documents": {"safety_policy": {
	"path": "docs/safety/SAFETY_POLICY.md", "format": "markdown", "words": 700,
	"sections": sections, "facts": {}, "atlas_techniques": [],
}}}

complete := policy([{"heading": h, "normalized": h, "level": 2, "words": 40} | some h in headings])

test_pass_with_every_section if {
	safety_policy_defined.applicable with input as complete
	count(safety_policy_defined.deny) == 0 with input as complete
}

test_fail_without_refusal_guidance if {
	partial := policy([{"heading": h, "normalized": h, "level": 2, "words": 40} | some h in headings; h != "refusal guidance"])
	denied := safety_policy_defined.deny with input as partial
	{d.finding | some d in denied} == {"safety_policy:section:Refusal guidance"}
}

test_no_evidence_without_a_safety_policy if {
	not safety_policy_defined.applicable with input as {"documents": {"model_card": {}}}
	count(safety_policy_defined.deny) == 0 with input as {"documents": {"model_card": {}}}
}
