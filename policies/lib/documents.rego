# Helpers for controls that check a document (input.documents.<kind>) for its required
# sections, its front matter facts and its age; settings from data.gatekeeper.config.documents.
package gatekeeper.lib.documents

import rego.v1

config := data.gatekeeper.config.documents

settings(kind) := config[kind]

# The required sections (from data.gatekeeper.config.documents.<kind>) that the document lacks.
missing_sections(kind) := missing_in(kind, "required_sections")

# The sections listed under settings(kind)[key] that the document lacks.
missing_in(kind, key) := {section.name |
	some section in settings(kind)[key]
	not has_section(kind, input.documents[kind], section)
}

# The fewest words a section of this kind must say: settings(kind).min_words, else the default.
min_words(kind) := object.get(settings(kind), "min_words", config.min_words)

# Every section the kind requires, from all its lists (required_sections, rollback_procedures...).
all_sections(kind) := [section |
	some list in settings(kind)
	is_array(list)
	some section in list
	is_object(section)
]

# A heading names a section when it contains one of the section's names.
names_section(found, section) if {
	some name in section.headings
	contains(found.normalized, name)
}

# The other required sections of the kind that a heading also names.
also_names(kind, found, section) := {other.name |
	some other in all_sections(kind)
	other.name != section.name
	names_section(found, other)
}

# A heading counts for a section when it names that section and no other required one, says
# enough words under it, and is not a placeholder or filler (marked by the collector).
counts_for(kind, found, section) if {
	names_section(found, section)
	found.words >= min_words(kind)
	not found.placeholder
	count(also_names(kind, found, section)) == 0
}

has_section(kind, document, section) if {
	some found in document.sections
	counts_for(kind, found, section)
}

# Why a heading that names a section does not count for it.
heading_reason(kind, found, section) := sprintf("heading %q is a placeholder (%s)", [found.heading, found.placeholder_reason]) if {
	found.placeholder
} else := sprintf("heading %q also names %s; each required section needs its own heading", [
	found.heading, concat(", ", sort(also_names(kind, found, section))),
]) if {
	count(also_names(kind, found, section)) > 0
} else := sprintf("heading %q says %d words; at least %d are required", [found.heading, found.words, min_words(kind)])

section_reasons(kind, section) := sort({heading_reason(kind, found, section) |
	some found in input.documents[kind].sections
	names_section(found, section)
})

section_message(kind, section) := sprintf("lacks the section %q: no heading names it", [section.name]) if {
	count(section_reasons(kind, section)) == 0
} else := sprintf("lacks the section %q: %s", [section.name, concat("; ", section_reasons(kind, section))])

# The front matter facts of a document (owner, approved_by, approved_on, date, assessor, outcome).
facts(kind) := object.get(input.documents[kind], "facts", {})

missing_facts(kind) := {name |
	some name in settings(kind).required_facts
	not facts(kind)[name]
}

# A deny/warn entry about a document: the message, the finding exceptions can target, the file.
entry(kind, msg, finding) := {"msg": msg, "finding": sprintf("%s:%s", [kind, finding]), "file": input.documents[kind].path}

# Messages for the sections of settings(kind)[key] the document lacks.
section_problems(kind, key) := {entry(kind, section_message(kind, section), sprintf("section:%s", [section.name])) |
	some section in settings(kind)[key]
	not has_section(kind, input.documents[kind], section)
}

# Messages for the required facts the front matter lacks.
fact_problems(kind) := {entry(kind, msg, sprintf("fact:%s", [name])) |
	some name in missing_facts(kind)
	msg := sprintf("its front matter does not state %q", [name])
}

# A message when the document's approver is its owner (the collector compares the identities:
# gatekeeper/evidence/documentation/front_matter.py, same_identity).
approval_problems(kind) := {entry(kind, msg, "self-approved") |
	input.documents[kind].self_approved == true
	msg := sprintf("approved by its own owner (%s); the approver must be someone else", [facts(kind).owner])
}

# The run's time is when the evidence was collected (--now of collect or check), so a saved
# evidence document gives the same results whenever it is evaluated.
now_ns := time.parse_rfc3339_ns(input.collected_at)

nanoseconds_per_day := ((24 * 60) * 60) * 1000000000

# The date fact that dates the document (settings(kind).dated_by); undefined when the kind is
# not dated or the document does not state it.
date_fact(kind) := facts(kind)[object.get(settings(kind), "dated_by", "")]

# Whole days from the document's date fact to the run's time.
age_days(kind) := floor((now_ns - time.parse_rfc3339_ns(date_fact(kind))) / nanoseconds_per_day)

# Messages for a dated document that is too old, or dated after the run.
age_problems(kind) := stale | future if {
	dated_by := settings(kind).dated_by
	stale := {entry(kind, msg, "stale") |
		age_days(kind) > settings(kind).max_age_days
		msg := sprintf("%s %s is %d days old; the limit is %d days", [
			dated_by, substring(date_fact(kind), 0, 10), age_days(kind), settings(kind).max_age_days,
		])
	}
	future := {entry(kind, msg, "future-dated") |
		time.parse_rfc3339_ns(date_fact(kind)) > now_ns
		msg := sprintf("%s %s is after the run's time %s", [
			dated_by, substring(date_fact(kind), 0, 10), input.collected_at,
		])
	}
}

# Every problem of the document's required facts and sections, of its age when dated, and of
# its approval.
problems(kind) := ((fact_problems(kind) | section_problems(kind, "required_sections")) | dated_problems(kind)) | approval_problems(kind)

# Written with a helper rather than `not facts(kind)[settings(kind).dated_by]`: OPA hoists the
# nested call out of the negation, which makes that rule undefined for an undated kind.
dated_problems(kind) := age_problems(kind) if date_fact(kind)

dated_problems(kind) := set() if not date_fact(kind)
