package gatekeeper.controls.sdl.provenance_verified_test

import rego.v1

import data.gatekeeper.controls.sdl.provenance_verified

artifact := {"path": "release/model.safetensors", "name": "model.safetensors", "kind": "model", "sha256": "bb", "size": 1, "format": "safetensors"}

ok := {"verified": true, "unverifiable": false, "error": null}

statement(outcome, digest) := object.union(outcome, {
	"source": "evidence/provenance.intoto.jsonl", "index": 1, "envelope": "dsse",
	"statement_type": "1", "predicate_type": "https://slsa.dev/provenance/v1", "slsa_version": "1",
	"subjects": [{"name": "model.safetensors", "sha256": digest}],
	"builder_id": "https://ci.example/builder@v1", "source_repository": "https://github.com/o/r",
})

layout(outcome, expires) := object.union(outcome, {
	"source": "evidence/root.layout", "links": "evidence/links", "expires": expires,
	"steps": ["build"], "products": [{"name": "model.safetensors", "sha256": "bb"}],
})

release(statements, layouts) := {
	"collected_at": "2026-11-28T12:00:00+00:00",
	"artifacts": [artifact],
	"provenance": {"statements": statements, "layouts": layouts},
}

test_pass_when_verified_provenance_names_every_artifact if {
	doc := release([statement(ok, "bb")], [])
	provenance_verified.applicable with input as doc
	count(provenance_verified.deny) == 0 with input as doc
	count(provenance_verified.errors) == 0 with input as doc
}

test_pass_when_a_verified_layout_produced_the_artifact if {
	doc := release([], [layout(ok, "2030-01-01T00:00:00Z")])
	count(provenance_verified.deny) == 0 with input as doc
}

test_fail_when_the_subject_digest_does_not_match if {
	denied := provenance_verified.deny with input as release([statement(ok, "cc")], [])
	some entry in denied
	entry.finding == "release/model.safetensors"
	contains(entry.msg, "not a subject of verified SLSA provenance")
}

test_fail_when_the_signature_is_rejected if {
	rejected := {"verified": false, "unverifiable": false, "error": "no trusted key (ci) verifies the DSSE signature"}
	denied := provenance_verified.deny with input as release([statement(rejected, "bb")], [])
	some entry in denied
	entry.file == "evidence/provenance.intoto.jsonl"
	contains(entry.msg, "no trusted key")
}

test_fail_when_the_layout_expired if {
	denied := provenance_verified.deny with input as release([statement(ok, "bb")], [layout(ok, "2026-01-01T00:00:00Z")])
	some entry in denied
	contains(entry.msg, "expired on 2026-01-01")
}

test_error_when_the_attestation_cannot_be_verified_offline if {
	refused := {"verified": false, "unverifiable": true, "error": "sigstore cannot verify this bundle offline: Integrated time only supported for dsse/hashedrekord 0.0.1 types"}
	errors := provenance_verified.errors with input as release([statement(refused, "bb")], [])
	some entry in errors
	contains(entry.msg, "could not be verified")
}

test_warn_on_verified_statements_that_are_not_provenance if {
	vsa := object.union(statement(ok, "bb"), {"slsa_version": null, "predicate_type": "https://slsa.dev/verification_summary/v1"})
	warned := provenance_verified.warn with input as release([statement(ok, "bb"), vsa], [])
	count(warned) == 1
}

test_no_evidence_without_provenance if {
	not provenance_verified.applicable with input as {"artifacts": [artifact]}
	not provenance_verified.applicable with input as release([], [])
}

test_nothing_is_denied_without_provenance if {
	count(provenance_verified.deny) == 0 with input as {"artifacts": [artifact]}
}

test_details_say_where_each_build_fact_came_from if {
	claims := {"builder_id": {
		"value": "https://ci.example/builder@v1", "from": "certificate", "agrees": true,
		"predicate": "https://ci.example/builder@v1", "certificate": "https://ci.example/builder@v1",
	}}
	doc := release([object.union(statement(ok, "bb"), {"claims": claims})], [])
	details := provenance_verified.details with input as doc
	details.statements[0].claims.builder_id.from == "certificate"
	details.statements[0].claims.builder_id.certificate == "https://ci.example/builder@v1"
}

test_fail_when_the_statement_contradicts_its_signer if {
	claims := {
		"builder_id": {"value": "b", "from": "certificate", "agrees": true, "predicate": "b", "certificate": "b"},
		"source_ref": {"value": "refs/heads/main", "from": "certificate", "agrees": false, "predicate": "refs/tags/v1", "certificate": "refs/heads/main"},
	}
	denied := provenance_verified.deny with input as release([object.union(statement(ok, "bb"), {"claims": claims})], [])
	count(denied) == 2
	some entry in denied
	contains(entry.msg, "contradicts its signer on source_ref")
	some other in denied
	contains(other.msg, "is not a subject of verified SLSA provenance")
}
