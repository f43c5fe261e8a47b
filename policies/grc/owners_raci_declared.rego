# METADATA
# title: Owners and a RACI cover the system's risk, release and incident decisions
# description: >-
#   The system manifest names the system's owners (id, name, email) and a RACI in which every
#   activity of ai_system.raci_activities (by default risk acceptance, release approval and
#   incident response) has at least one responsible owner and exactly one accountable owner,
#   and every id the RACI uses is a declared owner. The RACI is declared, not measured: the
#   control checks that it is complete and consistent, not that people act on it.
# custom:
#   severity: medium
#   questions: [GRC-Q1]
#   waivable: true
#   remediation: >-
#     Add owners (id, name, email) and a raci list to ai-system.yaml with one entry per required
#     activity: responsible and accountable owner ids, and whom to consult and inform.
#   evidence: [manifest]
#   strength: declared
#   frameworks:
#     nist_ai_rmf: [GOVERN 2.1, GOVERN 2.3, GOVERN 3.2]
#     saif: [controlRiskGovernance, controlProductGovernance]
package gatekeeper.controls.grc.owners_raci_declared

import rego.v1

import data.gatekeeper.lib.manifest

owner_ids := {owner.id | some owner in manifest.declared.owners}

raci := object.get(manifest.declared, "raci", [])

applicable if input.manifest

deny contains manifest.entry(msg, sprintf("raci:%s", [activity])) if {
	some activity in manifest.config.raci_activities
	not covered(activity)
	msg := sprintf("the RACI has no entry for '%s' (one accountable owner, responsible owners)", [activity])
}

deny contains manifest.entry(msg, sprintf("raci:%s:%s", [row.activity, id])) if {
	some row in raci
	some id in assigned(row)
	not id in owner_ids
	msg := sprintf("RACI '%s' names '%s', which is not a declared owner id", [row.activity, id])
}

deny contains manifest.entry(msg, sprintf("raci:%s:responsible", [row.activity])) if {
	some row in raci
	count(row.responsible) == 0
	msg := sprintf("RACI '%s' names nobody responsible", [row.activity])
}

deny contains manifest.entry(msg, sprintf("owner:%s:duplicate", [id])) if {
	some id in owner_ids
	count([owner | some owner in manifest.declared.owners; owner.id == id]) > 1
	msg := sprintf("owner id '%s' is declared more than once", [id])
}

covered(activity) if {
	some row in raci
	row.activity == activity
}

assigned(row) := {id |
	some key in ["responsible", "consulted", "informed"]
	some id in object.get(row, key, [])
} | {row.accountable}

deny contains problem if some problem in manifest.placeholder_problems(["owners", "incident_contacts"])
