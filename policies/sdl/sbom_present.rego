# METADATA
# title: A valid SBOM ships with the release
# description: >-
#   The release carries at least one SBOM (CycloneDX 1.2-1.7 JSON or XML, or SPDX 2.x JSON)
#   that validates against its format's schema and lists at least thresholds.sbom.min_components
#   components.
# custom:
#   severity: high
#   questions: [SDL-Q4, SDL-Q9]
#   waivable: true
#   remediation: >-
#     Generate the SBOM in the release job (Python: `cyclonedx-py environment`; images:
#     `syft` or `trivy image --format cyclonedx`), fix what its schema validation reports,
#     and list it under evidence.sbom in gatekeeper.yaml.
#   evidence: [sbom]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MAP 4.1, GOVERN 6.1]
#     owasp_llm: [LLM03:2025]
#     atlas: [AML.M0023, AML.T0010]
#     saif: [controlModelAndDataInventoryManagement]
package gatekeeper.controls.sdl.sbom_present

import rego.v1

min_components := data.gatekeeper.config.sbom.min_components

applicable if count(input.sbom.documents) > 0

deny contains {"msg": msg, "file": doc.source} if {
	some doc in input.sbom.documents
	not doc.valid
	msg := sprintf("%s is not a valid %s %s document: %s", [
		doc.source, doc.format, doc.spec_version,
		concat("; ", array.slice(doc.validation_errors, 0, 3)),
	])
}

deny contains {"msg": msg, "file": doc.source} if {
	some doc in input.sbom.documents
	doc.component_count < min_components
	msg := sprintf("%s lists %d components, fewer than the %d required", [
		doc.source, doc.component_count, min_components,
	])
}
