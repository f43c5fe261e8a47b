package gatekeeper.controls.rte.threat_model_atlas_stride_test

import rego.v1

import data.gatekeeper.controls.rte.threat_model_atlas_stride

stride := ["spoofing", "tampering", "repudiation", "information disclosure", "denial of service", "elevation of privilege"]

known := [
	{"id": "AML.T0051", "name": "LLM Prompt Injection", "known": true, "line": 12},
	{"id": "AML.T0024", "name": "Exfiltration via AI Inference API", "known": true, "line": 20},
	{"id": "AML.T0020", "name": "Poison Training Data", "known": true, "line": 31},
]

model(techniques) := {"documents": {"threat_model": {
	"path": "docs/security/THREAT_MODEL.md", "format": "markdown", "words": 1200,
	"sections": [{"heading": h, "normalized": h, "level": 2, "words": 40} | some h in stride],
	"facts": {}, "atlas_techniques": techniques,
}}}

test_pass_with_known_techniques_and_every_stride_category if {
	threat_model_atlas_stride.applicable with input as model(known)
	count(threat_model_atlas_stride.deny) == 0 with input as model(known)
	threat_model_atlas_stride.details == {"atlas_techniques": ["AML.T0020", "AML.T0024", "AML.T0051"]} with input as model(known)
}

test_fail_names_an_unknown_technique_and_its_line if {
	cited := array.concat(known, [{"id": "AML.T0999", "name": null, "known": false, "line": 44}])
	denied := threat_model_atlas_stride.deny with input as model(cited)
	denied == {{
		"msg": "cites AML.T0999, which is not a MITRE ATLAS technique id",
		"finding": "threat_model:unknown-atlas:AML.T0999",
		"file": "docs/security/THREAT_MODEL.md", "line": 44,
	}}
}

test_fail_with_too_few_techniques if {
	denied := threat_model_atlas_stride.deny with input as model([known[0]])
	{d.msg | some d in denied} == {"names 1 existing MITRE ATLAS technique(s); at least 3 are required"}
}

test_fail_without_a_stride_category if {
	partial := {"documents": {"threat_model": object.union(model(known).documents.threat_model, {"sections": [
		{"heading": h, "normalized": h, "level": 2, "words": 40} | some h in stride; h != "repudiation"
	]})}}
	denied := threat_model_atlas_stride.deny with input as partial
	{d.finding | some d in denied} == {"threat_model:section:Repudiation"}
}

test_minimum_comes_from_config if {
	count(threat_model_atlas_stride.deny) == 0 with input as model([known[0]])
		with data.gatekeeper.config.documents.threat_model.min_atlas_techniques as 1
}

test_no_evidence_without_a_threat_model if {
	not threat_model_atlas_stride.applicable with input as {"documents": {}}
	count(threat_model_atlas_stride.deny) == 0 with input as {"documents": {}}
}
