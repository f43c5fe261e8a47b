package gatekeeper.controls.sdl.mlbom_covers_models_test

import rego.v1

import data.gatekeeper.controls.sdl.mlbom_covers_models

digest := "1f3c0a6a4b8f9d2e7c5b3a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d"

other := "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

model_artifact := {"path": "model.safetensors", "name": "model.safetensors", "kind": "model", "sha256": digest, "size": 10, "format": "safetensors"}

release(listed_digest) := {
	"artifacts": [model_artifact],
	"sbom": {
		"documents": [{"source": "mlbom.json", "format": "cyclonedx", "spec_version": "1.6", "valid": true, "validation_errors": [], "component_count": 1, "model_count": 1}],
		"components": [],
		"models": [{"name": "classifier", "sha256": listed_digest, "hashes": {"sha256": listed_digest}, "source": "mlbom.json"}],
		"datasets": [],
	},
}

test_pass_when_every_model_is_listed_with_its_digest if {
	mlbom_covers_models.applicable with input as release(digest)
	count(mlbom_covers_models.deny) == 0 with input as release(digest)
	count(mlbom_covers_models.warn) == 0 with input as release(digest)
}

test_fail_when_the_listed_digest_differs if {
	denied := mlbom_covers_models.deny with input as release(other)
	some entry in denied
	entry.file == "model.safetensors"
	count(mlbom_covers_models.warn) == 1 with input as release(other)
}

test_fail_when_the_model_component_has_no_hash if {
	count(mlbom_covers_models.deny) == 1 with input as release(null)
}

test_no_evidence_without_models_or_sbom if {
	not mlbom_covers_models.applicable with input as {"artifacts": [model_artifact]}
	not mlbom_covers_models.applicable with input as object.union(release(digest), {"artifacts": []})
}
