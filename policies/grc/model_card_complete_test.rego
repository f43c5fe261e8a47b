package gatekeeper.controls.grc.model_card_complete_test

import rego.v1

import data.gatekeeper.controls.grc.model_card_complete

headings := ["model details", "intended use", "training data", "evaluation", "limitations"]

document(words) := {"documents": {"model_card": {
	"path": "docs/model_card.md", "format": "markdown", "words": 100,
	"sections": [{"heading": h, "normalized": h, "level": 2, "words": words} | some h in headings],
}}}

test_pass_with_every_section if {
	model_card_complete.applicable with input as document(40)
	count(model_card_complete.deny) == 0 with input as document(40)
}

# regorus leaves `count(deny) == count(headings) with input as ...` undefined: bind first.
test_fail_when_sections_are_empty if {
	expected := count(headings)
	count(model_card_complete.deny) == expected with input as document(0)
}

test_fail_when_a_section_is_missing if {
	partial := {"documents": {"model_card": object.union(document(40).documents.model_card, {"sections": [{"heading": "Other", "normalized": "other", "level": 2, "words": 50}]})}}
	expected := count(headings)
	count(model_card_complete.deny) == expected with input as partial
}

test_required_sections_come_from_config if {
	count(model_card_complete.deny) == 0 with input as document(0)
		with data.gatekeeper.config.documents.min_words as 0
}

test_no_evidence_without_the_document if {
	not model_card_complete.applicable with input as {}
	not model_card_complete.applicable with input as {"documents": {}}
}
