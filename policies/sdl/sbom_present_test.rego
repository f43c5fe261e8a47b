package gatekeeper.controls.sdl.sbom_present_test

import rego.v1

import data.gatekeeper.controls.sdl.sbom_present

document(valid, count) := {
	"source": "sbom.cdx.json", "format": "cyclonedx", "spec_version": "1.6",
	"valid": valid, "validation_errors": [e | valid == false; e := "components[0].type: not one of the allowed values"],
	"component_count": count, "model_count": 0,
}

sbom(documents) := {"sbom": {"documents": documents, "components": [], "models": [], "datasets": []}}

test_pass_with_a_valid_sbom if {
	sbom_present.applicable with input as sbom([document(true, 12)])
	count(sbom_present.deny) == 0 with input as sbom([document(true, 12)])
}

test_fail_when_the_sbom_does_not_validate if {
	denied := sbom_present.deny with input as sbom([document(false, 12)])
	some entry in denied
	contains(entry.msg, "is not a valid cyclonedx 1.6 document")
	entry.file == "sbom.cdx.json"
}

test_fail_when_the_sbom_lists_too_few_components if {
	count(sbom_present.deny) == 1 with input as sbom([document(true, 0)])
	count(sbom_present.deny) == 1 with input as sbom([document(true, 3)])
		with data.gatekeeper.config.sbom.min_components as 5
}

test_no_evidence_without_an_sbom if {
	not sbom_present.applicable with input as {}
	not sbom_present.applicable with input as sbom([])
}
