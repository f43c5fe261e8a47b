# Which kinds of system is being gated (ai-system.yaml kinds:, docs/kinds.md). The evaluator
# passes them in input.gate.kinds (every kind when the manifest declares none); without a gate
# section (a Rego unit test) the system is every kind.
package gatekeeper.lib.kinds

import rego.v1

# The system is one of these kinds.
any_of(kinds) if not input.gate.kinds

any_of(kinds) if {
	some kind in input.gate.kinds
	kind in kinds
}
