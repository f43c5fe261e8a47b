# METADATA
# title: Every model artifact carries a valid OpenSSF model signature
# description: >-
#   Each release artifact of kind model is covered by an OpenSSF model signature (model.sig)
#   that model-signing verified offline: made by a trusted Sigstore identity, a trusted key
#   or a trusted certificate chain, over a manifest that matches the model file by file. A
#   modified, missing or unsigned extra file fails; an unsigned model is denied.
# custom:
#   severity: critical
#   questions: [MOD-Q3, SDL-Q7, SDL-Q9]
#   waivable: false
#   mandatory: true
#   remediation: >-
#     Sign the model where it is produced (`model_signing sign sigstore|key|certificate
#     MODEL --signature model.sig`), ship model.sig beside it, name both under
#     evidence.model_signatures, and trust the signer under trust.identities, trust.keys or
#     trust.certificates. If the model changed after signing, rebuild and re-sign it: never
#     ship weights that no longer match their signature.
#   evidence: [model_signatures, artifacts]
#   strength: verified
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.7, MANAGE 3.2]
#     owasp_llm: [LLM03:2025, LLM04:2025]
#     atlas: [AML.M0013, AML.M0014, AML.T0010.003, AML.T0018]
#     saif: [controlModelAndDataIntegrityManagement, MST, MDT]
package gatekeeper.controls.mod.model_signed

import rego.v1

import data.gatekeeper.lib.attestations

models := [artifact | some artifact in input.artifacts; artifact.kind == "model"]

applicable if {
	count(models) > 0
	count(attestations.model_signatures) > 0
}

covered(model) if {
	some signature in attestations.model_signatures
	signature.verified
	some file in signature.files
	file.path == model.path
	file.digest == model.sha256
}

deny contains {"msg": msg, "finding": model.path, "file": model.path} if {
	applicable
	some model in models
	not covered(model)
	msg := sprintf("model artifact %s is not covered by a verified model signature", [model.path])
}

deny contains {"msg": msg, "finding": signature.source, "file": signature.source} if {
	some signature in attestations.model_signatures
	attestations.rejected(signature)
	msg := sprintf("the model signature %s for %s was rejected: %s", [
		signature.source, signature.model, signature.error,
	])
}

errors contains attestations.unverifiable_entry(signature) if {
	some signature in attestations.model_signatures
	signature.unverifiable
}

details := {
	"trusted": attestations.trusted,
	"model_signatures": [attestations.summary(signature) |
		some signature in attestations.model_signatures
	],
}
