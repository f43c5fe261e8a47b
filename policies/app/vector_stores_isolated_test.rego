package gatekeeper.controls.app.vector_stores_isolated_test

import rego.v1

import data.gatekeeper.controls.app.vector_stores_isolated as control

store := {"name": "kb", "engine": "pgvector", "tenant_isolation": "namespace", "namespace_template": "kb_{tenant_id}"}

pipeline := {"name": "kb-sync", "store": "kb", "signature": {"scheme": "sigstore", "signer": "publish.yml"}}

evidence(retrieval) := {"manifest": {"source": "ai-system.yaml", "declared": {"retrieval": retrieval}, "prompt_templates": []}}

test_pass_for_isolated_stores_with_signed_ingestion if {
	retrieval := {"vector_stores": [store], "ingestion": [pipeline]}
	control.applicable with input as evidence(retrieval)
	count(control.deny) == 0 with input as evidence(retrieval)
}

test_fail_for_a_shared_store_fed_unsigned if {
	shared := {"name": "kb", "engine": "chroma", "tenant_isolation": "none"}
	unsigned := {"name": "scrape", "store": "kb"}
	denied := control.deny with input as evidence({"vector_stores": [shared], "ingestion": [unsigned]})
	{entry.finding | some entry in denied} == {"store:kb:isolation", "store:kb:namespace", "ingestion:scrape:signature"}
}

test_fail_for_a_store_without_ingestion_and_an_orphan_pipeline if {
	orphan := object.union(pipeline, {"store": "other"})
	denied := control.deny with input as evidence({"vector_stores": [store], "ingestion": [orphan]})
	{entry.finding | some entry in denied} == {"store:kb:ingestion", "ingestion:kb-sync:store"}
}

test_fail_without_vector_stores if {
	denied := control.deny with input as evidence({})
	{entry.finding | some entry in denied} == {"retrieval:vector-stores"}
}

test_threshold_sets_the_accepted_isolation if {
	denied := control.deny with input as evidence({"vector_stores": [store], "ingestion": [pipeline]})
		with data.gatekeeper.config.ai_system.tenant_isolation as ["database"]
	{entry.finding | some entry in denied} == {"store:kb:isolation"}
}

test_no_evidence_without_a_manifest if {
	not control.applicable with input as {}
}
