package gatekeeper.lib.trends_test

import rego.v1

import data.gatekeeper.lib.trends

# tolerance 0.05 (gatekeeper/defaults.yaml): a change of 5% of the larger value is flat.

test_held_when_every_value_is_within_the_limit if {
	trends.direction([0.05, 0.01, 0.05], 0.05, "lower") == "held"
	trends.direction([0.9, 0.95, 0.9], 0.9, "higher") == "held"
}

test_improving_when_the_last_is_better_beyond_the_tolerance if {
	trends.direction([0.2, 0.3, 0.1], 0.05, "lower") == "improving"
	trends.direction([0.5, 0.4, 0.6], 0.9, "higher") == "improving"
}

test_regressing_when_the_last_is_worse_beyond_the_tolerance if {
	trends.direction([0.1, 0.05, 0.2], 0.05, "lower") == "regressing"
	trends.direction([0.8, 0.85, 0.7], 0.9, "higher") == "regressing"
}

# 100 -> 95: a change of 5, exactly 5% of 100, is no change; 94 is.
test_flat_within_the_tolerance if {
	trends.direction([100, 300, 95], 50, "lower") == "flat"
	trends.direction([100, 300, 94], 50, "lower") == "improving"
	trends.direction([95, 300, 100], 50, "lower") == "flat"
	trends.direction([94, 300, 100], 50, "lower") == "regressing"
}

test_one_value_beyond_the_limit_is_not_held if {
	trends.direction([0.05, 0.0501, 0.05], 0.05, "lower") == "flat"
	trends.direction([0.9, 0.8999, 0.9], 0.9, "higher") == "flat"
}

point(value, bound) := {"run": "1", "time": "2026-01-01T00:00:00Z", "value": value, "bound": bound}

test_a_series_is_bound_only_when_every_point_is if {
	trends.series("m", [point(0.1, true), point(0.1, true)], 0.2, "lower").bound == true
	trends.series("m", [point(0.1, true), point(0.1, false)], 0.2, "lower").bound == false
	trends.details([trends.series("m", [point(0.1, false)], 0.2, "lower")]).strength == "declared"
	not trends.details([trends.series("m", [point(0.1, true)], 0.2, "lower")]).strength
}

test_problems_name_regressing_and_flat_series if {
	regressing := trends.series("m", [point(0.01, true), point(0.1, true)], 0.05, "lower")
	flat := trends.series("f", [point(0.5, true), point(0.5, true)], 0.9, "higher")
	held := trends.series("h", [point(0.01, true), point(0.02, true)], 0.05, "lower")
	{e.msg | some e in trends.problems([regressing, flat, held])} == {
		"m regressed over the last 2 runs: 0.01 -> 0.1 (limit 0.05)",
		"f stayed below the minimum 0.9 over the last 2 runs without improving: 0.5 -> 0.5 (limit 0.9)",
	}
}

run(n) := {"run": sprintf("%d", [n]), "time": "2026-01-01T00:00:00Z"}

test_unmeasured_without_a_history_or_a_full_window if {
	[e.msg | some e in trends.unmeasured([], "x")] == ["no results history: the trend of x is not measured (docs/history.md)"] with input as {}
	short := {"history": {"window": 3, "runs": [run(1), run(2)]}}
	[e.msg | some e in trends.unmeasured([], "x")] == ["the results history holds 2 of the 3 prior runs of this system the trend of x needs"] with input as short
	full := {"history": {"window": 3, "runs": [run(1), run(2), run(3)]}}
	[e.msg | some e in trends.unmeasured([], "x")] == ["no x was measured in each of the last 3 runs"] with input as full
	count(trends.unmeasured([{"metric": "x"}], "x")) == 0 with input as full
	entries := trends.unmeasured([], "x") with input as short
	every e in entries {
		endswith(e.finding, ":unmeasured")
	}
}

test_gaps_name_a_measure_some_runs_lack if {
	full := {"history": {"window": 3, "runs": [run(1), run(2), run(3)]}}
	[e.finding | some e in trends.gaps({"a", "b"}, [{"metric": "a"}])] == ["trend:b:unmeasured"] with input as full
}
