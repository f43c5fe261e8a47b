# METADATA
# title: Vector stores are isolated per tenant and fed only by signed ingestion
# description: >-
#   The system manifest declares its vector stores, each separating tenants by one of
#   ai_system.tenant_isolation (namespace, collection, index or database) with a namespace template
#   that contains the tenant ({tenant...}), and every store is written only by ingestion
#   pipelines that verify signatures (a scheme and the signer identity or key they accept).
#   Declared, not measured: the control requires the isolation and the signer concretely; a
#   cross-tenant retrieval test is what shows the isolation holds.
# custom:
#   severity: high
#   questions: [APP-Q4]
#   waivable: true
#   applies_to: [rag]
#   remediation: >-
#     Give each tenant its own namespace or collection (declare tenant_isolation and
#     namespace_template), and sign documents where they are published and verify the signature
#     in the ingestion pipeline (retrieval.ingestion[].signature: scheme, signer).
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MANAGE 1.3, MEASURE 2.7]
#     owasp_llm: [LLM08:2025, LLM04:2025]
#     atlas: [AML.T0070, AML.T0071, AML.M0025]
#     saif: [DP, SDD, controlModelAndDataAccessControls, controlModelAndDataIntegrityManagement]
package gatekeeper.controls.app.vector_stores_isolated

import rego.v1

import data.gatekeeper.lib.manifest

retrieval := object.get(manifest.declared, "retrieval", {})

stores := object.get(retrieval, "vector_stores", [])

pipelines := object.get(retrieval, "ingestion", [])

applicable if input.manifest

deny contains manifest.entry(msg, "retrieval:vector-stores") if {
	count(stores) == 0
	msg := "no vector store is declared (retrieval.vector_stores); disable this control for a system without retrieval"
}

deny contains manifest.entry(msg, sprintf("store:%s:isolation", [store.name])) if {
	some store in stores
	not store.tenant_isolation in manifest.config.tenant_isolation
	msg := sprintf("vector store %s does not separate tenants (tenant_isolation: %s)", [store.name, store.tenant_isolation])
}

deny contains manifest.entry(msg, sprintf("store:%s:namespace", [store.name])) if {
	some store in stores
	not contains(object.get(store, "namespace_template", ""), "{tenant")
	msg := sprintf("vector store %s has no per-tenant namespace template containing {tenant...}", [store.name])
}

deny contains manifest.entry(msg, sprintf("store:%s:ingestion", [store.name])) if {
	some store in stores
	count([p | some p in pipelines; p.store == store.name]) == 0
	msg := sprintf("no ingestion pipeline is declared for vector store %s", [store.name])
}

deny contains manifest.entry(msg, sprintf("ingestion:%s:signature", [pipeline.name])) if {
	some pipeline in pipelines
	not pipeline.signature
	msg := sprintf("ingestion pipeline %s does not verify signatures (signature: scheme, signer)", [pipeline.name])
}

deny contains manifest.entry(msg, sprintf("ingestion:%s:store", [pipeline.name])) if {
	some pipeline in pipelines
	count([s | some s in stores; s.name == pipeline.store]) == 0
	msg := sprintf("ingestion pipeline %s writes to %s, which is not a declared vector store", [pipeline.name, pipeline.store])
}

deny contains problem if some problem in manifest.placeholder_problems(["retrieval.vector_stores"])
