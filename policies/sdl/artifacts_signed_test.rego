package gatekeeper.controls.sdl.artifacts_signed_test

import rego.v1

import data.gatekeeper.controls.sdl.artifacts_signed

wheel := {"path": "dist/app.whl", "name": "app.whl", "kind": "package", "sha256": "aa", "size": 1, "format": "zip"}

model := {"path": "release/model.safetensors", "name": "model.safetensors", "kind": "model", "sha256": "bb", "size": 1, "format": "safetensors"}

bundle(digest, outcome) := object.union(outcome, {
	"source": "dist/app.whl.sigstore.json", "artifact": "dist/app.whl", "artifact_sha256": digest,
	"signer": {"method": "sigstore", "identity": "https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1", "issuer": "https://token.actions.githubusercontent.com", "trusted_as": "release"},
	"log": {"index": 7, "id": "x", "kind": "hashedrekord/0.0.1", "integrated_time": "2026-11-01T00:00:00Z"},
	"signed_at": "2026-11-01T00:00:00Z",
})

model_signature(outcome) := object.union(outcome, {
	"source": "release/model.sig", "model": "release/model.safetensors", "method": "key",
	"signer": {"method": "key", "key": "release", "fingerprint": "ff", "trusted_as": "release"},
	"files": [{"path": "release/model.safetensors", "algorithm": "sha256", "digest": "bb"}],
})

ok := {"verified": true, "unverifiable": false, "error": null}

failed := {"verified": false, "unverifiable": false, "error": "Signature is invalid for input"}

refused := {"verified": false, "unverifiable": true, "error": "sigstore cannot verify this bundle offline: Integrated time only supported for dsse/hashedrekord 0.0.1 types"}

release(signatures, model_signatures) := {
	"artifacts": [wheel, model],
	"signatures": signatures,
	"model_signatures": model_signatures,
	"trust": {"identities": [{"name": "release"}], "keys": [], "certificates": []},
}

test_pass_when_every_artifact_has_a_verified_signature if {
	input_doc := release([bundle("aa", ok)], [model_signature(ok)])
	artifacts_signed.applicable with input as input_doc
	count(artifacts_signed.deny) == 0 with input as input_doc
	count(artifacts_signed.errors) == 0 with input as input_doc
	details := artifacts_signed.details with input as input_doc
	details.signatures[0].log.index == 7
}

test_fail_when_an_artifact_is_unsigned if {
	denied := artifacts_signed.deny with input as release([], [model_signature(ok)])
	some entry in denied
	entry.finding == "dist/app.whl"
	contains(entry.msg, "carries no verified signature")
}

test_fail_names_the_reason_of_a_rejected_signature if {
	denied := artifacts_signed.deny with input as release([bundle("aa", failed)], [model_signature(ok)])
	some entry in denied
	entry.finding == "dist/app.whl.sigstore.json"
	contains(entry.msg, "Signature is invalid for input")
}

test_fail_when_the_signature_is_for_another_digest if {
	denied := artifacts_signed.deny with input as release([bundle("cc", ok)], [model_signature(ok)])
	some entry in denied
	entry.finding == "dist/app.whl"
}

test_error_when_a_signature_cannot_be_verified_offline if {
	errors := artifacts_signed.errors with input as release([bundle("aa", refused)], [model_signature(ok)])
	some entry in errors
	contains(entry.msg, "Integrated time only supported")
}

test_no_evidence_without_signatures if {
	not artifacts_signed.applicable with input as {"artifacts": [wheel]}
	not artifacts_signed.applicable with input as release([], [])
}

test_nothing_is_denied_without_signature_evidence if {
	count(artifacts_signed.deny) == 0 with input as {"artifacts": [wheel, model]}
}
