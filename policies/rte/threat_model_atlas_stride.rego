# METADATA
# title: The AI threat model maps threats to MITRE ATLAS and covers STRIDE for ML
# description: >-
#   The threat model (evidence.documents.threat_model, Markdown) cites at least
#   thresholds.documents.threat_model.min_atlas_techniques distinct MITRE ATLAS techniques,
#   every cited technique id exists in ATLAS (gatekeeper ships the ATLAS technique table), and
#   it holds a section with content for each STRIDE category applied to the ML system
#   (required_sections: spoofing, tampering, repudiation, information disclosure, denial of
#   service, elevation of privilege).
# custom:
#   severity: high
#   questions: [RTE-Q1]
#   waivable: true
#   remediation: >-
#     Threat-model the system per STRIDE category (one section each), and name for each threat
#     the ATLAS technique it corresponds to (AML.Txxxx, from atlas.mitre.org); correct any id
#     that ATLAS does not define. Review it when the system changes, at least quarterly.
#   evidence: [documents.threat_model]
#   strength: documented
#   frameworks:
#     nist_ai_rmf: [MAP 5.1, MEASURE 2.7, MANAGE 1.3]
#     saif: [controlRiskGovernance, controlRedTeaming]
package gatekeeper.controls.rte.threat_model_atlas_stride

import rego.v1

import data.gatekeeper.lib.documents

applicable if input.documents.threat_model

model := input.documents.threat_model

cited := object.get(model, "atlas_techniques", [])

known_ids := {technique.id | some technique in cited; technique.known}

deny contains {"msg": msg, "finding": sprintf("threat_model:unknown-atlas:%s", [technique.id]), "file": model.path, "line": technique.line} if {
	some technique in cited
	not technique.known
	msg := sprintf("cites %s, which is not a MITRE ATLAS technique id", [technique.id])
}

deny contains documents.entry("threat_model", msg, "atlas-coverage") if {
	minimum := documents.config.threat_model.min_atlas_techniques
	count(known_ids) < minimum
	msg := sprintf("names %d existing MITRE ATLAS technique(s); at least %d are required", [count(known_ids), minimum])
}

deny contains problem if some problem in documents.section_problems("threat_model", "required_sections")

details := {"atlas_techniques": sort(known_ids)}
