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

test_min_words_come_from_the_kind_settings if {
	count(model_card_complete.deny) == 0 with input as document(0)
		with data.gatekeeper.config.documents.model_card.min_words as 0
	expected := count(headings)
	count(model_card_complete.deny) == expected with input as document(19)
	count(model_card_complete.deny) == 0 with input as document(20)
}

test_the_default_min_words_applies_without_a_kind_setting if {
	# the whole section replaced: OPA does not carry a deeper "with" into a rule bound to it
	settings := json.remove(data.gatekeeper.config.documents, ["model_card/min_words"])
	count(model_card_complete.deny) == 0 with input as document(15)
		with data.gatekeeper.config.documents as settings
	expected := count(headings)
	count(model_card_complete.deny) == expected with input as document(14)
		with data.gatekeeper.config.documents as settings
}

with_section(section) := {"documents": {"model_card": object.union(document(40).documents.model_card, {"sections": array.concat(
	[{"heading": h, "normalized": h, "level": 2, "words": 40} | some h in headings; h != "evaluation"],
	[section],
)})}}

test_fail_names_a_placeholder_section if {
	placeholder := {"heading": "Evaluation", "normalized": "evaluation", "level": 2, "words": 40, "placeholder": true, "placeholder_reason": "it holds the placeholder 'lorem ipsum'"}
	{d.msg | some d in model_card_complete.deny with input as with_section(placeholder)} == {"lacks the section \"Evaluation\": heading \"Evaluation\" is a placeholder (it holds the placeholder 'lorem ipsum')"}
	real := object.union(placeholder, {"placeholder": false, "placeholder_reason": null})
	count(model_card_complete.deny) == 0 with input as with_section(real)
}

test_one_heading_cannot_satisfy_several_sections if {
	h := "evaluation and limitations"
	both := {"documents": {"model_card": object.union(document(40).documents.model_card, {"sections": array.concat(
		[{"heading": x, "normalized": x, "level": 2, "words": 40} | some x in ["model details", "intended use", "training data"]],
		[{"heading": h, "normalized": h, "level": 2, "words": 400}],
	)})}}
	{d.msg | some d in model_card_complete.deny with input as both} == {
		"lacks the section \"Evaluation\": heading \"evaluation and limitations\" also names Limitations and risks; each required section needs its own heading",
		"lacks the section \"Limitations and risks\": heading \"evaluation and limitations\" also names Evaluation; each required section needs its own heading",
	}
}

test_a_short_section_names_its_length if {
	short := {"heading": "Evaluation", "normalized": "evaluation", "level": 2, "words": 7}
	{d.msg | some d in model_card_complete.deny with input as with_section(short)} == {"lacks the section \"Evaluation\": heading \"Evaluation\" says 7 words; at least 20 are required"}
}

test_no_evidence_without_the_document if {
	not model_card_complete.applicable with input as {}
	not model_card_complete.applicable with input as {"documents": {}}
}
