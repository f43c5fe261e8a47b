# METADATA
# title: Every model has a last-known-good version and rollback is automated
# description: >-
#   The system manifest gives every model a last-known-good version different from the one
#   released (and, when both digests are given, a different digest), and names the automation
#   that rolls back (rollback.automation), what triggers it -- at least the triggers in
#   ai_system.rollback_triggers, by default a failed security or safety gate -- and how fast it
#   completes (rollback.max_minutes, at most ai_system.rollback_max_minutes). These are declared
#   facts, weaker evidence than a rollback drill: the control asks for the concrete pins and the
#   named mechanism, and the incident-response drill record is where the rollback is shown to work.
# custom:
#   severity: medium
#   questions: [SDL-Q8]
#   waivable: true
#   remediation: >-
#     Record each model's last_known_good version in ai-system.yaml and configure automatic
#     rollback (for example an Argo Rollouts or Flagger analysis, or a deployment job triggered
#     by a failed gate) that pins the last-known-good versions; declare it under rollback.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MANAGE 2.3, MANAGE 2.4]
#     owasp_llm: [LLM03:2025]
#     saif: [controlIncidentResponseManagement, controlModelAndDataIntegrityManagement]
package gatekeeper.controls.sdl.rollback_last_known_good

import rego.v1

import data.gatekeeper.lib.manifest

rollback := object.get(manifest.declared, "rollback", {})

applicable if input.manifest

deny contains manifest.entry(msg, "models:none") if {
	count(manifest.models) == 0
	msg := "the manifest declares no model, so no last-known-good version can be checked"
}

deny contains manifest.entry(msg, sprintf("model:%s:last-known-good", [model.name])) if {
	some model in manifest.models
	not model.last_known_good
	msg := sprintf("model %s has no last-known-good version to roll back to", [model.name])
}

deny contains manifest.entry(msg, sprintf("model:%s:last-known-good", [model.name])) if {
	some model in manifest.models
	same_as_release(model)
	msg := sprintf("model %s: the last-known-good version is the release itself (%s)", [model.name, model.version])
}

deny contains manifest.entry(msg, "rollback:automation") if {
	not rollback.automation
	msg := "no rollback automation is named (rollback.automation)"
}

deny contains manifest.entry(msg, sprintf("rollback:trigger:%s", [trigger])) if {
	some trigger in manifest.config.rollback_triggers
	not trigger in object.get(rollback, "triggers", [])
	msg := sprintf("rollback is not triggered by %s (rollback.triggers)", [trigger])
}

deny contains manifest.entry(msg, "rollback:max-minutes") if {
	not fast_enough
	msg := sprintf("rollback must complete within %d minutes (rollback.max_minutes: %v)", [
		manifest.config.rollback_max_minutes, object.get(rollback, "max_minutes", "not declared"),
	])
}

# A separate rule, not `not a <= b` inline: OPA hoists the reference out of the negation.
fast_enough if rollback.max_minutes <= manifest.config.rollback_max_minutes

same_as_release(model) if model.last_known_good.version == model.version

same_as_release(model) if model.last_known_good.digest == model.digest

details := {model.name: object.get(model, ["last_known_good", "version"], null) | some model in manifest.models}

deny contains problem if some problem in manifest.placeholder_problems(["rollback", "models.last_known_good"])
