package gatekeeper.controls.dat.dpia_privacy_by_design_test

import rego.v1

import data.gatekeeper.controls.dat.dpia_privacy_by_design

headings := [
	"1 description of the processing", "2 ai data training data prompts and outputs",
	"3 necessity and proportionality", "4 risks to individuals", "5 measures and safeguards",
	"6 retention and deletion",
]

dpia(words) := {"collected_at": "2026-11-28T12:00:00Z", "documents": {"dpia": {
	"path": "docs/DPIA.md", "format": "markdown", "words": 600,
	"sections": [{"heading": h, "normalized": h, "level": 2, "words": words} | some h in headings],
	"facts": {}, "atlas_techniques": [],
}}}

test_pass_with_every_section if {
	dpia_privacy_by_design.applicable with input as dpia(30)
	count(dpia_privacy_by_design.deny) == 0 with input as dpia(30)
}

test_fail_when_sections_are_empty if {
	expected := count(headings)
	count(dpia_privacy_by_design.deny) == expected with input as dpia(2)
}

test_fail_names_the_missing_section if {
	partial := {"collected_at": "2026-11-28T12:00:00Z", "documents": {"dpia": object.union(dpia(30).documents.dpia, {"sections": [
		{"heading": h, "normalized": h, "level": 2, "words": 30} | some h in headings; h != "6 retention and deletion"
	]})}}
	denied := dpia_privacy_by_design.deny with input as partial
	denied == {{
		"msg": "lacks the section \"Retention and deletion\": no heading names it",
		"finding": "dpia:section:Retention and deletion", "file": "docs/DPIA.md",
	}}
}

test_no_evidence_without_the_dpia if {
	not dpia_privacy_by_design.applicable with input as {"documents": {"model_card": {}}}
	count(dpia_privacy_by_design.deny) == 0 with input as {"documents": {"model_card": {}}}
}
