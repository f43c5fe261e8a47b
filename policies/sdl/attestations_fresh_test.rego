package gatekeeper.controls.sdl.attestations_fresh_test

import rego.v1

import data.gatekeeper.controls.sdl.attestations_fresh

ok := {"verified": true, "unverifiable": false, "error": null}

bundle(signed_at) := object.union(ok, {"source": "dist/app.whl.sigstore.json", "artifact": "dist/app.whl", "signed_at": signed_at})

statement(finished_on) := object.union(ok, {"source": "evidence/provenance.intoto.jsonl", "index": 1, "slsa_version": "1", "finished_on": finished_on})

certificate_signature(not_before, not_after) := object.union(ok, {
	"source": "release/model.sig", "model": "release/model.safetensors", "method": "certificate",
	"signer": {"method": "certificate", "certificate": {"subject": "CN=release", "not_before": not_before, "not_after": not_after}},
})

release(signatures, model_signatures, statements) := {
	"collected_at": "2026-11-28T12:00:00+00:00",
	"signatures": signatures,
	"model_signatures": model_signatures,
	"provenance": {"statements": statements},
	"trust": {"max_age_days": {"signatures": 30, "provenance": 60}},
}

test_pass_when_everything_is_recent if {
	doc := release([bundle("2026-11-20T00:00:00Z")], [certificate_signature("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z")], [statement("2026-10-15T00:00:00Z")])
	attestations_fresh.applicable with input as doc
	count(attestations_fresh.deny) == 0 with input as doc
	details := attestations_fresh.details with input as doc
	some age in details.ages
	age.age_days == 8
}

test_fail_when_a_signature_is_too_old if {
	denied := attestations_fresh.deny with input as release([bundle("2026-10-01T00:00:00Z")], [], [])
	some entry in denied
	contains(entry.msg, "58 days old")
	contains(entry.msg, "max_age_days.signatures allows 30")
}

test_fail_when_provenance_is_too_old if {
	denied := attestations_fresh.deny with input as release([], [], [statement("2026-09-01T00:00:00Z")])
	some entry in denied
	contains(entry.msg, "max_age_days.provenance allows 60")
}

test_fail_when_signed_in_the_future if {
	denied := attestations_fresh.deny with input as release([bundle("2026-12-01T00:00:00Z")], [], [])
	some entry in denied
	contains(entry.msg, "not yet valid")
}

test_fail_when_the_signing_certificate_expired_or_is_not_yet_valid if {
	expired := attestations_fresh.deny with input as release([], [certificate_signature("2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z")], [])
	some old in expired
	contains(old.msg, "expired on 2026-01-01")
	early := attestations_fresh.deny with input as release([], [certificate_signature("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z")], [])
	some new in early
	contains(new.msg, "not valid before 2027-01-01")
}

test_warn_when_a_signature_has_no_trusted_time if {
	doc := release([], [object.union(ok, {"source": "release/model.sig", "method": "key"})], [])
	count(attestations_fresh.deny) == 0 with input as doc
	count(attestations_fresh.warn) == 1 with input as doc
}

test_no_evidence_without_verified_signatures if {
	not attestations_fresh.applicable with input as release([object.union(bundle("2026-11-20T00:00:00Z"), {"verified": false})], [], [])
}
