# METADATA
# title: The gate runs in the release pipeline with blocking controls
# description: >-
#   Compliance checks are tied to CI/CD releases: this run's evidence was collected in a CI run
#   (GitHub Actions or GitLab CI, from GITHUB_ACTIONS / GITLAB_CI and the run id in the
#   environment, listed in governance.ci_providers), the profile makes at least one control
#   blocking, and, when the system manifest names its pipeline (ci.provider), the run is on that
#   provider. A local run is not evidence of a pipeline gate and fails this control. The CI
#   variables are what the environment says (declared): the run is verified only when a
#   verified SLSA provenance statement of the release names it -- its invocation is this run's
#   address, or its builder id is the workflow that ran the gate; otherwise the control warns.
# custom:
#   severity: medium
#   questions: [GRC-Q4]
#   waivable: true
#   remediation: >-
#     Run gatekeeper check as a required job of the release workflow (GitHub Actions or GitLab
#     CI), keep at least the mandatory controls blocking in gatekeeper.yaml's profile, and name
#     the workflow in ai-system.yaml (ci.provider, ci.workflow).
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [GOVERN 1.4, MANAGE 1.1]
#     saif: [SAIF-E3, SAIF-E4, controlRiskGovernance]
package gatekeeper.controls.grc.gate_enforced_in_ci

import rego.v1

import data.gatekeeper.lib.attestations
import data.gatekeeper.lib.manifest

ci_providers := data.gatekeeper.config.governance.ci_providers

blocking := [id | some id, enforcement in input.gate.controls; enforcement == "blocking"]

applicable if {
	input.ci
	input.gate
}

deny contains {"msg": msg, "finding": "ci:not-detected"} if {
	not input.ci.detected
	msg := "this run is not a CI run (neither GITHUB_ACTIONS nor GITLAB_CI is set): a local run does not show that releases are gated"
}

deny contains {"msg": msg, "finding": "ci:provider"} if {
	input.ci.detected
	not input.ci.provider in ci_providers
	msg := sprintf("CI provider %v is not one of governance.ci_providers %v", [
		input.ci.provider, ci_providers,
	])
}

deny contains {"msg": msg, "finding": "ci:run-id"} if {
	input.ci.detected
	not input.ci.run_id
	msg := sprintf("the %s run has no run id in the environment", [input.ci.provider])
}

deny contains {"msg": msg, "finding": "gate:no-blocking-control"} if {
	count(blocking) == 0
	msg := "no control is blocking in the profile: the gate cannot stop a release"
}

deny contains {"msg": msg, "finding": "ci:declared-provider", "file": input.manifest.source} if {
	input.ci.detected
	declared := input.manifest.declared.ci.provider
	declared != input.ci.provider
	msg := sprintf("the manifest names %s as the release pipeline, but this run is on %s", [
		declared, input.ci.provider,
	])
}

# The workflow that ran the gate, without its ref: "org/repo/.github/workflows/release.yml".
workflow_path := split(input.ci.workflow, "@")[0]

# A verified SLSA provenance statement of the release names this run, or its workflow.
provenance_names_run if {
	some statement in attestations.slsa_provenance
	is_string(input.ci.run_url)
	object.get(statement, ["invocation", "id"], "") == input.ci.run_url
}

provenance_names_run if {
	some statement in attestations.slsa_provenance
	contains(workflow_path, "/.github/workflows/")
	contains(object.get(statement, "builder_id", ""), workflow_path)
}

evidence_strength := "verified" if provenance_names_run

else := "declared"

warn contains msg if {
	input.ci.detected
	not provenance_names_run
	msg := sprintf("the %s run is declared by environment variables only: no verified SLSA provenance of the release names run %v or workflow %v", [
		input.ci.provider, object.get(input.ci, "run_url", null), object.get(input.ci, "workflow", null),
	])
}

details := {
	"evidence_strength": evidence_strength,
	"provider": input.ci.provider,
	"run_id": object.get(input.ci, "run_id", null),
	"run_url": object.get(input.ci, "run_url", null),
	"blocking_controls": count(blocking),
}

deny contains problem if some problem in manifest.placeholder_problems(["ci.workflow"])
