# METADATA
# title: The release was built by a trusted builder
# description: >-
#   Every verified SLSA provenance names a builder id listed in trust.builders, so the
#   artifacts come from a build platform the organization vouches for and not from a
#   developer machine or an unknown CI. The builder id is the signing certificate's (its
#   Build Signer URI) and the predicate must agree; a key-signed statement may name only the
#   builders its key is bound to.
# custom:
#   severity: high
#   questions: [SDL-Q5]
#   waivable: true
#   remediation: >-
#     Build releases only on a hardened, trusted builder (for example the SLSA GitHub
#     generator's reusable workflows) and list its builder id, exactly as the provenance
#     states it (runDetails.builder.id or builder.id), under trust.builders.
#   evidence: [provenance]
#   strength: verified
#   frameworks:
#     nist_ai_rmf: [MAP 4.2, MANAGE 3.1]
#     owasp_llm: [LLM03:2025]
#     atlas: [AML.M0014, AML.T0010.001]
#     saif: [controlModelAndDataIntegrityManagement, controlSecureByDefaultMLTooling, MST]
package gatekeeper.controls.sdl.builder_trusted

import rego.v1

import data.gatekeeper.lib.attestations

trusted_builders := object.get(attestations.trust, "builders", [])

applicable if count(attestations.slsa_provenance) > 0

deny contains {"msg": msg, "finding": attestations.label(statement), "file": statement.source} if {
	some statement in attestations.slsa_provenance
	builder := object.get(statement, "builder_id", null)
	not builder in trusted_builders
	msg := sprintf("%s was built by %v, which is not a trusted builder (trust.builders: %v)", [
		attestations.label(statement), builder, trusted_builders,
	])
}

deny contains {"msg": msg, "finding": attestations.label(statement), "file": statement.source} if {
	some statement in attestations.slsa_provenance
	claim := attestations.disputed(statement, "builder_id")
	msg := attestations.dispute_msg(statement, "builder_id", claim)
}

details := {
	"trusted_builders": trusted_builders,
	"builds": [{
		"source": statement.source,
		"builder_id": object.get(statement, "builder_id", null),
		"build_type": object.get(statement, "build_type", null),
		"trusted": object.get(statement, "builder_id", null) in trusted_builders,
		"claims": attestations.claim_sources(statement),
	} |
		some statement in attestations.slsa_provenance
	],
}
