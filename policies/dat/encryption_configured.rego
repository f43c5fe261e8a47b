# METADATA
# title: IaC scans show encryption at rest and in transit configured
# description: >-
#   An IaC scanner (checkov, trivy config) evaluated at least one of the encryption checks in
#   thresholds.encryption.checks (storage, databases, disks, SageMaker / Vertex AI / Bedrock
#   resources at rest; load balancers, database connections, caches in transit) on the
#   release's infrastructure code, and none of them failed. A check counts as evaluated when it
#   failed, or when a checkov JSON report lists it as passed (checkov passes a check only for a
#   resource it applies to; trivy passes checks for resources that do not exist, so trivy passes
#   are not counted). Checks suppressed in the scanner's own configuration are reported, not
#   blocking. Only resources defined in the scanned code are seen: storage created elsewhere,
#   and the encryption of data inside the AI pipeline (prompts, embeddings, caches), are not.
# custom:
#   severity: high
#   questions: [DAT-Q2]
#   waivable: true
#   remediation: >-
#     Enable server-side encryption with a customer-managed KMS key on buckets, volumes,
#     databases and ML resources, require TLS 1.2+ on every listener and database connection,
#     then scan the infrastructure code again (checkov -o json, without --quiet).
#   evidence: [scanners, sarif]
#   strength: measured
#   frameworks:
#     nist_ai_rmf: [MEASURE 2.10, MEASURE 2.7]
#     owasp_llm: [LLM02:2025]
#     atlas: [AML.M0012, AML.M0005]
#     saif: [controlModelAndDataAccessControls, SDD]
package gatekeeper.controls.dat.encryption_configured

import rego.v1

import data.gatekeeper.lib.findings

configured_checks := data.gatekeeper.config.encryption.checks

checks := {id | some id in configured_checks}

encryption_findings := [finding |
	wanted := checks # bound before the walk, not looked up on every step
	some finding in findings.of_category("iac")
	finding.rule_id in wanted
]

evaluated := {id |
	some run in object.get(input, ["scans", "runs"], [])
	"iac" in run.categories
	some id in object.get(run, "passed_rules", [])
	id in checks
} | {finding.rule_id | some finding in encryption_findings}

applicable if count(evaluated) > 0

deny contains findings.entry(finding) if {
	some finding in encryption_findings
	not finding.suppressed
}

warn contains sprintf("%s suppressed in the scanner's configuration: %s", [finding.rule_id, finding.message]) if {
	some finding in encryption_findings
	finding.suppressed
}

details := {"evaluated_checks": sort(evaluated)}
