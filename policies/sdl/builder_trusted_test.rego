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
