# METADATA
# title: Sensitive tasks have human review and harms have escalation paths
# description: >-
#   The system manifest lists the sensitive tasks a human reviews, each with when the human acts
#   (pre-approval, post-review, or sampling with a sample rate) and the reviewer role, and the
#   escalation paths for harms, each routed to a declared incident contact with a response
#   time. Every agent tool that requires approval names an approver. Declared, not measured:
#   the control requires the tasks, roles and routes concretely; review logs would show them
#   working.
# custom:
#   severity: high
#   questions: [SAF-Q3]
#   waivable: true
#   remediation: >-
#     Declare human_review in ai-system.yaml: sensitive_tasks (task, mode, reviewer_role) and
#     escalation (trigger, route to an incident contact id, within_minutes).
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [MAP 3.5, GOVERN 3.2, MANAGE 2.4]
#     owasp_llm: [LLM06:2025, LLM09:2025]
#     atlas: [AML.M0029]
#     saif: [RA, controlAgentPluginUserControl, controlProductGovernance]
package gatekeeper.controls.saf.sensitive_tasks_reviewed

import rego.v1

import data.gatekeeper.lib.manifest

review := object.get(manifest.declared, "human_review", {})

tasks := object.get(review, "sensitive_tasks", [])

paths := object.get(review, "escalation", [])

applicable if input.manifest

deny contains manifest.entry(msg, "human-review:tasks") if {
	count(tasks) == 0
	msg := "no sensitive task is under human review (human_review.sensitive_tasks)"
}

deny contains manifest.entry(msg, sprintf("task:%s:reviewer", [task.task])) if {
	some task in tasks
	not task.reviewer_role
	msg := sprintf("sensitive task '%s' names no reviewer_role", [task.task])
}

deny contains manifest.entry(msg, sprintf("task:%s:sample-rate", [task.task])) if {
	some task in tasks
	task.mode == "sampling"
	not task.sample_rate
	msg := sprintf("sensitive task '%s' is sampled without a sample_rate", [task.task])
}

deny contains manifest.entry(msg, "human-review:escalation") if {
	count(paths) == 0
	msg := "no escalation path for harms is declared (human_review.escalation)"
}

deny contains manifest.entry(msg, sprintf("escalation:%d:route", [index])) if {
	some index, path in paths
	not path.route in manifest.contact_ids
	msg := sprintf("escalation '%s' routes to %q, which is not a declared incident contact", [path.trigger, path.route])
}

deny contains manifest.entry(msg, sprintf("escalation:%d:response-time", [index])) if {
	some index, path in paths
	not path.within_minutes
	msg := sprintf("escalation '%s' has no response time (within_minutes)", [path.trigger])
}

deny contains problem if some problem in manifest.placeholder_problems(["human_review"])
