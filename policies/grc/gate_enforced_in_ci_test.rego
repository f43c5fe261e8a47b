package gatekeeper.controls.grc.gate_enforced_in_ci_test

import rego.v1

import data.gatekeeper.controls.grc.gate_enforced_in_ci as control

github := {
	"detected": true, "provider": "github-actions", "run_id": "123",
	"run_url": "https://github.com/acme/triage/actions/runs/123",
}

gate := {"controls": {"SDL-sbom-present": "blocking", "SDL-dependencies-clean": "advisory"}}

provenance(fields) := {"statements": [object.union({
	"source": "provenance.intoto.jsonl", "index": 1, "verified": true, "slsa_version": "1",
	"builder_id": "https://github.com/acme/ml-platform/.github/workflows/train.yml@refs/tags/v2",
	"invocation": {"id": "https://github.com/acme/triage/actions/runs/999"},
}, fields)]}

test_pass_in_a_ci_run_with_blocking_controls if {
	control.applicable with input as {"ci": github, "gate": gate}
	count(control.deny) == 0 with input as {"ci": github, "gate": gate}
	control.details.run_id == "123" with input as {"ci": github, "gate": gate}
}

# Environment variables are declared: without signed provenance naming the run, a warning.
test_warn_when_only_the_environment_says_it_is_a_ci_run if {
	warned := control.warn with input as {"ci": github, "gate": gate}
	count(warned) == 1
	control.details.evidence_strength == "declared" with input as {"ci": github, "gate": gate}
	other_run := {"ci": github, "gate": gate, "provenance": provenance({})}
	count(control.warn) == 1 with input as other_run
}

test_verified_when_signed_provenance_names_this_run if {
	named := {"ci": github, "gate": gate, "provenance": provenance({"invocation": {"id": github.run_url}})}
	count(control.warn) == 0 with input as named
	count(control.deny) == 0 with input as named
	control.details.evidence_strength == "verified" with input as named
	unverified := {"ci": github, "gate": gate, "provenance": provenance({"verified": false, "invocation": {"id": github.run_url}})}
	control.details.evidence_strength == "declared" with input as unverified
}

test_verified_when_signed_provenance_names_the_workflow_that_ran if {
	run := object.union(github, {"workflow": "acme/ml-platform/.github/workflows/train.yml@refs/tags/v2"})
	named := {"ci": run, "gate": gate, "provenance": provenance({})}
	control.details.evidence_strength == "verified" with input as named
	other := object.union(github, {"workflow": "acme/triage/.github/workflows/release.yml@refs/heads/main"})
	control.details.evidence_strength == "declared" with input as {"ci": other, "gate": gate, "provenance": provenance({})}
}

test_fail_for_a_local_run if {
	denied := control.deny with input as {"ci": {"detected": false, "provider": null}, "gate": gate}
	{entry.finding | some entry in denied} == {"ci:not-detected"}
}

test_fail_when_nothing_blocks if {
	advisory := {"controls": {"SDL-sbom-present": "advisory"}}
	denied := control.deny with input as {"ci": github, "gate": advisory}
	{entry.finding | some entry in denied} == {"gate:no-blocking-control"}
}

test_fail_without_a_run_id_or_on_another_provider_than_declared if {
	run := object.remove(github, ["run_id"])
	declared := {"source": "ai-system.yaml", "declared": {"ci": {"provider": "gitlab-ci", "workflow": ".gitlab-ci.yml"}}}
	denied := control.deny with input as {"ci": run, "gate": gate, "manifest": declared}
	{entry.finding | some entry in denied} == {"ci:run-id", "ci:declared-provider"}
}

test_providers_come_from_the_thresholds if {
	denied := control.deny with input as {"ci": github, "gate": gate}
		with data.gatekeeper.config.governance.ci_providers as ["gitlab-ci"]
	{entry.finding | some entry in denied} == {"ci:provider"}
}

test_no_evidence_without_the_ci_section if {
	not control.applicable with input as {"gate": gate}
}
