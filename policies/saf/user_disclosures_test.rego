package gatekeeper.controls.saf.user_disclosures_test

import rego.v1

import data.gatekeeper.controls.saf.user_disclosures as control

disclosures := {
	"ai_interaction": {"text": "Replies are drafted with AI.", "shown": "reply footer"},
	"generated_content": {"method": "label", "text": "Drafted with AI"},
	"safety": {"text": "The assistant can be wrong."},
	"feedback_channel": "Report this reply link",
}

evidence(declared) := {"manifest": {"source": "ai-system.yaml", "declared": declared, "prompt_templates": []}}

test_pass_with_every_disclosure if {
	control.applicable with input as evidence({"disclosures": disclosures})
	count(control.deny) == 0 with input as evidence({"disclosures": disclosures})
}

test_fail_for_missing_disclosures_and_an_unlabeled_label if {
	partial := {"generated_content": {"method": "label"}, "safety": {"text": "t"}}
	denied := control.deny with input as evidence({"disclosures": partial})
	{entry.finding | some entry in denied} == {
		"disclosure:ai_interaction", "disclosure:feedback_channel", "disclosure:generated_content:text",
	}
}

test_thresholds_name_the_required_disclosures if {
	denied := control.deny with input as evidence({"disclosures": {"safety": {"text": "t"}}})
		with data.gatekeeper.config.ai_system.required_disclosures as ["safety"]
	count(denied) == 0
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
