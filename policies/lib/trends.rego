# Helpers for the trend controls: series of one measure over the prior runs of the results
# history (input.history, gatekeeper/history/prior.py; docs/history.md#trend-questions).
#
# A series is the values of one measure in each of the window's runs, oldest first. Its
# direction: "held" when every value is within the limit; else "improving" or "regressing"
# when the last value is better or worse than the first by more than the tolerance
# (data.gatekeeper.config.trends.tolerance times the larger of the two); else "flat". Held and
# improving pass; regressing and flat (beyond the limit, not getting better) fail.
package gatekeeper.lib.trends

import rego.v1

cfg := data.gatekeeper.config.trends

runs := object.get(input, ["history", "runs"], [])

# The history holds the whole window of prior runs.
full if count(runs) >= input.history.window

# A measure every run of a full window has: a series can be read from it.
complete(points) if {
	full
	count(points) >= input.history.window
}

within(value, limit, "lower") if value <= limit

within(value, limit, "higher") if value >= limit

# How much better the last value is than the first (negative: worse).
gain(first, last, "lower") := first - last

gain(first, last, "higher") := last - first

noise(first, last) := cfg.tolerance * max({abs(first), abs(last)})

direction(values, limit, better) := "held" if {
	every value in values {
		within(value, limit, better)
	}
} else := "improving" if {
	gain(values[0], values[count(values) - 1], better) > noise(values[0], values[count(values) - 1])
} else := "regressing" if {
	gain(values[0], values[count(values) - 1], better) < 0 - noise(values[0], values[count(values) - 1])
} else := "flat"

all_bound(points) := true if {
	every point in points {
		point.bound == true
	}
} else := false

# points: [{"run", "time", "value", "bound"}], oldest first; better: "lower" or "higher".
series(metric, points, limit, better) := {
	"metric": metric,
	"points": [{"run": p.run, "time": p.time, "value": p.value} | some p in points],
	"direction": direction([p.value | some p in points], limit, better),
	"limit": limit,
	"better": better,
	"bound": all_bound(points),
}

values_text(s) := concat(" -> ", [sprintf("%v", [p.value]) | some p in s.points])

side(s) := "above the maximum" if s.better == "lower"

else := "below the minimum"

# A deny entry for every series that neither held nor improved.
problems(all_series) := {entry |
	some s in all_series
	s.direction in {"regressing", "flat"}
	why := {
		"regressing": sprintf("regressed over the last %d runs", [count(s.points)]),
		"flat": sprintf("stayed %s %v over the last %d runs without improving", [side(s), s.limit, count(s.points)]),
	}
	entry := {
		"msg": sprintf("%s %s: %s (limit %v)", [s.metric, why[s.direction], values_text(s), s.limit]),
		"finding": sprintf("trend:%s", [s.metric]),
	}
}

# Why no trend can be read, as a warning scored as no evidence (a finding ending ":unmeasured").
unmeasured(all_series, what) := {entry} if {
	not input.history
	entry := {
		"msg": sprintf("no results history: the trend of %s is not measured (docs/history.md)", [what]),
		"finding": "trend:unmeasured",
	}
} else := {entry} if {
	not full
	entry := {
		"msg": sprintf("the results history holds %d of the %d prior runs of this system the trend of %s needs", [count(runs), input.history.window, what]),
		"finding": "trend:unmeasured",
	}
} else := {entry} if {
	count(all_series) == 0
	entry := {
		"msg": sprintf("no %s was measured in each of the last %d runs", [what, input.history.window]),
		"finding": "trend:unmeasured",
	}
} else := set()

# A measure some runs of the window have and others lack: it cannot be followed, and leaving
# it out of the latest run must not hide its trend.
gaps(seen, all_series) := {entry |
	full
	some metric in seen
	not metric in {s.metric | some s in all_series}
	entry := {
		"msg": sprintf("%s is not measured in each of the last %d runs: its trend cannot be followed", [metric, input.history.window]),
		"finding": sprintf("trend:%s:unmeasured", [metric]),
	}
}

# The control's details: its series, and "declared" when a point is not bound to its release.
details(all_series) := {"trend": all_series, "strength": "declared"} if {
	some s in all_series
	not s.bound
} else := {"trend": all_series}
