# Helpers for controls that check a document (input.documents.<kind>) for its required
# sections, its front matter facts and its age; settings from data.gatekeeper.config.documents.
package gatekeeper.lib.documents

import rego.v1

settings(kind) := data.gatekeeper.config.documents[kind]

# The required sections (from data.gatekeeper.config.documents.<kind>) that the document lacks.
# A section is present when a heading contains one of its names and says enough under it.
missing_sections(kind) := missing_in(kind, "required_sections")

# The sections listed under settings(kind)[key] that the document lacks.
missing_in(kind, key) := {section.name |
	some section in settings(kind)[key]
	not has_section(input.documents[kind], section)
}

has_section(document, section) if {
	some found in document.sections
	some name in section.headings
	contains(found.normalized, name)
	found.words >= data.gatekeeper.config.documents.min_words
}

# The front matter facts of a document (owner, approved_by, approved_on, date, assessor, outcome).
facts(kind) := object.get(input.documents[kind], "facts", {})

missing_facts(kind) := {name |
	some name in settings(kind).required_facts
	not facts(kind)[name]
}

# A deny/warn entry about a document: the message, the finding exceptions can target, the file.
entry(kind, msg, finding) := {"msg": msg, "finding": sprintf("%s:%s", [kind, finding]), "file": input.documents[kind].path}

# Messages for the sections of settings(kind)[key] the document lacks.
section_problems(kind, key) := {entry(kind, msg, sprintf("section:%s", [name])) |
	some name in missing_in(kind, key)
	msg := sprintf("lacks the section %q (or says less than %d words under it)", [
		name, data.gatekeeper.config.documents.min_words,
	])
}

# Messages for the required facts the front matter lacks.
fact_problems(kind) := {entry(kind, msg, sprintf("fact:%s", [name])) |
	some name in missing_facts(kind)
	msg := sprintf("its front matter does not state %q", [name])
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

# Every problem of the document's required facts and sections, and of its age when dated.
problems(kind) := (fact_problems(kind) | section_problems(kind, "required_sections")) | dated_problems(kind)

# Written with a helper rather than `not facts(kind)[settings(kind).dated_by]`: OPA hoists the
# nested call out of the negation, which makes that rule undefined for an undated kind.
dated_problems(kind) := age_problems(kind) if date_fact(kind)

dated_problems(kind) := set() if not date_fact(kind)
