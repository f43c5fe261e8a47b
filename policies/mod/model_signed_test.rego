package gatekeeper.controls.mod.model_signed_test

import rego.v1

import data.gatekeeper.controls.mod.model_signed

model := {"path": "release/model.safetensors", "name": "model.safetensors", "kind": "model", "sha256": "bb", "size": 1, "format": "safetensors"}

signature(outcome, files) := object.union(outcome, {
	"source": "release/model.sig", "model": "release/model.safetensors", "method": "key",
	"signer": {"method": "key", "key": "release", "fingerprint": "ff", "trusted_as": "release"},
	"files": files,
})

covering := [{"path": "release/model.safetensors", "algorithm": "sha256", "digest": "bb"}]

ok := {"verified": true, "unverifiable": false, "error": null}

tampered := {"verified": false, "unverifiable": false, "error": "the model does not match its signature: modified after signing: model.safetensors"}

refused := {"verified": false, "unverifiable": true, "error": "sigstore cannot verify this signature offline"}

release(signatures) := {"artifacts": [model], "model_signatures": signatures, "trust": {}}

test_pass_when_the_model_is_covered_by_a_verified_signature if {
	model_signed.applicable with input as release([signature(ok, covering)])
	count(model_signed.deny) == 0 with input as release([signature(ok, covering)])
	details := model_signed.details with input as release([signature(ok, covering)])
	details.model_signatures[0].files == covering
}

test_fail_when_the_model_was_modified_after_signing if {
	denied := model_signed.deny with input as release([object.remove(signature(tampered, []), ["files"])])
	some entry in denied
	entry.file == "release/model.sig"
	contains(entry.msg, "modified after signing")
	some uncovered in denied
	uncovered.finding == "release/model.safetensors"
}

test_fail_when_the_signature_covers_other_files if {
	other := [{"path": "release/other.bin", "algorithm": "sha256", "digest": "bb"}]
	denied := model_signed.deny with input as release([signature(ok, other)])
	count(denied) == 1
}

test_error_when_the_signature_cannot_be_verified_here if {
	errors := model_signed.errors with input as release([signature(refused, [])])
	count(errors) == 1
}

test_no_evidence_when_unsigned if {
	not model_signed.applicable with input as {"artifacts": [model]}
	not model_signed.applicable with input as release([])
}

test_nothing_is_denied_without_model_signatures if {
	count(model_signed.deny) == 0 with input as {"artifacts": [model]}
}
