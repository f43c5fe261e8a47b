package gatekeeper.controls.sdl.source_matches_test

import rego.v1

import data.gatekeeper.controls.sdl.source_matches

statement(repository, ref) := {
	"source": "evidence/provenance.intoto.jsonl", "index": 1, "envelope": "sigstore-bundle",
	"verified": true, "unverifiable": false, "error": null, "slsa_version": "0.2",
	"source_repository": repository, "source_ref": ref, "source_commit": "8f70009f",
}

expected := {"repository": "https://github.com/aspect-build/rules_lint", "refs": ["refs/tags/*"]}

release(statements, source) := {"provenance": {"statements": statements}, "trust": {"source": source}}

test_pass_when_repository_and_ref_match if {
	doc := release([statement("https://github.com/aspect-build/rules_lint", "refs/tags/v1.3.1")], expected)
	source_matches.applicable with input as doc
	count(source_matches.deny) == 0 with input as doc
}

test_pass_when_any_ref_is_accepted if {
	doc := release([statement("https://github.com/aspect-build/rules_lint", "refs/heads/main")], {"repository": expected.repository, "refs": []})
	count(source_matches.deny) == 0 with input as doc
}

test_fail_when_built_from_another_repository if {
	denied := source_matches.deny with input as release([statement("https://github.com/evil/fork", "refs/tags/v1.3.1")], expected)
	some entry in denied
	contains(entry.msg, "https://github.com/evil/fork")
}

test_fail_when_built_from_another_ref if {
	denied := source_matches.deny with input as release([statement(expected.repository, "refs/heads/feature")], expected)
	some entry in denied
	contains(entry.msg, "refs/heads/feature")
	count(denied) == 1
}

test_fail_when_no_source_is_expected if {
	denied := source_matches.deny with input as release([statement(expected.repository, "refs/tags/v1")], null)
	denied == {"no expected source is configured: set trust.source.repository"}
}

test_no_evidence_without_verified_provenance if {
	not source_matches.applicable with input as release([], expected)
}

test_nothing_is_denied_without_provenance if {
	count(source_matches.deny) == 0 with input as {"trust": {}}
}

bound(field, predicate, certificate) := object.union(
	statement(expected.repository, "refs/tags/v1.3.1"),
	{"claims": {field: {
		"value": certificate, "from": "certificate", "predicate": predicate,
		"certificate": certificate, "agrees": predicate == certificate,
	}}},
)

test_fail_naming_both_for_each_field_the_certificate_contradicts if {
	cases := [
		["source_repository", expected.repository, "https://github.com/loosebazooka/aa-test"],
		["source_ref", "refs/tags/v1.3.1", "refs/heads/main"],
		["source_commit", "8f70009f", "9b0800a2"],
	]
	every case in cases {
		denied := source_matches.deny with input as release([bound(case[0], case[1], case[2])], {"repository": expected.repository})
		some entry in denied
		contains(entry.msg, sprintf("the predicate says %s %s but the signing certificate says %s", case))
	}
}

test_pass_and_details_name_the_certificate_when_it_agrees if {
	doc := release([bound("source_repository", expected.repository, expected.repository)], expected)
	count(source_matches.deny) == 0 with input as doc
	details := source_matches.details with input as doc
	details.builds[0].claims.source_repository == {
		"from": "certificate", "predicate": expected.repository,
		"certificate": expected.repository, "agrees": true,
	}
}
