package gatekeeper.controls.sdl.builder_trusted_test

import rego.v1

import data.gatekeeper.controls.sdl.builder_trusted

statement(verified, builder) := {
	"source": "evidence/provenance.intoto.jsonl", "index": 1, "envelope": "dsse",
	"verified": verified, "unverifiable": false, "error": null,
	"slsa_version": "1", "builder_id": builder,
}

builder := "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0"

release(statements, builders) := {
	"provenance": {"statements": statements},
	"trust": {"builders": builders},
}

test_pass_when_the_builder_is_trusted if {
	doc := release([statement(true, builder)], [builder])
	builder_trusted.applicable with input as doc
	count(builder_trusted.deny) == 0 with input as doc
	details := builder_trusted.details with input as doc
	details.builds[0].trusted
}

test_fail_when_the_builder_is_not_trusted if {
	denied := builder_trusted.deny with input as release([statement(true, "https://laptop.example/me")], [builder])
	some entry in denied
	contains(entry.msg, "https://laptop.example/me")
	contains(entry.msg, "not a trusted builder")
}

test_fail_when_no_builder_is_trusted_or_named if {
	count(builder_trusted.deny) == 1 with input as release([statement(true, builder)], [])
	count(builder_trusted.deny) == 1 with input as release([statement(true, null)], [builder])
}

test_no_evidence_without_verified_provenance if {
	not builder_trusted.applicable with input as release([statement(false, builder)], [builder])
	not builder_trusted.applicable with input as {}
}

signer_build := "https://github.com/loosebazooka/aa-test/.github/workflows/malicious_attestation.yaml@refs/heads/main"

claim(from, predicate, certificate, agrees) := {
	"value": certificate, "from": from, "predicate": predicate, "certificate": certificate,
	"agrees": agrees,
}

# The wrong-signer bundle: the predicate names a trusted builder, the certificate another one.
test_fail_naming_both_when_the_predicate_disagrees_with_the_certificate if {
	disputed := object.union(statement(true, signer_build), {"claims": {"builder_id": claim("certificate", builder, signer_build, false)}})
	denied := builder_trusted.deny with input as release([disputed], [builder, signer_build])
	count(denied) == 1
	some entry in denied
	contains(entry.msg, sprintf("the predicate says builder_id %s", [builder]))
	contains(entry.msg, sprintf("the signing certificate says %s", [signer_build]))
}

test_pass_when_the_certificate_agrees_and_details_say_where_the_builder_came_from if {
	agreed := object.union(statement(true, builder), {"claims": {"builder_id": claim("certificate", builder, builder, true)}})
	doc := release([agreed], [builder])
	count(builder_trusted.deny) == 0 with input as doc
	details := builder_trusted.details with input as doc
	details.builds[0].claims.builder_id.from == "certificate"
	details.builds[0].claims.builder_id.certificate == builder
}

test_fail_when_the_certificate_names_no_builder if {
	unvouched := object.union(statement(true, builder), {
		"signer": {"method": "sigstore", "identity": "someone@example.com"},
		"claims": {"builder_id": object.union(claim("predicate", builder, null, false), {"value": builder})},
	})
	denied := builder_trusted.deny with input as release([unvouched], [builder])
	some entry in denied
	contains(entry.msg, "names no builder_id: nobody vouches for it")
	contains(entry.msg, "someone@example.com")
}

test_fail_when_the_key_is_not_bound_to_the_builder if {
	keyed := object.union(statement(true, builder), {
		"signer": {"method": "key", "key": "model-signer", "builders": []},
		"claims": {"builder_id": {"value": builder, "from": "key", "key": "model-signer", "predicate": builder, "certificate": null, "agrees": false}},
	})
	denied := builder_trusted.deny with input as release([keyed], [builder])
	count(denied) == 1
	some entry in denied
	contains(entry.msg, "key model-signer is bound to builders []")
}
