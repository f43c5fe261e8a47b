# METADATA
# title: Every release artifact is signed by a trusted signer
# description: >-
#   Each release artifact carries a signature that verified offline and was made by a signer
#   the trust section allows: a Sigstore bundle from a trusted identity (exact identity and
#   OIDC issuer, or a GitHub workflow of the expected repository, ref and trigger) over the
#   artifact's sha256, or an OpenSSF model signature that covers the file. A signature that
#   does not verify fails the control; one that cannot be verified here is an error.
# custom:
#   severity: critical
#   questions: [SDL-Q7, SDL-Q9]
#   waivable: true
#   mandatory: true
#   remediation: >-
#     Sign every artifact in the release job (`sigstore sign`, `cosign sign-blob --bundle`, or
#     `model_signing sign` for models), add each artifact and its bundle under
#     evidence.signatures (or evidence.model_signatures), and list the signing identity under
#     trust.identities (or its key under trust.keys). Re-sign after any change to an artifact.
#   evidence: [signatures, model_signatures, artifacts]
#   strength: verified
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7, MANAGE 3.1]
#     owasp_llm: [LLM03:2025]
#     atlas: [AML.M0013, AML.M0014, AML.T0010]
#     saif: [controlModelAndDataIntegrityManagement, MST, MDT]
package gatekeeper.controls.sdl.artifacts_signed

import rego.v1

import data.gatekeeper.lib.attestations

applicable if {
	count(input.artifacts) > 0
	count(attestations.signatures) + count(attestations.model_signatures) > 0
}

signed(artifact) if {
	some signature in attestations.signatures
	signature.verified
	signature.artifact_sha256 == artifact.sha256
}

signed(artifact) if {
	some signature in attestations.model_signatures
	signature.verified
	some file in signature.files
	file.path == artifact.path
	file.digest == artifact.sha256
}

deny contains {"msg": msg, "finding": artifact.path, "file": artifact.path} if {
	applicable
	some artifact in input.artifacts
	not signed(artifact)
	msg := sprintf("release artifact %s (sha256 %s) carries no verified signature by a trusted signer", [
		artifact.path, artifact.sha256,
	])
}

deny contains {"msg": msg, "finding": signature.source, "file": signature.source} if {
	some signature in attestations.signatures
	attestations.rejected(signature)
	msg := sprintf("the signature %s over %s was rejected: %s", [
		signature.source, signature.artifact, signature.error,
	])
}

errors contains attestations.unverifiable_entry(signature) if {
	some signature in array.concat(attestations.signatures, attestations.model_signatures)
	signature.unverifiable
}

details := {
	"trusted": attestations.trusted,
	"signatures": [attestations.summary(signature) |
		some signature in array.concat(attestations.signatures, attestations.model_signatures)
	],
}
