# METADATA
# title: Verified SLSA provenance covers every release artifact
# description: >-
#   Every provenance attestation verifies (a Sigstore bundle from a trusted identity, or a DSSE
#   envelope signed by a trusted key), and every release artifact's sha256 is a subject of
#   verified SLSA provenance (v0.2 or v1, in an in-toto statement v0.1 or v1) or a product of
#   a verified, unexpired in-toto layout. Attestations that cannot be verified offline are an
#   error, never a pass; a statement whose builder or source facts its signer does not vouch
#   for (the signing certificate says otherwise) covers nothing.
# custom:
#   severity: high
#   questions: [SDL-Q5, SDL-Q9]
#   waivable: true
#   mandatory: true
#   remediation: >-
#     Generate SLSA provenance in the build that produces the artifacts (slsa-github-generator,
#     actions/attest-build-provenance, or in-toto with the team's key), name the .intoto.jsonl
#     under evidence.provenance.attestations, and trust its signer under trust.identities or
#     trust.keys. Provenance must name each released file's sha256 as a subject.
#   evidence: [provenance, artifacts]
#   strength: verified
#   frameworks:
#     nist_ai_rmf: [MAP 4.1, MANAGE 3.1]
#     owasp_llm: [LLM03:2025]
#     atlas: [AML.M0014, AML.T0010]
#     saif: [controlModelAndDataIntegrityManagement, MST]
package gatekeeper.controls.sdl.provenance_verified

import rego.v1

import data.gatekeeper.lib.attestations

applicable if {
	count(input.artifacts) > 0
	count(attestations.statements) + count(attestations.layouts) > 0
}

attested := {subject.sha256 |
	some statement in attestations.vouched_provenance
	some subject in statement.subjects
} | {product.sha256 |
	some layout in attestations.layouts
	layout.verified
	not expired(layout)
	some product in layout.products
}

expired(layout) if time.parse_rfc3339_ns(layout.expires) <= attestations.now_ns

deny contains {"msg": msg, "finding": artifact.path, "file": artifact.path} if {
	applicable
	some artifact in input.artifacts
	not artifact.sha256 in attested
	msg := sprintf("release artifact %s (sha256 %s) is not a subject of verified SLSA provenance", [
		artifact.path, artifact.sha256,
	])
}

deny contains {"msg": msg, "finding": attestations.label(entry), "file": entry.source} if {
	some entry in array.concat(attestations.statements, attestations.layouts)
	attestations.rejected(entry)
	msg := sprintf("%s was rejected: %s", [attestations.label(entry), entry.error])
}

deny contains {"msg": msg, "finding": attestations.label(statement), "file": statement.source} if {
	some statement in attestations.slsa_provenance
	disputed := attestations.disputed_fields(statement)
	count(disputed) > 0
	msg := sprintf("%s contradicts its signer on %s: its subjects do not count as verified provenance", [
		attestations.label(statement), concat(", ", disputed),
	])
}

deny contains {"msg": msg, "finding": layout.source, "file": layout.source} if {
	some layout in attestations.layouts
	layout.verified
	expired(layout)
	msg := sprintf("the in-toto layout %s expired on %s", [layout.source, layout.expires])
}

errors contains attestations.unverifiable_entry(entry) if {
	some entry in array.concat(attestations.statements, attestations.layouts)
	entry.unverifiable
}

warn contains {"msg": msg, "file": statement.source} if {
	some statement in attestations.statements
	statement.verified
	object.get(statement, "slsa_version", null) == null
	msg := sprintf("%s verified but is not SLSA provenance (predicate %s): not counted", [
		attestations.label(statement), object.get(statement, "predicate_type", "none"),
	])
}

details := {
	"trusted": attestations.trusted,
	"statements": [attestations.summary(entry) | some entry in attestations.statements],
	"layouts": [attestations.summary(entry) | some entry in attestations.layouts],
}
