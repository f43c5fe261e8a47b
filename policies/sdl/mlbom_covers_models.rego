# METADATA
# title: The ML-BOM lists every model artifact with its sha256
# description: >-
#   Every release artifact of kind model appears in an ML-BOM (a CycloneDX
#   machine-learning-model component) whose SHA-256 hash equals the artifact's digest, so the
#   BOM describes exactly the weights that ship.
# custom:
#   severity: high
#   questions: [SDL-Q4, SDL-Q9]
#   waivable: true
#   remediation: >-
#     Add a machine-learning-model component per model file to the CycloneDX BOM, with a
#     SHA-256 hash computed from the released file (not from an earlier build), and
#     regenerate the BOM whenever the weights change.
#   evidence: [sbom, artifacts]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MAP 4.1, MANAGE 3.2]
#     owasp_llm: [LLM03:2025]
#     atlas: [AML.M0023, AML.M0014, AML.T0010.003]
#     saif: [controlModelAndDataInventoryManagement, controlModelAndDataIntegrityManagement, MST]
package gatekeeper.controls.sdl.mlbom_covers_models

import rego.v1

models := [artifact | some artifact in input.artifacts; artifact.kind == "model"]

listed := {model.sha256 | some model in input.sbom.models; is_string(model.sha256)}

applicable if {
	count(models) > 0
	count(input.sbom.documents) > 0
}

deny contains {"msg": msg, "finding": model.sha256, "file": model.path} if {
	some model in models
	not model.sha256 in listed
	msg := sprintf("model artifact %s (sha256 %s) is not listed in the ML-BOM with that hash", [
		model.path, substring(model.sha256, 0, 12),
	])
}

warn contains {"msg": msg, "file": model.source} if {
	some model in input.sbom.models
	released := {artifact.sha256 | some artifact in models}
	not model.sha256 in released
	msg := sprintf("ML-BOM model component %q has no sha256 matching a released model file", [
		model.name,
	])
}
