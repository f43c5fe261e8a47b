# METADATA
# title: Annotators are vetted and their labeling roles hold least privilege
# description: >-
#   The system manifest's labeling section names the labeling platform and every workforce group
#   that labels the system's data, each vetted (the checks done before access, renewed at least
#   every ai_system.max_revetting_days days) and assigned a declared role in the tool, and no role
#   held by a workforce group has a permission in ai_system.annotator_forbidden_permissions (by
#   default export, user management, admin and viewing all tasks). Declared, not measured: the
#   labeling tool's role configuration and the vetting records must match.
# custom:
#   severity: medium
#   questions: [HIL-Q1]
#   waivable: true
#   applies_to: [training-pipeline]
#   remediation: >-
#     Vet every annotator group (background check, NDA, privacy training) and re-vet
#     periodically; give annotators roles that can see only assigned tasks and cannot export;
#     declare both under labeling in ai-system.yaml.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [GOVERN 6.1, MAP 4.2, GOVERN 2.2]
#     owasp_llm: [LLM04:2025]
#     atlas: [AML.T0020, AML.M0025]
#     saif: [DP, controlTrainingDataManagement, controlModelAndDataAccessControls]
package gatekeeper.controls.hil.annotators_vetted_scoped

import rego.v1

import data.gatekeeper.lib.manifest

labeling := object.get(manifest.declared, "labeling", {})

workforce := object.get(labeling, "workforce", [])

roles := {role.name: role.permissions | some role in object.get(labeling, "roles", [])}

applicable if input.manifest

deny contains manifest.entry(msg, "labeling:none") if {
	not manifest.declared.labeling
	msg := "no labeling workflow is declared (labeling); disable this control if no human labels the system's data"
}

deny contains manifest.entry(msg, "labeling:workforce") if {
	manifest.declared.labeling
	count(workforce) == 0
	msg := "the labeling section names no workforce group"
}

deny contains manifest.entry(msg, sprintf("group:%s:vetting", [group.group])) if {
	some group in workforce
	count(object.get(group, ["vetting", "checks"], [])) == 0
	msg := sprintf("annotator group %s is not vetted (vetting.checks)", [group.group])
}

deny contains manifest.entry(msg, sprintf("group:%s:revetting", [group.group])) if {
	some group in workforce
	interval := object.get(group, ["vetting", "renew_every_days"], "never")
	not revetted_in_time(interval)
	msg := sprintf("annotator group %s is re-vetted %v; at least every %d days", [
		group.group, interval, manifest.config.max_revetting_days,
	])
}

deny contains manifest.entry(msg, sprintf("group:%s:role", [group.group])) if {
	some group in workforce
	not roles[group.role]
	msg := sprintf("annotator group %s has role %s, which is not a declared labeling role", [group.group, group.role])
}

deny contains manifest.entry(msg, sprintf("group:%s:permission:%s", [group.group, permission])) if {
	some group in workforce
	some permission in roles[group.role]
	permission in manifest.config.annotator_forbidden_permissions
	msg := sprintf("annotator group %s (role %s) can %s", [group.group, group.role, permission])
}

revetted_in_time(interval) if interval <= manifest.config.max_revetting_days

deny contains problem if some problem in manifest.placeholder_problems(["labeling.platform", "labeling.workforce"])
