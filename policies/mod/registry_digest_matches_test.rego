package gatekeeper.controls.mod.registry_digest_matches_test

import rego.v1

import data.gatekeeper.controls.mod.registry_digest_matches as control

digest := "658600ca9608f9ed7274268de711820ec5bbcc762cd66289af6e6cbe9ac4af1f"

other := "5ed40f7a7021f8bedad2f8d9ae16cac45475a5d8bd7b1353b048ed21fcd91a3b"

scorer := {
	"name": "scorer", "version": "1.4.0", "hosting": "self-hosted", "registry": "ml-registry",
	"digest": concat("", ["sha256:", digest]),
}

hosted := {"name": "gpt-4o", "version": "2024-11-20", "hosting": "provider", "provider": "azure.ai.openai"}

artifact := {"path": "release/model.safetensors", "name": "model.safetensors", "kind": "model", "sha256": digest, "size": 1, "format": "safetensors"}

component(sha, version) := {"name": "scorer", "version": version, "sha256": sha, "hashes": {"sha256": sha}, "source": "mlbom.json"}

evidence(models, artifacts, bom) := {
	"artifacts": artifacts,
	"sbom": {"documents": [], "components": [], "models": bom, "datasets": []},
	"manifest": {
		"source": "ai-system.yaml",
		"declared": {"registries": [{"name": "ml-registry", "uri": "registry.example.com/ml"}], "models": models},
		"prompt_templates": [],
	},
}

test_pass_when_the_digest_matches_artifact_and_ml_bom if {
	e := evidence([scorer, hosted], [artifact], [component(digest, "1.4.0")])
	control.applicable with input as e
	count(control.deny) == 0 with input as e
	control.details.scorer.released with input as e
}

test_fail_when_the_declared_digest_does_not_match if {
	wrong := object.union(scorer, {"digest": concat("", ["sha256:", other])})
	denied := control.deny with input as evidence([wrong], [artifact], [component(digest, "1.4.0")])
	{entry.finding | some entry in denied} == {"model:scorer:digest", digest}
}

test_fail_for_an_unknown_registry_a_version_mismatch_and_a_moving_alias if {
	moved := object.union(scorer, {"registry": "somewhere"})
	alias := object.union(hosted, {"version": "latest"})
	denied := control.deny with input as evidence([moved, alias], [artifact], [component(digest, "1.3.0")])
	{entry.finding | some entry in denied} == {"model:scorer:registry", "model:scorer:version", "model:gpt-4o:version"}
}

test_fail_when_nothing_measured_confirms_the_digest if {
	e := evidence([object.union(scorer, {"digest": concat("", ["sha256:", other])})], [], [{"name": "classifier", "sha256": digest, "hashes": {}, "source": "b.json"}])
	denied := control.deny with input as e
	{entry.finding | some entry in denied} == {"model:scorer:unverified"}
}

test_fail_without_a_digest if {
	denied := control.deny with input as evidence([object.remove(scorer, ["digest"])], [artifact], [])
	{entry.finding | some entry in denied} == {"model:scorer:digest", digest}
}

test_no_evidence_without_a_release_model_or_a_manifest if {
	not control.applicable with input as evidence([scorer], [], [])
	not control.applicable with input as {"artifacts": [artifact]}
}

test_a_model_without_a_registry_says_it_names_none if {
	denied := control.deny with input as evidence([object.remove(scorer, ["registry"])], [artifact], [])
	some entry in denied
	entry.finding == "model:scorer:registry"
	entry.msg == "model scorer names no registry: add registry: <name> to it, and that registry under registries"
	not contains(entry.msg, "registry none")
}
