# Helpers for controls that check a document for its required sections (input.documents).
package gatekeeper.lib.documents

import rego.v1

# The required sections (from data.gatekeeper.config.documents.<kind>) that the document lacks.
# A section is present when a heading contains one of its names and says enough under it.
missing_sections(kind) := {section.name |
	some section in data.gatekeeper.config.documents[kind].required_sections
	not has_section(input.documents[kind], section)
}

has_section(document, section) if {
	some found in document.sections
	some name in section.headings
	contains(found.normalized, name)
	found.words >= data.gatekeeper.config.documents.min_words
}
