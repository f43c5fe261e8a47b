package gatekeeper.controls.grc.gate_enforced_in_ci_test

import rego.v1

import data.gatekeeper.controls.grc.gate_enforced_in_ci as control

github := {
	"detected": true, "provider": "github-actions", "run_id": "123",
	"run_url": "https://github.com/acme/triage/actions/runs/123",
}

gate := {"controls": {"SDL-sbom-present": "blocking", "SDL-dependencies-clean": "advisory"}}

test_pass_in_a_ci_run_with_blocking_controls if {
	control.applicable with input as {"ci": github, "gate": gate}
	count(control.deny) == 0 with input as {"ci": github, "gate": gate}
	control.details.run_id == "123" with input as {"ci": github, "gate": gate}
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
