# METADATA
# title: The AI governance charter is on record
# description: >-
#   A user policy (not shipped) that answers GRC-Q1 from the manifest's link to the charter.
# custom:
#   severity: medium
#   questions: [GRC-Q1]
#   waivable: true
#   remediation: Link the governance charter under governance.charter in ai-system.yaml.
#   frameworks:
#     nist_ai_rmf: [GOVERN 2.1]
package gatekeeper.controls.grc.charter_present

import rego.v1

applicable if input.manifest.governance.charter

deny contains "the governance charter link is empty" if input.manifest.governance.charter == ""
